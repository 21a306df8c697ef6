"""The provider report as plain values: what the PDF shows, the FHIR bundle carries and the
preview lists, computed once from the exported records.

Pure: no Qt, no database. Times stay aware (UTC); formatting for people uses ``zone``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from companion.domain.scales import (
    GAD7,
    PHQ9,
    REMISSION_BASELINE_AT_LEAST,
    REMISSION_BELOW,
    RESPONSE_DROP,
    Change,
    Scale,
    change_from_baseline,
)
from companion.export.jsondoc import Records

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


def build_report(
    records: Records,
    *,
    generated_at: datetime,
    zone: tzinfo,
    range_from: date | None,
    range_to: date | None,
    parts: Sequence[str],
    effect_names: Mapping[str, str] | None = None,
    baselines: Mapping[str, Mapping[str, Any]] | None = None,
    session_numbers: Mapping[str, int],
) -> Report:
    """``baselines``: per questionnaire name, the baseline record from the whole history
    (with its ``answers``), as ``services.export.read_baselines`` finds it. Without it the
    baseline is looked for among ``records`` alone.

    ``session_numbers``: session id -> the number the patient sees everywhere else (Home, the
    Journal, Insights), by the one rule of ``services.planning.session_numbers`` over the whole
    vault. Never counted here: a report of March alone still calls March's first session
    "Session 5" when four came before it. A session without a number gets none (0)."""
    names = dict(effect_names or {})
    found = dict(baselines or {})
    profile = next(iter(records.get("profile", ())), None)
    by_session: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for kind in ("dose_log", "vital_reading", "monitor_checkin", "side_effect"):
        for row in records.get(kind, ()):
            if row.get("session_id") is not None:
                by_session[row["session_id"]][kind].append(row)
    sessions = sorted(records.get("session", ()), key=lambda r: (r["started_at"], r["id"]))
    summaries = tuple(
        _session(session_numbers.get(row["id"], 0), row, by_session.get(row["id"], {}), names)
        for row in sessions
    )
    first_session_at = summaries[0].started_at if summaries else None
    other = [r for r in records.get("vital_reading", ()) if r.get("session_id") is None]
    return Report(
        patient_name=str(profile["name"]) if profile else "",
        provider_name=str(profile["provider_name"]) if profile else "",
        provider_contact=str(profile["provider_contact"]) if profile else "",
        range_from=range_from,
        range_to=range_to,
        generated_at=generated_at,
        zone=zone,
        parts=tuple(parts),
        sessions=summaries,
        phq9=_scores(records, PHQ9, first_session_at, found.get(PHQ9.name)),
        gad7=_scores(records, GAD7, first_session_at, found.get(GAD7.name)),
        other_vitals=_vitals_sets(other),
        entries=_entries(records),
    )


def _session(
    number: int,
    row: Mapping[str, Any],
    children: Mapping[str, list[Mapping[str, Any]]],
    names: Mapping[str, str],
) -> SessionSummary:
    doses = sorted(children.get("dose_log", []), key=lambda d: d["taken_at"])
    dose = doses[0] if doses else None
    sets = _vitals_sets(children.get("vital_reading", []))
    before = [v for v in sets if v.phase == "before"]
    after = [v for v in sets if v.phase == "after"]
    effects = tuple(
        SideEffect(
            e["effect"],
            names.get(e["effect"], str(e["effect"]).replace("_", " ").capitalize()),
            e["severity"],
            e["note"],
            e["reported_at"],
        )
        for e in sorted(children.get("side_effect", []), key=lambda e: (e["reported_at"], e["id"]))
    )
    checkins = tuple(
        Checkin(
            c["at"], c["responsive"], c["breathing_ok"], c["nausea"], c["needs_help"], c["note"]
        )
        for c in sorted(children.get("monitor_checkin", []), key=lambda c: (c["at"], c["id"]))
    )
    return SessionSummary(
        id=row["id"],
        number=number,
        started_at=row["started_at"],
        status=row["status"],
        dose=", ".join(p for p in (dose["medicine"], dose["form"], dose["dose_text"]) if p)
        if dose
        else "",
        dose_taken_at=dose["taken_at"] if dose else None,
        vitals_before=before[-1] if before else None,
        vitals_after=after[-1] if after else None,
        side_effects=effects,
        mood_before=row["mood_before"],
        mood_after=row["mood_after"],
        recovered_at=row["recovered_at"],
        checkins=checkins,
    )


def _vitals_sets(rows: Sequence[Mapping[str, Any]]) -> tuple[VitalsSet, ...]:
    groups: dict[tuple[datetime, str], list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["taken_at"], r["phase"])].append(r)
    return tuple(
        VitalsSet(
            taken_at,
            phase,
            _mean([r["systolic"] for r in group]),
            _mean([r["diastolic"] for r in group]),
            _mean([r["pulse"] for r in group]),
            len(group),
        )
        for (taken_at, phase), group in sorted(groups.items())
    )


def _mean(values: Sequence[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _point(row: Mapping[str, Any], answers: Sequence[int]) -> ScorePoint:
    return ScorePoint(
        row["id"],
        row["taken_at"],
        row["total"],
        tuple(answers),
        bool(row["safety_flag"]),
        row["context"],
        row["session_id"],
    )


def _scores(
    records: Records,
    scale: Scale,
    first_session_at: datetime | None,
    whole_history_baseline: Mapping[str, Any] | None = None,
) -> ScoreSummary:
    items: dict[str, dict[int, int]] = defaultdict(dict)
    for item in records.get("assessment_item", ()):
        items[item["assessment_id"]][item["item_number"]] = item["answer"]
    points = tuple(
        _point(r, [v for _, v in sorted(items.get(r["id"], {}).items())])
        for r in sorted(records.get("assessment", ()), key=lambda r: (r["taken_at"], r["id"]))
        if r["instrument"] == scale.name
    )
    if not points:
        return ScoreSummary(scale, (), None, None, None)
    baseline = points[0]
    if whole_history_baseline is not None:
        baseline = _point(whole_history_baseline, whole_history_baseline.get("answers", ()))
    elif first_session_at is not None:
        before = [p for p in points if p.taken_at <= first_session_at]
        if before:
            baseline = before[-1]
    latest = points[-1]
    change = None
    if latest.id != baseline.id and latest.taken_at >= baseline.taken_at:
        change = change_from_baseline(scale, baseline.total, latest.total)
    return ScoreSummary(scale, points, baseline, latest, change)


def _entries(records: Records) -> tuple[EntryView, ...]:
    answers: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for a in records.get("journal_answer", ()):
        answers[a["entry_id"]].append(a)
    tag_names = {t["id"]: t["name"] for t in records.get("tag", ())}
    tags: dict[str, list[str]] = defaultdict(list)
    for link in records.get("entry_tag", ()):
        if link["tag_id"] in tag_names:
            tags[link["entry_id"]].append(tag_names[link["tag_id"]])
    return tuple(
        EntryView(
            id=e["id"],
            created_at=e["created_at"],
            kind=e["kind"],
            title=e["title"],
            body=e["body"],
            answers=tuple(
                (a["prompt_text"], a["answer"])
                for a in sorted(answers.get(e["id"], []), key=lambda a: a["position"])
            ),
            mood=e["mood"],
            tags=tuple(sorted(tags.get(e["id"], []))),
            shared=bool(e["shared_with_provider"]),
            session_id=e["session_id"],
        )
        for e in sorted(records.get("journal_entry", ()), key=lambda e: (e["created_at"], e["id"]))
    )
