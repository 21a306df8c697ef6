"""Planning on a real vault: cadence, moves and cancellations with reasons, Home, reminders,
and the calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from companion.domain.clock import ManualClock
from companion.domain.planning import PlanError
from companion.domain.reminders import ReminderKind
from companion.i18n import format_time
from companion.services.container import Services
from companion.services.planning import PlannedVisit, PlanningService
from companion.storage.models import PlannedSessionRow
from tests.support.flow import before_step, begin, finish_after, take_dose
from tests.support.services import make_profile

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = datetime(2026, 3, 16, 17, 0, tzinfo=BERLIN)  # daylight saving starts on 29 March


@pytest.fixture
def planning(app: Services, manual_clock: ManualClock) -> PlanningService:
    """A planning service whose local zone is Berlin; now is 5 January 2026, 09:00 UTC."""
    return PlanningService(app.vault, manual_clock.now, app.protocols, zone=BERLIN)


def local_times(visits: tuple[PlannedVisit, ...]) -> list[str]:
    return [v.starts_at.strftime("%d.%m %H:%M") for v in visits]


def test_the_protocols_cadence_is_four_weekly_sessions_at_the_same_local_time(
    planning: PlanningService,
) -> None:
    visits = planning.plan_series(FIRST)
    assert local_times(visits) == ["16.03 17:00", "23.03 17:00", "30.03 17:00", "06.04 17:00"]
    assert [v.number for v in visits] == [1, 2, 3, 4]
    assert {v.total for v in visits} == {4}
    assert all(v.status == "planned" and v.sequence == 0 for v in visits)
    assert planning.upcoming() == visits
    steps = {s.id: s.at.strftime("%H:%M") for s in visits[0].preparation}
    assert steps["stop_eating"] == "13:00" and steps["start"] == "17:00"
    assert planning.warnings() == ()
    with pytest.raises(PlanError):
        planning.plan_series(FIRST + timedelta(days=60))  # still planned ahead


def test_a_time_without_zone_is_refused(planning: PlanningService) -> None:
    with pytest.raises(PlanError):
        planning.plan_series(datetime(2026, 3, 16, 17, 0))  # naive on purpose
    with pytest.raises(PlanError):
        planning.add_session(datetime(2026, 3, 16, 17, 0))


def test_move_and_cancel_keep_their_reason(planning: PlanningService, app: Services) -> None:
    visits = planning.plan_series(FIRST)
    moved = planning.move(
        visits[1].id, datetime(2026, 3, 25, 16, 0, tzinfo=BERLIN), reason="Work trip"
    )
    assert local_times(moved) == ["16.03 17:00", "25.03 16:00", "30.03 17:00", "06.04 17:00"]
    second = planning.visit(visits[1].id)
    assert (second.status, second.reason, second.sequence) == ("moved", "Work trip", 1)

    cancelled = planning.cancel(visits[2].id, reason="Provider on leave")
    assert (cancelled.status, cancelled.reason, cancelled.sequence) == (
        "cancelled",
        "Provider on leave",
        1,
    )
    assert [v.id for v in planning.upcoming()] == [visits[0].id, visits[1].id, visits[3].id]
    with pytest.raises(PlanError):
        planning.move(visits[2].id, FIRST, reason="changed my mind")  # cancelled stays cancelled
    with pytest.raises(PlanError):
        planning.cancel(visits[3].id, reason="  ")
    with pytest.raises(PlanError):
        planning.cancel("no-such-id", reason="gone")
    with app.vault.unit_of_work() as db:
        stored = {r.id: (r.status, r.reason) for r in db.scalars(select(PlannedSessionRow))}
    assert stored[visits[3].id] == ("planned", "")


def test_moving_with_the_following_sessions_keeps_their_local_time_across_dst(
    planning: PlanningService,
) -> None:
    visits = planning.plan_series(FIRST)
    shifted = planning.move(
        visits[0].id,
        FIRST + timedelta(days=2),
        reason="Monitor busy on Monday",
        shift_following=True,
    )
    assert local_times(shifted) == ["18.03 17:00", "25.03 17:00", "01.04 17:00", "08.04 17:00"]
    assert [v.reason for v in shifted[1:]] == ["Moved with session 1: Monitor busy on Monday"] * 3


def test_next_planned_agrees_with_home(
    app: Services, planning: PlanningService, manual_clock: ManualClock
) -> None:
    assert planning.next_planned() is None and app.home.summary().next_session_at is None
    visits = planning.plan_series(FIRST)

    def agree() -> datetime | None:
        ours = planning.next_planned()
        home = app.home.summary().next_session_at
        assert (None if ours is None else ours.starts_at) == home
        return home

    assert agree() == FIRST
    planning.cancel(visits[0].id, reason="Unwell")
    assert agree() == visits[1].starts_at
    planning.move(visits[1].id, FIRST + timedelta(days=9), reason="Clinic asked")
    assert agree() == FIRST + timedelta(days=9)
    manual_clock.advance((visits[3].starts_at - manual_clock.now()).total_seconds() + 3 * 3600)
    assert agree() is None  # all in the past


def test_completing_a_session_marks_its_plan_done(
    app: Services, planning: PlanningService, manual_clock: ManualClock
) -> None:
    app.profile.save(make_profile())
    visits = planning.plan_series(FIRST)
    manual_clock.advance((FIRST - manual_clock.now()).total_seconds())
    sid = app.sessions.start_session(visits[0].id)
    before_step(app.sessions, sid)
    timeline = begin(app.sessions, sid, manual_clock)
    take_dose(app.sessions, sid, timeline, manual_clock)
    assert planning.next_planned() == planning.visit(visits[0].id)  # begun, still "next"
    assert app.home.summary().next_session_at == FIRST  # Home agrees inside that window too
    finish_after(app.sessions, sid, manual_clock)
    assert planning.visit(visits[0].id).status == "done"
    next_one = planning.next_planned()
    assert next_one is not None and next_one.id == visits[1].id
    assert app.home.summary().next_session_at == next_one.starts_at
    with pytest.raises(PlanError):
        planning.cancel(visits[0].id, reason="too late")


def test_reminders_come_the_day_before_and_at_the_fasting_start(
    planning: PlanningService,
) -> None:
    planning.plan_series(FIRST)
    day_before = FIRST - timedelta(days=1)
    fasting = FIRST - timedelta(hours=4)
    assert planning.reminders_due(None, day_before - timedelta(minutes=1)) == ()
    due = planning.reminders_due(day_before - timedelta(minutes=1), day_before)
    assert [(r.kind, r.session_number) for r in due] == [(ReminderKind.DAY_BEFORE, 1)]
    assert format_time(time(13, 0)) in due[0].text  # stop eating, in local time
    due = planning.reminders_due(day_before, fasting + timedelta(minutes=2))
    assert [r.kind for r in due] == [ReminderKind.FASTING]
    assert planning.reminders_due(fasting + timedelta(minutes=2), FIRST) == ()


def unfold(text: str) -> list[str]:
    """RFC 5545 content lines: CRLF line ends, folded lines continue after a leading space."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines: list[str] = []
    for physical in text.split("\r\n")[:-1]:
        assert len(physical.encode("utf-8")) <= 75
        if physical.startswith(" "):
            lines[-1] += physical[1:]
        else:
            lines.append(physical)
    return lines


