"""Planning tells the truth: no past dates, one numbering rule, "tomorrow" only on the day
before, across midnight and daylight-saving changes (a manual clock, never the real one)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.domain.clock import ManualClock
from companion.domain.planning import (
    PlanError,
    SessionStatus,
    mark_done,
    move_session,
    plan_cadence,
    plan_from_protocol,
    plan_warnings,
    require_future,
)
from companion.domain.reminders import (
    ReminderKind,
    current_reminder,
    day_before,
    relative_day,
    reminders_due,
)
from companion.domain.session_numbers import BegunSession, PlanSlot, number_sessions
from companion.i18n import format_skeleton, format_time
from companion.services.protocol_files import default_protocol

PROTOCOL = default_protocol()
BERLIN = ZoneInfo("Europe/Berlin")
DST_DAY = datetime(2026, 3, 29, 17, 0, tzinfo=BERLIN)  # clocks go forward at 02:00 that day
AUTUMN_DAY = datetime(2026, 10, 25, 17, 0, tzinfo=BERLIN)  # clocks go back at 03:00


def clock_at(moment: datetime) -> ManualClock:
    return ManualClock(moment)


# --- a past date is refused -------------------------------------------------------------------


def test_a_past_date_is_refused_not_silently_skipped() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN)
    with pytest.raises(PlanError, match="already passed"):
        require_future(now - timedelta(days=1), now)
    with pytest.raises(PlanError, match="already passed"):
        require_future(now, now)
    assert require_future(now + timedelta(minutes=1), now) == now + timedelta(minutes=1)


def test_moving_a_session_into_the_past_is_refused() -> None:
    now = datetime(2026, 3, 20, 9, 0, tzinfo=BERLIN)
    plan = plan_from_protocol(datetime(2026, 3, 23, 17, 0, tzinfo=BERLIN), PROTOCOL)
    with pytest.raises(PlanError, match="already passed"):
        move_session(plan, 1, now - timedelta(hours=1), reason="Oops", at=now)


# --- one numbering rule -----------------------------------------------------------------------


def test_numbering_counts_every_session_begun_and_then_the_ones_ahead() -> None:
    now = datetime(2026, 3, 20, 9, 0, tzinfo=BERLIN)
    day = timedelta(days=1)
    begun = [
        BegunSession("s2", now - 3 * day, "p2"),  # completed
        BegunSession("s1", now - 10 * day, "p1"),  # stopped early: still session 1
    ]
    planned = [
        PlanSlot("p1", now - 10 * day, SessionStatus.PLANNED),
        PlanSlot("p2", now - 3 * day, SessionStatus.DONE),
        PlanSlot("missed", now - 2 * day, SessionStatus.PLANNED),  # passed, never begun
        PlanSlot("gone", now + 2 * day, SessionStatus.CANCELLED),
        PlanSlot("p4", now + 7 * day, SessionStatus.PLANNED),
        PlanSlot("p3", now + 4 * day, SessionStatus.PLANNED),
    ]
    numbers = number_sessions(begun, planned, now)
    assert numbers.sessions == {"s1": 1, "s2": 2}
    # p1 was stopped early and its time has passed: the session keeps number 1, the slot none
    assert numbers.planned == {"p2": 2, "p3": 3, "p4": 4}
    assert numbers.of_planned("missed") is None and numbers.of_planned("gone") is None
    assert numbers.total == 4


def test_a_session_stopped_early_and_tried_again_gets_the_next_number() -> None:
    start = datetime(2026, 3, 20, 17, 0, tzinfo=BERLIN)
    slots = [
        PlanSlot("p1", start, SessionStatus.PLANNED),
        PlanSlot("p2", start + timedelta(days=7), SessionStatus.PLANNED),
    ]
    now = start + timedelta(minutes=30)
    running = [BegunSession("s1", start, "p1", in_progress=True)]
    first = number_sessions(running, slots, now)
    assert first.planned == {"p1": 1, "p2": 2} and first.total == 2
    stopped = [BegunSession("s1", start, "p1")]  # stopped early; the slot is open again
    again = number_sessions(stopped, slots, now)
    assert again.sessions == {"s1": 1}
    assert again.planned == {"p1": 2, "p2": 3} and again.total == 3


def test_a_session_that_began_a_little_while_ago_keeps_its_number() -> None:
    start = datetime(2026, 3, 20, 17, 0, tzinfo=BERLIN)
    slots = [PlanSlot("p1", start, SessionStatus.PLANNED)]
    assert number_sessions([], slots, start + timedelta(hours=1)).planned == {"p1": 1}
    assert number_sessions([], slots, start + timedelta(hours=3)).planned == {}


def test_a_missed_session_is_named_by_its_day_and_has_no_warning() -> None:
    plan = plan_cadence(DST_DAY, sessions=2, interval_days=1)
    missed = plan.sessions[0]
    from dataclasses import replace

    plan = replace(plan, sessions=(replace(missed, shown_number=None), plan.sessions[1]))
    day = format_skeleton(plan.sessions[0].starts_at, "EEEEdMMMM")  # Sunday, March 29
    assert plan.sessions[0].name == f"The session on {day}"
    assert plan.sessions[1].name == "Session 2"
    # session 2 is a day after the missed one, but a missed session cannot be acted on
    assert all(w.session_number != 1 for w in plan_warnings(plan, PROTOCOL))


def test_warnings_leave_out_sessions_already_done() -> None:
    start = datetime(2026, 3, 2, 17, 0, tzinfo=BERLIN)
    plan = plan_cadence(start, sessions=3, interval_days=1)  # far too close together
    assert {w.session_number for w in plan_warnings(plan, PROTOCOL)} == {2, 3}
    plan = mark_done(mark_done(plan, 1, at=start), 2, at=start + timedelta(days=1))
    assert [w.session_number for w in plan_warnings(plan, PROTOCOL)] == [3]
    plan = mark_done(plan, 3, at=start + timedelta(days=2))
    assert plan_warnings(plan, PROTOCOL) == ()


# --- "tomorrow" only when it is tomorrow ------------------------------------------------------


def test_relative_day_words_across_midnight() -> None:
    session = datetime(2026, 3, 16, 17, 0, tzinfo=BERLIN)
    assert relative_day(session, datetime(2026, 3, 15, 23, 59, tzinfo=BERLIN)) == "tomorrow"
    assert relative_day(session, datetime(2026, 3, 16, 0, 0, tzinfo=BERLIN)) == "today"
    assert relative_day(session, datetime(2026, 3, 14, 12, 0, tzinfo=BERLIN)) == "another day"
    # a UTC "now" is read in the session's own zone: 23:30 UTC is already the 16th in Berlin
    utc_now = datetime(2026, 3, 15, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert relative_day(session, utc_now) == "today"


def test_the_day_before_reminder_is_true_only_on_the_day_before() -> None:
    start = datetime(2026, 3, 16, 17, 0, tzinfo=BERLIN)
    plan = plan_from_protocol(start, PROTOCOL)
    clock = clock_at(datetime(2026, 3, 15, 16, 59, tzinfo=BERLIN))
    assert current_reminder(plan, PROTOCOL, clock.now()) is None
    clock.advance(60)  # 17:00 the day before
    reminder = current_reminder(plan, PROTOCOL, clock.now())
    assert reminder is not None and reminder.kind is ReminderKind.DAY_BEFORE
    assert reminder.title == f"Session 1 is tomorrow at {format_time(time(17, 0))}"
    assert f"Stop eating at {format_time(time(13, 0))} tomorrow" in reminder.text
    clock.advance(6 * 3600 + 59 * 60)  # 23:59
    assert current_reminder(plan, PROTOCOL, clock.now()) == reminder
    clock.advance(60)  # midnight: "tomorrow" is no longer true, and fasting has not begun
    assert current_reminder(plan, PROTOCOL, clock.now()) is None
    assert reminders_due(plan, PROTOCOL, None, clock.now()) == ()
    clock.advance(13 * 3600)  # 13:00 on the day
    reminder = current_reminder(plan, PROTOCOL, clock.now())
    assert reminder is not None and reminder.kind is ReminderKind.FASTING
    assert f"today at {format_time(time(17, 0))}" in reminder.text
    assert "tomorrow" not in reminder.text
    clock.advance(4 * 3600)  # the session's time: no reminder is true any more
    assert current_reminder(plan, PROTOCOL, clock.now()) is None


def test_no_reminder_after_the_session_is_done() -> None:
    start = datetime(2026, 3, 16, 17, 0, tzinfo=BERLIN)
    plan = plan_from_protocol(start, PROTOCOL)
    during_fast = start - timedelta(hours=2)
    assert current_reminder(plan, PROTOCOL, during_fast) is not None
    done = mark_done(plan, 1, at=during_fast)
    assert current_reminder(done, PROTOCOL, during_fast) is None


@pytest.mark.parametrize("start", [DST_DAY, AUTUMN_DAY], ids=["spring", "autumn"])
def test_the_day_before_window_follows_the_wall_clock_across_daylight_saving(
    start: datetime,
) -> None:
    plan = plan_from_protocol(start, PROTOCOL)
    eve = day_before(start)
    assert (eve.day, eve.hour, eve.minute) == (start.day - 1, 17, 0)
    assert eve.utcoffset() != start.utcoffset()  # the night in between has 23 or 25 hours
    assert current_reminder(plan, PROTOCOL, eve - timedelta(minutes=1)) is None
    reminder = current_reminder(plan, PROTOCOL, eve)
    assert reminder is not None and reminder.kind is ReminderKind.DAY_BEFORE
    midnight = datetime(start.year, start.month, start.day, 0, 0, tzinfo=BERLIN)
    assert reminder.until == midnight
    assert current_reminder(plan, PROTOCOL, midnight - timedelta(seconds=1)) == reminder
    assert current_reminder(plan, PROTOCOL, midnight) is None


def test_an_early_session_fasts_from_the_evening_before_and_says_so() -> None:
    start = datetime(2026, 3, 16, 1, 30, tzinfo=BERLIN)  # stop eating at 21:30 the day before
    plan = plan_from_protocol(start, PROTOCOL)
    eve = current_reminder(plan, PROTOCOL, datetime(2026, 3, 15, 9, 0, tzinfo=BERLIN))
    assert eve is not None
    assert eve.title == f"Session 1 is tomorrow at {format_time(time(1, 30))}"
    assert f"Stop eating at {format_time(time(21, 30))} today" in eve.text
    fasting = current_reminder(plan, PROTOCOL, datetime(2026, 3, 15, 21, 30, tzinfo=BERLIN))
    assert fasting is not None and fasting.kind is ReminderKind.FASTING
    assert f"tomorrow at {format_time(time(1, 30))}" in fasting.text
