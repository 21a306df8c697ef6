"""Runs service calls on the database worker and brings their outcome back to the GUI thread.

The GUI thread never waits on crypto or disk: ``TaskRunner.run`` hands a callable to the worker
(one thread that owns the database connection) and returns at once. When the call finishes, the
result or the error is delivered on the GUI thread through a queued signal. If the widget that
asked has been destroyed in the meantime (the window locked, a page closed), the outcome is
dropped quietly.

The runner itself may be destroyed with calls still out (its window is closed and deleted
mid-session, and closing itself records "ended early"). The worker thread therefore never
touches the runner: it signals through a parentless relay that lives as long as a call needs
it, and the runner's bookkeeping is plain Python state that outlives it. When the runner goes,
the outcomes of finished calls are dropped and running ones are forgotten as they finish, so
``pending`` always comes back to 0 (before, such an outcome stayed pending for ever, and the
worker could emit on the runner while Qt was deleting it).
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
from companion.i18n import N_, _

log = logging.getLogger(__name__)

T = TypeVar("T")

UNEXPECTED = N_("Something unexpected went wrong. Nothing was lost; please try again.")


class Submits(Protocol):
    """What the UI needs from the database worker (``companion.services`` DbWorker)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]: ...


@dataclass(slots=True)
class _Pending:
    receiver: QObject
    on_result: Callable[[Any], None] | None
    on_error: Callable[[CompanionError], None] | None
    future: Future[Any]


class _Relay(QObject):
    """What the worker thread emits on. Parentless, and kept alive by every call still out, so
    it is never deleted under an emit (the runner, a window's child, may be)."""

    done = Signal(int)


class _Book:
    """The runner's bookkeeping, plain Python so it outlives the runner's C++ object."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.pending: dict[int, _Pending] = {}
        self.closed = False  # the runner was destroyed: nothing can be delivered any more

    def finished(self, task_id: int, relay: _Relay) -> None:
        """A call finished (on the worker thread, or at once on the GUI thread)."""
        with self.guard:
            if self.closed:
                self.pending.pop(task_id, None)  # nobody is left to deliver it to
                return
        # RuntimeError: the relay's wrapper is being torn down at interpreter exit.
        with contextlib.suppress(RuntimeError):
            relay.done.emit(task_id)

    def close(self) -> None:
        """The runner is being destroyed: queued deliveries die with it, so drop the finished
        calls now; a running one removes itself when it finishes (``finished``)."""
        with self.guard:
            self.closed = True
            for task_id in [t for t, p in self.pending.items() if p.future.done()]:
                del self.pending[task_id]


class TaskRunner(QObject):
    """Bridge between the worker thread and the widgets. Lives on the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, worker: Submits, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._book = _Book()
        self._ids = itertools.count(1)
        self._relay = _Relay()
        self._relay.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        book = self._book  # not self: the lambda must not need the runner's wrapper
        self.destroyed.connect(lambda *_: book.close())

    @property
    def pending(self) -> int:
        """Calls submitted whose outcome is neither delivered nor dropped yet."""
        with self._book.guard:
            return len(self._book.pending)

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
        book, relay = self._book, self._relay  # the callback holds these, never the runner
        with book.guard:
            book.pending[task_id] = _Pending(receiver, on_result, on_error, future)
            first = len(book.pending) == 1 and not book.closed
        if first:
            self.busy_changed.emit(True)
        future.add_done_callback(lambda _f: book.finished(task_id, relay))
        return future

    def idle(self) -> bool:
        """True when every submitted call has finished on the worker (delivered or not)."""
        with self._book.guard:
            return all(p.future.done() for p in self._book.pending.values())

    def forget_pending(self) -> None:
        """Outcomes of calls already submitted will be dropped (used when the vault locks)."""
        with self._book.guard:
            for pending in self._book.pending.values():
                pending.on_result = None
                pending.on_error = None

    def _deliver(self, task_id: int) -> None:
        with self._book.guard:
            pending = self._book.pending.pop(task_id, None)
            now_idle = not self._book.pending
        if now_idle:
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
            error = CompanionError(_(UNEXPECTED))
        if pending.on_error is not None:
            pending.on_error(error)
