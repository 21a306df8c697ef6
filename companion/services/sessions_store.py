"""Writes and lookups inside one session's transaction, for ``SessionService``.

Each function takes the caller's database session; the caller owns the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from companion.domain import session_core as core
from companion.domain.checklist import Finding
from companion.domain.protocol import Protocol
from companion.domain.session_core import AfterStatus, contact_text
from companion.domain.vitals import Context, Reading, VitalLevel, VitalsAssessment, assess_vitals
from companion.services.sessions_model import (
    CheckinFacts,
    DoseFacts,
    ReadinessResult,
    SessionEventKind,
    SessionState,
    SideEffectFacts,
)
from companion.services.sessions_read import (
    active_prescription,
    answers_of,
    as_prescription,
    events_of,
    vitals_of,
)
from companion.services.sessions_rules import assess_start
from companion.storage.models import (
    AssessmentRow,
    ChecklistAnswerRow,
    DoseLogRow,
    MonitorCheckinRow,
    PrescriptionRow,
    ProfileRow,
    SessionEventRow,
    SessionRow,
    SideEffectRow,
    VitalReadingRow,
)

_TIMELINE_CUES = (SessionEventKind.PHASE, SessionEventKind.PROMPT)


def in_progress() -> ColumnElement[bool]:
    return SessionRow.status == SessionState.IN_PROGRESS.value


def add_event(
    db: Session,
    session_id: str,
    kind: SessionEventKind,
    detail: Mapping[str, object],
    at: datetime,
) -> None:
    db.add(
        SessionEventRow(
            session_id=session_id,
            kind=kind.value,
            at=at,
            detail=json.dumps(dict(detail), sort_keys=True, separators=(",", ":")),
        )
    )
    db.flush()  # in insertion (rowid) order, which breaks ties between events at one instant


def upsert_answers(db: Session, session_id: str, answers: Mapping[str, str], at: datetime) -> None:
    """One row per item: a changed answer replaces the earlier one (with the new time)."""
    existing = {
        r.item_id: r
        for r in db.scalars(
            select(ChecklistAnswerRow).where(
                ChecklistAnswerRow.session_id == session_id,
                ChecklistAnswerRow.item_id.in_(list(answers)),
            )
        )
    }
    for item_id, answer in answers.items():
        row = existing.get(item_id)
        if row is None:
            db.add(
                ChecklistAnswerRow(
                    session_id=session_id, item_id=item_id, answer=answer, answered_at=at
                )
            )
        elif row.answer != answer:
            row.answer, row.answered_at = answer, at


def settle_started(db: Session, session_id: str) -> bool:
    found = db.scalar(
        select(SessionEventRow.id)
        .where(
            SessionEventRow.session_id == session_id,
            SessionEventRow.kind == SessionEventKind.SETTLE_STARTED.value,
        )
        .limit(1)
    )
    return found is not None


def is_paused(db: Session, session_id: str) -> bool:
    changes = [
        e.kind
        for e in events_of(db, session_id)
        if e.kind in (SessionEventKind.PAUSE, SessionEventKind.RESUME)
    ]
    return bool(changes) and changes[-1] is SessionEventKind.PAUSE


def fired_ids(db: Session, session_id: str) -> set[str]:
    """Timeline events already recorded as shown (phases and cues)."""
    return {
        str(e.detail["event_id"])
        for e in events_of(db, session_id)
        if e.kind in _TIMELINE_CUES and "event_id" in e.detail
    }


def add_vitals(
    db: Session,
    session_id: str,
    context: Context,
    readings: Sequence[Reading],
    assessment: VitalsAssessment,
    *,
    acknowledged: bool,
    at: datetime,
) -> None:
    """One row per reading; each carries the level of the set (the mean), which decided."""
    for r in readings:
        db.add(
            VitalReadingRow(
                session_id=session_id,
                phase=Context(context).value,
                taken_at=at,
                systolic=round(r.systolic),
                diastolic=round(r.diastolic),
                pulse=None if r.pulse is None else round(r.pulse),
                classification=assessment.level.value,
                acknowledged=acknowledged,
            )
        )


def acknowledge_latest_vitals(db: Session, session_id: str, context: Context) -> bool:
    rows = db.scalars(
        select(VitalReadingRow).where(
            VitalReadingRow.session_id == session_id,
            VitalReadingRow.phase == Context(context).value,
        )
    ).all()
    if not rows:
        return False
    latest = max(r.taken_at for r in rows)
    for r in rows:
        if r.taken_at == latest:
            r.acknowledged = True
    return True


def add_dose(db: Session, session_id: str, p: PrescriptionRow, at: datetime) -> DoseFacts:
    """Copies the prescription record field by field; nothing is computed."""
    db.add(
        DoseLogRow(
            session_id=session_id,
            prescription_id=p.id,
            medicine=p.medicine,
            form=p.form,
            dose_text=p.dose_text,
            taken_at=at,
            hold_minutes=p.hold_minutes,
        )
    )
    return DoseFacts(p.medicine, p.form, p.dose_text, p.hold_minutes, at, p.id)


def add_checkin(db: Session, session_id: str, c: CheckinFacts) -> None:
    db.add(
        MonitorCheckinRow(
            session_id=session_id,
            at=c.at,
            responsive=c.responsive,
            breathing_ok=c.breathing_ok,
            nausea=c.nausea,
            needs_help=c.needs_help,
            note=c.note,
        )
    )


def replace_side_effects(db: Session, session_id: str, facts: Sequence[SideEffectFacts]) -> None:
    db.execute(delete(SideEffectRow).where(SideEffectRow.session_id == session_id))
    for f in facts:
        db.add(
            SideEffectRow(
                session_id=session_id,
                reported_at=f.reported_at,
                effect=f.effect,
                severity=f.severity.value,
                note=f.note,
            )
        )


def assess_in(
    db: Session,
    session_id: str,
    protocol: Protocol,
    *,
    start_at: datetime,
    acknowledged: Collection[str],
    last_meal_at: datetime | None,
) -> ReadinessResult:
    """The start check on what was recorded: answers, the latest before-set, prescription,
    and the core's rules across sessions (dose interval, a stop reading today, item 9)."""
    checklist, health = answers_of(db, session_id)
    before = next(
        (v for v in reversed(vitals_of(db, session_id)) if v.context is Context.BEFORE), None
    )
    vitals = None if before is None else assess_vitals(protocol.limits, before.readings)
    return assess_start(
        protocol,
        checklist=checklist,
        health=health,
        vitals=vitals,
        vitals_acknowledged=before is not None and before.acknowledged,
        prescription=as_prescription(active_prescription(db)),
        start_at=start_at,
        acknowledged=acknowledged,
        last_meal_at=last_meal_at,
        core_findings=core_findings(
            db,
            session_id,
            protocol,
            start_at,
            latest_is_stop=vitals is not None and vitals.level is VitalLevel.STOP,
        ),
    )


