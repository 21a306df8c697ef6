"""Planning: cadence, preparation, reminders, moves and cancellations, and the .ics file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.domain.ics import ics_escape, ics_fold, plan_to_ics
from companion.domain.planning import (
    ChangeKind,
    Plan,
    PlanError,
    SessionStatus,
    cancel_session,
    mark_done,
    move_session,
    plan_cadence,
    plan_from_protocol,
    plan_warnings,
)
from companion.domain.reminders import (
    ReminderKind,
    preparation_timeline,
    reminders_due,
    reminders_for,
)
from companion.errors import CompanionError
from companion.i18n import format_time
from companion.services.protocol_files import default_protocol

PROTOCOL = default_protocol()
BERLIN = ZoneInfo("Europe/Berlin")
FIRST = datetime(2026, 3, 16, 17, 0, tzinfo=BERLIN)  # daylight saving starts on 29 March
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def plan() -> Plan:
    return plan_from_protocol(FIRST, PROTOCOL, plan_id="p1")


# --------------------------------------------------------------------------------------------
# Cadence


def test_four_weekly_sessions_at_the_same_local_time_across_daylight_saving() -> None:
    p = plan()
    assert [s.number for s in p.sessions] == [1, 2, 3, 4]
    assert [s.starts_at.strftime("%d %H:%M") for s in p.sessions] == [
        "16 17:00",
        "23 17:00",
        "30 17:00",
        "06 17:00",
    ]
    assert [s.starts_at.astimezone(UTC).hour for s in p.sessions] == [16, 16, 15, 15]
    assert len({s.uid for s in p.sessions}) == 4
    assert all(s.status is SessionStatus.PLANNED for s in p.sessions)


def test_cadence_limits_and_time_zones() -> None:
    with pytest.raises(PlanError, match="time zone"):
        plan_cadence(datetime(2026, 3, 16, 17), sessions=4, interval_days=7)
    with pytest.raises(PlanError):
        plan_cadence(FIRST, sessions=0, interval_days=7)
    with pytest.raises(PlanError):
        plan_cadence(FIRST, sessions=4, interval_days=0)
    assert len(plan_cadence(FIRST, sessions=6, interval_days=3).sessions) == 6
    assert (
        plan_cadence(FIRST, sessions=1, interval_days=7).id
        != plan_cadence(FIRST, sessions=1, interval_days=7).id
    )


def test_next_session() -> None:
    p = plan()
    assert p.next_session(NOW) == p.session(1)
    assert p.next_session(FIRST + timedelta(hours=1)) == p.session(1)  # still under way
    assert p.next_session(FIRST + timedelta(hours=3)) == p.session(2)
    done = mark_done(p, 1, at=FIRST + timedelta(hours=2))
    assert done.next_session(FIRST) == done.session(2)
    assert p.next_session(FIRST + timedelta(days=40)) is None


# --------------------------------------------------------------------------------------------
# Preparation and reminders


def test_preparation_timeline_for_a_five_pm_session() -> None:
    steps = preparation_timeline(FIRST, PROTOCOL)
    assert [(s.id, f"{s.at:%H:%M}") for s in steps] == [
        ("ideal_last_meal", "11:00"),
        ("stop_eating", "13:00"),
        ("get_ready", "16:30"),
        ("monitor_here", "16:45"),
        ("start", "17:00"),
        ("end", "18:35"),
        ("no_driving", "00:35"),
    ]
    texts = {s.id: s.text for s in steps}
    assert texts["stop_eating"] == f"Stop eating at {format_time(time(13, 0))} (4 hours before)."
    assert texts["ideal_last_meal"] == (
        f"Ideally, finish your last meal by {format_time(time(11, 0))} (6 hours before)."
    )


def test_reminders_for_a_plan() -> None:
    reminders = reminders_for(plan(), PROTOCOL)
    assert len(reminders) == 8
    first_two = reminders[:2]
    assert [(r.kind, f"{r.at:%d %H:%M}") for r in first_two] == [
        (ReminderKind.DAY_BEFORE, "15 17:00"),
        (ReminderKind.FASTING, "16 13:00"),
    ]
    assert first_two[0].title == f"Session 1 is tomorrow at {format_time(time(17, 0))}"
    assert f"Stop eating at {format_time(time(13, 0))} tomorrow" in first_two[0].text
    assert first_two[0].id == "p1-1@companion:day_before"


def test_reminders_fall_due_once() -> None:
    p = plan()
    day_before = FIRST - timedelta(days=1)
    fasting = FIRST - timedelta(hours=4)
    assert reminders_due(p, PROTOCOL, None, day_before - timedelta(seconds=1)) == ()
    (r,) = reminders_due(p, PROTOCOL, None, day_before)
    assert r.kind is ReminderKind.DAY_BEFORE
    assert reminders_due(p, PROTOCOL, day_before, day_before + timedelta(hours=1)) == ()
    (r,) = reminders_due(p, PROTOCOL, day_before, fasting)
    assert r.kind is ReminderKind.FASTING


def test_a_late_look_shows_only_the_latest_reminder_and_none_after_the_start() -> None:
    p = plan()
    (r,) = reminders_due(p, PROTOCOL, None, FIRST - timedelta(hours=1))
    assert r.kind is ReminderKind.FASTING
    assert reminders_due(p, PROTOCOL, None, FIRST) == ()


def test_cancelled_sessions_have_no_reminders() -> None:
    p = cancel_session(plan(), 1, reason="Feeling unwell", at=NOW)
    assert {r.session_number for r in reminders_for(p, PROTOCOL)} == {2, 3, 4}


# --------------------------------------------------------------------------------------------
# Moving and cancelling


def test_move_keeps_the_reason_and_the_previous_time() -> None:
    p = plan()
    new_start = FIRST + timedelta(days=2)
    moved = move_session(p, 2, new_start + timedelta(days=7), reason="Monitor away", at=NOW)
    session = moved.session(2)
    assert session.starts_at == new_start + timedelta(days=7)
    assert session.sequence == 1
    (change,) = session.history
    assert change.kind is ChangeKind.MOVED and change.reason == "Monitor away"
    assert change.previous_start == p.session(2).starts_at and change.at == NOW
    assert moved.session(3) == p.session(3)  # the others are untouched
    assert p.session(2).history == ()  # and the old plan is unchanged


def test_move_can_shift_the_following_sessions() -> None:
    p = mark_done(plan(), 1, at=FIRST)
    moved = move_session(
        p,
        2,
        p.session(2).starts_at + timedelta(days=2),
        reason="Trip",
        at=NOW,
        shift_following=True,
    )
    shifts = [moved.session(n).starts_at - p.session(n).starts_at for n in (1, 2, 3, 4)]
    assert shifts == [timedelta(0), timedelta(days=2), timedelta(days=2), timedelta(days=2)]
    assert moved.session(3).history[0].reason == "Moved with session 2: Trip"


def test_cancel_needs_a_reason_and_is_final() -> None:
    with pytest.raises(PlanError, match="reason"):
        cancel_session(plan(), 1, reason="   ", at=NOW)
    p = cancel_session(plan(), 1, reason="  Unwell ", at=NOW)
    s = p.session(1)
    assert s.status is SessionStatus.CANCELLED and s.sequence == 1
    assert s.history[0].kind is ChangeKind.CANCELLED and s.history[0].reason == "Unwell"
    with pytest.raises(PlanError, match="cancelled"):
        move_session(p, 1, FIRST, reason="Changed my mind", at=NOW)
    with pytest.raises(PlanError, match="cancelled"):
        cancel_session(p, 1, reason="again", at=NOW)


def test_plan_errors_are_plain() -> None:
    with pytest.raises(PlanError) as info:
        plan().session(9)
    assert isinstance(info.value, CompanionError) and str(info.value) == (
        "There is no session 9 in this plan."
    )
    with pytest.raises(PlanError, match="under 300"):
        move_session(plan(), 1, FIRST, reason="x" * 301, at=NOW)
    with pytest.raises(PlanError, match="time zone"):
        move_session(plan(), 1, datetime(2026, 3, 17, 17), reason="later", at=NOW)


def test_plan_warnings() -> None:
    p = plan()
    assert plan_warnings(p, PROTOCOL) == ()
    late = move_session(p, 2, p.session(2).starts_at.replace(hour=21), reason="Work", at=NOW)
    (w,) = plan_warnings(late, PROTOCOL)
    assert w.session_number == 2 and "21:00" in w.text and "20:00" in w.text
    close = move_session(p, 3, p.session(2).starts_at + timedelta(days=2), reason="x", at=NOW)
    texts = [w.text for w in plan_warnings(close, PROTOCOL)]
    assert texts == ["Session 3 is less than 5 days after session 2."]
    cancelled = cancel_session(close, 3, reason="x", at=NOW)
    assert plan_warnings(cancelled, PROTOCOL) == ()


# --------------------------------------------------------------------------------------------
# iCalendar: written to RFC 5545 and read back


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "bare line feed"
    assert "\r" not in text.replace("\r\n", ""), "bare carriage return"
    return text[:-2].replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


@dataclass
class Component:
    name: str
    props: list[tuple[str, str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)


def parse(text: str) -> Component:
    """A small RFC 5545 reader: BEGIN/END nesting checked, properties kept in order."""
    stack = [Component("ROOT")]
    for line in unfold(text):
        name, colon, value = line.partition(":")
        assert name and colon == ":", line
        if name == "BEGIN":
            component = Component(value)
            stack[-1].children.append(component)
            stack.append(component)
        elif name == "END":
            assert stack.pop().name == value
        else:
            stack[-1].props.append((name, value))
    assert len(stack) == 1
    (calendar,) = stack[0].children
    return calendar


def props(component: Component) -> dict[str, str]:
    return dict(component.props)


def children(component: Component, name: str) -> list[Component]:
    return [c for c in component.children if c.name == name]


DTSTAMP = datetime(2026, 3, 10, 9, 30, 15, tzinfo=UTC)


def test_ics_reads_back_with_every_required_property() -> None:
    p = cancel_session(plan(), 3, reason="Away", at=NOW)
    text = plan_to_ics(p, PROTOCOL, dtstamp=DTSTAMP)
    calendar = parse(text)
    assert calendar.name == "VCALENDAR"
    assert props(calendar)["VERSION"] == "2.0" and props(calendar)["PRODID"].startswith("-//")
    events = children(calendar, "VEVENT")
    assert len(events) == 4
    uids = [props(e)["UID"] for e in events]
    assert len(set(uids)) == 4
    first = props(events[0])
    assert first["DTSTAMP"] == "20260310T093015Z"
    assert first["DTSTART"] == "20260316T160000Z"  # 17:00 in Berlin
    assert first["DTEND"] == "20260316T173500Z"
    assert props(events[2])["DTSTART"] == "20260330T150000Z"  # after the clocks change
    assert unescape(first["SUMMARY"]) == "Companion session 1 of 4"
    assert f"Stop eating at {format_time(time(13, 0))}" in unescape(first["DESCRIPTION"])
    assert props(events[2])["STATUS"] == "CANCELLED" and props(events[2])["SEQUENCE"] == "1"
    assert children(events[2], "VALARM") == []
    alarms = [props(a) for a in children(events[0], "VALARM")]
    assert [a["TRIGGER"] for a in alarms] == ["-P1D", "-PT4H"]
    assert all(a["ACTION"] == "DISPLAY" and a["DESCRIPTION"] for a in alarms)


def test_ics_lines_are_folded_to_75_octets() -> None:
    text = plan_to_ics(plan(), PROTOCOL, dtstamp=DTSTAMP, summary="Sitzung für Ruhe 🌙 " * 6)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    summary = props(children(parse(text), "VEVENT")[0])["SUMMARY"]
    assert unescape(summary) == "Sitzung für Ruhe 🌙 " * 6 + " 1 of 4"


def test_ics_never_mentions_the_medicine_or_a_dose() -> None:
    text = plan_to_ics(plan(), PROTOCOL, dtstamp=DTSTAMP).lower()
    assert "ketamine" not in text and "dose" not in text


def test_ics_escaping() -> None:
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert ics_escape("one\r\ntwo\rthree") == "one\\ntwo\\nthree"
    tricky = 'Notes, with; odd \\ chars\nand "quotes"'
    text = plan_to_ics(plan(), PROTOCOL, dtstamp=DTSTAMP, summary=tricky)
    summary = props(children(parse(text), "VEVENT")[0])["SUMMARY"]
    assert unescape(summary) == f"{tricky} 1 of 4"


def test_ics_fractional_fasting_hours() -> None:
    prep = replace(PROTOCOL.preparation, fasting_hours=4.5)
    protocol = replace(PROTOCOL, preparation=prep)
    text = plan_to_ics(plan(), protocol, dtstamp=DTSTAMP)
    triggers = [props(a)["TRIGGER"] for a in children(children(parse(text), "VEVENT")[0], "VALARM")]
    assert triggers == ["-P1D", "-PT4H30M"]


@given(st.text(min_size=0, max_size=400))
def test_folding_round_trips_and_never_splits_a_character(value: str) -> None:
    line = "DESCRIPTION:" + ics_escape(value)
    folded = ics_fold(line)
    for part in folded.split("\r\n"):
        encoded = part.encode("utf-8")
        assert len(encoded) <= 75
        encoded.decode("utf-8")  # each physical line is whole characters
    assert folded.replace("\r\n ", "") == line
    assert unescape(line.partition(":")[2]) == value.replace("\r\n", "\n").replace("\r", "\n")
