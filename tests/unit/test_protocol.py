"""The protocol file: the default loads, and every broken file is refused naming its field."""

from __future__ import annotations

import dataclasses
import re
from datetime import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.domain.protocol import (
    KNOWN_SCALES,
    Anchor,
    Cue,
    Level,
    PhaseId,
    Protocol,
    ProtocolError,
    Severity,
)
from companion.domain.scales import SCALES
from companion.errors import CompanionError
from companion.services.protocol_files import (
    default_protocol,
    load_protocol_file,
    parse_protocol,
)
from tests.support.protocol_text import DEFAULT_TEXT, mutate

FIXTURES = Path(__file__).parent / "protocols"


def refused(text: str) -> ProtocolError:
    with pytest.raises(ProtocolError) as info:
        parse_protocol(text)
    return info.value


# --------------------------------------------------------------------------------------------
# The default protocol


def test_default_protocol_loads_with_the_published_shape() -> None:
    p = default_protocol()
    assert p.cadence.sessions == 4 and p.cadence.interval_days == 7
    assert p.preparation.fasting_hours == 4
    assert p.preparation.recommended_fasting_hours == 6
    assert p.preparation.latest_start == time(20, 0)
    assert p.timeline.phase(PhaseId.HOLD).minutes == 15
    assert p.timeline.phase(PhaseId.JOURNEY).minutes == 60
    assert p.timeline.checkin.interval_minutes == 15
    assert p.aftercare.no_driving_hours == 6
    assert p.questionnaires.scales == ("phq9", "gad7")
    assert p.questionnaires.before_sessions == (1,)
    assert p.questionnaires.after_sessions == (2, 4)
    assert p.questionnaires.every_days_after == 14


def test_default_checklist_covers_the_preparation_guidance() -> None:
    ids = {item.id for item in default_protocol().checklist}
    assert ids == {
        "fasting",
        "schedule_cleared",
        "not_late",
        "monitor_present",
        "quiet_room",
        "mask_and_music",
        "do_not_disturb",
        "no_substances",
        "no_driving",
        "provider_informed",
    }
    for item in default_protocol().checklist:
        assert item.why.strip() and item.text.strip()
    required = {i.id for i in default_protocol().checklist if i.level is Level.REQUIRED}
    assert {"fasting", "monitor_present", "no_driving", "provider_informed"} <= required


def test_default_limits_and_prompts() -> None:
    p = default_protocol()
    assert (p.limits.systolic.warn, p.limits.systolic.stop) == (140, 160)
    assert (p.limits.diastolic.warn, p.limits.diastolic.stop) == (90, 100)
    assert (p.limits.pulse.warn, p.limits.pulse.stop) == (100, 120)
    assert p.limits.pulse.low_warn == 50 and p.limits.systolic.low_warn == 90
    assert "provider" in p.limits.note
    prompts = {pr.id: pr for pr in p.timeline.prompts}
    assert prompts["eye_mask"].phase is PhaseId.JOURNEY and prompts["eye_mask"].at_minutes == 0
    assert "eye mask" in prompts["eye_mask"].text
    assert (
        prompts["return"].text == "The music has ended. Slowly remove your eye mask; stay seated."
    )
    assert prompts["return"].cue is Cue.CHIME_AND_VOICE


def test_default_side_effects_and_emergency_signs_come_from_the_seeds() -> None:
    p = default_protocol()
    effects = {e.id: e for e in p.side_effects}
    for name in ("nausea", "dizziness", "vision", "drowsiness", "dysphoria", "confusion"):
        assert name in effects
    assert effects["confusion"].shows_emergency_card(Severity.SEVERE)
    assert not effects["confusion"].shows_emergency_card(Severity.MODERATE)
    assert not effects["nausea"].shows_emergency_card(Severity.SEVERE)
    assert p.side_effect("nausea").name == "Nausea"
    signs = " ".join(s.text.lower() for s in p.emergency.signs)
    for words in ("chest pain", "difficulty breathing", "blue", "confused", "blood in the urine"):
        assert words in signs


def test_the_protocol_never_holds_a_dose() -> None:
    def field_names(value: object) -> set[str]:
        names: set[str] = set()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                names.add(f.name)
                names |= field_names(getattr(value, f.name))
        elif isinstance(value, tuple):
            for v in value:
                names |= field_names(v)
        return names

    assert not any("dose" in name for name in field_names(default_protocol()))
    assert not re.search(r"^\s*\w*dose\w*\s*=", DEFAULT_TEXT, flags=re.MULTILINE)


def test_known_scales_match_the_scales_module() -> None:
    assert set(KNOWN_SCALES) == set(SCALES)


