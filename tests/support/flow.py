"""Steps shared by the session tests: what the session UI does, through ``SessionService``."""

from __future__ import annotations

from datetime import datetime

from companion.domain.clock import ManualClock
from companion.domain.protocol import Protocol
from companion.domain.session_core import AfterNeed
from companion.domain.timeline import SessionTimeline
from companion.domain.vitals import Context, Reading
from companion.services.protocol_files import default_protocol
from companion.services.sessions import SessionService
from companion.services.sessions_read import ProtocolSource
from companion.services.sessions_steps import Store

PROTOCOL: Protocol = default_protocol()
ALL_CHECKED = {item.id: True for item in PROTOCOL.checklist}
NO_HEALTH_CHANGES = {q.id: False for q in PROTOCOL.health.questions}
OK_READINGS = (Reading(128, 82, 72), Reading(124, 80, 70))
MINUTE = 60.0
CALM_CHECKIN = {"responsive": True, "breathing": True, "nausea": False, "needs_help": False}


def before_step(recorder: SessionService, session_id: str) -> None:
    """Checklist, health questions, two good readings, intention and mood."""
    recorder.record_checklist(session_id, ALL_CHECKED)
    recorder.record_health_answers(session_id, NO_HEALTH_CHANGES)
    recorder.record_vitals(session_id, Context.BEFORE, OK_READINGS)
    recorder.record_intention_and_mood(session_id, "Be gentle with myself", 4)


def begin(recorder: SessionService, session_id: str, clock: ManualClock) -> SessionTimeline:
    result = recorder.begin_settle(session_id)
    assert result.started and result.timeline is not None, result.readiness
    return SessionTimeline(result.timeline, clock.monotonic())


def advance(
    recorder: SessionService,
    session_id: str,
    timeline: SessionTimeline,
    clock: ManualClock,
    minutes: float,
) -> list[str]:
    """Moves time on minute by minute as the UI's timer would, recording every due event and
    answering monitor check-ins. Returns the ids of the events that came due."""
    seen: list[str] = []
    steps = round(minutes)
    for _ in range(steps):
        clock.advance(MINUTE)
        for due in timeline.poll(clock.monotonic()):
            recorder.record_due(session_id, due)
            seen.append(due.event.id)
            if due.event.id.startswith("checkin:"):
                recorder.record_checkin(
                    session_id,
                    {**CALM_CHECKIN, "nausea": due.event.id == "checkin:2"},
                    note="resting calmly",
                    event_id=due.event.id,
                )
                timeline.acknowledge(due.event.id)
    return seen


def take_dose(
    recorder: SessionService, session_id: str, timeline: SessionTimeline, clock: ManualClock
) -> None:
    recorder.confirm_dose(session_id)
    timeline.dose_taken(clock.monotonic())


def finish_after(recorder: SessionService, session_id: str, clock: ManualClock) -> None:
    """The After phase as the UI walks it: wait out the observation time, measure again,
    save the side effects (if not yet), the monitor signs off, and the session completes."""
    status = recorder.after_status(session_id)
    wait = (status.observation_ends_at - clock.now()).total_seconds()
    if wait > 0:
        clock.advance(wait)
    needs = recorder.after_status(session_id).needs
    if AfterNeed.VITALS in needs:
        recorder.record_vitals(session_id, Context.AFTER, Reading(124, 80, 70))
    if AfterNeed.SIDE_EFFECTS in needs:
        recorder.record_side_effects(session_id, [])
    recorder.sign_off(session_id, aftercare_read=True)
    recorder.complete(session_id)


def record_session_at(vault: Store, protocols: ProtocolSource, start: datetime) -> str:
    """A whole calm session recorded through ``SessionService`` on a clock of its own that
    starts at ``start`` (the vault's own clock may be later: a past session, as the demo
    records them). The vault needs a profile with a prescription."""
    clock = ManualClock(start=start)
    recorder = SessionService(vault, clock, protocols, start.tzinfo)
    session_id = recorder.start_session()
    before_step(recorder, session_id)
    timeline = begin(recorder, session_id, clock)
    advance(recorder, session_id, timeline, clock, 2)
    take_dose(recorder, session_id, timeline, clock)
    advance(recorder, session_id, timeline, clock, 95)
    recorder.record_vitals(session_id, Context.AFTER, Reading(126, 81, 72))
    finish_after(recorder, session_id, clock)
    return session_id
