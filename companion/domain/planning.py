"""Planning sessions: the cadence, each session's preparation, reminders, and a calendar file.

Plans are values. Moving or cancelling a session returns a new ``Plan`` with the change (and its
reason) in that session's history; nothing is changed in place.

Times must be timezone-aware. Pass local times with a ``zoneinfo.ZoneInfo`` so that a weekly
17:00 session stays at 17:00 across daylight-saving changes.

The calendar file (RFC 5545) leaves the vault, so it says only "Companion session" and the
preparation times: no medicine, no dose.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise

from companion.domain.protocol import Protocol
from companion.errors import InvalidInputError
from companion.i18n import N_, _, format_skeleton, format_time

PRODID = "-//Companion//Session plan 1.0//EN"
MAX_REASON = 300
ICS_LINE_OCTETS = 75


class PlanError(InvalidInputError):
    """A plan change that cannot be made; the message says why in plain words."""


class SessionStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class ChangeKind(StrEnum):
    MOVED = "moved"
    CANCELLED = "cancelled"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class PlanChange:
    kind: ChangeKind
    at: datetime
    reason: str = ""
    previous_start: datetime | None = None


@dataclass(frozen=True, slots=True)
class PlannedSession:
    number: int  # the session's place in the plan (a key, unique in the plan)
    starts_at: datetime
    uid: str
    status: SessionStatus = SessionStatus.PLANNED
    sequence: int = 0  # iCalendar SEQUENCE: goes up with every change
    history: tuple[PlanChange, ...] = ()
    # The number the patient sees ("Session 2"), from ``number_sessions``; None for a
    # cancelled or missed session, which is named by its day instead.
    shown_number: int | None = None

    @property
    def name(self) -> str:
        """ "Session 2", or "The session on Monday 16 March" when it has no number."""
        if self.shown_number is not None:
            return _("Session {number}").format(number=self.shown_number)
        return _("The session on {day}").format(day=format_skeleton(self.starts_at, "EEEEdMMMM"))


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    sessions: tuple[PlannedSession, ...]

    def session(self, number: int) -> PlannedSession:
        for s in self.sessions:
            if s.number == number:
                return s
        raise PlanError(N_("There is no session {number} in this plan."), number=number)

    def planned(self) -> tuple[PlannedSession, ...]:
        return tuple(s for s in self.sessions if s.status is SessionStatus.PLANNED)

    def next_session(
        self, now: datetime, grace: timedelta = timedelta(hours=2)
    ) -> PlannedSession | None:
        """The earliest planned session that has not started more than ``grace`` ago."""
        upcoming = [s for s in self.planned() if s.starts_at + grace >= now]
        return min(upcoming, key=lambda s: s.starts_at, default=None)


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise PlanError(N_("That time needs a time zone."))
    return when


def plan_cadence(
    first_start: datetime, *, sessions: int, interval_days: int, plan_id: str | None = None
) -> Plan:
    """``sessions`` sessions, ``interval_days`` apart, at the same local time."""
    _aware(first_start)
    if not 1 <= sessions <= 52:
        raise PlanError(N_("A plan has between 1 and 52 sessions."))
    if not 1 <= interval_days <= 90:
        raise PlanError(N_("Sessions are between 1 and 90 days apart."))
    pid = plan_id or uuid.uuid4().hex
    return Plan(
        pid,
        tuple(
            PlannedSession(
                number=n,
                starts_at=first_start + timedelta(days=interval_days * (n - 1)),
                uid=f"{pid}-{n}@companion",
                shown_number=n,
            )
            for n in range(1, sessions + 1)
        ),
    )


def require_future(when: datetime, now: datetime) -> datetime:
    """A session is planned for later than now: a past time would be silently skipped."""
    _aware(when)
    if when <= now:
        raise PlanError(
            N_("That time has already passed. Please choose a day and time later than now.")
        )
    return when


def plan_from_protocol(
    first_start: datetime, protocol: Protocol, plan_id: str | None = None
) -> Plan:
    cadence = protocol.cadence
    return plan_cadence(
        first_start, sessions=cadence.sessions, interval_days=cadence.interval_days, plan_id=plan_id
    )


def _checked_reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise PlanError(N_("Please give a short reason."))
    if len(cleaned) > MAX_REASON:
        raise PlanError(
            N_("Please keep the reason under {MAX_REASON} characters."), MAX_REASON=MAX_REASON
        )
    return cleaned


def _replace_sessions(plan: Plan, changed: Iterable[PlannedSession]) -> Plan:
    by_number = {s.number: s for s in changed}
    return replace(plan, sessions=tuple(by_number.get(s.number, s) for s in plan.sessions))


# What a planned session that is no longer planned cannot be: one whole sentence per change
# and status, so each language words it in its own order.
_NOT_PLANNED = {
    ("moved", SessionStatus.DONE): N_("Session {number} is done; it cannot be moved."),
    ("moved", SessionStatus.CANCELLED): N_("Session {number} is cancelled; it cannot be moved."),
    ("cancelled", SessionStatus.DONE): N_("Session {number} is done; it cannot be cancelled."),
    ("cancelled", SessionStatus.CANCELLED): N_(
        "Session {number} is cancelled; it cannot be cancelled."
    ),
    ("marked done", SessionStatus.DONE): N_("Session {number} is done; it cannot be marked done."),
    ("marked done", SessionStatus.CANCELLED): N_(
        "Session {number} is cancelled; it cannot be marked done."
    ),
}


def _planned_only(session: PlannedSession, verb: str) -> None:
    if session.status is not SessionStatus.PLANNED:
        raise PlanError(_NOT_PLANNED[(verb, session.status)], number=session.number)


def move_session(
    plan: Plan,
    number: int,
    new_start: datetime,
    *,
    reason: str,
    at: datetime,
    shift_following: bool = False,
) -> Plan:
    """Moves one session (and, if asked, the planned sessions after it by the same amount)."""
    session = plan.session(number)
    _planned_only(session, "moved")
    _aware(new_start)
    require_future(new_start, at)
    why = _checked_reason(reason)
    delta = new_start - session.starts_at
    changed = [_moved(session, new_start, why, at)]
    if shift_following:
        for later in plan.sessions:
            if later.number > number and later.status is SessionStatus.PLANNED:
                note = f"Moved with {_lower_first(session.name)}: {why}"
                changed.append(_moved(later, later.starts_at + delta, note, at))
    return _replace_sessions(plan, changed)


def _moved(
    session: PlannedSession, new_start: datetime, reason: str, at: datetime
) -> PlannedSession:
    change = PlanChange(ChangeKind.MOVED, at, reason, session.starts_at)
    return replace(
        session,
        starts_at=new_start,
        sequence=session.sequence + 1,
        history=(*session.history, change),
    )


def cancel_session(plan: Plan, number: int, *, reason: str, at: datetime) -> Plan:
    session = plan.session(number)
    _planned_only(session, "cancelled")
    change = PlanChange(ChangeKind.CANCELLED, at, _checked_reason(reason))
    cancelled = replace(
        session,
        status=SessionStatus.CANCELLED,
        sequence=session.sequence + 1,
        history=(*session.history, change),
    )
    return _replace_sessions(plan, [cancelled])


def mark_done(plan: Plan, number: int, *, at: datetime) -> Plan:
    session = plan.session(number)
    _planned_only(session, "marked done")
    done = replace(
        session,
        status=SessionStatus.DONE,
        history=(*session.history, PlanChange(ChangeKind.DONE, at)),
    )
    return _replace_sessions(plan, [done])


# --------------------------------------------------------------------------------------------
# Warnings about a plan


@dataclass(frozen=True, slots=True)
class PlanWarning:
    session_number: int
    text: str


def plan_warnings(plan: Plan, protocol: Protocol) -> tuple[PlanWarning, ...]:
    """Starts outside the protocol's hours, and sessions closer together than it allows.

    Only sessions still planned are warned about: a note about a session already done or
    cancelled cannot be acted on, and a long history would stack them up on Home.
    """
    prep = protocol.preparation
    warnings: list[PlanWarning] = []
    active = sorted(
        (s for s in plan.sessions if s.status is not SessionStatus.CANCELLED),
        key=lambda s: s.starts_at,
    )
    for s in active:
        at = s.starts_at.time()
        if _ahead(s) and not prep.earliest_start <= at <= prep.latest_start:
            warnings.append(
                PlanWarning(
                    s.number,
                    f"{s.name} starts at {at:%H:%M}; your protocol suggests between "
                    f"{prep.earliest_start:%H:%M} and {prep.latest_start:%H:%M}.",
                )
            )
    gap = timedelta(days=protocol.cadence.min_days_between)
    for before, after in pairwise(active):
        if not _ahead(after):
            continue
        if gap and after.starts_at - before.starts_at < gap:
            warnings.append(
                PlanWarning(
                    after.number,
                    f"{after.name} is less than {protocol.cadence.min_days_between} "
                    f"days after {_lower_first(before.name)}.",
                )
            )
    return tuple(warnings)


def _ahead(s: PlannedSession) -> bool:
    """Still planned and numbered: not done, cancelled, or missed."""
    return s.status is SessionStatus.PLANNED and s.shown_number is not None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --------------------------------------------------------------------------------------------
# Numbering: one rule for Home, the Session page, the Journal, Insights and the PDF


@dataclass(frozen=True, slots=True)
class BegunSession:
    """A session the patient began (finished, stopped early or interrupted)."""

    id: str
    started_at: datetime
    planned_id: str | None = None
    in_progress: bool = False


@dataclass(frozen=True, slots=True)
class PlanSlot:
    """A planned session as the numbering sees it."""

    id: str
    starts_at: datetime
    status: SessionStatus


@dataclass(frozen=True, slots=True)
class Numbering:
    sessions: dict[str, int]  # begun session id -> number
    planned: dict[str, int]  # planned session id -> number (cancelled and missed have none)
    total: int  # sessions begun + sessions still planned ahead

    def of_planned(self, planned_id: str) -> int | None:
        return self.planned.get(planned_id)


def number_sessions(
    begun: Iterable[BegunSession],
    planned: Iterable[PlanSlot],
    now: datetime,
    grace: timedelta = timedelta(hours=2),
) -> Numbering:
    """The one numbering rule.

    Every session the patient began counts, finished or not, numbered 1, 2, 3 in the order it
    began. A planned session that is done, or running now, carries its session's number. A
    planned session still to do (never begun, or stopped early and open for another try)
    takes the next numbers, in time order, while it is still ahead (or began less than
    ``grace`` ago). A cancelled session, or one whose time passed without it being done, has
    no number, so the next session is never "Session 2" when there was no first.
    """
    ordered = sorted(begun, key=lambda b: (b.started_at, b.id))
    sessions = {b.id: n for n, b in enumerate(ordered, start=1)}
    slots = list(planned)
    done = {p.id for p in slots if p.status is SessionStatus.DONE}
    planned_numbers = {
        b.planned_id: sessions[b.id]
        for b in ordered
        if b.planned_id and (b.planned_id in done or b.in_progress)
    }
    ahead = sorted(
        (
            p
            for p in slots
            if p.status is SessionStatus.PLANNED
            and p.id not in planned_numbers
            and p.starts_at + grace >= now
        ),
        key=lambda p: (p.starts_at, p.id),
    )
    for n, p in enumerate(ahead, start=len(ordered) + 1):
        planned_numbers[p.id] = n
    return Numbering(sessions, planned_numbers, len(ordered) + len(ahead))


# --------------------------------------------------------------------------------------------
# Preparation and reminders


@dataclass(frozen=True, slots=True)
class PrepStep:
    id: str
    at: datetime
    text: str


def preparation_timeline(start: datetime, protocol: Protocol) -> tuple[PrepStep, ...]:
    """What to do when, for a session at ``start``: "Stop eating at 13:00." for 17:00 and 4 h."""
    _aware(start)
    prep = protocol.preparation
    end = start + timedelta(minutes=protocol.timeline.planned_minutes)
    drive = end + timedelta(hours=protocol.aftercare.no_driving_hours)
    fast = start - timedelta(hours=prep.fasting_hours)
    steps = []
    if prep.recommended_fasting_hours > prep.fasting_hours:
        ideal = start - timedelta(hours=prep.recommended_fasting_hours)
        steps.append(
            PrepStep(
                "ideal_last_meal",
                ideal,
                _(
                    "Ideally, finish your last meal by {ideal} ({recommended_fasting_hours:g} "
                    "hours before)."
                ).format(
                    ideal=format_time(ideal),
                    recommended_fasting_hours=prep.recommended_fasting_hours,
                ),
            )
        )
    steps += [
        PrepStep(
            "stop_eating",
            fast,
            _("Stop eating at {fast} ({fasting_hours:g} hours before).").format(
                fast=format_time(fast), fasting_hours=prep.fasting_hours
            ),
        ),
        PrepStep(
            "get_ready",
            start - timedelta(minutes=30),
            _(
                "Get your room ready: eye mask, music, something warm, water for afterwards. "
                "Put your phone on do not disturb."
            ),
        ),
        PrepStep(
            "monitor_here",
            start - timedelta(minutes=15),
            _("Your monitor is with you and knows the plan."),
        ),
        PrepStep(
            "start", start, _("Begin your session at {start}.").format(start=format_time(start))
        ),
        PrepStep(
            "end",
            end,
            _("The guided part ends around {end}. Rest afterwards.").format(end=format_time(end)),
        ),
        PrepStep(
            "no_driving",
            drive,
            _("No driving or machinery until at least {drive}; ideally not until tomorrow.").format(
                drive=format_time(drive)
            ),
        ),
    ]
    return tuple(sorted(steps, key=lambda s: s.at))


class ReminderKind(StrEnum):
    DAY_BEFORE = "day_before"
    FASTING = "fasting"


@dataclass(frozen=True, slots=True)
class Reminder:
    id: str  # "<session uid>:<kind>", stable, so each reminder is shown once
    kind: ReminderKind
    session_number: int
    at: datetime  # from when it is true
    until: datetime  # when it stops being true ("tomorrow" ends at midnight)
    title: str
    text: str

    def is_true_at(self, now: datetime) -> bool:
        return self.at <= now < self.until


def _local_midnight(day: date, zone: datetime) -> datetime:
    """Midnight starting ``day`` in the zone of ``zone`` (DST-safe with a ``ZoneInfo``)."""
    return datetime.combine(day, time(0), tzinfo=zone.tzinfo)


def day_before(start: datetime) -> datetime:
    """The same wall-clock time on the day before (not simply 24 hours earlier)."""
    return datetime.combine(
        start.date() - timedelta(days=1), start.timetz().replace(fold=0), tzinfo=start.tzinfo
    )


def relative_day(when: datetime, now: datetime) -> str:
    """ "today", "tomorrow" or "another day", as seen from ``now`` in ``when``'s zone (the
    case ``_when_sentence`` chooses a whole sentence by)."""
    days = (when.date() - now.astimezone(when.tzinfo).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return "another day"


def _when_sentence(
    when: datetime, now: datetime, today: str, tomorrow: str, on_day: str, **params: object
) -> str:
    """One of three whole sentences (``{time}`` and, for another day, ``{day}``), by whether
    ``when`` is today, tomorrow or another day as seen from ``now``."""
    day = relative_day(when, now)
    chosen = today if day == "today" else tomorrow if day == "tomorrow" else on_day
    return _(chosen).format(
        time=format_time(when), day=format_skeleton(when, "EEEEdMMMM"), **params
    )


def reminders_for(plan: Plan, protocol: Protocol) -> tuple[Reminder, ...]:
    """The day-before reminder is true only on the day before (from the session's time of day
    until midnight); the fasting reminder from the time to stop eating until the start."""
    fasting = timedelta(hours=protocol.preparation.fasting_hours)
    reminders = []
    for s in plan.planned():
        stop = s.starts_at - fasting
        eve = day_before(s.starts_at)
        title = (
            _("Session {number} is tomorrow at {time}").format(
                number=s.shown_number, time=format_time(s.starts_at)
            )
            if s.shown_number is not None
            else _("The session on {day} is tomorrow at {time}").format(
                day=format_skeleton(s.starts_at, "EEEEdMMMM"), time=format_time(s.starts_at)
            )
        )
        reminders += [
            Reminder(
                f"{s.uid}:{ReminderKind.DAY_BEFORE.value}",
                ReminderKind.DAY_BEFORE,
                s.number,
                eve,
                _local_midnight(s.starts_at.date(), s.starts_at),
                title,
                _when_sentence(
                    stop,
                    eve,
                    N_(
                        "Stop eating at {time} today. Check that your monitor can come and "
                        "that your day is clear."
                    ),
                    N_(
                        "Stop eating at {time} tomorrow. Check that your monitor can come and "
                        "that your day is clear."
                    ),
                    N_(
                        "Stop eating at {time} on {day}. Check that your monitor can come and "
                        "that your day is clear."
                    ),
                ),
            ),
            Reminder(
                f"{s.uid}:{ReminderKind.FASTING.value}",
                ReminderKind.FASTING,
                s.number,
                stop,
                s.starts_at,
                _("Time to stop eating"),
                _when_sentence(
                    s.starts_at,
                    stop,
                    N_("Your session is today at {time}. Nothing more to eat from now on."),
                    N_("Your session is tomorrow at {time}. Nothing more to eat from now on."),
                    N_("Your session is on {day} at {time}. Nothing more to eat from now on."),
                ),
            ),
        ]
    return tuple(sorted(reminders, key=lambda r: r.at))


def reminders_due(
    plan: Plan, protocol: Protocol, since: datetime | None, now: datetime
) -> tuple[Reminder, ...]:
    """Reminders that fell due in (since, now] and are still true now.

    Only the latest one per session is returned: when both are due, "stop eating" replaces
    "tomorrow".
    """
    latest: dict[int, Reminder] = {}
    for r in reminders_for(plan, protocol):
        if r.is_true_at(now) and (since is None or r.at > since):
            latest[r.session_number] = r
    return tuple(sorted(latest.values(), key=lambda r: r.at))


def current_reminder(plan: Plan, protocol: Protocol, now: datetime) -> Reminder | None:
    """The one reminder Home shows now: the soonest session's latest true reminder."""
    return next(iter(reminders_due(plan, protocol, None, now)), None)