def test_health_questions_cover_the_issue() -> None:
    ids = {q.id for q in default_protocol().health.questions}
    assert ids == {
        "new_medicines",
        "substances",
        "pregnancy",
        "illness",
        "chest_pain",
        "heart_fainting",
    }
    stops = {q.id for q in default_protocol().health.questions if q.stop}
    assert stops == {"pregnancy", "chest_pain", "heart_fainting", "substances"}
    pregnancy = next(q for q in default_protocol().health.questions if q.id == "pregnancy")
    assert "breastfeeding" in pregnancy.text


def test_checkin_concerns() -> None:
    checkin = default_protocol().timeline.checkin
    concerns = checkin.concerns({"responsive": True, "breathing": False, "nausea": True})
    assert [c.id for c in concerns] == ["breathing", "nausea"]
    assert checkin.concerns({}) == ()


def test_with_hold_minutes_uses_the_prescription_and_keeps_prompts_inside() -> None:
    text = mutate(
        '[[timeline.prompts]]\nid = "hold_start"',
        '[[timeline.prompts]]\nid = "late_in_hold"\nphase = "hold"\nat_minutes = 12\n'
        'text = "Nearly there."\n\n[[timeline.prompts]]\nid = "hold_start"',
    )
    timeline = parse_protocol(text).timeline.with_hold_minutes(7)
    assert timeline.phase(PhaseId.HOLD).minutes == 7
    assert {p.id: p.at_minutes for p in timeline.prompts}["late_in_hold"] == 7
    assert timeline.planned_minutes == 5 + 7 + 60 + 15
    with pytest.raises(ValueError):
        timeline.with_hold_minutes(61)


def test_time_of_day_may_be_a_toml_local_time() -> None:
    p = parse_protocol(mutate('latest_start = "20:00"', "latest_start = 20:30:00"))
    assert p.preparation.latest_start == time(20, 30)


def test_optional_fields_take_their_defaults() -> None:
    text = mutate('cue = "chime_and_voice"\ntext = "The hold', 'text = "The hold')
    text = re.sub(r"(?m)^source\.\w+ = .*\n", "", text, count=2)
    text = re.sub(r"(?m)^min_days_between = .*\n", "", text, count=1)
    p = parse_protocol(text)
    prompt = {pr.id: pr for pr in p.timeline.prompts}["eye_mask"]
    assert prompt.cue is Cue.CHIME and prompt.anchor is Anchor.START
    assert p.info.source == "" and p.cadence.min_days_between == 0


def test_a_clinic_can_change_the_shape() -> None:
    text = mutate("sessions = 4", "sessions = 6")
    text = text.replace("interval_days = 7", "interval_days = 3", 1)
    text = text.replace("min_days_between = 5", "min_days_between = 2", 1)
    text = text.replace("after_sessions = [2, 4]", "after_sessions = [3, 6]", 1)
    text = text.replace("low_warn = 50\n", "", 1)
    text = text.replace('"Acomodarse"\nminutes = 5', '"Acomodarse"\nminutes = 0', 1)
    text = text.replace('phase = "settle"\nat_minutes = 5', 'phase = "settle"\nat_minutes = 0', 1)
    p = parse_protocol(text)
    assert p.cadence.sessions == 6 and p.questionnaires.after_sessions == (3, 6)
    assert p.limits.pulse.low_warn is None
    assert p.timeline.phase(PhaseId.SETTLE).minutes == 0


def test_fades_must_fit_in_the_journey() -> None:
    text = mutate("minutes = 60", "minutes = 10").replace(
        "fade_in_seconds = 45", "fade_in_seconds = 500", 1
    )
    error = refused(text)
    assert error.field == "timeline.journey.fade_out_seconds"
    assert "must fit in the journey (600 s)" in error.problem


def test_load_protocol_file_and_its_errors(tmp_path: Path) -> None:
    good = tmp_path / "clinic.toml"
    good.write_text(DEFAULT_TEXT, encoding="utf-8")
    assert isinstance(load_protocol_file(good), Protocol)
    with pytest.raises(ProtocolError) as missing:
        load_protocol_file(tmp_path / "absent.toml")
    assert missing.value.field == "file" and "could not be read" in missing.value.problem
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ProtocolError, match="file: is not UTF-8 text"):
        load_protocol_file(binary)


def test_protocol_error_is_a_plain_companion_error() -> None:
    error = ProtocolError("limits.systolic.stop", "must be greater than warn (140)")
    assert isinstance(error, CompanionError)
    assert str(error) == "limits.systolic.stop: must be greater than warn (140)"


# --------------------------------------------------------------------------------------------
# Broken files: each names the field and the problem


