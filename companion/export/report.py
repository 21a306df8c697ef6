"""The provider report, computed once from the exported records (``build_report``); its values
are in ``companion.export.report_model``.

Pure: no Qt, no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

from companion.domain.scales import (
    GAD7,
    PHQ9,
    Scale,
    change_from_baseline,
)
from companion.export.jsondoc import Records
from companion.export.report_model import (
    Checkin,
    EntryView,
    Report,
    ScorePoint,
    ScoreSummary,
    SessionSummary,
    SideEffect,
    VitalsSet,
)

# The export service asks for the report and its type here.
__all__ = ["Report", "build_report"]


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
    (with its ``answers``), as ``services.export_records.read_baselines`` finds it. Without it the
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
