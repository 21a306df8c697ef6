"""Planned sessions: the protocol's cadence, moves and cancellations with a reason, Home's next
session with its preparation, tray reminders and the calendar file.

The rows hold only what changes (time, status, last reason, iCalendar sequence); a domain
``Plan`` is rebuilt from them for every question. Times are stored in UTC and handed out in the
local zone, so "stop eating at 13:00" reads as the patient's 13:00.

Numbers follow one rule, ``domain.session_numbers.number_sessions``: sessions begun count in
the order they began, planned ones still ahead take the next numbers. ``session_numbers`` hands
the rule to every other reader (Journal, Insights, the PDF report), so "Session 2" is the same
session everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from companion.domain import planning as dp
from companion.domain.ics import plan_to_ics
from companion.domain.localtime import local_zone as local_zone  # re-exported: one helper
from companion.domain.protocol import Protocol
from companion.domain.reminders import (
    PrepStep,
    Reminder,
    current_reminder,
    preparation_timeline,
    reminders_due,
)
from companion.domain.session_numbers import BegunSession, Numbering, PlanSlot, number_sessions
from companion.fsutil import atomic_write
from companion.i18n import N_
from companion.services.protocols import ProtocolService
from companion.services.vault import VaultService
from companion.storage.models import PlannedSessionRow, SessionRow

log = logging.getLogger(__name__)

OPEN_STATUSES = ("planned", "moved")
NEXT_GRACE = timedelta(hours=2)  # a session that began less than this ago is still "next"
_TO_DOMAIN = {
    "planned": dp.SessionStatus.PLANNED,
    "moved": dp.SessionStatus.PLANNED,
    "cancelled": dp.SessionStatus.CANCELLED,
    "done": dp.SessionStatus.DONE,
}


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """One planned session as the UI shows it (``starts_at`` in the local zone)."""

    id: str
    number: int  # 0 when it has none (cancelled, or its time passed without it being begun)
    total: int
    starts_at: datetime
    status: str  # "planned", "moved", "cancelled" or "done"
    reason: str  # the reason of the last move or cancellation
    sequence: int
    preparation: tuple[PrepStep, ...]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def name(self) -> str:
        """ "Session 2", or "The session on Monday 16 March" when it has no number."""
        if self.number:
            return f"Session {self.number}"
        return f"The session on {self.starts_at:%A} {self.starts_at.day} {self.starts_at:%B}"


def numbering(db: Session, now: datetime) -> Numbering:
    """The numbering rule applied to what the vault holds (inside the caller's transaction)."""
    begun = [
        BegunSession(r.id, r.started_at, r.planned_session_id, r.status == "in_progress")
        for r in db.execute(
            select(
                SessionRow.id,
                SessionRow.started_at,
                SessionRow.planned_session_id,
                SessionRow.status,
            )
        )
    ]
    slots = [PlanSlot(r.id, r.planned_at, _TO_DOMAIN[r.status]) for r in _rows(db)]
    return number_sessions(begun, slots, now, NEXT_GRACE)


def session_numbers(db: Session, now: datetime) -> dict[str, int]:
    """Session id -> the number the patient sees, for every session begun."""
    return numbering(db, now).sessions


def mark_planned_done(db: Session, planned_id: str, at: datetime) -> None:
    """Inside the caller's transaction (completing a session): the planned one is done."""
    row = db.get(PlannedSessionRow, planned_id)
    if row is not None and row.status in OPEN_STATUSES:
        row.status = "done"
        row.updated_at = at


def add_planned_row(db: Session, starts_at: datetime, now: datetime) -> str:
    """One more planned session at ``starts_at``, in the caller's transaction; returns its id.
    ``PlanningService.add_session`` and the sample data plan sessions through it."""
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise dp.PlanError(N_("The session time needs a time zone."))
    dp.require_future(starts_at, now)
    row = _new_row(starts_at, now)
    db.add(row)
    db.flush()
    return row.id


def open_planned_row(db: Session, planned_id: str) -> PlannedSessionRow:
    """The planned session a new session is for; it must still be planned."""
    row = db.get(PlannedSessionRow, planned_id)
    if row is None:
        raise dp.PlanError(N_("That planned session no longer exists."))
    if row.status not in OPEN_STATUSES:
        raise dp.PlanError(
            N_("That planned session is done; plan a new one instead.")
            if row.status == dp.SessionStatus.DONE
            else N_("That planned session is cancelled; plan a new one instead.")
        )
    return row


class PlanningService:
    def __init__(
        self,
        vault: VaultService,
        now: Callable[[], datetime],
        protocols: ProtocolService,
        zone: tzinfo | None = None,
    ) -> None:
        self._vault = vault
        self._now = now
        self._protocols = protocols
        self._zone = zone

    # --- reading ------------------------------------------------------------------------------
    def plan(self) -> tuple[PlannedVisit, ...]:
        """Every planned session, past and future, cancelled and done included, by time."""
        with self._vault.unit_of_work() as db:
            rows = _rows(db)
            numbers = numbering(db, self._now())
            protocol = self._protocols.current_in(db).protocol
        return tuple(self._visit(row, numbers, protocol) for row in rows)

    def upcoming(self) -> tuple[PlannedVisit, ...]:
        cutoff = self._now() - NEXT_GRACE
        return tuple(v for v in self.plan() if v.is_open and v.starts_at >= cutoff)

    def next_planned(self) -> PlannedVisit | None:
        """The earliest open session that has not begun more than ``NEXT_GRACE`` ago."""
        return next(iter(self.upcoming()), None)

    def visit(self, planned_id: str) -> PlannedVisit:
        for v in self.plan():
            if v.id == planned_id:
                return v
        raise dp.PlanError(N_("That planned session no longer exists."))

    def session_numbers(self) -> dict[str, int]:
        """Session id -> its number, by the one rule (for the Journal, Insights and the PDF)."""
        with self._vault.unit_of_work() as db:
            return session_numbers(db, self._now())

    def current_reminder(self) -> Reminder | None:
        """The reminder that is true right now, worded for now, for Home to show."""
        plan, protocol = self._domain_plan()
        return current_reminder(plan, protocol, self._now())

    def warnings(self) -> tuple[dp.PlanWarning, ...]:
        plan, protocol = self._domain_plan()
        return dp.plan_warnings(plan, protocol)

    def reminders_due(self, since: datetime | None, now: datetime) -> tuple[Reminder, ...]:
        """Tray reminders that fell due in (since, now]; ``Reminder.id`` is stable for dedup."""
        plan, protocol = self._domain_plan()
        return reminders_due(plan, protocol, since, now)

    def export_ics(self, path: Path) -> Path:
        """Writes the plan as an .ics file atomically; it holds no medicine and no dose. Mode
        600 like every other export: when someone has sessions is private too."""
        plan, protocol = self._domain_plan()
        text = plan_to_ics(plan, protocol, dtstamp=self._now())
        atomic_write(path, text.encode("utf-8"))
        log.info("planning.ics_exported")
        return path

    # --- changes ------------------------------------------------------------------------------
    def plan_series(self, first_start: datetime) -> tuple[PlannedVisit, ...]:
        """Plans the protocol's cadence (default: four, a week apart) from ``first_start``.

        Refused while sessions are still planned ahead: move or cancel those first.
        """
        now = self._now()
        dp.require_future(first_start, now)
        with self._vault.unit_of_work() as db:
            if any(r.is_open and r.row.planned_at >= now for r in _numbered(db)):
                raise dp.PlanError(
                    N_("Some sessions are still planned; move or cancel them before a new series.")
                )
            protocol = self._protocols.current_in(db).protocol
            for s in dp.plan_from_protocol(first_start, protocol).sessions:
                db.add(_new_row(s.starts_at, now))
        log.info("planning.series_planned")
        return self.plan()

    def add_session(self, starts_at: datetime) -> PlannedVisit:
        with self._vault.unit_of_work() as db:
            planned_id = add_planned_row(db, starts_at, self._now())
        log.info("planning.session_added")
        return self.visit(planned_id)

    def move(
        self, planned_id: str, new_start: datetime, *, reason: str, shift_following: bool = False
    ) -> tuple[PlannedVisit, ...]:
        """Moves one session (and, if asked, the open ones after it by the same amount)."""

        def change(plan: dp.Plan, number: int, at: datetime) -> dp.Plan:
            return dp.move_session(
                plan, number, new_start, reason=reason, at=at, shift_following=shift_following
            )

        self._change(planned_id, change, "moved")
        log.info("planning.session_moved")
        return self.plan()

    def cancel(self, planned_id: str, *, reason: str) -> PlannedVisit:
        def change(plan: dp.Plan, number: int, at: datetime) -> dp.Plan:
            return dp.cancel_session(plan, number, reason=reason, at=at)

        self._change(planned_id, change, "cancelled")
        log.info("planning.session_cancelled")
        return self.visit(planned_id)

    def mark_done(self, planned_id: str) -> None:
        with self._vault.unit_of_work() as db:
            mark_planned_done(db, planned_id, self._now())

    # --- internals ----------------------------------------------------------------------------
    def _change(
        self,
        planned_id: str,
        change: Callable[[dp.Plan, int, datetime], dp.Plan],
        status: str,
    ) -> None:
        now = self._now()
        with self._vault.unit_of_work() as db:
            numbered = _numbered(db)
            by_uid = {_uid(r.row): r.row for r in numbered}
            plan = self._to_plan(numbered, numbering(db, now))
            number = next((r.number for r in numbered if r.row.id == planned_id), None)
            if number is None:
                raise dp.PlanError(N_("That planned session no longer exists."))
            before = {s.uid: s for s in plan.sessions}
            for s in change(plan, number, now).sessions:
                if s != before[s.uid]:
                    row = by_uid[s.uid]
                    row.planned_at = s.starts_at
                    row.sequence = s.sequence
                    row.status = status
                    row.reason = s.history[-1].reason
                    row.updated_at = now

    def _domain_plan(self) -> tuple[dp.Plan, Protocol]:
        with self._vault.unit_of_work() as db:
            numbered = _numbered(db)
            numbers = numbering(db, self._now())
            protocol = self._protocols.current_in(db).protocol
        return self._to_plan(numbered, numbers), protocol

    def _to_plan(self, numbered: Sequence[_Numbered], numbers: Numbering) -> dp.Plan:
        shown = numbers.planned
        return dp.Plan(
            "companion",
            tuple(
                dp.PlannedSession(
                    number=r.number,
                    starts_at=self._local(r.row.planned_at),
                    uid=_uid(r.row),
                    status=_TO_DOMAIN[r.row.status],
                    sequence=r.row.sequence,
                    shown_number=shown.get(r.row.id),
                )
                for r in numbered
            ),
        )

    def _visit(self, row: PlannedSessionRow, numbers: Numbering, p: Protocol) -> PlannedVisit:
        starts_at = self._local(row.planned_at)
        return PlannedVisit(
            id=row.id,
            number=numbers.of_planned(row.id) or 0,
            total=numbers.total,
            starts_at=starts_at,
            status=row.status,
            reason=row.reason,
            sequence=row.sequence,
            preparation=preparation_timeline(starts_at, p),
        )

    def _local(self, when: datetime) -> datetime:
        return when.astimezone(self._zone or local_zone())


@dataclass(frozen=True, slots=True)
class _Numbered:
    number: int
    row: PlannedSessionRow

    @property
    def is_open(self) -> bool:
        return self.row.status in OPEN_STATUSES


def _rows(db: Session) -> list[PlannedSessionRow]:
    return list(
        db.scalars(
            select(PlannedSessionRow).order_by(
                PlannedSessionRow.planned_at, PlannedSessionRow.created_at, PlannedSessionRow.id
            )
        )
    )


def _numbered(db: Session) -> list[_Numbered]:
    return [_Numbered(n, row) for n, row in enumerate(_rows(db), start=1)]


def _uid(row: PlannedSessionRow) -> str:
    return f"{row.id}@companion"


def _new_row(starts_at: datetime, now: datetime) -> PlannedSessionRow:
    return PlannedSessionRow(
        planned_at=starts_at,
        sequence=0,
        status="planned",
        reason="",
        created_at=now,
        updated_at=now,
    )
