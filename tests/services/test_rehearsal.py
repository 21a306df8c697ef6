"""Rehearsal: the same session core (``SessionService`` on a database in memory), every
phase walked, and not one byte of the vault written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId
from companion.domain.vitals import Context, Reading, VitalLevel
from companion.paths import DataPaths
from companion.services.container import Services
from companion.services.sessions import SessionService
from companion.services.sessions_model import (
    SessionEventKind,
    SessionFacts,
    SessionState,
    SessionStateError,
)
from companion.services.sessions_rehearsal import rehearsal_service
from tests.support.flow import PROTOCOL, advance, before_step, begin, finish_after, take_dose
from tests.support.services import DOSE_TEXT, make_profile, row_counts
from tests.support.vault import PASSPHRASE, snapshot, vault_on_disk


def run_whole_flow(recorder: SessionService, clock: ManualClock) -> str:
    sid = recorder.start_session()
    before_step(recorder, sid)
    timeline = begin(recorder, sid, clock)
    advance(recorder, sid, timeline, clock, 4)
    take_dose(recorder, sid, timeline, clock)
    advance(recorder, sid, timeline, clock, 30)
    recorder.log_event(sid, SessionEventKind.MARKER, {"note": "testing the marker key"})
    recorder.log_event(sid, SessionEventKind.HELP_OPENED)
    recorder.log_event(sid, SessionEventKind.HELP_CLOSED)
    advance(recorder, sid, timeline, clock, 60)
    assert timeline.state(clock.monotonic()).phase is PhaseId.AFTER
    recorder.record_vitals(sid, Context.AFTER, Reading(126, 80, 70))
    recorder.record_side_effects(sid, [("drowsiness", "mild", "")])
    recorder.record_recovered_at(sid, clock.now() - timedelta(minutes=5))
    finish_after(recorder, sid, clock)
    return sid


def test_a_rehearsal_walks_every_phase_and_leaves_the_open_vault_byte_identical(
    with_profile: Services, manual_clock: ManualClock, data_paths: DataPaths
) -> None:
    app = with_profile
    counts = row_counts(app)
    prescription = app.profile.load().prescription
    protocol = app.protocols.active()
    files = vault_on_disk(data_paths)
    assert files and len(files) >= 2

    rehearsal = rehearsal_service(protocol, prescription, manual_clock)
    assert isinstance(rehearsal, SessionService) and rehearsal.rehearsal
    sid = rehearsal.start_session()
    before_step(rehearsal, sid)
    timeline = begin(rehearsal, sid, manual_clock)
    phases = [timeline.state(manual_clock.monotonic()).phase]
    take_dose(rehearsal, sid, timeline, manual_clock)
    for _ in range(100):
        advance(rehearsal, sid, timeline, manual_clock, 1)
        phase = timeline.state(manual_clock.monotonic()).phase
        if phase is not phases[-1]:
            phases.append(phase)
    assert phases == [PhaseId.SETTLE, PhaseId.HOLD, PhaseId.JOURNEY, PhaseId.RETURN, PhaseId.AFTER]
    rehearsal.record_vitals(sid, Context.AFTER, Reading(126, 80, 70))
    rehearsal.record_side_effects(sid, [("drowsiness", "mild", "")])
    rehearsal.sign_off(sid, aftercare_read=True)  # no waiting for the observation time
    rehearsal.complete(sid)
    facts = rehearsal.session_facts(sid)
    assert facts.rehearsal and facts.status is SessionState.COMPLETED and facts.dose is not None

    assert vault_on_disk(data_paths) == files  # byte-identical, with the vault open throughout
    assert row_counts(app) == counts
    assert app.sessions.unfinished_session() is None
    with pytest.raises(SessionStateError):  # the rehearsal's id means nothing to the vault
        app.sessions.session_facts(sid)


def test_a_rehearsal_writes_nothing_even_with_the_vault_locked(
    with_profile: Services, manual_clock: ManualClock, data_paths: DataPaths
) -> None:
    counts = row_counts(with_profile)
    prescription = with_profile.profile.load().prescription
    protocol = with_profile.protocols.active()
    with_profile.vault.lock()
    files = snapshot(data_paths.root)

    recorder = rehearsal_service(protocol, prescription, manual_clock)
    sid = run_whole_flow(recorder, manual_clock)

    assert snapshot(data_paths.root) == files
    with_profile.vault.unlock(PASSPHRASE)
    assert row_counts(with_profile) == counts
    facts = recorder.session_facts(sid)
    assert facts.rehearsal and facts.status is SessionState.COMPLETED
    assert facts.dose is not None and facts.dose.dose_text == DOSE_TEXT
    assert len(facts.checkins) == 3 and len(facts.markers) == 1
    assert facts.vitals_after is not None and facts.vitals_after.level is VitalLevel.OK


def test_real_and_rehearsed_sessions_record_the_same_facts(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    rehearsal = rehearsal_service(PROTOCOL, with_profile.profile.load().prescription, manual_clock)
    rehearsed = rehearsal.session_facts(run_whole_flow(rehearsal, manual_clock))
    real = with_profile.sessions
    recorded = real.session_facts(run_whole_flow(real, manual_clock))

    def shape(f: SessionFacts) -> object:
        return (
            f.status,
            dict(f.checklist),
            dict(f.health),
            f.intention,
            f.mood_before,
            [(v.context, v.readings, v.level) for v in f.vitals],
            None if f.dose is None else (f.dose.dose_text, f.dose.hold_minutes),
            [c.concerns for c in f.checkins],
            [(e.effect, e.severity) for e in f.side_effects],
            [m.note for m in f.markers],
            [e.kind for e in f.events],
        )

    assert shape(rehearsed) == shape(recorded)


def test_a_rehearsal_reports_findings_but_never_blocks(manual_clock: ManualClock) -> None:
    recorder = rehearsal_service(PROTOCOL, make_profile().prescription, manual_clock)
    sid = recorder.start_session()
    recorder.record_vitals(sid, Context.BEFORE, Reading(170, 100, 90))
    result = recorder.begin_settle(sid)
    assert result.started and not result.can_start
    assert "vitals:stop" in {f.id for f in result.readiness.blocks}
    with pytest.raises(SessionStateError):
        recorder.begin_settle(sid)
    with pytest.raises(SessionStateError):
        recorder.record_checklist("another", {"fasting": True})
    recorder.abort(sid, "Just testing the sound")
    with pytest.raises(SessionStateError):
        recorder.log_event(sid, SessionEventKind.MARKER)
    assert recorder.session_facts(sid).status is SessionState.ABORTED


def test_a_rehearsal_after_a_stop_reading_reaches_the_dose_and_the_stop_still_stands(
    manual_clock: ManualClock,
) -> None:
    """The same core: the stop reading stands for the day in the rehearsal's own record (a
    calmer reading cannot clear it), yet a rehearsal is never blocked, at the start or the dose
    (a real session on that day refuses both; see test_session_safety)."""
    recorder = rehearsal_service(PROTOCOL, make_profile().prescription, manual_clock)
    sid = recorder.start_session()
    assert recorder.record_vitals(sid, Context.BEFORE, Reading(172, 104, 80)).level is (
        VitalLevel.STOP
    )
    calmer = recorder.record_vitals(sid, Context.BEFORE, Reading(120, 80, 70))
    assert calmer.level is VitalLevel.STOP  # the stop stands, as in a real session
    timeline = begin(recorder, sid, manual_clock)
    take_dose(recorder, sid, timeline, manual_clock)
    assert recorder.session_facts(sid).dose is not None
