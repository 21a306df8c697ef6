"""May the session start? The checklist, timing, fasting, health changes and vitals, together.

Every finding has a stable id and one of three levels:
- ``block``: the session cannot start (a required item unticked, a question unanswered, a
  stop-level reading, a "yes" to a stop-level health question);
- ``confirm``: the patient must acknowledge it first (a late start, too short a fast, a "yes"
  to a health-change question, a warn-level reading);
- ``info``: worth knowing (an advisory item unticked, a fast shorter than recommended).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from companion.domain.protocol import HealthQuestions, Preparation, Protocol
from companion.domain.vitals import VitalLevel, VitalsAssessment
from companion.i18n import _, format_number, format_time, n_

NIGHT_ENDS = time(5, 0)  # before this an early start is "night"; after it, "early"


class FindingLevel(StrEnum):
    INFO = "info"
    CONFIRM = "confirm"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class Finding:
    id: str  # "checklist:fasting", "timing:late", "fasting:short", "health:pregnancy", ...
    level: FindingLevel
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Readiness:
    findings: tuple[Finding, ...]

    def of_level(self, level: FindingLevel) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is level)

    @property
    def blocks(self) -> tuple[Finding, ...]:
        return self.of_level(FindingLevel.BLOCK)

    @property
    def to_confirm(self) -> tuple[Finding, ...]:
        return self.of_level(FindingLevel.CONFIRM)

    def unacknowledged(self, acknowledged: Collection[str] = ()) -> tuple[Finding, ...]:
        return tuple(f for f in self.to_confirm if f.id not in acknowledged)

    def can_start(self, acknowledged: Collection[str] = ()) -> bool:
        return not self.blocks and not self.unacknowledged(acknowledged)


def assess_readiness(
    protocol: Protocol,
    *,
    checked: Collection[str],
    health_answers: Mapping[str, bool | None],
    start_at: datetime,
    last_meal_at: datetime | None = None,
    vitals: VitalsAssessment | None = None,
    require_vitals: bool = True,
) -> Readiness:
    """All findings for starting at ``start_at`` (local, aware), blocks first."""
    findings = [
        *vitals_findings(vitals, required=require_vitals),
        *checklist_findings(protocol, checked),
        *health_findings(protocol.health, health_answers),
        *timing_findings(protocol.preparation, start_at),
        *fasting_findings(protocol.preparation, start_at, last_meal_at),
    ]
    order = {FindingLevel.BLOCK: 0, FindingLevel.CONFIRM: 1, FindingLevel.INFO: 2}
    return Readiness(tuple(sorted(findings, key=lambda f: order[f.level])))


def checklist_findings(protocol: Protocol, checked: Collection[str]) -> list[Finding]:
    findings = []
    for item in protocol.checklist:
        if item.id in checked:
            continue
        level = FindingLevel.BLOCK if item.required else FindingLevel.INFO
        findings.append(Finding(f"checklist:{item.id}", level, item.text, item.why))
    return findings


def timing_findings(prep: Preparation, start_at: datetime) -> list[Finding]:
    at = start_at.time().replace(tzinfo=None)
    if at > prep.latest_start:
        return [
            Finding(
                "timing:late",
                FindingLevel.CONFIRM,
                _("It is late for a session"),
                _(
                    "Your protocol suggests starting by {latest_start}. A late session can "
                    "disturb your sleep. Consider another day, or go on if your provider agrees."
                ).format(latest_start=format_time(prep.latest_start)),
            )
        ]
    if at < prep.earliest_start:
        night = at < NIGHT_ENDS
        return [
            Finding(
                "timing:early",
                FindingLevel.CONFIRM,
                "It is the middle of the night" if night else "It is early for a session",
                f"Your protocol suggests starting between {prep.earliest_start:%H:%M} and "
                f"{prep.latest_start:%H:%M}. "
                + (
                    "A session at night can disturb your sleep."
                    if night
                    else "A later start can help you feel rested."
                )
                + " Consider a later time, or go on if your provider agrees.",
            )
        ]
    return []


def fasting_findings(
    prep: Preparation, start_at: datetime, last_meal_at: datetime | None
) -> list[Finding]:
    if last_meal_at is None:
        return []  # the checklist's fasting item covers it
    if last_meal_at > start_at:
        raise ValueError("the last meal cannot be after the start")
    fasted = start_at - last_meal_at
    required = timedelta(hours=prep.fasting_hours)
    recommended = timedelta(hours=prep.recommended_fasting_hours)
    if fasted < required:
        ready = last_meal_at + required
        return [
            Finding(
                "fasting:short",
                FindingLevel.CONFIRM,
                _("Not long enough since your last meal"),
                _(
                    "You last ate {duration} ago. Your protocol asks for at least {hours} "
                    "without food, so nausea is less likely. You could wait until {ready}, or go "
                    "on if your provider agrees."
                ).format(
                    duration=_duration(fasted),
                    hours=_hours(prep.fasting_hours),
                    ready=format_time(ready),
                ),
            )
        ]
    if fasted < recommended:
        return [
            Finding(
                "fasting:below_recommended",
                FindingLevel.INFO,
                _("A little longer would be better"),
                _(
                    "You last ate {duration} ago. That is enough, though {hours} makes nausea "
                    "even less likely."
                ).format(duration=_duration(fasted), hours=_hours(prep.recommended_fasting_hours)),
            )
        ]
    return []


def health_findings(health: HealthQuestions, answers: Mapping[str, bool | None]) -> list[Finding]:
    findings = []
    for question in health.questions:
        answer = answers.get(question.id)
        if answer is None:
            findings.append(
                Finding(
                    f"health:{question.id}",
                    FindingLevel.BLOCK,
                    _("Please answer this question"),
                    question.text,
                )
            )
        elif answer and question.stop:  # cannot be acknowledged away by the patient
            findings.append(
                Finding(
                    f"health:{question.id}",
                    FindingLevel.BLOCK,
                    _("No session today"),
                    _("{text} You answered yes. {stop_notice}").format(
                        text=question.text, stop_notice=health.stop_notice
                    ),
                )
            )
        elif answer:
            findings.append(
                Finding(
                    f"health:{question.id}",
                    FindingLevel.CONFIRM,
                    _("Check with your provider first"),
                    _("{text} You answered yes. {notice}").format(
                        text=question.text, notice=health.notice
                    ),
                )
            )
    return findings


def vitals_findings(vitals: VitalsAssessment | None, *, required: bool = True) -> list[Finding]:
    if vitals is None:
        if not required:
            return []
        return [
            Finding(
                "vitals:missing",
                FindingLevel.BLOCK,
                _("Measure your blood pressure and pulse"),
                _(
                    "Your blood pressure and pulse decide whether today is a good day for a "
                    "session."
                ),
            )
        ]
    if vitals.level is VitalLevel.OK:
        return []
    if vitals.level is VitalLevel.STOP:
        return [Finding("vitals:stop", FindingLevel.BLOCK, _("No session today"), vitals.message)]
    return [Finding("vitals:warn", FindingLevel.CONFIRM, _("Please take note"), vitals.message)]


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if hours:
        return _("{hours} h").format(hours=hours)
    return _("{minutes} min").format(minutes=minutes)


def _hours(hours: float) -> str:
    if float(hours).is_integer():
        return n_("{n} hour", "{n} hours", int(hours))
    return _("{hours} hours").format(hours=format_number(hours, 1))