BROKEN = [
    # (old text, new text, field, words in the problem)
    ("stop = 160", "stop = 130", "limits.systolic.stop", "must be greater than warn (140)"),
    ("stop = 100", "stop = 90", "limits.diastolic.stop", "must be greater than warn (90)"),
    ("low_warn = 50", "low_warn = 100", "limits.pulse.low_warn", "must be less than warn (100)"),
    (
        "low_stop = 40",
        "low_stop = 55",
        "limits.pulse.low_stop",
        "must be less than low_warn (50)",
    ),
    ("warn = 140", "warn = 400", "limits.systolic.warn", "between 60 and 260 (it is 400)"),
    ("warn = 140", 'warn = "high"', "limits.systolic.warn", "must be a whole number (text found)"),
    ("warn = 140", "warn = 140.5", "limits.systolic.warn", "must be a whole number"),
    ("warn = 140\n", "", "limits.systolic.warn", "is missing"),
    ("sessions = 4", "sessions = 0", "cadence.sessions", "between 1 and 52 (it is 0)"),
    ("sessions = 4", "sessions = true", "cadence.sessions", "whole number (true/false found)"),
    (
        "interval_days = 7",
        "interval_dayz = 7",
        "cadence.interval_dayz",
        "not a known field (did you mean 'interval_days'?)",
    ),
    (
        "fasting_hours = 4",
        "fasting_hours = 30",
        "preparation.fasting_hours",
        "between 0 and 24 (it is 30)",
    ),
    (
        "recommended_fasting_hours = 6",
        "recommended_fasting_hours = 3",
        "preparation.recommended_fasting_hours",
        "at least fasting_hours (4)",
    ),
    ('latest_start = "20:00"', 'latest_start = "8pm"', "preparation.latest_start", 'like "20:00"'),
    (
        'latest_start = "20:00"',
        'latest_start = "06:00"',
        "preparation.latest_start",
        "later than earliest_start (07:00)",
    ),
    (
        'id = "no_driving"\nlevel = "required"',
        'id = "fasting"\nlevel = "required"',
        "checklist[9].id",
        "'fasting' is used twice (also in checklist[1])",
    ),
    (
        'level = "advisory"',
        'level = "optional"',
        "checklist[3].level",
        "must be one of 'required', 'advisory' ('optional' found)",
    ),
    (
        'why = "A late session can disturb your sleep."',
        'why = "  "',
        "checklist[3].why",
        "must not be empty",
    ),
    (
        'text = "My phone is on do not disturb."',
        'text = ""',
        "checklist[7].text",
        "must not be empty",
    ),
    ('id = "quiet_room"', 'id = "Quiet Room"', "checklist[5].id", "lowercase letter"),
    (
        "at_minutes = 10",
        "at_minutes = 20",
        "timeline.prompts[5].at_minutes",
        "within the return phase (0 to 15 minutes)",
    ),
    (
        'phase = "journey"\nat_minutes = 0',
        'phase = "after"\nat_minutes = 0',
        "timeline.prompts[3].phase",
        "must be one of 'settle', 'hold', 'journey', 'return'",
    ),
    (
        'cue = "chime"\ntext = "When you feel ready, sip',
        'cue = "bell"\ntext = "When you feel ready, sip',
        "timeline.prompts[5].cue",
        "'bell' found",
    ),
    ('id = "water"', 'id = "eye_mask"', "timeline.prompts[5].id", "used twice"),
    ("minutes = 60", "minutes = 5", "timeline.journey.minutes", "between 10 and 240 (it is 5)"),
    (
        "fade_out_seconds = 120",
        "fade_out_seconds = 3590",
        "timeline.journey.fade_out_seconds",
        "between 0 and 600",
    ),
    (
        "fade_in_seconds = 45",
        "fade_in_seconds = 45\nvolume = 1",
        "timeline.journey.volume",
        "not a known field",
    ),
    (
        "interval_minutes = 15",
        "interval_minutes = 0",
        "timeline.checkin.interval_minutes",
        "between 1 and 120 (it is 0)",
    ),
    (
        "concern_answer = false",
        'concern_answer = "no"',
        "timeline.checkin.items[1].concern_answer",
        "must be true or false (text found)",
    ),
    ("resume_grace_minutes = 120\n", "", "timeline.resume_grace_minutes", "is missing"),
    (
        'scales = ["phq9", "gad7"]',
        'scales = ["phq9", "beck"]',
        "questionnaires.scales[2]",
        "'beck' is not a known questionnaire",
    ),
    (
        'scales = ["phq9", "gad7"]',
        'scales = ["phq9", "phq9"]',
        "questionnaires.scales[2]",
        "used twice",
    ),
    (
        "after_sessions = [2, 4]",
        "after_sessions = [2, 5]",
        "questionnaires.after_sessions[2]",
        "session number from 1 to 4 (it is 5)",
    ),
    (
        "before_sessions = [1]",
        "before_sessions = 1",
        "questionnaires.before_sessions",
        "must be a list",
    ),
    (
        "every_days_after = 14",
        "every_days_after = -1",
        "questionnaires.every_days_after",
        "between 0 and 365",
    ),
    (
        "no_driving_hours = 6",
        "no_driving_hours = 0",
        "aftercare.no_driving_hours",
        "between 1 and 48",
    ),
    ('notice = "Because', 'notes = "Because', "health.notes", "did you mean 'notice'?"),
    (
        "severe_is_emergency = false",
        "severe_is_emergency = 0",
        "side_effects[1].severe_is_emergency",
        "true or false",
    ),
    (
        'id = "nausea"\nname = "Nausea"',
        'id = "dissociation"\nname = "Nausea"',
        "side_effects[2].id",
        "used twice",
    ),
    (
        'intro = "Call your emergency number now if you see any of these."',
        'intro = ""',
        "emergency.intro",
        "must not be empty",
    ),
    ("format = 1", "format = 2", "protocol.format", "reads format 1 (the file says 2)"),
    ('id = "companion-default"', 'id = "Companion Default"', "protocol.id", "lowercase"),
    ('version = "1"', "version = 1", "protocol.version", "must be text in quotes (a number found)"),
    ("[cadence]", "[cadence]\ndose_mg = 50", "cadence.dose_mg", "never holds a dose"),
    ("[limits]\n", "[limits]\nunits = 'mmHg'\n", "limits.units", "not a known field"),
]