# --------------------------------------------------------------------------------------------
# iCalendar (RFC 5545)


def ics_escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Folds a content line to at most 75 octets per physical line, never inside a character.

    Continuation lines start with one space, which counts toward their 75 octets (§3.1).
    """
    parts: list[str] = []
    current, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > ICS_LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += ch
        size += n
    parts.append(current)
    return "\r\n".join(parts)


def _utc(when: datetime) -> str:
    return _aware(when).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(hours: float) -> str:
    minutes = round(hours * 60)
    h, m = divmod(minutes, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else "")


def plan_to_ics(
    plan: Plan, protocol: Protocol, *, dtstamp: datetime, summary: str = "Companion session"
) -> str:
    """The plan as an iCalendar file: one VEVENT per session, with two alarms for planned ones.

    Cancelled sessions stay in the file with STATUS:CANCELLED (and a higher SEQUENCE) so a
    calendar that imported the plan before removes them.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    total = max((s.shown_number or 0 for s in plan.sessions), default=0)
    for s in sorted(plan.sessions, key=lambda s: s.number):
        lines += _vevent(s, total, protocol, dtstamp, summary)
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def _vevent(
    s: PlannedSession, total: int, protocol: Protocol, dtstamp: datetime, summary: str
) -> list[str]:
    end = s.starts_at + timedelta(minutes=protocol.timeline.planned_minutes)
    status = "CANCELLED" if s.status is SessionStatus.CANCELLED else "CONFIRMED"
    steps = preparation_timeline(s.starts_at, protocol)
    description = "\n".join(step.text for step in steps)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{s.uid}",
        f"DTSTAMP:{_utc(dtstamp)}",
        f"DTSTART:{_utc(s.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SEQUENCE:{s.sequence}",
        f"STATUS:{status}",
        f"SUMMARY:{ics_escape(_summary(summary, s, total))}",
        f"DESCRIPTION:{ics_escape(description)}",
        "TRANSP:OPAQUE",
    ]
    if s.status is SessionStatus.PLANNED:
        stop = s.starts_at - timedelta(hours=protocol.preparation.fasting_hours)
        lines += _valarm(
            "-P1D",
            _("{summary} tomorrow at {time}").format(
                summary=summary, time=format_time(s.starts_at)
            ),
        )
        lines += _valarm(
            f"-{_duration(protocol.preparation.fasting_hours)}",
            _("Time to stop eating ({stop}). Your session is at {start}.").format(
                stop=format_time(stop), start=format_time(s.starts_at)
            ),
        )
    lines.append("END:VEVENT")
    return lines


def _summary(summary: str, s: PlannedSession, total: int) -> str:
    return f"{summary} {s.shown_number} of {total}" if s.shown_number else summary


def _valarm(trigger: str, text: str) -> Sequence[str]:
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{ics_escape(text)}",
        f"TRIGGER:{trigger}",
        "END:VALARM",
    ]
