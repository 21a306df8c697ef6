"""One session (or rehearsal) in progress: its recorder, its id and how calls reach it.

Every recorder call goes through the database worker via ``TaskRunner``, for real sessions and
rehearsals alike: a rehearsal is the same ``SessionService`` on a database held in memory.
Results come back on the GUI thread; a failure is shown by whoever asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject

from companion.domain.clock import Clock
from companion.domain.profile import Profile
from companion.domain.protocol import Protocol
from companion.errors import CompanionError
from companion.ui.context import UiContext
from companion.ui.tasks import NOTHING, Change

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.sessions import SessionService

T = TypeVar("T")
RecorderCall = Callable[["SessionService", str], T]


@dataclass(frozen=True, slots=True)
class Setup:
    """What a run needs before its first step, fetched once on the worker."""

    protocol: Protocol
    profile: Profile
    planned_id: str | None


class SessionRun:
    def __init__(
        self,
        ctx: UiContext,
        recorder: SessionService | None,
        setup: Setup,
        *,
        speed: float = 1.0,
    ) -> None:
        """``recorder=None``: the real session service (reached on the worker)."""
        self._ctx = ctx
        self._recorder = recorder
        self.setup = setup
        self.speed = speed
        self.session_id = ""

    @property
    def rehearsal(self) -> bool:
        return self._recorder is not None

    @property
    def protocol(self) -> Protocol:
        return self.setup.protocol

    @property
    def profile(self) -> Profile:
        return self.setup.profile

    @property
    def clock(self) -> Clock:
        return self._ctx.clock

    def clock_now(self) -> datetime:
        return self._ctx.clock.now()

    def recorder(self, services: Services) -> SessionService:
        """On the worker only (an op hands ``services`` over): the rehearsal's or the vault's."""
        if self._recorder is not None:
            return self._recorder
        return services.sessions

    def call(
        self,
        fn: RecorderCall[T],
        *,
        receiver: QObject,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[CompanionError], None] | None = None,
        changes: frozenset[Change] = NOTHING,
    ) -> None:
        """``changes``: what the call changes in the vault (a rehearsal changes nothing)."""
        if self.rehearsal:
            changes = NOTHING
        self._ctx.tasks.run(
            self._op(fn), receiver=receiver, on_result=on_result, on_error=on_error, changes=changes
        )

    def _op(self, fn: RecorderCall[T]) -> Callable[[Services], T]:
        """``fn`` as an op for the worker, with this run's recorder and its id as of now."""
        session_id = self.session_id

        def work(services: Services) -> T:
            return fn(self.recorder(services), session_id)

        return work

    def fire(self, fn: RecorderCall[Any], receiver: QObject) -> None:
        """A call whose result nobody waits for (events, markers)."""
        self.call(fn, receiver=receiver)

    def record_after_turn(self, fn: RecorderCall[Any], receiver: QObject) -> None:
        """A call whose result nobody waits for, made in a turn that changes the view (a
        timeline event): handed to the worker once that turn is done (``TaskRunner``'s
        ``run_after_turn``), in order with every other call."""
        self._ctx.tasks.run_after_turn(self._op(fn), receiver=receiver)
