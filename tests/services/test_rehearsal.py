"""Rehearsal: the same flow through the same interface, and not one byte written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId
from companion.domain.vitals import Context, Reading, VitalLevel
from companion.paths import DataPaths
from companion.services.container import Services
from companion.services.sessions_model import (
    SessionEventKind,
    SessionFacts,
    SessionState,
    SessionStateError,
)
from companion.services.sessions_recorder import SessionRecorder
from companion.services.sessions_rehearsal import RehearsalRecorder
from tests.conftest import PASSPHRASE, snapshot
from tests.services.conftest import DOSE_TEXT, make_profile, row_counts
from tests.services.flow import PROTOCOL, advance, before_step, begin, finish_after, take_dose


def run_whole_flow(recorder: SessionRecorder, clock: ManualClock) -> str:
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


def test_a_rehearsal_writes_nothing_even_with_the_vault_locked(
    with_profile: Services, manual_clock: ManualClock, data_paths: DataPaths
) -> None:
    counts = row_counts(with_profile)
    prescription = with_profile.profile.load().prescription
    protocol = with_profile.protocols.active()
    with_profile.vault.lock()
    files = snapshot(data_paths.root)

    recorder = RehearsalRecorder(protocol, prescription, manual_clock)
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
    rehearsal = RehearsalRecorder(PROTOCOL, with_profile.profile.load().prescription, manual_clock)
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
    recorder = RehearsalRecorder(PROTOCOL, make_profile().prescription, manual_clock)
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
