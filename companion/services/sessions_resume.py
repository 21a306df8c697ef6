"""After a crash: find the session left open and decide where it picks up.

The timeline is rebuilt from recorded wall-clock instants only (settle start, pauses and
resumes, the dose), so the monotonic clock of the new process does not matter.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from companion.domain.clock import Clock
from companion.domain.protocol import Protocol
from companion.domain.timeline import ResumeVerdict, SessionTimeline, TimelineState
from companion.services.sessions_model import (
    ResumeInfo,
    ResumeStage,
    SessionEventKind,
    SessionFacts,
    SessionState,
)
from companion.services.sessions_read import ProtocolSource, load_facts
from companion.services.sessions_rules import timeline_for
from companion.services.sessions_store import in_progress
from companion.storage.models import PrescriptionRow, SessionRow

_VERDICT_STAGE = {
    ResumeVerdict.RESUME: ResumeStage.TIMELINE,
    ResumeVerdict.AFTER: ResumeStage.AFTER,
    ResumeVerdict.INTERRUPTED: ResumeStage.INTERRUPTED,
}


def find_unfinished(
    db: Session, protocols: ProtocolSource, clock: Clock, zone: tzinfo
) -> ResumeInfo | None:
    """The newest open session and its resume point; closes it when long over.

    Older open sessions (which ``start_session`` prevents) are closed as interrupted too.
    """
    now = clock.now()
    rows = db.scalars(
        select(SessionRow).where(in_progress()).order_by(SessionRow.started_at.desc())
    ).all()
    if not rows:
        return None
    for older in rows[1:]:
        older.status, older.ended_at = SessionState.INTERRUPTED.value, now
    row = rows[0]
    facts = load_facts(db, protocols, row.id, zone)
    protocol = protocols.by_id_in(db, row.protocol_id)
    stage, timeline, state = resume_point(facts, protocol, _hold_minutes(db, row, facts), clock)
    if stage is ResumeStage.INTERRUPTED:
        row.status, row.ended_at = SessionState.INTERRUPTED.value, now
        facts = replace(facts, status=SessionState.INTERRUPTED, ended_at=now)
    return ResumeInfo(row.id, stage, facts, timeline, state)


def resume_point(
    facts: SessionFacts, protocol: Protocol, hold_minutes: int | None, clock: Clock
) -> tuple[ResumeStage, SessionTimeline | None, TimelineState | None]:
    """Where an unfinished session picks up.

    Before the timeline began, the before step resumes within the protocol's grace; after
    that the domain's ``resume_verdict`` decides. Recorded times in the future (the system
    clock was set back) cannot be trusted: such a session counts as interrupted.
    """
    record = facts.timeline_record()
    if record is None:
        waited = (clock.now() - facts.started_at).total_seconds()
        grace = protocol.timeline.resume_grace_minutes * 60.0
        stage = ResumeStage.BEFORE if 0 <= waited <= grace else ResumeStage.INTERRUPTED
        return stage, None, None
    try:
        timeline = SessionTimeline.restore(timeline_for(protocol, hold_minutes), record, clock)
    except ValueError:
        return ResumeStage.INTERRUPTED, None, None
    now = clock.monotonic()
    stage = _VERDICT_STAGE[timeline.resume_verdict(now)]
    if stage is ResumeStage.INTERRUPTED:
        return stage, None, None
    ended_early = any(e.kind is SessionEventKind.ENDED_EARLY for e in facts.events)
    if ended_early and facts.dose is not None:
        stage = ResumeStage.AFTER  # "End early" after the dose: the After phase, always
    return stage, timeline, timeline.state(now)


def _hold_minutes(db: Session, row: SessionRow, facts: SessionFacts) -> int | None:
    """The hold the timeline ran with: the logged dose's, else the session's prescription's."""
    if facts.dose is not None:
        return facts.dose.hold_minutes
    if row.prescription_id is not None:
        prescription = db.get(PrescriptionRow, row.prescription_id)
        if prescription is not None:
            return prescription.hold_minutes
    return None
