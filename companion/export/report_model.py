"""The provider report as plain values: what the PDF shows, the FHIR bundle carries and the
preview lists. Built from the exported records by ``companion.export.report.build_report``.

Pure: no Qt, no database. Times stay aware (UTC); formatting for people uses ``zone``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from companion.domain.scales import (
    REMISSION_BASELINE_AT_LEAST,
    REMISSION_BELOW,
    RESPONSE_DROP,
    Change,
    Scale,
)

SEVERITY_ORDER = {"mild": 1, "moderate": 2, "severe": 3}


@dataclass(frozen=True, slots=True)
class VitalsSet:
    """Readings taken together (same instant and phase), averaged."""

    taken_at: datetime
    phase: str
    systolic: float | None
    diastolic: float | None
    pulse: float | None
    readings: int


@dataclass(frozen=True, slots=True)
class Checkin:
    at: datetime
    responsive: bool | None  # None: not asked by the protocol in use
    breathing_ok: bool | None
    nausea: bool | None
    needs_help: bool | None
    note: str

    @property
    def concerns(self) -> tuple[str, ...]:
        flags = {
            "not responsive": self.responsive is False,
            "breathing concern": self.breathing_ok is False,
            "nausea": self.nausea is True,
            "needed help": self.needs_help is True,
        }
        return tuple(name for name, worrying in flags.items() if worrying)

    @property
    def not_asked(self) -> tuple[str, ...]:
        items = {
            "responsive": self.responsive,
            "breathing": self.breathing_ok,
            "nausea": self.nausea,
            "needing help": self.needs_help,
        }
        return tuple(name for name, value in items.items() if value is None)


@dataclass(frozen=True, slots=True)
class SideEffect:
    effect: str
    name: str
    severity: str
    note: str
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class SessionSummary:
    id: str
    number: int  # the number the app shows (services.planning.session_numbers); 0 if none
    started_at: datetime
    status: str
    dose: str  # as logged, verbatim: "Ketamine, sublingual tablet, 100 mg"
    dose_taken_at: datetime | None
    vitals_before: VitalsSet | None
    vitals_after: VitalsSet | None
    side_effects: tuple[SideEffect, ...]
    mood_before: int | None
    mood_after: int | None
    recovered_at: datetime | None
    checkins: tuple[Checkin, ...]

    @property
    def minutes_to_recovery(self) -> float | None:
        """From the dose (or the start) to "I felt recovered"."""
        if self.recovered_at is None:
            return None
        since = self.dose_taken_at or self.started_at
        return max(0.0, (self.recovered_at - since).total_seconds() / 60)


@dataclass(frozen=True, slots=True)
class ScorePoint:
    id: str
    taken_at: datetime
    total: int
    answers: tuple[int, ...]
    safety_flag: bool
    context: str
    session_id: str | None


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """``baseline`` comes from the WHOLE history (the last score at or before the first
    session, else the first score), not from the chosen dates: a date-limited report gives
    the same verdict as the whole one. It may be earlier than every point of the period."""

    scale: Scale
    points: tuple[ScorePoint, ...]
    baseline: ScorePoint | None
    latest: ScorePoint | None
    change: Change | None

    @property
    def baseline_before_period(self) -> bool:
        return self.baseline is not None and all(p.id != self.baseline.id for p in self.points)

    @property
    def response_line(self) -> float | None:
        if self.baseline is None or self.baseline.total == 0:
            return None
        return self.baseline.total * (1 - RESPONSE_DROP)

    @property
    def remission_line(self) -> int | None:
        if self.baseline is None or self.baseline.total < REMISSION_BASELINE_AT_LEAST:
            return None
        return REMISSION_BELOW


@dataclass(frozen=True, slots=True)
class EntryView:
    id: str
    created_at: datetime
    kind: str
    title: str
    body: str
    answers: tuple[tuple[str, str], ...]  # (prompt, answer)
    mood: int | None
    tags: tuple[str, ...]
    shared: bool
    session_id: str | None


@dataclass(frozen=True, slots=True)
class Range:
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class BloodPressureRange:
    systolic: Range
    diastolic: Range
    sets: int


@dataclass(frozen=True, slots=True)
class SideEffectTotal:
    name: str
    count: int
    worst: str


@dataclass(frozen=True, slots=True)
class Report:
    patient_name: str
    provider_name: str
    provider_contact: str
    range_from: date | None
    range_to: date | None
    generated_at: datetime
    zone: tzinfo
    parts: tuple[str, ...]
    sessions: tuple[SessionSummary, ...]
    phq9: ScoreSummary
    gad7: ScoreSummary
    other_vitals: tuple[VitalsSet, ...]  # readings not taken in a session
    entries: tuple[EntryView, ...]

    @property
    def completed_sessions(self) -> int:
        return sum(1 for s in self.sessions if s.status == "completed")

    @property
    def item9_flags(self) -> tuple[ScorePoint, ...]:
        return tuple(p for p in self.phq9.points if p.safety_flag)

    def bp_range(self, phase: str) -> BloodPressureRange | None:
        sets = [
            v
            for s in self.sessions
            for v in (s.vitals_before if phase == "before" else s.vitals_after,)
            if v is not None and v.systolic is not None and v.diastolic is not None
        ]
        if not sets:
            return None
        sys_values = [v.systolic for v in sets if v.systolic is not None]
        dia_values = [v.diastolic for v in sets if v.diastolic is not None]
        return BloodPressureRange(
            Range(min(sys_values), max(sys_values)),
            Range(min(dia_values), max(dia_values)),
            len(sets),
        )

    def side_effect_totals(self) -> tuple[SideEffectTotal, ...]:
        counts: Counter[str] = Counter()
        worst: dict[str, str] = {}
        for s in self.sessions:
            for e in s.side_effects:
                counts[e.name] += 1
                if SEVERITY_ORDER.get(e.severity, 0) > SEVERITY_ORDER.get(worst.get(e.name, ""), 0):
                    worst[e.name] = e.severity
        return tuple(
            SideEffectTotal(name, n, worst.get(name, ""))
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)
