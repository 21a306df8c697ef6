"""Numbering sessions: one rule for Home, the Session page, the Journal, Insights and the PDF."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from companion.domain.planning import SessionStatus


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
