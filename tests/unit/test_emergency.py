"""Emergency signs and what to do while help comes: complete, plain, and only extended by a
clinic's protocol, never cut or reworded."""

from __future__ import annotations

import re

import pytest

from companion.domain.protocol import DEFAULT_MONITOR_CALL_KEY, ProtocolError
from companion.services.protocol_files import (
    core_emergency,
    default_protocol,
    default_protocol_path,
    parse_protocol,
)

DEFAULT_TEXT = default_protocol_path().read_text(encoding="utf-8")
EMERGENCY_AT = DEFAULT_TEXT.index("[emergency]")
BEFORE, EMERGENCY = DEFAULT_TEXT[:EMERGENCY_AT], DEFAULT_TEXT[EMERGENCY_AT:]


def clinic(emergency_table: str) -> str:
    """The default protocol with its [emergency] table replaced by a clinic's."""
    return BEFORE + emergency_table


def test_every_sign_the_review_asked_for_is_listed() -> None:
    signs = " ".join(s.text.lower() for s in default_protocol().emergency.signs)
    for words in (
        "seizure",
        "fainting",
        "collapse",
        "stroke",
        "face droops",
        "arm is weak",
        "speech",
        "headache",
        "very high blood pressure",
        "throwing up while very sleepy",
        "hurting yourself",
        "chest pain",
        "breathing",
        "blue or grey lips",
        "cannot be woken",
        "swallowing",
        "blood in the urine",
    ):
        assert words in signs, words


def test_severe_side_effects_moved_to_the_side_effect_list_still_reach_help() -> None:
    p = default_protocol()
    for effect_id in ("cough", "urination", "dizziness"):
        assert p.side_effect(effect_id).severe_is_emergency, effect_id
    signs = {s.id: s.text.lower() for s in p.emergency.signs}
    assert all(w in signs["severe_side_effect"] for w in ("cough", "dizziness", "burning"))


def test_what_to_do_while_waiting_is_complete() -> None:
    steps = " ".join(s.text.lower() for s in default_protocol().emergency.while_waiting)
    for words in (
        "stay with them",
        "onto their side",
        "anything to eat or drink",
        "unlock the front door",
        "medicine and its label",
        "show this screen",
    ):
        assert words in steps, words


def test_the_monitor_call_key_is_named_in_the_protocol() -> None:
    assert default_protocol().emergency.monitor_call_key == "F2" == DEFAULT_MONITOR_CALL_KEY
    text = clinic(EMERGENCY.replace('monitor_call_key = "F2"', 'monitor_call_key = "F9"'))
    assert parse_protocol(text).emergency.monitor_call_key == "F9"
    text = clinic(EMERGENCY.replace('monitor_call_key = "F2"\n', ""))
    assert parse_protocol(text).emergency.monitor_call_key == "F2"


@pytest.mark.parametrize("key", ["F1", "F13", "Space", "Enter", "m", "Ctrl+F2", "F"])
def test_monitor_call_key_cannot_be_help_or_an_everyday_key(key: str) -> None:
    text = clinic(EMERGENCY.replace('monitor_call_key = "F2"', f'monitor_call_key = "{key}"'))
    with pytest.raises(ProtocolError) as info:
        parse_protocol(text)
    assert info.value.field == "emergency.monitor_call_key"
    assert "F2 to F12" in info.value.problem


def test_a_clinic_protocol_extends_the_list() -> None:
    table = (
        '[emergency]\nintro = "Call 112 now if you see any of these."\n\n'
        '[[emergency.signs]]\nid = "rash"\ntext = "A rash with swelling of the lips"\n\n'
        '[[emergency.while_waiting]]\nid = "clinic_card"\ntext = "Read out the clinic card."\n'
    )
    e = parse_protocol(clinic(table)).emergency
    core = core_emergency()
    assert e.signs[: len(core.signs)] == core.signs, "Companion's own signs come first"
    assert e.signs[-1].text == "A rash with swelling of the lips"
    assert e.while_waiting[: len(core.while_waiting)] == core.while_waiting
    assert e.while_waiting[-1].id == "clinic_card"
    assert e.added_by_clinic == ("rash", "clinic_card")
    assert e.intro == "Call 112 now if you see any of these."


def test_a_clinic_protocol_cannot_drop_the_signs() -> None:
    """A file with no signs at all still shows every one of Companion's own."""
    e = parse_protocol(clinic('[emergency]\nintro = "Call for help if you see:"\n')).emergency
    assert e.signs == core_emergency().signs and len(e.signs) >= 14
    assert e.while_waiting == core_emergency().while_waiting


def test_a_clinic_protocol_cannot_reword_a_sign() -> None:
    text = clinic(
        EMERGENCY.replace(
            'text.en = "Chest pain, pressure or tightness"',
            'text.en = "Chest pain lasting an hour"',
        )
    )
    with pytest.raises(ProtocolError) as info:
        parse_protocol(text)
    assert info.value.field == "emergency.signs[1].text"
    assert "cannot be changed" in info.value.problem


def test_a_sign_used_twice_is_refused() -> None:
    extra = '\n[[emergency.signs]]\nid = "rash"\ntext = "A rash"\n'
    with pytest.raises(ProtocolError, match="used twice"):
        parse_protocol(clinic(EMERGENCY + extra + extra))


def test_the_default_file_lists_each_sign_once() -> None:
    ids = re.findall(r'(?m)^id = "(\w+)"', EMERGENCY)
    assert len(ids) == len(set(ids))
