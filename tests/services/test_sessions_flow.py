"""A real session recorded step by step on a real vault, and read back as facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from companion.domain.checklist import FindingLevel
from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId, Severity
from companion.domain.vitals import Context, Reading, ReadingError, VitalLevel
from companion.errors import InvalidInputError
from companion.services.container import Services
from companion.services.sessions_model import (
    SessionEventKind,
    SessionNotReadyError,
    SessionState,
    SessionStateError,
)
from companion.storage.models import (
    DoseLogRow,
    PlannedSessionRow,
    PrescriptionRow,
    SessionEventRow,
    SessionRow,
    VitalReadingRow,
)
from tests.support.flow import (
    ALL_CHECKED,
    MINUTE,
    NO_HEALTH_CHANGES,
    PROTOCOL,
    advance,
    before_step,
    begin,
    finish_after,
    take_dose,
)
from tests.support.services import DOSE_TEXT, make_profile, row_counts


def test_a_whole_session_is_recorded_step_by_step_and_read_back(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    app, clock = with_profile, manual_clock
    planned = app.planning.add_session(clock.now() + timedelta(minutes=10))
    sid = app.sessions.start_session(planned.id)
    started_at = clock.now()
    before_step(app.sessions, sid)
    clock.advance(2 * MINUTE)
    timeline = begin(app.sessions, sid, clock)
    settle_at = clock.now()

    seen = advance(app.sessions, sid, timeline, clock, 3)
    take_dose(app.sessions, sid, timeline, clock)
    dose_at = clock.now()
    seen += advance(app.sessions, sid, timeline, clock, 20)  # hold over, journey begun
    app.sessions.log_event(sid, SessionEventKind.MARKER, {"note": "warm light"})
    marker_at = clock.now()
    app.sessions.log_event(sid, SessionEventKind.HELP_OPENED)
    clock.advance(MINUTE)
    app.sessions.log_event(sid, SessionEventKind.HELP_CLOSED)
    app.sessions.log_event(sid, SessionEventKind.PAUSE)
    timeline.pause(clock.monotonic())
    clock.advance(3 * MINUTE)
    app.sessions.log_event(sid, SessionEventKind.RESUME)
    timeline.resume(clock.monotonic())
    seen += advance(app.sessions, sid, timeline, clock, 75)
    assert timeline.state(clock.monotonic()).phase is PhaseId.AFTER
    assert seen == [
        "phase:settle",
        "phase:hold",
        "prompt:hold_start",
        "phase:journey",
        "prompt:eye_mask",
        "checkin:1",
        "checkin:2",
        "checkin:3",
        "phase:return",
        "prompt:return",
        "prompt:water",
        "end",
    ]

    after = app.sessions.record_vitals(sid, Context.AFTER, Reading(132, 84, 76))
    assert after.level is VitalLevel.OK
    effects = app.sessions.record_side_effects(
        sid, [("nausea", Severity.MILD, "passed quickly"), ("dizziness", "moderate", "")]
    )
    assert not effects.shows_emergency_card
    recovered = clock.now() - timedelta(minutes=5)
    app.sessions.record_recovered_at(sid, recovered)
    app.sessions.record_mood_after(sid, 7)
    finish_after(app.sessions, sid, clock)
    ended_at = clock.now()

    facts = app.sessions.session_facts(sid)
    assert facts.status is SessionState.COMPLETED and not facts.rehearsal
    assert (facts.started_at, facts.settle_started_at, facts.ended_at) == (
        started_at,
        settle_at,
        ended_at,
    )
    assert facts.local_date == started_at.date()
    assert facts.planned_session_id == planned.id
    assert facts.protocol_name == PROTOCOL.info.name
    assert facts.checklist == ALL_CHECKED and facts.health == NO_HEALTH_CHANGES
    assert (facts.intention, facts.mood_before, facts.mood_after) == (
        "Be gentle with myself",
        4,
        7,
    )
    assert facts.dose is not None
    assert (facts.dose.dose_text, facts.dose.hold_minutes, facts.dose.taken_at) == (
        DOSE_TEXT,
        15,
        dose_at,
    )
    before = facts.vitals_before
    assert before is not None and before.level is VitalLevel.OK
    assert before.readings == (Reading(128, 82, 72), Reading(124, 80, 70))
    assert facts.vitals_after is not None and facts.vitals_after.readings == (Reading(132, 84, 76),)
    assert [(e.effect, e.severity, e.note) for e in facts.side_effects] == [
        ("nausea", Severity.MILD, "passed quickly"),
        ("dizziness", Severity.MODERATE, ""),
    ]
    assert [c.concerns for c in facts.checkins] == [(), ("nausea",), ()]
    assert all(c.note == "resting calmly" for c in facts.checkins)
    assert [(m.at, m.since_dose_seconds, m.note) for m in facts.markers] == [
        (marker_at, 20 * MINUTE, "warm light")
    ]
    assert facts.help_opened_count == 1
    assert len(facts.pauses) == 1 and facts.pauses[0].end is not None
    assert facts.recovered_at == recovered

    with app.vault.unit_of_work() as db:
        status = db.scalar(
            select(PlannedSessionRow.status).where(PlannedSessionRow.id == planned.id)
        )
    assert status == "done"
    assert app.home.summary().sessions_completed == 1
    assert app.planning.next_planned() is None


def test_every_step_is_in_the_vault_the_moment_it_happens(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    sid = with_profile.sessions.start_session()
    with_profile.sessions.record_checklist(sid, {"fasting": True})
    with_profile.sessions.record_checklist(sid, {"fasting": False, "quiet_room": True})
    counts = row_counts(with_profile)
    assert counts["session"] == 1 and counts["checklist_answer"] == 2  # one row per item
    assert with_profile.sessions.session_facts(sid).checklist == {
        "fasting": False,
        "quiet_room": True,
    }


def test_stop_level_blood_pressure_refuses_the_start_and_is_recorded(
    with_profile: Services,
) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    s.record_checklist(sid, ALL_CHECKED)
    s.record_health_answers(sid, NO_HEALTH_CHANGES)
    assessment = s.record_vitals(sid, Context.BEFORE, Reading(165, 96, 88))
    assert assessment.level is VitalLevel.STOP and not assessment.can_start

    result = s.begin_settle(sid)
    assert not result.started and not result.can_start and result.timeline is None
    assert [f.id for f in result.readiness.blocks] == ["vitals:stop"]
    with pytest.raises(SessionNotReadyError):
        s.confirm_dose(sid)
    with pytest.raises(SessionStateError):
        s.log_event(sid, SessionEventKind.PAUSE)

    facts = s.session_facts(sid)
    assert facts.vitals_before is not None and facts.vitals_before.level is VitalLevel.STOP
    assert facts.settle_started_at is None and facts.dose is None
    readiness = [e for e in facts.events if e.kind is SessionEventKind.READINESS]
    assert len(readiness) == 1
    assert readiness[0].detail["can_start"] is False
    assert readiness[0].detail["blocks"] == ["vitals:stop"]
    with with_profile.vault.unit_of_work() as db:
        assert {r.classification for r in db.scalars(select(VitalReadingRow))} == {"stop"}
        assert db.scalar(select(DoseLogRow.id)) is None

    s.abort(sid, "Blood pressure above my provider's stop level")
    facts = s.session_facts(sid)
    assert facts.status is SessionState.ABORTED
    assert facts.abort_reason == "Blood pressure above my provider's stop level"
    assert facts.ended_at is not None


def test_a_warn_level_reading_starts_only_once_acknowledged(with_profile: Services) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    s.record_checklist(sid, ALL_CHECKED)
    s.record_health_answers(sid, NO_HEALTH_CHANGES)
    assert s.record_vitals(sid, Context.BEFORE, Reading(146, 86, 80)).must_acknowledge

    refused = s.begin_settle(sid)
    assert not refused.started
    assert [f.id for f in refused.readiness.unacknowledged(refused.acknowledged)] == ["vitals:warn"]
    s.acknowledge_vitals(sid, Context.BEFORE)
    assert s.begin_settle(sid).started
    with pytest.raises(SessionStateError):
        s.begin_settle(sid)
    vitals = s.session_facts(sid).vitals_before
    assert vitals is not None and vitals.acknowledged and vitals.level is VitalLevel.WARN


def test_a_later_good_reading_replaces_a_warning(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    s.record_checklist(sid, ALL_CHECKED)
    s.record_health_answers(sid, NO_HEALTH_CHANGES)
    s.record_vitals(sid, Context.BEFORE, Reading(146, 86, 80))
    manual_clock.advance(5 * MINUTE)
    s.record_vitals(sid, Context.BEFORE, Reading(130, 82, 74))
    assert s.check_readiness(sid).can_start
    assert [v.level for v in s.session_facts(sid).vitals] == [VitalLevel.WARN, VitalLevel.OK]


def test_the_start_check_names_what_is_missing(app: Services, manual_clock: ManualClock) -> None:
    s = app.sessions
    sid = s.start_session()
    checks = s.check_readiness(sid)
    blocks = {f.id for f in checks.readiness.blocks}
    assert {"prescription:missing", "vitals:missing", "checklist:monitor_present"} <= blocks
    assert "health:pregnancy" in blocks  # unanswered
    assert row_counts(app)["session_event"] == 0  # checking writes nothing

    app.profile.save(make_profile())
    s.record_checklist(sid, {**ALL_CHECKED, "mask_and_music": False})
    s.record_health_answers(sid, {**NO_HEALTH_CHANGES, "new_medicines": True})
    s.record_vitals(sid, Context.BEFORE, Reading(120, 80, 70))
    manual_clock.advance(12 * 3600)  # 21:00: later than the protocol's 20:00
    checks = s.check_readiness(sid)
    assert not checks.readiness.blocks
    assert {f.id for f in checks.readiness.to_confirm} == {"health:new_medicines", "timing:late"}
    assert [f.id for f in checks.readiness.of_level(FindingLevel.INFO)] == [
        "checklist:mask_and_music"
    ]
    assert not s.begin_settle(sid).started
    assert s.begin_settle(sid, acknowledged={"health:new_medicines", "timing:late"}).started


def test_a_short_fast_must_be_acknowledged(with_profile: Services) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    s.record_checklist(sid, ALL_CHECKED)
    s.record_health_answers(sid, NO_HEALTH_CHANGES)
    s.record_vitals(sid, Context.BEFORE, Reading(120, 80, 70))
    ate = with_profile.clock.now() - timedelta(hours=2)
    result = s.check_readiness(sid, last_meal_at=ate)
    assert [f.id for f in result.readiness.to_confirm] == ["fasting:short"]
    assert s.begin_settle(sid, last_meal_at=ate, acknowledged={"fasting:short"}).started


def test_the_dose_log_copies_the_prescription_verbatim_and_keeps_it(
    app: Services, manual_clock: ManualClock
) -> None:
    dose_text = "½ tablet (50 mg) — as Dr. Rivera wrote; do NOT chew"
    app.profile.save(make_profile(dose_text=dose_text, hold_minutes=12))
    s = app.sessions
    sid = s.start_session()
    before_step(s, sid)
    result = s.begin_settle(sid)
    assert result.timeline is not None
    assert result.timeline.phase(PhaseId.HOLD).minutes == 12  # the provider's hold time
    manual_clock.advance(4 * MINUTE)
    dose = s.confirm_dose(sid)
    assert (dose.medicine, dose.form, dose.dose_text, dose.hold_minutes) == (
        "Ketamine",
        "rapid-dissolving tablet (RDT)",
        dose_text,
        12,
    )
    with pytest.raises(SessionStateError):
        s.confirm_dose(sid)

    # the provider changes the prescription afterwards
    app.profile.save(make_profile(dose_text="75 mg RDT", hold_minutes=20))
    logged = s.session_facts(sid).dose
    assert logged is not None
    assert (logged.dose_text, logged.hold_minutes) == (dose_text, 12)
    with app.vault.unit_of_work() as db:
        row = db.scalars(select(DoseLogRow)).one()
        original = db.get(PrescriptionRow, row.prescription_id)
        assert original is not None and not original.active
        assert original.dose_text == row.dose_text == dose_text
        session_row = db.get(SessionRow, sid)
        assert session_row is not None and session_row.prescription_id == original.id


def test_events_are_checked_and_pauses_are_recorded_once(with_profile: Services) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    s.log_event(sid, SessionEventKind.HELP_OPENED)  # Help works before the timeline, too
    with pytest.raises(SessionStateError):
        s.log_event(sid, SessionEventKind.PAUSE)
    before_step(s, sid)
    assert s.begin_settle(sid).started
    with pytest.raises(InvalidInputError):
        s.log_event(sid, SessionEventKind.SETTLE_STARTED)
    with pytest.raises(InvalidInputError):
        s.log_event(sid, SessionEventKind.PHASE)
    with pytest.raises(InvalidInputError):
        s.log_event(sid, SessionEventKind.PHASE, {"phase": "party"})
    with pytest.raises(InvalidInputError):
        s.log_event(sid, SessionEventKind.MARKER, {"colour": "blue"})
    s.log_event(sid, SessionEventKind.RESUME)  # not paused: nothing to record
    s.log_event(sid, SessionEventKind.PAUSE)
    s.log_event(sid, SessionEventKind.PAUSE)
    s.log_event(sid, SessionEventKind.RESUME)
    kinds = [e.kind for e in s.session_facts(sid).events]
    assert kinds.count(SessionEventKind.PAUSE) == 1
    assert kinds.count(SessionEventKind.RESUME) == 1


def test_a_severe_side_effect_shows_the_emergency_card(with_profile: Services) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    result = s.record_side_effects(
        sid, [("nausea", "severe", ""), ("confusion", "severe", "did not know where I was")]
    )
    assert result.shows_emergency_card
    assert [e.effect for e in result.effects if e.shows_emergency_card] == ["confusion"]
    assert not s.record_side_effects(sid, [("nausea", "severe", "")]).shows_emergency_card
    assert s.record_side_effects(sid, [("other", "severe", "chest tightness")]).shows_emergency_card
    result = s.record_side_effects(sid, [("dizziness", "none", ""), ("vision", "mild", "")])
    assert [e.effect for e in result.effects] == ["vision"]
    assert [e.effect for e in s.session_facts(sid).side_effects] == ["vision"]  # replaced
    with pytest.raises(InvalidInputError):
        s.record_side_effects(sid, [("hiccups", "mild", "")])
    with pytest.raises(InvalidInputError):
        s.record_side_effects(sid, [("nausea", "unbearable", "")])
    assert [e.effect for e in s.session_facts(sid).side_effects] == ["vision"]  # unchanged


def test_bad_input_is_refused_and_changes_nothing(with_profile: Services) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    counts = row_counts(with_profile)
    with pytest.raises(ReadingError):
        s.record_vitals(sid, Context.BEFORE, Reading(80, 120, 70))
    with pytest.raises(InvalidInputError):
        s.record_checklist(sid, {"not_an_item": True})
    with pytest.raises(InvalidInputError):
        s.record_health_answers(sid, {"fasting": True})
    with pytest.raises(InvalidInputError):
        s.record_intention_and_mood(sid, "calm", 11)
    with pytest.raises(InvalidInputError):
        s.record_recovered_at(sid, with_profile.clock.now() + timedelta(hours=1))
    with pytest.raises(InvalidInputError):
        s.record_recovered_at(sid, datetime(2026, 1, 5, 9, 0))  # naive on purpose
    with pytest.raises(InvalidInputError):
        s.abort(sid, "   ")
    with pytest.raises(InvalidInputError):
        s.acknowledge_vitals(sid, Context.AFTER)
    assert row_counts(with_profile) == counts


def test_one_open_session_at_a_time_and_closed_sessions_stay_closed(
    with_profile: Services,
) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    with pytest.raises(SessionStateError):
        s.start_session()
    with pytest.raises(SessionStateError):
        s.complete(sid)  # no dose was taken: abort with a reason instead
    s.abort(sid, "The monitor could not come")
    with pytest.raises(SessionStateError):
        s.record_checklist(sid, {"fasting": True})
    with pytest.raises(SessionStateError):
        s.record_mood_after(sid, 5)  # aborted sessions are not edited after
    with pytest.raises(SessionStateError):
        s.session_facts("missing")
    assert s.unfinished_session() is None
    second = s.start_session()
    assert second != sid


def test_after_step_answers_may_come_after_completing(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    before_step(s, sid)
    timeline = begin(s, sid, manual_clock)
    take_dose(s, sid, timeline, manual_clock)
    finish_after(s, sid, manual_clock)
    manual_clock.advance(3 * 3600)
    s.record_mood_after(sid, 8)
    s.record_recovered_at(sid, manual_clock.now() - timedelta(hours=1))
    facts = s.session_facts(sid)
    assert facts.mood_after == 8 and facts.recovered_at is not None
    with pytest.raises(SessionStateError):
        s.record_side_effects(sid, [("nausea", "mild", "")])


def test_a_cancelled_planned_session_cannot_be_started(with_profile: Services) -> None:
    planned = with_profile.planning.add_session(datetime(2026, 1, 6, 17, 0, tzinfo=UTC))
    with_profile.planning.cancel(planned.id, reason="Provider away")
    with pytest.raises(InvalidInputError):
        with_profile.sessions.start_session(planned.id)
    assert row_counts(with_profile)["session"] == 0


def test_events_at_the_same_instant_keep_their_order(with_profile: Services) -> None:
    s = with_profile.sessions
    sid = s.start_session()
    for note in ("one", "two", "three", "four"):
        s.log_event(sid, SessionEventKind.MARKER, {"note": note})
    assert [m.note for m in s.session_facts(sid).markers] == ["one", "two", "three", "four"]
    with with_profile.vault.unit_of_work() as db:
        assert len(db.scalars(select(SessionEventRow)).all()) == 4
