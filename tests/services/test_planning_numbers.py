"""One numbering rule on a real vault: Home, the Session page, Insights (and so the Journal)
agree; a past time is refused; Home's reminder is what is true now."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.domain.clock import ManualClock
from companion.domain.planning import PlanError
from companion.domain.reminders import ReminderKind
from companion.i18n import format_time
from companion.services.container import Services
from companion.services.planning import PlanningService
from tests.support.flow import before_step, begin, finish_after, take_dose
from tests.support.services import make_profile

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = datetime(2026, 3, 16, 17, 0, tzinfo=BERLIN)


@pytest.fixture
def planning(app: Services, manual_clock: ManualClock) -> PlanningService:
    return PlanningService(app.vault, manual_clock.now, app.protocols, zone=BERLIN)


def test_a_past_first_session_is_refused_and_nothing_is_planned(
    planning: PlanningService, manual_clock: ManualClock
) -> None:
    with pytest.raises(PlanError, match="already passed"):
        planning.plan_series(manual_clock.now() - timedelta(days=1))
    assert planning.plan() == ()
    with pytest.raises(PlanError, match="already passed"):
        planning.add_session(manual_clock.now() - timedelta(minutes=5))
    visits = planning.plan_series(FIRST)
    with pytest.raises(PlanError, match="already passed"):
        planning.move(visits[0].id, manual_clock.now() - timedelta(hours=1), reason="Oops")


def test_one_numbering_for_home_and_insights_after_a_session_stopped_early(
    app: Services, planning: PlanningService, manual_clock: ManualClock
) -> None:
    app.profile.save(make_profile())
    visits = planning.plan_series(FIRST)
    assert [(v.number, v.total) for v in visits] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    manual_clock.advance((FIRST - manual_clock.now()).total_seconds())
    stopped = app.sessions.start_session(visits[0].id)
    assert planning.next_planned() == planning.visit(visits[0].id)
    assert planning.visit(visits[0].id).number == 1  # running now: it is session 1
    app.sessions.abort(stopped, "Felt unwell before the medicine")
    manual_clock.advance(10 * 60)  # a while later, a second try
    # the slot is open for another try, which would be the second session begun
    again = planning.visit(visits[0].id)
    assert (again.number, again.total) == (2, 5)
    completed = app.sessions.start_session(visits[0].id)
    before_step(app.sessions, completed)
    timeline = begin(app.sessions, completed, manual_clock)
    take_dose(app.sessions, completed, timeline, manual_clock)
    finish_after(app.sessions, completed, manual_clock)  # vitals, side effects, sign-off
    assert planning.session_numbers() == {stopped: 1, completed: 2}
    nxt = planning.next_planned()
    assert nxt is not None and (nxt.number, nxt.total, nxt.name) == (3, 5, "Session 3")
    mood = app.insights.overview().mood.points
    assert [(p.session_id, p.number) for p in mood] == [(completed, 2)]  # the Journal's label


def test_a_missed_session_loses_its_number_instead_of_shifting_the_rest(
    planning: PlanningService, manual_clock: ManualClock
) -> None:
    visits = planning.plan_series(FIRST)
    manual_clock.advance((FIRST - manual_clock.now()).total_seconds() + 3 * 3600)
    missed = planning.visit(visits[0].id)
    assert missed.number == 0 and missed.name == "The session on Monday 16 March"
    nxt = planning.next_planned()
    assert nxt is not None and (nxt.number, nxt.total) == (1, 3)


def test_home_reminder_is_true_now_and_gone_at_midnight(
    planning: PlanningService, manual_clock: ManualClock
) -> None:
    planning.plan_series(FIRST)
    assert planning.current_reminder() is None
    eve = FIRST - timedelta(days=1)
    manual_clock.advance((eve - manual_clock.now()).total_seconds())
    reminder = planning.current_reminder()
    assert reminder is not None and reminder.kind is ReminderKind.DAY_BEFORE
    assert reminder.title == f"Session 1 is tomorrow at {format_time(time(17, 0))}"
    manual_clock.advance(7 * 3600)  # midnight in Berlin
    assert planning.current_reminder() is None
