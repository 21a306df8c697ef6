"""Crash and resume: the timeline comes back from recorded wall-clock instants only.

A "restart" locks the vault, drops every service object and builds new ones on the same
folder with a new process clock (same wall time, another monotonic origin).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId
from companion.domain.timeline import SessionTimeline
from companion.services.container import Services
from companion.services.sessions_model import (
    ResumeStage,
    SessionEventKind,
    SessionState,
)
from companion.storage.models import SessionEventRow, SessionRow
from tests.support.flow import (
    CALM_CHECKIN,
    MINUTE,
    advance,
    before_step,
    begin,
    finish_after,
    take_dose,
)
from tests.support.services import Restart, make_profile

HOLD = 10  # the provider's hold time, shorter than the protocol's 15 minutes


def new_process_clock(old: ManualClock) -> ManualClock:
    return ManualClock(start=old.now(), monotonic_start=7.0)


def started_with_dose(app: Services, clock: ManualClock) -> tuple[str, SessionTimeline]:
    """Settle begins at +2 min, the dose is taken at +5 min (active 3 min)."""
    app.profile.save(make_profile(hold_minutes=HOLD))
    sid = app.sessions.start_session()
    before_step(app.sessions, sid)
    clock.advance(2 * MINUTE)
    timeline = begin(app.sessions, sid, clock)
    advance(app.sessions, sid, timeline, clock, 3)
    take_dose(app.sessions, sid, timeline, clock)
    return sid, timeline


def test_a_restart_resumes_at_the_right_point_after_a_pause(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    sid, timeline = started_with_dose(app, manual_clock)
    advance(app.sessions, sid, timeline, manual_clock, 15)  # +20 min
    app.sessions.log_event(sid, SessionEventKind.PAUSE)
    manual_clock.advance(5 * MINUTE)  # +25 min
    app.sessions.log_event(sid, SessionEventKind.RESUME)
    timeline.pause(manual_clock.monotonic() - 5 * MINUTE)
    timeline.resume(manual_clock.monotonic())
    advance(app.sessions, sid, timeline, manual_clock, 5)  # +30 min: the app dies here

    clock = new_process_clock(manual_clock)
    clock.advance(10 * MINUTE)  # +40 min: restarted
    fresh = restart(app, clock)
    info = fresh.sessions.unfinished_session()

    assert info is not None and info.session_id == sid
    assert info.stage is ResumeStage.TIMELINE
    assert info.timeline is not None and info.state is not None
    # active time = 40 - 2 (before settle) - 5 (paused) = 33 min; dose at 3, hold 10
    assert info.state.elapsed_seconds == pytest.approx(33 * MINUTE)
    assert info.state.phase is PhaseId.JOURNEY
    assert info.state.music_position_seconds == pytest.approx(20 * MINUTE)
    assert not info.state.paused
    # the cues shown before the crash are not shown again; the check-in due at 28 min is
    due = info.timeline.poll(clock.monotonic())
    assert [d.event.id for d in due] == ["checkin:1"]
    assert due[0].late_seconds == pytest.approx(5 * MINUTE) and not due[0].stale
    assert info.facts.dose is not None and info.facts.dose.hold_minutes == HOLD
    assert info.facts.status is SessionState.IN_PROGRESS

    fresh.sessions.record_due(sid, due[0])  # the session carries on in the new process
    fresh.sessions.record_checkin(sid, CALM_CHECKIN, event_id="checkin:1")
    again = fresh.sessions.unfinished_session()
    assert again is not None and again.timeline is not None
    assert again.timeline.poll(clock.monotonic()) == ()


def test_a_session_paused_when_the_app_died_comes_back_paused(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    sid, _ = started_with_dose(app, manual_clock)
    manual_clock.advance(20 * MINUTE)
    app.sessions.log_event(sid, SessionEventKind.PAUSE)
    clock = new_process_clock(manual_clock)
    clock.advance(30 * MINUTE)
    info = restart(app, clock).sessions.unfinished_session()
    assert info is not None and info.state is not None and info.timeline is not None
    assert info.state.paused and info.timeline.paused
    assert info.state.elapsed_seconds == pytest.approx(23 * MINUTE)


def test_a_timeline_that_ended_while_away_goes_to_the_after_step(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    started_with_dose(app, manual_clock)
    manual_clock.advance((HOLD + 60 + 15 + 30) * MINUTE)  # ended 30 min ago; grace is 120
    info = restart(app).sessions.unfinished_session()
    assert info is not None and info.stage is ResumeStage.AFTER
    assert info.state is not None and info.state.phase is PhaseId.AFTER and info.state.finished


def test_a_long_over_session_is_closed_as_interrupted(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    sid, _ = started_with_dose(app, manual_clock)
    manual_clock.advance(13 * 3600)
    fresh = restart(app)
    info = fresh.sessions.unfinished_session()
    assert info is not None and info.stage is ResumeStage.INTERRUPTED
    assert info.timeline is None and info.facts.status is SessionState.INTERRUPTED
    with fresh.vault.unit_of_work() as db:
        row = db.get(SessionRow, sid)
        assert row is not None
        assert (row.status, row.ended_at) == ("interrupted", manual_clock.now())
    assert fresh.sessions.unfinished_session() is None
    assert fresh.sessions.session_facts(sid).dose is not None  # nothing recorded is lost
    fresh.sessions.start_session()  # a new session may begin


def test_no_dose_long_after_the_settle_is_interrupted(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    app.profile.save(make_profile())
    sid = app.sessions.start_session()
    before_step(app.sessions, sid)
    begin(app.sessions, sid, manual_clock)
    manual_clock.advance((5 + 120 + 1) * MINUTE)  # settle's 5 min + the 120 min grace
    info = restart(app).sessions.unfinished_session()
    assert info is not None and info.stage is ResumeStage.INTERRUPTED


def test_a_settle_without_dose_resumes_waiting_for_the_dose(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    app.profile.save(make_profile(hold_minutes=HOLD))
    sid = app.sessions.start_session()
    before_step(app.sessions, sid)
    begin(app.sessions, sid, manual_clock)
    manual_clock.advance(8 * MINUTE)
    info = restart(app).sessions.unfinished_session()
    assert info is not None and info.stage is ResumeStage.TIMELINE
    assert info.state is not None and info.state.waiting_for_dose
    assert info.timeline is not None
    assert info.timeline.protocol_timeline.phase(PhaseId.HOLD).minutes == HOLD


def test_the_before_step_resumes_with_its_answers_or_closes_when_stale(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    app.profile.save(make_profile())
    sid = app.sessions.start_session()
    app.sessions.record_checklist(sid, {"fasting": True, "quiet_room": True})
    manual_clock.advance(30 * MINUTE)
    fresh = restart(app)
    info = fresh.sessions.unfinished_session()
    assert info is not None and info.stage is ResumeStage.BEFORE and info.timeline is None
    assert info.facts.checklist == {"fasting": True, "quiet_room": True}

    manual_clock.advance(3 * 3600)
    info = restart(fresh).sessions.unfinished_session()
    assert info is not None and info.stage is ResumeStage.INTERRUPTED


def test_a_clock_set_back_before_the_recorded_start_closes_the_session(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    started_with_dose(app, manual_clock)
    earlier = ManualClock(start=manual_clock.now() - timedelta(hours=1))
    info = restart(app, earlier).sessions.unfinished_session()
    assert info is not None and info.stage is ResumeStage.INTERRUPTED


def test_nothing_to_resume_after_a_completed_session(
    app: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    sid, _ = started_with_dose(app, manual_clock)
    finish_after(app.sessions, sid, manual_clock)
    fresh = restart(app)
    assert fresh.sessions.unfinished_session() is None
    with fresh.vault.unit_of_work() as db:
        assert db.scalars(select(SessionRow.status)).all() == ["completed"]


def test_a_timeline_event_recorded_after_its_turn_keeps_the_instant_it_was_shown(
    app: Services, manual_clock: ManualClock
) -> None:
    """The Session page hands a due event's record to the worker after the turn that shows it
    (``TaskRunner.run_after_turn``), with the instant it was shown."""
    sid, timeline = started_with_dose(app, manual_clock)
    manual_clock.advance(10 * MINUTE)
    due = timeline.poll(manual_clock.monotonic())
    assert due
    shown = manual_clock.now()
    manual_clock.advance(2)  # the record is made a moment later
    app.sessions.record_due(sid, due[0], at=shown)
    with app.vault.unit_of_work() as db:
        newest = db.scalars(
            select(SessionEventRow)
            .where(SessionEventRow.session_id == sid)
            .order_by(SessionEventRow.at.desc())
        ).first()
        assert newest is not None
        assert newest.at.replace(tzinfo=None) == shown.replace(tzinfo=None)
