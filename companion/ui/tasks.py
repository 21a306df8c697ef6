"""Runs service calls on the database worker and brings their outcome back to the GUI thread.

The GUI thread never waits on crypto or disk: ``TaskRunner.run`` hands a callable to the worker
(one thread that owns the database connection) and returns at once. When the call finishes, the
result or the error is delivered on the GUI thread through a queued signal. If the widget that
asked has been destroyed in the meantime (the window locked, a page closed), the outcome is
dropped quietly.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from companion.errors import CompanionError

log = logging.getLogger(__name__)

T = TypeVar("T")

UNEXPECTED = "Something unexpected went wrong. Nothing was lost; please try again."


class Submits(Protocol):
    """What the UI needs from the database worker (``companion.services`` DbWorker)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]: ...


@dataclass(slots=True)
class _Pending:
    receiver: QObject
    on_result: Callable[[Any], None] | None
    on_error: Callable[[CompanionError], None] | None
    future: Future[Any]


class TaskRunner(QObject):
    """Bridge between the worker thread and the widgets. Lives on the GUI thread."""

    _done = Signal(int)
    busy_changed = Signal(bool)

    def __init__(self, worker: Submits, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)
        self._guard = threading.Lock()
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def run(
        self,
        call: Callable[[], T],
        *,
        receiver: QObject,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[CompanionError], None] | None = None,
    ) -> Future[T]:
        """Submits ``call`` to the worker; the callbacks run later on the GUI thread."""
        task_id = next(self._ids)
        future: Future[T] = self._worker.submit(call)
        with self._guard:
            self._pending[task_id] = _Pending(receiver, on_result, on_error, future)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        future.add_done_callback(lambda _f: self._notify(task_id))
        return future

    def idle(self) -> bool:
        """True when every submitted call has finished on the worker (delivered or not)."""
        with self._guard:
            return all(p.future.done() for p in self._pending.values())

    def forget_pending(self) -> None:
        """Outcomes of calls already submitted will be dropped (used when the vault locks)."""
        with self._guard:
            for pending in self._pending.values():
                pending.on_result = None
                pending.on_error = None

    def _notify(self, task_id: int) -> None:
        # Runs on the worker thread: only emit; the queued connection crosses to the GUI thread.
        # RuntimeError: the runner itself was destroyed (the application is shutting down).
        with contextlib.suppress(RuntimeError):
            self._done.emit(task_id)

    def _deliver(self, task_id: int) -> None:
        with self._guard:
            pending = self._pending.pop(task_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if pending is None:
            return
        if not shiboken6.isValid(pending.receiver):
            log.debug("task.dropped")
            return
        error = pending.future.exception()
        if error is None:
            if pending.on_result is not None:
                pending.on_result(pending.future.result())
            return
        if not isinstance(error, CompanionError):
            # Type and code location only: an exception's text may quote private data.
            from companion.logsetup import SAFE, describe_crash

            log.error(describe_crash(type(error), error.__traceback__), extra={SAFE: True})
            error = CompanionError(UNEXPECTED)
        if pending.on_error is not None:
            pending.on_error(error)
