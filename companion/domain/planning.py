"""Planning sessions: the cadence, moving, cancelling and marking sessions, and what is worth a
warning in a plan. Numbering is in ``session_numbers``, preparation and reminders in
``reminders``, the calendar file in ``ics``.

Plans are values. Moving or cancelling a session returns a new ``Plan`` with the change (and its
reason) in that session's history; nothing is changed in place.

Times must be timezone-aware. Pass local times with a ``zoneinfo.ZoneInfo`` so that a weekly
17:00 session stays at 17:00 across daylight-saving changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise

from companion.domain.protocol import Protocol
from companion.errors import InvalidInputError
from companion.i18n import N_, _, format_skeleton

MAX_REASON = 300


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


def require_aware(when: datetime) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise PlanError(N_("That time needs a time zone."))
    return when


def plan_cadence(
    first_start: datetime, *, sessions: int, interval_days: int, plan_id: str | None = None
) -> Plan:
    """``sessions`` sessions, ``interval_days`` apart, at the same local time."""
    require_aware(first_start)
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
    require_aware(when)
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
    require_aware(new_start)
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