def parse_events(text: str) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    depth: list[str] = []
    for line in unfold(text):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            depth.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert depth.pop() == value
            if value == "VEVENT":
                assert current is not None
                events.append(current)
                current = None
        elif current is not None and depth[-1] == "VEVENT":
            current[name] = value
    assert depth == []
    return events


def test_the_calendar_file_is_written_and_parses(planning: PlanningService, tmp_path: Path) -> None:
    visits = planning.plan_series(FIRST)
    planning.cancel(visits[2].id, reason="Holiday")
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "companion-sessions.ics"
    assert planning.export_ics(target) == target
    assert [p.name for p in out.iterdir()] == ["companion-sessions.ics"]  # no temp file left
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    events = parse_events(text)
    assert [e["DTSTART"] for e in events] == [
        "20260316T160000Z",
        "20260323T160000Z",
        "20260330T150000Z",
        "20260406T150000Z",
    ]
    assert [e["STATUS"] for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert [e["SEQUENCE"] for e in events] == ["0", "0", "1", "0"]
    assert [e["UID"] for e in events] == [f"{v.id}@companion" for v in visits]
    # the local time as the patient's locale writes it (1:00 PM in English)
    assert all(f"Stop eating at {format_time(time(13, 0))}" in e["DESCRIPTION"] for e in events)
    assert "mg" not in text and "Ketamine" not in text  # no medicine, no dose leaves the vault

    planning.move(visits[0].id, FIRST + timedelta(hours=1), reason="Later")
    planning.export_ics(target)  # overwritten atomically, the moved event's sequence goes up
    moved = parse_events(target.read_bytes().decode("utf-8"))[0]
    assert (moved["DTSTART"], moved["SEQUENCE"]) == ("20260316T170000Z", "1")


def test_the_default_local_zone_is_used_when_none_is_given(
    app: Services, manual_clock: ManualClock
) -> None:
    visit = app.planning.add_session(datetime(2026, 2, 2, 17, 0, tzinfo=UTC))
    assert visit.starts_at.utcoffset() == timedelta(0)  # the fixture's services run in UTC
    assert visit.number == 1 and visit.total == 1