def core_findings(
    db: Session,
    session_id: str,
    protocol: Protocol,
    now: datetime,
    *,
    latest_is_stop: bool = False,
) -> list[Finding]:
    """Dose interval, a stop reading earlier today, item 9 since the last dose."""
    contact = provider_contact(db)
    last = last_dose_at(db, exclude=session_id)
    found = [
        core.dose_interval_finding(protocol.safety, last, now, now.tzinfo or UTC, contact),
        None if latest_is_stop else core.day_stop_finding(stop_reading_on_day(db, now)),
        core.item9_finding(item9_flagged_since(db, last), contact),
    ]
    return [f for f in found if f is not None]


def provider_contact(db: Session) -> str:
    row = db.get(ProfileRow, "me")
    return (
        contact_text("", "")
        if row is None
        else contact_text(row.provider_name, row.provider_contact)
    )


def last_dose_at(db: Session, *, exclude: str | None = None) -> datetime | None:
    query = select(DoseLogRow.taken_at).order_by(DoseLogRow.taken_at.desc()).limit(1)
    if exclude is not None:
        query = query.where(DoseLogRow.session_id != exclude)
    return db.scalar(query)


def stop_reading_on_day(db: Session, local_now: datetime) -> bool:
    """Any stop-level set today (local day of ``local_now``), in any session."""
    start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    found = db.scalar(
        select(VitalReadingRow.id)
        .where(
            VitalReadingRow.classification == VitalLevel.STOP.value,
            VitalReadingRow.taken_at >= start.astimezone(UTC),
            VitalReadingRow.taken_at < end.astimezone(UTC),
        )
        .limit(1)
    )
    return found is not None


def item9_flagged_since(db: Session, since: datetime | None) -> datetime | None:
    """The newest PHQ-9 with a positive item 9 after ``since`` (the last dose)."""
    query = select(AssessmentRow.taken_at).where(AssessmentRow.safety_flag.is_(True))
    if since is not None:
        query = query.where(AssessmentRow.taken_at > since)
    return db.scalar(query.order_by(AssessmentRow.taken_at.desc()).limit(1))


def has_event(db: Session, session_id: str, kind: SessionEventKind) -> bool:
    found = db.scalar(
        select(SessionEventRow.id)
        .where(SessionEventRow.session_id == session_id, SessionEventRow.kind == kind.value)
        .limit(1)
    )
    return found is not None


def after_status_in(
    db: Session, session_id: str, protocol: Protocol, dose_at: datetime, now: datetime
) -> AfterStatus:
    after = [
        (v.taken_at, v.level is VitalLevel.STOP)
        for v in vitals_of(db, session_id)
        if v.context is Context.AFTER
    ]
    return core.after_status(
        protocol.safety,
        dose_at,
        now,
        after_vitals=after,
        provider_called=has_event(db, session_id, SessionEventKind.PROVIDER_CALLED),
        side_effects_saved=has_event(db, session_id, SessionEventKind.SIDE_EFFECTS_SAVED),
        signed_off=has_event(db, session_id, SessionEventKind.SIGNED_OFF),
    )
