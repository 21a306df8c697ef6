"""The published Spanish (USA) PHQ-9 and GAD-7: the same form in other words.

Only the wording changes with the language; items, answer values, LOINC codes, bands, scoring
and PHQ-9 item 9's safety rule are the form's own.
"""

from __future__ import annotations

import itertools

import pytest

from companion import i18n
from companion.domain.scales import GAD7, PHQ9, SCALES, SPANISH_CREDIT, credit, in_language, scale

SPANISH_ANSWERS = [
    "Ningún día",
    "Varios días",
    "Más de la mitad de los días",
    "Casi todos los días",
]


@pytest.mark.parametrize(("scale_id", "count"), [("phq9", 9), ("gad7", 7)])
def test_spanish_form_has_the_published_items_and_answers(scale_id: str, count: int) -> None:
    spanish = scale(scale_id, "es")
    english = SCALES[scale_id]
    assert len(spanish.items) == count
    assert [a.text for a in spanish.answers] == SPANISH_ANSWERS
    assert [a.value for a in spanish.answers] == [0, 1, 2, 3]
    assert spanish.stem == (
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
        "siguientes problemas?"
    )
    assert spanish.difficulty.text.startswith("Si marcó cualquiera de los problemas")
    assert [a.text for a in spanish.difficulty.answers] == [
        "No ha sido difícil",
        "Un poco difícil",
        "Muy difícil",
        "Extremadamente difícil",
    ]
    # everything that is scored or coded is the form's own
    assert [(i.number, i.loinc) for i in spanish.items] == [
        (i.number, i.loinc) for i in english.items
    ]
    assert [(a.value, a.loinc) for a in spanish.answers] == [
        (a.value, a.loinc) for a in english.answers
    ]
    assert [(b.key, b.low, b.high) for b in spanish.bands] == [
        (b.key, b.low, b.high) for b in english.bands
    ]
    assert (spanish.loinc_panel, spanish.loinc_total, spanish.safety_item) == (
        english.loinc_panel,
        english.loinc_total,
        english.safety_item,
    )
    assert all(s.text != e.text for s, e in zip(spanish.items, english.items, strict=True))


def test_spanish_scoring_is_identical_for_every_answer_pattern_sampled() -> None:
    for english in (PHQ9, GAD7):
        spanish = in_language(english, "es")
        for answers in itertools.islice(
            itertools.product(range(4), repeat=len(english.items)), 0, None, 97
        ):
            a, b = english.score(answers, 2), spanish.score(answers, 2)
            assert (a.total, a.band.key, a.needs_safety_card, a.difficulty) == (
                b.total,
                b.band.key,
                b.needs_safety_card,
                b.difficulty,
            )


def test_item_nine_safety_rule_is_unchanged_in_spanish() -> None:
    spanish = scale("phq9", "es")
    assert spanish.items[8].text.startswith("Pensamientos de que estaría mejor muerto(a)")
    assert spanish.triggers_safety_card(9, 1) and not spanish.triggers_safety_card(9, 0)
    assert spanish.score([0] * 8 + [1]).needs_safety_card


def test_scale_follows_the_current_language_and_credit_line() -> None:
    assert scale("gad7").items[0].text == GAD7.items[0].text
    assert credit() != SPANISH_CREDIT
    i18n.set_language("es")
    assert scale("gad7").items[0].text.startswith("Se ha sentido nervioso(a)")
    assert credit() == SPANISH_CREDIT
    assert scale("phq9").bands[0].label != "Minimal"  # Companion's band labels are translated
