"""What the Home page shows: the next planned session and the latest reflection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from companion.services.planning import PlanningService
from companion.services.vault import VaultService
from companion.storage.models import JournalEntryRow, SessionRow


@dataclass(frozen=True, slots=True)
class HomeSummary:
    next_session_at: datetime | None
    last_reflection_at: datetime | None
    sessions_completed: int


class HomeService:
    def __init__(
        self, vault: VaultService, now: Callable[[], datetime], planning: PlanningService
    ) -> None:
        self._vault = vault
        self._now = now
        self._planning = planning

    def summary(self) -> HomeSummary:
        # The planning service decides what "next" means (a session that began a little
        # while ago still counts), so Home and the Session page always agree.
        upcoming = self._planning.next_planned()
        next_at = upcoming.starts_at if upcoming else None
        with self._vault.unit_of_work() as session:
            last_reflection = session.scalar(
                select(func.max(JournalEntryRow.created_at)).where(
                    JournalEntryRow.kind == "reflection"
                )
            )
            completed = session.scalar(
                select(func.count()).select_from(SessionRow).where(SessionRow.status == "completed")
            )
        # max() keeps the column's type, so this comes back as an aware UTC datetime.
        return HomeSummary(next_at, last_reflection, int(completed or 0))
