"""What the Home page shows: the next planned session and the latest reflection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from companion.services.vault import VaultService
from companion.storage.models import JournalEntryRow, PlannedSessionRow, SessionRow


@dataclass(frozen=True, slots=True)
class HomeSummary:
    next_session_at: datetime | None
    last_reflection_at: datetime | None
    sessions_completed: int


class HomeService:
    def __init__(self, vault: VaultService, now: Callable[[], datetime]) -> None:
        self._vault = vault
        self._now = now

    def summary(self) -> HomeSummary:
        with self._vault.unit_of_work() as session:
            next_at = session.scalar(
                select(func.min(PlannedSessionRow.planned_at)).where(
                    PlannedSessionRow.status.in_(("planned", "moved")),
                    PlannedSessionRow.planned_at >= self._now(),
                )
            )
            last_reflection = session.scalar(
                select(func.max(JournalEntryRow.created_at)).where(
                    JournalEntryRow.kind == "reflection"
                )
            )
            completed = session.scalar(
                select(func.count()).select_from(SessionRow).where(SessionRow.status == "completed")
            )
        # min()/max() keep the column's type, so these come back as aware UTC datetimes.
        return HomeSummary(next_at, last_reflection, int(completed or 0))

