"""Reading a session back from the vault: the rows of one session as the facts read model.

Functions here take the caller's database session, so a service can read and write in one
transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, tzinfo
from typing import Protocol as Interface

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from companion.domain.profile import Prescription
from companion.domain.protocol import Protocol, Severity
from companion.domain.vitals import Context, Reading, VitalLevel
from companion.i18n import N_
from companion.services.protocols import ActiveProtocol
from companion.services.sessions_model import (
    CheckinFacts,
    DoseFacts,
    EventFacts,
    SessionEventKind,
    SessionFacts,
    SessionState,
    SessionStateError,
    SideEffectFacts,
    VitalsFacts,
)
from companion.services.sessions_rules import HEALTH_PREFIX, OTHER_EFFECT
from companion.storage.models import (
    ChecklistAnswerRow,
    DoseLogRow,
    MonitorCheckinRow,
    PrescriptionRow,
    SessionEventRow,
    SessionRow,
    SideEffectRow,
    VitalReadingRow,
)


def session_row(db: Session, session_id: str) -> SessionRow:
    row = db.get(SessionRow, session_id)
    if row is None:
        raise SessionStateError(N_("There is no such session in this vault."))
    return row


def active_prescription(db: Session) -> PrescriptionRow | None:
    """The prescription in force: the newest active record (as ``ProfileService`` reads it)."""
    return db.scalars(
        select(PrescriptionRow)
        .where(PrescriptionRow.active.is_(True))
        .order_by(PrescriptionRow.recorded_at.desc())
        .limit(1)
    ).first()


def as_prescription(row: PrescriptionRow | None) -> Prescription | None:
    if row is None:
        return None
    return Prescription(
        medicine=row.medicine,
        form=row.form,
        dose_text=row.dose_text,
        hold_minutes=row.hold_minutes,
        instructions=row.instructions,
    )


def events_of(db: Session, session_id: str) -> tuple[EventFacts, ...]:
    rows = db.scalars(
        select(SessionEventRow)
        .where(SessionEventRow.session_id == session_id)
        .order_by(SessionEventRow.at, literal_column("rowid"))
    )
    return tuple(
        EventFacts(SessionEventKind(r.kind), r.at, json.loads(r.detail) if r.detail else {})
        for r in rows
    )


def vitals_of(db: Session, session_id: str) -> tuple[VitalsFacts, ...]:
    """Readings grouped into the sets they were taken in (one call, one instant)."""
    rows = db.scalars(
        select(VitalReadingRow)
        .where(VitalReadingRow.session_id == session_id, VitalReadingRow.phase != "other")
        .order_by(VitalReadingRow.taken_at, literal_column("rowid"))
    )
    sets: defaultdict[tuple[str, datetime], list[VitalReadingRow]] = defaultdict(list)
    for row in rows:
        if row.systolic is not None and row.diastolic is not None:
            sets[(row.phase, row.taken_at)].append(row)
    return tuple(
        VitalsFacts(
            context=Context(phase),
            taken_at=taken_at,
            readings=tuple(_reading(r) for r in group),
            level=VitalLevel(group[0].classification),
            acknowledged=all(r.acknowledged for r in group),
        )
        for (phase, taken_at), group in sets.items()
    )


def _reading(row: VitalReadingRow) -> Reading:
    assert row.systolic is not None and row.diastolic is not None
    return Reading(
        float(row.systolic), float(row.diastolic), None if row.pulse is None else float(row.pulse)
    )


def dose_of(db: Session, session_id: str) -> DoseFacts | None:
    row = db.scalars(
        select(DoseLogRow).where(DoseLogRow.session_id == session_id).order_by(DoseLogRow.taken_at)
    ).first()
    if row is None:
        return None
    return DoseFacts(
        row.medicine, row.form, row.dose_text, row.hold_minutes, row.taken_at, row.prescription_id
    )


def answers_of(db: Session, session_id: str) -> tuple[dict[str, bool], dict[str, bool]]:
    """(checklist, health) answers."""
    checklist: dict[str, bool] = {}
    health: dict[str, bool] = {}
    for row in db.scalars(
        select(ChecklistAnswerRow).where(ChecklistAnswerRow.session_id == session_id)
    ):
        if row.item_id.startswith(HEALTH_PREFIX):
            health[row.item_id.removeprefix(HEALTH_PREFIX)] = row.answer == "yes"
        else:
            checklist[row.item_id] = row.answer == "checked"
    return checklist, health


def checkins_of(db: Session, session_id: str) -> tuple[CheckinFacts, ...]:
    rows = db.scalars(
        select(MonitorCheckinRow)
        .where(MonitorCheckinRow.session_id == session_id)
        .order_by(MonitorCheckinRow.at, literal_column("rowid"))
    )
    return tuple(
        CheckinFacts(r.at, r.responsive, r.breathing_ok, r.nausea, r.needs_help, r.note)
        for r in rows
    )


def side_effects_of(
    db: Session, session_id: str, protocol: Protocol
) -> tuple[SideEffectFacts, ...]:
    rows = db.scalars(
        select(SideEffectRow)
        .where(SideEffectRow.session_id == session_id)
        .order_by(SideEffectRow.reported_at, literal_column("rowid"))
    )
    facts = []
    for r in rows:
        severity = Severity(r.severity)
        if r.effect == OTHER_EFFECT:
            name, emergency = "Other", severity is Severity.SEVERE
        else:
            try:
                known = protocol.side_effect(r.effect)
                name, emergency = known.name, known.shows_emergency_card(severity)
            except KeyError:
                name, emergency = r.effect, severity is Severity.SEVERE
        facts.append(SideEffectFacts(r.effect, name, severity, r.note, r.reported_at, emergency))
    return tuple(facts)


class ProtocolSource(Interface):
    """Where the session core gets its protocol: ``ProtocolService`` (the vault's installed
    files), or a rehearsal's ``FixedProtocol`` (the one in use, already loaded)."""

    def current_in(self, db: Session) -> ActiveProtocol: ...

    def by_id_in(self, db: Session, protocol_id: str | None) -> Protocol: ...


def load_facts(
    db: Session,
    protocols: ProtocolSource,
    session_id: str,
    zone: tzinfo,
    *,
    rehearsal: bool = False,
) -> SessionFacts:
    row = session_row(db, session_id)
    protocol = protocols.by_id_in(db, row.protocol_id)
    events = events_of(db, session_id)
    checklist, health = answers_of(db, session_id)
    settle = next((e.at for e in events if e.kind is SessionEventKind.SETTLE_STARTED), None)
    return SessionFacts(
        session_id=row.id,
        rehearsal=rehearsal,
        status=SessionState(row.status),
        planned_session_id=row.planned_session_id,
        protocol_name=protocol.info.name,
        started_at=row.started_at,
        local_date=row.started_at.astimezone(zone).date(),
        settle_started_at=settle,
        ended_at=row.ended_at,
        abort_reason=row.abort_reason,
        checklist=checklist,
        health=health,
        intention=row.intention,
        mood_before=row.mood_before,
        mood_after=row.mood_after,
        vitals=vitals_of(db, session_id),
        dose=dose_of(db, session_id),
        checkins=checkins_of(db, session_id),
        side_effects=side_effects_of(db, session_id, protocol),
        recovered_at=row.recovered_at,
        events=events,
    )
