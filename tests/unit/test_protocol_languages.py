"""Protocol texts in several languages: a text is plain (the protocol's own language) or a
table of languages; the patient's language is shown, else the protocol's; a missing
translation is a warning, never a refusal."""

from __future__ import annotations

import pytest

from companion import i18n
from companion.domain.protocol import ProtocolError, load_protocol, protocol_warnings
from companion.services.protocol_files import core_emergency, default_protocol
from tests.support.protocol_text import DEFAULT_TEXT, mutate


def test_default_protocol_reads_in_spanish_when_the_patient_reads_spanish() -> None:
    english = default_protocol()
    i18n.set_language("es")
    spanish = default_protocol()
    assert spanish.checklist[0].text.startswith("No he comido nada")
    assert spanish.emergency.signs[0].text == "Dolor, presión u opresión en el pecho"
    assert [c.id for c in spanish.checklist] == [c.id for c in english.checklist]
    assert spanish.limits.systolic == english.limits.systolic  # words change, never a number
    assert spanish.limits.pulse == english.limits.pulse
    assert [(p.id, p.at_minutes) for p in spanish.timeline.prompts] == [
        (p.id, p.at_minutes) for p in english.timeline.prompts
    ]


def test_the_shipped_default_protocol_has_every_text_in_spanish() -> None:
    assert protocol_warnings(DEFAULT_TEXT, core_emergency()) == []


def test_a_plain_text_falls_back_to_the_protocols_language_and_is_warned_about() -> None:
    text = mutate('why = "A late session can disturb your sleep."\nwhy.es', "why.es").replace(
        'why.es = "Una sesión tarde puede afectar su sueño."',
        'why = "A late session can disturb your sleep."',
        1,
    )
    i18n.set_language("es")
    protocol = load_protocol(text, core_emergency())
    assert protocol.checklist[2].why == "A late session can disturb your sleep."
    warnings = [str(w) for w in protocol_warnings(text, core_emergency())]
    assert any(w.startswith("checklist[3].why:") for w in warnings), warnings
    assert len(warnings) == 1


def test_a_table_without_the_protocols_own_language_is_refused() -> None:
    text = DEFAULT_TEXT.replace('text.en = "My eye mask and music are ready."\n', "", 1)
    with pytest.raises(ProtocolError) as info:
        load_protocol(text, core_emergency())
    assert info.value.field == "checklist[6].text"
    assert "own language (en)" in info.value.problem


def test_a_protocol_written_in_spanish_falls_back_to_spanish() -> None:
    text = DEFAULT_TEXT.replace("format = 1\n", 'format = 1\nlanguage = "es"\n', 1)
    text = text.replace('text.en = "My eye mask and music are ready."\n', "", 1)
    protocol = load_protocol(text, core_emergency(), language="en")
    assert protocol.info.language == "es"
    assert protocol.checklist[5].text == "Mi antifaz y mi música están listos."
    assert protocol.checklist[0].text.startswith("I have had nothing to eat")
