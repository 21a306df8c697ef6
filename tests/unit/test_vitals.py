"""Blood pressure and pulse against the provider's limits, at every boundary."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.domain.protocol import VitalLimit
from companion.domain.vitals import (
    Context,
    Reading,
    ReadingError,
    VitalLevel,
    assess_vitals,
    classify,
    mean_reading,
)
from companion.errors import CompanionError
from companion.i18n import format_time
from companion.services.protocol_files import default_protocol

LIMITS = default_protocol().limits
CALM = Reading(120, 80, 70)


def level_of(reading: Reading) -> VitalLevel:
    return assess_vitals(LIMITS, reading).level


@pytest.mark.parametrize(
    ("systolic", "level"),
    [
        (89, VitalLevel.WARN),
        (90, VitalLevel.WARN),  # low_warn: at or below
        (91, VitalLevel.OK),
        (139, VitalLevel.OK),
        (140, VitalLevel.WARN),  # warn: at or above
        (159, VitalLevel.WARN),
        (160, VitalLevel.STOP),  # stop: at or above
        (200, VitalLevel.STOP),
    ],
)
def test_systolic_boundaries(systolic: int, level: VitalLevel) -> None:
    assert level_of(Reading(systolic, 70, 70)) is level


@pytest.mark.parametrize(
    ("diastolic", "level"),
    [
        (60, VitalLevel.WARN),
        (61, VitalLevel.OK),
        (89, VitalLevel.OK),
        (90, VitalLevel.WARN),
        (99, VitalLevel.WARN),
        (100, VitalLevel.STOP),
    ],
)
def test_diastolic_boundaries(diastolic: int, level: VitalLevel) -> None:
    assert level_of(Reading(130, diastolic, 70)) is level


@pytest.mark.parametrize(
    ("pulse", "level"),
    [
        (50, VitalLevel.WARN),
        (51, VitalLevel.OK),
        (99, VitalLevel.OK),
        (100, VitalLevel.WARN),
        (119, VitalLevel.WARN),
        (120, VitalLevel.STOP),
    ],
)
def test_pulse_boundaries(pulse: int, level: VitalLevel) -> None:
    assert level_of(Reading(120, 80, pulse)) is level


def test_low_stop_when_the_provider_sets_one() -> None:
    limit = VitalLimit(warn=100, stop=120, low_warn=50, low_stop=40)
    assert classify(40, limit) == (VitalLevel.STOP, True, 40)
    assert classify(41, limit) == (VitalLevel.WARN, True, 50)
    assert classify(120, limit) == (VitalLevel.STOP, False, 120)
    assert classify(75, limit) == (VitalLevel.OK, False, None)


def test_a_calm_reading_is_ok() -> None:
    result = assess_vitals(LIMITS, CALM)
    assert result.level is VitalLevel.OK and result.can_start and not result.must_acknowledge
    assert result.message == "Your blood pressure and pulse are within Companion's default limits."


def test_the_mean_of_two_readings_is_classified() -> None:
    result = assess_vitals(LIMITS, [Reading(150, 95, 80), Reading(130, 85, 70)])
    assert result.reading == Reading(140, 90, 75)
    assert result.level is VitalLevel.WARN and result.readings_count == 2
    just_under = assess_vitals(LIMITS, [Reading(139, 80), Reading(140, 80)])
    assert just_under.reading.systolic == 139.5 and just_under.level is VitalLevel.OK


def test_the_worst_measure_decides() -> None:
    result = assess_vitals(LIMITS, Reading(145, 80, 125))
    assert result.level is VitalLevel.STOP
    assert {f.measure: f.level for f in result.findings} == {
        "systolic": VitalLevel.WARN,
        "diastolic": VitalLevel.OK,
        "pulse": VitalLevel.STOP,
    }


def test_pulse_may_be_left_out() -> None:
    result = assess_vitals(LIMITS, Reading(120, 80))
    assert [f.measure for f in result.findings] == ["systolic", "diastolic"]
    assert mean_reading([Reading(120, 80), Reading(124, 82, 70)]).pulse == 70


def test_warn_asks_to_take_note() -> None:
    result = assess_vitals(LIMITS, Reading(142, 80, 70))
    assert result.must_acknowledge and result.can_start
    assert "142 mmHg" in result.message and "(140)" in result.message
    assert "You can go on" in result.message


def test_stop_before_a_session_says_what_to_tell_the_provider() -> None:
    result = assess_vitals(
        LIMITS,
        [Reading(166, 96, 88), Reading(164, 94, 86)],
        taken_at=datetime(2026, 3, 2, 17, 5),
    )
    assert not result.can_start
    assert "do not take your dose today" in result.message
    assert "Call your provider" in result.message
    assert result.provider_message == (
        "Before my ketamine session today my blood pressure was 165/95 mmHg and my pulse 87 beats "
        f"per minute (the average of 2 readings, at {format_time(time(17, 5))}). That reaches "
        "the limits you set "
        "(systolic stop level 160; diastolic warn level 90). I have not taken my dose."
    )


def test_stop_after_a_session_says_call_now() -> None:
    result = assess_vitals(LIMITS, Reading(170, 90, 80), context=Context.AFTER)
    assert "Call your provider now" in result.message
    assert "emergency number" in result.message
    assert result.provider_message.startswith("After my ketamine session today")
    assert "I have not taken my dose" not in result.provider_message


def test_low_values_are_described_as_low() -> None:
    result = assess_vitals(LIMITS, Reading(88, 58, 48))
    assert result.level is VitalLevel.WARN
    assert "at or below" in result.message
    assert "pulse low warn level 50" in result.provider_message


@pytest.mark.parametrize(
    "reading",
    [Reading(30, 20), Reading(400, 80), Reading(120, 10), Reading(120, 80, 300), Reading(80, 90)],
)
def test_mistyped_readings_are_refused_plainly(reading: Reading) -> None:
    with pytest.raises(ReadingError) as info:
        assess_vitals(LIMITS, reading)
    assert isinstance(info.value, CompanionError) and isinstance(info.value, ValueError)
    assert "check" in str(info.value)


def test_no_readings_is_refused() -> None:
    with pytest.raises(ReadingError, match="at least one"):
        assess_vitals(LIMITS, [])


@given(st.integers(60, 259), st.integers(30, 59), st.integers(20, 249))
def test_levels_follow_the_definition(systolic: int, diastolic: int, pulse: int) -> None:
    result = assess_vitals(LIMITS, Reading(systolic, diastolic, pulse))
    expected = VitalLevel.OK
    for value, limit in (
        (systolic, LIMITS.systolic),
        (diastolic, LIMITS.diastolic),
        (pulse, LIMITS.pulse),
    ):
        if value >= limit.stop or (limit.low_stop is not None and value <= limit.low_stop):
            expected = VitalLevel.STOP
        elif (value >= limit.warn or (limit.low_warn is not None and value <= limit.low_warn)) and (
            expected is VitalLevel.OK
        ):
            expected = VitalLevel.WARN
    assert result.level is expected
