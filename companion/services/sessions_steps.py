"""What every step of ``SessionService`` shares: where the session is written, the clock, the
protocols, the zone, rehearsal mode and completion listeners, and the lookups and checks each
step starts with (the open session and its protocol, the instant the patient acted, the After
phase's status, the start check).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Protocol as Interface

from sqlalchemy.orm import Session

from companion.domain import session_core as core
from companion.domain.clock import Clock
from companion.domain.protocol import Protocol
from companion.domain.session_core import AfterStatus
from companion.services import sessions_read as rd
from companion.services import sessions_rules as rules
from companion.services import sessions_store as store
from companion.services.planning import local_zone
from companion.services.sessions_model import ReadinessResult, SessionState
from companion.services.sessions_read import ProtocolSource
from companion.storage.models import SessionRow

# After the dose a rehearsal does not wait: no medicine was taken and its clock runs fast.
REHEARSAL_SKIPS = (core.AfterNeed.OBSERVATION, core.AfterNeed.VITALS)


class Store(Interface):
    """Where the session is written: the vault (``VaultService``) or a rehearsal's memory."""

    def unit_of_work(self) -> AbstractContextManager[Session]: ...


class SessionSteps:
    """The state and helpers the steps of a session share; ``SessionService`` is the whole."""

    def __init__(
        self,
        vault: Store,
        clock: Clock,
        protocols: ProtocolSource,
        zone: tzinfo | None = None,
        *,
        rehearsal: bool = False,
    ) -> None:
        self._vault = vault
        self._clock = clock
        self._protocols = protocols
        self._zone = zone
        self._rehearsal = rehearsal
        self._on_completed: list[Callable[[str], object]] = []

    def add_completion_listener(self, listener: Callable[[str], object]) -> None:
        """Called with the session id after a completion is committed (e.g. the automatic
        backup). A listener's failure never undoes or hides the completion."""
        self._on_completed.append(listener)

    @property
    def rehearsal(self) -> bool:
        return self._rehearsal

    # --- internals ----------------------------------------------------------------------------
    def _instant(self, at: datetime | None) -> datetime:
        """The instant the patient acted (passed in by the UI), checked; now when not given."""
        now = self._clock.now()
        return now if at is None else rules.check_instant(at, now)

    def _local_zone(self) -> tzinfo:
        return self._zone or local_zone()

    def _after_in(
        self, db: Session, session_id: str, protocol: Protocol, dose_at: datetime, now: datetime
    ) -> AfterStatus:
        status = store.after_status_in(db, session_id, protocol, dose_at, now)
        if self._rehearsal:
            status = replace(
                status, needs=tuple(n for n in status.needs if n not in REHEARSAL_SKIPS)
            )
        return status

    def _open(self, db: Session, session_id: str) -> tuple[SessionRow, Protocol]:
        row = rd.session_row(db, session_id)
        rules.require_open(row.status)
        return row, self._protocols.by_id_in(db, row.protocol_id)

    def _editable_after(self, db: Session, session_id: str) -> SessionRow:
        """In progress or completed: the after step's answers may come after completing."""
        row = rd.session_row(db, session_id)
        if row.status != SessionState.COMPLETED:
            rules.require_open(row.status)
        return row

    def _assess(
        self,
        db: Session,
        session_id: str,
        protocol: Protocol,
        acknowledged: Collection[str],
        last_meal_at: datetime | None,
    ) -> ReadinessResult:
        start_at = self._clock.now().astimezone(self._local_zone())
        return store.assess_in(
            db,
            session_id,
            protocol,
            start_at=start_at,
            acknowledged=acknowledged,
            last_meal_at=last_meal_at,
        )