@pytest.mark.parametrize(("old", "new", "field", "problem"), BROKEN)
def test_broken_values_are_refused_naming_the_field(
    old: str, new: str, field: str, problem: str
) -> None:
    error = refused(mutate(old, new))
    assert error.field == field, str(error)
    assert problem in error.problem, str(error)
    assert str(error).startswith(f"{field}: ")


def _fixture_cases() -> list[tuple[str, str, str]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.toml")):
        header = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.match(r"# expect: (\S+) :: (.+)$", header)
        assert match, f"{path.name} needs an '# expect: field :: problem' first line"
        cases.append((path.name, match.group(1), match.group(2)))
    return cases


@pytest.mark.parametrize(("name", "field", "problem"), _fixture_cases())
def test_broken_fixture_files_are_refused(name: str, field: str, problem: str) -> None:
    with pytest.raises(ProtocolError) as info:
        load_protocol_file(FIXTURES / name)
    assert info.value.field == field, str(info.value)
    assert problem in info.value.problem, str(info.value)


def test_there_are_several_broken_fixture_files() -> None:
    assert len(_fixture_cases()) >= 8


def test_a_section_of_the_wrong_type() -> None:
    start = DEFAULT_TEXT.index("[cadence]")
    end = DEFAULT_TEXT.index("[preparation]")
    error = refused("cadence = 4\n" + DEFAULT_TEXT[:start] + DEFAULT_TEXT[end:])
    assert (error.field, error.problem) == ("cadence", "must be a section ([cadence])")


def test_an_empty_list_of_entries() -> None:
    start = DEFAULT_TEXT.index("[[side_effects]]")
    end = DEFAULT_TEXT.index("# -----", start)
    # A plain key must come before any [table] in TOML, so the empty list goes at the top.
    error = refused("side_effects = []\n" + DEFAULT_TEXT[:start] + DEFAULT_TEXT[end:])
    assert (error.field, error.problem) == ("side_effects", "must have at least one entry")


def test_entries_must_be_tables() -> None:
    text = re.sub(r"\[\[checklist\]\][^\[]*", "", DEFAULT_TEXT)
    error = refused("checklist = [1, 2]\n" + text)
    assert error.field == "checklist" and "list of [[checklist]] entries" in error.problem


# --------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_loads_or_is_refused_with_a_protocol_error(text: str) -> None:
    try:
        parse_protocol(text)
    except ProtocolError as error:
        assert error.field and error.problem


_NUMBERS = [m for m in re.finditer(r"(?m)^(\w+) = (-?\d+(?:\.\d+)?)$", DEFAULT_TEXT)]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_NUMBERS),
    st.one_of(
        st.integers(-10_000, 10_000).map(str),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
        st.sampled_from(['"x"', "true", "[]", "nan", "inf", "{}"]),
    ),
)
def test_any_number_changed_loads_or_names_that_field(match: re.Match[str], value: str) -> None:
    text = DEFAULT_TEXT[: match.start(2)] + value + DEFAULT_TEXT[match.end(2) :]
    try:
        parse_protocol(text)
    except ProtocolError as error:
        # The message names a field (a dotted path); the changed key is often the one named.
        assert re.match(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*$", error.field), error.field
