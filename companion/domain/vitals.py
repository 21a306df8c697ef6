"""Blood pressure and pulse against the protocol's limits: ok, warn (take note) or stop.

A high level applies at or above its number, a low level at or below it. With two readings the
mean is classified, but a stop-level single reading is never averaged away: the set is "stop".
Before a session, "stop" means no session today; after the dose, it opens the emergency
guidance. A stop stands for the day (``standing_stop``). Numbers that are possible but very
unlikely ask "please check" first (``ReadingNeedsCheckError``) and are used once confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from companion.domain.protocol import Limits, VitalLimit
from companion.errors import InvalidInputError
from companion.i18n import N_, _, format_number, format_time, n_

PLAUSIBLE = {"systolic": (50, 300), "diastolic": (20, 200), "pulse": (20, 250)}
# "Your {measure} is {value} {unit}." per measure: the unit after the number.
_YOUR_VALUE = {
    "systolic": N_("Your top blood pressure number is {value} mmHg."),
    "diastolic": N_("Your bottom blood pressure number is {value} mmHg."),
    "pulse": N_("Your pulse is {value} beats per minute."),
}
# Which line the number crossed, by (stop?, low?, the provider's limits?).
_CROSSED = {
    (True, False, True): N_(
        "That is at or above the stop line ({limit}) in your provider's limits."
    ),
    (True, True, True): N_(
        "That is at or below the stop line ({limit}) in your provider's limits."
    ),
    (False, False, True): N_(
        "That is at or above the warning line ({limit}) in your provider's limits."
    ),
    (False, True, True): N_(
        "That is at or below the warning line ({limit}) in your provider's limits."
    ),
    (True, False, False): N_(
        "That is at or above the stop line ({limit}) in Companion's default limits."
    ),
    (True, True, False): N_(
        "That is at or below the stop line ({limit}) in Companion's default limits."
    ),
    (False, False, False): N_(
        "That is at or above the warning line ({limit}) in Companion's default limits."
    ),
    (False, True, False): N_(
        "That is at or below the warning line ({limit}) in Companion's default limits."
    ),
}
_MISTYPED = {
    "systolic": N_(
        "The top (systolic) blood pressure of {value} looks mistyped; please check it "
        "(expected {low} to {high})."
    ),
    "diastolic": N_(
        "The bottom (diastolic) blood pressure of {value} looks mistyped; please check it "
        "(expected {low} to {high})."
    ),
    "pulse": N_("The pulse of {value} looks mistyped; please check it (expected {low} to {high})."),
}
_UNUSUAL = {
    "systolic": N_("The top (systolic) blood pressure of {value} is very unusual."),
    "diastolic": N_("The bottom (diastolic) blood pressure of {value} is very unusual."),
    "pulse": N_("The pulse of {value} is very unusual."),
}


# Possible but very unlikely at rest: asked "please check" before use.
LIKELY = {"systolic": (70, 250), "diastolic": (40, 150), "pulse": (35, 180)}
MIN_PULSE_PRESSURE = 15  # top minus bottom; less is very unlikely
MAX_PULSE_PRESSURE = 130


class ReadingError(InvalidInputError, ValueError):
    """A reading that is very likely mistyped; the message says which number and why."""


class ReadingNeedsCheckError(ReadingError):
    """Possible, but unlikely: the patient is asked to check and confirm before it is used."""


class VitalLevel(StrEnum):
    OK = "ok"
    WARN = "warn"  # the patient must acknowledge before going on
    STOP = "stop"  # before: the session cannot start; after: call the provider

    @property
    def rank(self) -> int:
        return (VitalLevel.OK, VitalLevel.WARN, VitalLevel.STOP).index(self)


class Context(StrEnum):
    BEFORE = "before"
    AFTER = "after"


@dataclass(frozen=True, slots=True)
class Reading:
    systolic: float
    diastolic: float
    pulse: float | None = None


@dataclass(frozen=True, slots=True)
class MeasureFinding:
    measure: str  # "systolic", "diastolic" or "pulse"
    value: float
    level: VitalLevel
    low: bool  # True when the value is too low rather than too high
    limit: int | None  # the level that was reached


@dataclass(frozen=True, slots=True)
class VitalsAssessment:
    reading: Reading  # the mean when two or more readings were given
    readings_count: int
    context: Context
    level: VitalLevel  # the worst of the findings
    findings: tuple[MeasureFinding, ...]  # one per measure that was given
    message: str  # for the patient, calm and plain
    provider_message: str  # what to tell the provider, ready to read out or send

    @property
    def can_start(self) -> bool:
        return self.level is not VitalLevel.STOP

    @property
    def must_acknowledge(self) -> bool:
        return self.level is VitalLevel.WARN


def check_reading(reading: Reading) -> None:
    """Raises ``ReadingError`` for numbers that cannot be a real reading."""
    if (outside := _first_outside(reading, PLAUSIBLE)) is not None:
        measure, value, (lo, hi) = outside
        raise ReadingError(_MISTYPED[measure], value=_fmt(value), low=_fmt(lo), high=_fmt(hi))
    if reading.diastolic >= reading.systolic:
        raise ReadingError(
            N_("The bottom number should be lower than the top number; please check the reading.")
        )


def unlikely_reason(reading: Reading) -> str | None:
    """Why a possible reading looks unlikely (ask "please check"), or None."""
    if (outside := _first_outside(reading, LIKELY)) is not None:
        measure, value, _range = outside
        return _(_UNUSUAL[measure]).format(value=_fmt(value))
    gap = reading.systolic - reading.diastolic
    if not MIN_PULSE_PRESSURE <= gap <= MAX_PULSE_PRESSURE:
        return _(
            "{top}/{bottom} is very unusual: the two numbers are too close or too far apart."
        ).format(top=_fmt(reading.systolic), bottom=_fmt(reading.diastolic))
    return None


def check_likely(readings: Sequence[Reading]) -> None:
    """Raises ``ReadingNeedsCheckError`` for the first unlikely reading."""
    for reading in readings:
        reason = unlikely_reason(reading)
        if reason is not None:
            raise ReadingNeedsCheckError(
                N_(
                    "{reason} Please check the numbers on your monitor. If they are right, "
                    "confirm them and they will be used."
                ),
                reason=reason,
            )


def mean_reading(readings: Sequence[Reading]) -> Reading:
    if not readings:
        raise ReadingError(N_("Enter at least one reading."))
    for reading in readings:
        check_reading(reading)
    pulses = [r.pulse for r in readings if r.pulse is not None]
    return Reading(
        systolic=sum(r.systolic for r in readings) / len(readings),
        diastolic=sum(r.diastolic for r in readings) / len(readings),
        pulse=sum(pulses) / len(pulses) if pulses else None,
    )


def classify(value: float, limit: VitalLimit) -> tuple[VitalLevel, bool, int | None]:
    """(level, too low?, the level reached) for one value."""
    if value >= limit.stop:
        return VitalLevel.STOP, False, limit.stop
    if limit.low_stop is not None and value <= limit.low_stop:
        return VitalLevel.STOP, True, limit.low_stop
    if value >= limit.warn:
        return VitalLevel.WARN, False, limit.warn
    if limit.low_warn is not None and value <= limit.low_warn:
        return VitalLevel.WARN, True, limit.low_warn
    return VitalLevel.OK, False, None


def assess_vitals(
    limits: Limits,
    readings: Reading | Sequence[Reading],
    *,
    context: Context = Context.BEFORE,
    taken_at: datetime | None = None,
    confirmed: bool = True,
) -> VitalsAssessment:
    """The level of one set. ``confirmed=False`` asks "please check" for unlikely numbers."""
    given = [readings] if isinstance(readings, Reading) else list(readings)
    reading = mean_reading(given)
    if not confirmed:
        check_likely(given)
    findings = _findings(limits, reading)
    if len(given) > 1:  # a stop-level single reading is never averaged away
        for single in given:
            for f in _findings(limits, single):
                if f.level is VitalLevel.STOP and not any(
                    g.measure == f.measure and g.level is VitalLevel.STOP for g in findings
                ):
                    findings = [g for g in findings if g.measure != f.measure] + [f]
    worst = max((f.level for f in findings), key=lambda lv: lv.rank)
    return VitalsAssessment(
        reading=reading,
        readings_count=len(given),
        context=context,
        level=worst,
        findings=tuple(findings),
        message=_patient_message(worst, findings, context, limits.by_provider),
        provider_message=_provider_message(reading, len(given), findings, context, taken_at),
    )


def standing_stop(assessment: VitalsAssessment) -> VitalsAssessment:
    """A new set taken on a day that already had a stop-level reading: the stop stands."""
    if assessment.level is VitalLevel.STOP:
        return assessment
    if assessment.context is Context.BEFORE:
        text = _(
            "An earlier reading today reached a stop level, and it still stands. There is no "
            "session today, even if this reading is lower. Please call your provider."
        )
    else:
        text = _(
            "An earlier reading today reached a stop level, and it still stands. Please call "
            "your provider now. If you feel very unwell, call your emergency number."
        )
    return replace(assessment, level=VitalLevel.STOP, message=text)


def _findings(limits: Limits, reading: Reading) -> list[MeasureFinding]:
    return [
        MeasureFinding(measure, value, *classify(value, _limit(limits, measure)))
        for measure, value in _given(reading)
    ]


def _patient_message(
    level: VitalLevel, findings: Sequence[MeasureFinding], context: Context, by_provider: bool
) -> str:
    if level is VitalLevel.OK:
        if by_provider:
            return _("Your blood pressure and pulse are within your provider's limits.")
        return _("Your blood pressure and pulse are within Companion's default limits.")
    reached = [f for f in findings if f.level is level]
    details = " ".join(_describe(f, by_provider) for f in reached)
    if level is VitalLevel.WARN and context is Context.BEFORE:
        advice = _(
            "You can go on, but please take note. Rest quietly for five minutes, then measure "
            "again. This often helps. Tell your provider about it."
        )
    elif level is VitalLevel.WARN:
        advice = _(
            "Stay seated and rest. Measure again in 15 minutes. If it is still the same, call "
            "your provider."
        )
    elif context is Context.BEFORE:
        advice = _(
            "Please do not take your dose today. Call your provider and tell them the numbers. "
            "The words below are ready to read out."
        )
    else:
        advice = _(
            "This needs help now. Call your provider now and tell them the numbers. If you "
            "cannot reach them, or if there is chest pain, fainting or trouble breathing, call "
            "your emergency number."
        )
    return f"{details} {advice}"


def _describe(f: MeasureFinding, by_provider: bool) -> str:
    """One plain sentence pair per number: what it is, and which line it crossed."""
    value = _(_YOUR_VALUE[f.measure]).format(value=_fmt(f.value))
    crossed = _(_CROSSED[(f.level is VitalLevel.STOP, f.low, by_provider)])
    return f"{value} {crossed.format(limit=_fmt(f.limit or 0))}"


_LEVEL_REACHED = {
    ("systolic", False, VitalLevel.WARN): N_("systolic warn level {limit}"),
    ("systolic", False, VitalLevel.STOP): N_("systolic stop level {limit}"),
    ("systolic", True, VitalLevel.WARN): N_("systolic low warn level {limit}"),
    ("systolic", True, VitalLevel.STOP): N_("systolic low stop level {limit}"),
    ("diastolic", False, VitalLevel.WARN): N_("diastolic warn level {limit}"),
    ("diastolic", False, VitalLevel.STOP): N_("diastolic stop level {limit}"),
    ("diastolic", True, VitalLevel.WARN): N_("diastolic low warn level {limit}"),
    ("diastolic", True, VitalLevel.STOP): N_("diastolic low stop level {limit}"),
    ("pulse", False, VitalLevel.WARN): N_("pulse warn level {limit}"),
    ("pulse", False, VitalLevel.STOP): N_("pulse stop level {limit}"),
    ("pulse", True, VitalLevel.WARN): N_("pulse low warn level {limit}"),
    ("pulse", True, VitalLevel.STOP): N_("pulse low stop level {limit}"),
}


def _provider_message(
    reading: Reading,
    count: int,
    findings: Sequence[MeasureFinding],
    context: Context,
    taken_at: datetime | None,
) -> str:
    """What the patient reads out to the provider, in the patient's language."""
    values = {"top": _fmt(reading.systolic), "bottom": _fmt(reading.diastolic)}
    before = context is Context.BEFORE
    if reading.pulse is None:
        text = (
            _("Before my ketamine session today my blood pressure was {top}/{bottom} mmHg")
            if before
            else _("After my ketamine session today my blood pressure was {top}/{bottom} mmHg")
        ).format(**values)
    else:
        text = (
            _(
                "Before my ketamine session today my blood pressure was {top}/{bottom} mmHg "
                "and my pulse {pulse} beats per minute"
            )
            if before
            else _(
                "After my ketamine session today my blood pressure was {top}/{bottom} mmHg "
                "and my pulse {pulse} beats per minute"
            )
        ).format(pulse=_fmt(reading.pulse), **values)
    notes = []
    if count > 1:
        notes.append(n_("the average of {n} reading", "the average of {n} readings", count))
    if taken_at is not None:
        notes.append(_("at {time}").format(time=format_time(taken_at)))
    if notes:
        text += f" ({', '.join(notes)})"
    text += "."
    flagged = [f for f in findings if f.level is not VitalLevel.OK]
    if flagged:
        parts = [
            _(_LEVEL_REACHED[(f.measure, f.low, f.level)]).format(limit=_fmt(f.limit or 0))
            for f in flagged
        ]
        text += " " + _("That reaches the limits you set ({levels}).").format(
            levels="; ".join(parts)
        )
    if context is Context.BEFORE and any(f.level is VitalLevel.STOP for f in findings):
        text += " " + _("I have not taken my dose.")
    return text


# --------------------------------------------------------------------------------------------
# One rule for every measure: the tables above say what differs between them.


def _given(reading: Reading) -> list[tuple[str, float]]:
    """(measure, value) for each measure the reading has: systolic, diastolic, then pulse."""
    values = {"systolic": reading.systolic, "diastolic": reading.diastolic, "pulse": reading.pulse}
    return [(measure, value) for measure, value in values.items() if value is not None]


def _limit(limits: Limits, measure: str) -> VitalLimit:
    return {"systolic": limits.systolic, "diastolic": limits.diastolic, "pulse": limits.pulse}[
        measure
    ]


def _first_outside(
    reading: Reading, ranges: Mapping[str, tuple[int, int]]
) -> tuple[str, float, tuple[int, int]] | None:
    """The first given measure whose value is outside its (low, high) in ``ranges``."""
    for measure, value in _given(reading):
        lo, hi = ranges[measure]
        if not lo <= value <= hi:
            return measure, value, (lo, hi)
    return None


def _fmt(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)
