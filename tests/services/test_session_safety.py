"""The session core's safety rules, on real vault files with the injected manual clock.

Each test repeats one finding of issue 9 and shows the core refuses the dangerous path.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from companion.domain import session_core as core
from companion.domain.clock import ManualClock
from companion.domain.session_core import AfterNeed
from companion.domain.vitals import (
    Context,
    Reading,
    ReadingError,
    ReadingNeedsCheckError,
    VitalLevel,
)
from companion.errors import InvalidInputError
from companion.services.container import Services
from companion.services.sessions_model import ResumeStage, SessionState, SessionStateError
from companion.services.sessions_rehearsal import rehearsal_service
from companion.storage.models import DoseLogRow
from tests.support.flow import (
    ALL_CHECKED,
    NO_HEALTH_CHANGES,
    advance,
    before_step,
    begin,
    finish_after,
    take_dose,
)
from tests.support.services import Restart, row_counts

HOUR = 3600.0


def dosed(app: Services, clock: ManualClock) -> str:
    sid = app.sessions.start_session()
    before_step(app.sessions, sid)
    timeline = begin(app.sessions, sid, clock)
    take_dose(app.sessions, sid, timeline, clock)
    return sid


def fresh_start(app: Services) -> str:
    sid = app.sessions.start_session()
    before_step(app.sessions, sid)
    return sid


def blocks(app: Services, sid: str) -> list[str]:
    return [f.id for f in app.sessions.check_readiness(sid).readiness.blocks]


# --- dose interval ----------------------------------------------------------------------------
def test_safety_second_dose_refused(with_profile: Services, manual_clock: ManualClock) -> None:
    app = with_profile
    first = dosed(app, manual_clock)
    finish_after(app.sessions, first, manual_clock)
    manual_clock.advance(10 * 60)
    sid = fresh_start(app)
    result = app.sessions.begin_settle(sid)
    assert not result.started
    finding = next(f for f in result.readiness.blocks if f.id == core.INTERVAL_ID)
    assert "earliest time for your next dose" in finding.text
    assert "Dr. Rivera, +1 555 0100" in finding.text  # the provider's contact
    # a block cannot be acknowledged away
    assert not app.sessions.begin_settle(sid, acknowledged={core.INTERVAL_ID}).started


def test_safety_second_dose_refused_at_the_dose_step_too(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    """Even a session that began before the first dose was logged cannot log a second one."""
    app = with_profile
    first = dosed(app, manual_clock)
    finish_after(app.sessions, first, manual_clock)
    manual_clock.advance(20 * HOUR)  # the next calendar day, but inside 24 h of the dose
    sid = fresh_start(app)
    assert core.INTERVAL_ID in blocks(app, sid)
    manual_clock.advance(2 * HOUR + 60)
    assert app.sessions.begin_settle(sid).started  # 24 h after the dose: allowed again


def test_safety_dose_step_refused_inside_the_interval(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    """The dose step checks again: a dose that reached the vault after the start check (an
    import, another copy of the vault) still refuses the second one."""
    app = with_profile
    earlier = app.sessions.start_session()
    app.sessions.abort(earlier, "Not today")  # no dose: starting again today is fine
    sid = fresh_start(app)
    begin(app.sessions, sid, manual_clock)
    with app.vault.unit_of_work() as db:
        db.add(
            DoseLogRow(
                session_id=earlier,
                medicine="Ketamine",
                form="RDT",
                dose_text="as prescribed",
                taken_at=manual_clock.now() - timedelta(hours=3),
                hold_minutes=15,
            )
        )
    with pytest.raises(SessionStateError, match="earliest time for your next dose"):
        app.sessions.confirm_dose(sid)
    assert app.sessions.session_facts(sid).dose is None


def test_safety_end_early_then_new_session_same_day_refused(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    app = with_profile
    sid = dosed(app, manual_clock)
    status = app.sessions.end_early(sid)
    assert status is not None and AfterNeed.SIGN_OFF in status.needs
    with pytest.raises(SessionStateError):
        app.sessions.start_session()  # the After phase is still open
    finish_after(app.sessions, sid, manual_clock)
    second = fresh_start(app)
    assert core.INTERVAL_ID in blocks(app, second)


# --- vitals -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reading", "unlikely"),
    [
        (Reading(50, 20, 40), True),
        (Reading(72, 40, 38), False),
        (Reading(120, 80, 20), True),
        (Reading(180, 112, 80), False),
        (Reading(120, 80, 130), False),
    ],
)
def test_safety_low_stop_before(with_profile: Services, reading: Reading, unlikely: bool) -> None:
    app = with_profile
    sid = app.sessions.start_session()
    if unlikely:
        with pytest.raises(ReadingNeedsCheckError, match="Please check"):
            app.sessions.record_vitals(sid, Context.BEFORE, reading)
    result = app.sessions.record_vitals(sid, Context.BEFORE, reading, confirmed=True)
    assert result.level is VitalLevel.STOP
    assert "go on" not in result.message
    assert "do not take your dose today" in result.message
    assert "Companion's default limits" in result.message
    assert "vitals:stop" in blocks(app, sid)


def test_safety_low_stop_after(with_profile: Services, manual_clock: ManualClock) -> None:
    app = with_profile
    sid = dosed(app, manual_clock)
    manual_clock.advance(45 * 60)
    result = app.sessions.record_vitals(sid, Context.AFTER, Reading(70, 40, 45))
    assert result.level is VitalLevel.STOP and result.context is Context.AFTER
    assert "go on" not in result.message and "rest and measure" not in result.message
    assert "emergency number" in result.message
    status = app.sessions.after_status(sid)
    assert AfterNeed.VITALS_STOP in status.needs  # the stop needs a call, not a re-measure
    app.sessions.record_vitals(sid, Context.AFTER, Reading(118, 76, 68))
    assert AfterNeed.VITALS_STOP in app.sessions.after_status(sid).needs
    app.sessions.record_provider_called(sid)
    assert AfterNeed.VITALS_STOP not in app.sessions.after_status(sid).needs


def test_safety_stop_reading_stands_for_the_day(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    app = with_profile
    sid = app.sessions.start_session()
    app.sessions.record_checklist(sid, ALL_CHECKED)
    app.sessions.record_health_answers(sid, NO_HEALTH_CHANGES)
    first = app.sessions.record_vitals(sid, Context.BEFORE, Reading(172, 104, 80))
    assert first.level is VitalLevel.STOP
    manual_clock.advance(60)
    again = app.sessions.record_vitals(sid, Context.BEFORE, Reading(128, 80, 70))
    assert again.level is VitalLevel.STOP and "still stands" in again.message
    assert "go on" not in again.message
    assert core.DAY_STOP_ID in blocks(app, sid)
    facts = app.sessions.session_facts(sid)
    assert [v.level for v in facts.vitals] == [VitalLevel.STOP, VitalLevel.OK]  # kept as taken
    app.sessions.abort(sid, "Not today")
    other = fresh_start(app)  # a new session the same day: still no
    assert core.DAY_STOP_ID in blocks(app, other)
    app.sessions.abort(other, "Not today")
    manual_clock.advance(24 * HOUR)  # another day
    tomorrow = fresh_start(app)
    assert app.sessions.check_readiness(tomorrow).can_start


def test_safety_stop_reading_not_averaged_away(with_profile: Services) -> None:
    app = with_profile
    sid = app.sessions.start_session()
    result = app.sessions.record_vitals(
        sid, Context.BEFORE, [Reading(172, 104, 80), Reading(128, 80, 70)]
    )
    assert result.level is VitalLevel.STOP
    assert "vitals:stop" in blocks(app, sid)


@pytest.mark.parametrize("reading", [Reading(300, 20, 70), Reading(121, 120, 70)])
def test_safety_implausible_values_ask_to_check(with_profile: Services, reading: Reading) -> None:
    app = with_profile
    sid = app.sessions.start_session()
    counts = row_counts(app)
    with pytest.raises(ReadingError, match="check"):
        app.sessions.record_vitals(sid, Context.BEFORE, reading)
    assert row_counts(app) == counts  # nothing used or saved


# --- after the dose ---------------------------------------------------------------------------
def test_safety_end_early_goes_to_after(with_profile: Services, manual_clock: ManualClock) -> None:
    app = with_profile
    sid = dosed(app, manual_clock)
    dose_at = manual_clock.now()
    manual_clock.advance(20 * 60)
    with pytest.raises(SessionStateError, match="After step"):
        app.sessions.abort(sid, "End early")
    status = app.sessions.end_early(sid)
    assert status is not None
    assert status.after_vitals_due_at == dose_at + timedelta(minutes=40)
    assert status.observation_ends_at == dose_at + timedelta(hours=2)
    assert set(status.needs) == {
        AfterNeed.VITALS,
        AfterNeed.SIDE_EFFECTS,
        AfterNeed.OBSERVATION,
        AfterNeed.SIGN_OFF,
    }
    with pytest.raises(SessionStateError, match="still needs"):
        app.sessions.complete(sid)
    app.sessions.record_vitals(sid, Context.AFTER, Reading(126, 80, 70))  # too early: 20 min
    assert AfterNeed.VITALS in app.sessions.after_status(sid).needs
    manual_clock.advance(25 * 60)
    app.sessions.record_vitals(sid, Context.AFTER, Reading(126, 80, 70))
    app.sessions.record_side_effects(sid, [])
    with pytest.raises(SessionStateError, match="rest with your monitor"):
        app.sessions.sign_off(sid, aftercare_read=True)
    manual_clock.advance(75 * 60)
    with pytest.raises(InvalidInputError):
        app.sessions.sign_off(sid, aftercare_read=False)
    assert app.sessions.sign_off(sid, aftercare_read=True).complete
    app.sessions.complete(sid)
    assert app.sessions.session_facts(sid).status is SessionState.COMPLETED


def test_safety_end_early_before_the_dose_just_closes(with_profile: Services) -> None:
    app = with_profile
    sid = fresh_start(app)
    assert app.sessions.end_early(sid) is None
    assert app.sessions.session_facts(sid).status is SessionState.ABORTED


def test_safety_quit_after_end_early_resumes_into_after(
    app: Services, with_profile: Services, manual_clock: ManualClock, restart: Restart
) -> None:
    sid = dosed(with_profile, manual_clock)
    manual_clock.advance(5 * 60)
    with_profile.sessions.end_early(sid)
    info = restart(with_profile).sessions.unfinished_session()
    assert info is not None and info.session_id == sid and info.stage is ResumeStage.AFTER


def test_safety_severe_side_effect_saved_shows_emergency_card(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    app = with_profile
    sid = dosed(app, manual_clock)
    result = app.sessions.record_side_effects(sid, [("confusion", "severe", "")])
    assert result.shows_emergency_card
    assert AfterNeed.SIDE_EFFECTS not in app.sessions.after_status(sid).needs


def test_safety_rehearsal_is_the_same_core(manual_clock: ManualClock) -> None:
    from companion.services.protocol_files import default_protocol
    from tests.support.services import make_profile

    recorder = rehearsal_service(default_protocol(), make_profile().prescription, manual_clock)
    sid = recorder.start_session()
    before_step(recorder, sid)
    timeline = begin(recorder, sid, manual_clock)
    take_dose(recorder, sid, timeline, manual_clock)
    with pytest.raises(SessionStateError):
        recorder.abort(sid, "End early")
    assert recorder.end_early(sid) is not None
    with pytest.raises(SessionStateError):
        recorder.complete(sid)  # side effects and the sign-off are still needed
    stop = recorder.record_vitals(sid, Context.AFTER, Reading(72, 40, 38))
    assert stop.level is VitalLevel.STOP
    assert recorder.record_vitals(sid, Context.AFTER, Reading(120, 80, 70)).level is VitalLevel.STOP


# --- item 9, event times, check-ins, the log --------------------------------------------------
def test_safety_item9_carries_forward(with_profile: Services, manual_clock: ManualClock) -> None:
    app = with_profile
    assert app.assessments.record_item9_only(2)  # "Not now" on a PHQ-9 with item 9 = 2
    assert not app.assessments.record_item9_only(0)
    assert app.assessments.history("phq9") == []  # not a score
    sid = fresh_start(app)
    result = app.sessions.check_readiness(sid)
    finding = next(f for f in result.readiness.to_confirm if f.id == core.ITEM9_ID)
    assert "Dr. Rivera, +1 555 0100" in finding.text
    assert not result.can_start
    assert app.sessions.begin_settle(sid, acknowledged={core.ITEM9_ID}).started


def test_safety_item9_from_a_full_questionnaire_carries_forward(with_profile: Services) -> None:
    app = with_profile
    app.assessments.record("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1])
    sid = fresh_start(app)
    assert core.ITEM9_ID in {f.id for f in app.sessions.check_readiness(sid).readiness.to_confirm}


def test_safety_event_times_are_when_the_patient_acted(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    app = with_profile
    sid = fresh_start(app)
    timeline = begin(app.sessions, sid, manual_clock)
    pressed = manual_clock.now()
    manual_clock.advance(30)  # the worker got to it later
    dose = app.sessions.confirm_dose(sid, at=pressed)
    assert dose.taken_at == pressed
    timeline.dose_taken(manual_clock.monotonic())
    helped = manual_clock.now()
    manual_clock.advance(12)
    from companion.services.sessions_model import SessionEventKind

    app.sessions.log_event(sid, SessionEventKind.HELP_OPENED, at=helped)
    facts = app.sessions.session_facts(sid)
    assert facts.dose is not None and facts.dose.taken_at == pressed
    assert [e.at for e in facts.events if e.kind is SessionEventKind.HELP_OPENED] == [helped]
    with pytest.raises(InvalidInputError):
        app.sessions.log_event(
            sid, SessionEventKind.MARKER, at=manual_clock.now() + timedelta(hours=1)
        )


def test_safety_checkin_overdue_escalates() -> None:
    assert core.checkin_overdue_level(None) is core.Overdue.NONE
    assert core.checkin_overdue_level(30) is core.Overdue.NONE
    assert core.checkin_overdue_level(core.CHECKIN_REPEAT_SECONDS) is core.Overdue.REPEAT
    assert core.checkin_overdue_level(core.CHECKIN_ESCALATE_SECONDS) is core.Overdue.ESCALATE


def test_safety_log_names_no_health_events(
    with_profile: Services, manual_clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    app = with_profile
    from companion.services.sessions_model import SessionEventKind

    caplog.set_level(logging.DEBUG, logger="companion")
    app.assessments.record("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 2])
    sid = fresh_start(app)
    timeline = app.sessions.begin_settle(sid, acknowledged={core.ITEM9_ID})
    assert timeline.started and timeline.timeline is not None
    from companion.domain.timeline import SessionTimeline

    line = SessionTimeline(timeline.timeline, manual_clock.monotonic())
    take_dose(app.sessions, sid, line, manual_clock)
    app.sessions.log_event(sid, SessionEventKind.HELP_OPENED)
    advance(app.sessions, sid, line, manual_clock, 20)
    app.sessions.end_early(sid)
    finish_after(app.sessions, sid, manual_clock)
    names = [r.msg for r in caplog.records if r.name.startswith("companion")]
    assert names
    for word in ("dose", "vitals", "help", "safety", "checkin", "side_effect", "health", "abort"):
        assert not any(word in str(n) for n in names), (word, names)
