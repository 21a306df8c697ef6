"""Runs operations on the database worker and brings their outcome back to the GUI thread.

The GUI thread never waits on crypto or disk: ``TaskRunner.run`` hands an op to the worker
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

Operations, not a property. ``run`` takes an *op*, a callable that receives the ``Services``
as its argument; the runner hands them over on the database worker and nowhere else (the
wrapper refuses the GUI thread, which is the main thread), so no widget can reach the
database by accident (``tests/unit/test_ui_ops.py`` checks the source too). Work that
needs no database (a music folder scan, PDF layout, encryption, writing a file) goes to
``run_without_db``: a second executor, so a session event never queues behind an export.

After the turn. ``run_after_turn`` takes a record nobody waits for (a session's timeline event)
and hands it to the worker ``AFTER_TURN_MS`` later: made in the turn that changes the view, its
Python (2-3 ms a record) ran beside that turn's on the other core and, the two taking turns
with the GIL, made it 3-4 ms longer (issue 16). Order is kept: ``run`` hands the waiting ones
over before its own op, so does ``hand_over`` (the window quitting), and so does the runner's
end; a lock is a ``run``, so no record waits behind it.

Change broadcast. A mutating op declares what it changed (``changes=``: a frozen set of
``Change`` kinds, or a function of its result). After the op succeeds, on the GUI thread and
after its own callback, the runner emits ``changed`` with a ``Changed``; each built page
decides whether to reload. Pages not built yet hear nothing and load fresh when built.

Python objects die on the GUI thread. An op, its callbacks and its receiver often hold a
widget; if a worker thread dropped the last reference, the widget's C++ object would be
destroyed there, and Qt deadlocks (``~QObject`` on the worker waiting for the GIL while the GUI
thread holds it in ``connect``) or crashes. So the worker lets go of the op before the call
returns (the GUI side keeps it in ``_Pending`` until the outcome is delivered), and the entries of
a destroyed runner are moved to ``_GRAVEYARD``, emptied on the GUI thread, never freed where the
call finished.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal

from companion.errors import CompanionError
from companion.i18n import N_, _

if TYPE_CHECKING:
    from companion.services.container import Services

log = logging.getLogger(__name__)

T = TypeVar("T")

# A record made in a turn that changes the view goes to the worker this much later: after that
# turn and the sound's (a turn of its own, ``next_turn.TURN_GAP_MS`` later), and after the
# layout and paint they cause. In the session bench, the phase and check-in turns' longest
# stalls came down from a median of 11-12 ms to 7-9 ms (docs/performance.md, round eight).
AFTER_TURN_MS = 40

UNEXPECTED = N_("Something unexpected went wrong. Nothing was lost; please try again.")


class Change(Enum):
    """A kind of record an operation changed; pages reload on the kinds they show."""

    JOURNAL = "journal entries"
    DRAFTS = "journal drafts"
    SESSIONS = "sessions"
    PLAN = "planned sessions"
    ASSESSMENTS = "questionnaires"
    PROFILE = "profile"
    PROTOCOL = "protocol"
    SHARING = "provider key and clinic identifiers"
    BACKUPS = "backups"


EVERYTHING: frozenset[Change] = frozenset(Change)  # an import or a restore: all may differ
NOTHING: frozenset[Change] = frozenset()
# A session starting or closing: its record, and the planned visit it used up.
SESSION_AND_PLAN: frozenset[Change] = frozenset({Change.SESSIONS, Change.PLAN})


@dataclass(frozen=True, slots=True)
class Changed:
    """What ``TaskRunner.changed`` carries: the kinds that changed and who asked (the op's
    receiver, or None when it was closed before the op finished)."""

    kinds: frozenset[Change]
    origin: QObject | None = None

    def touches(self, *kinds: Change) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def came_from(self, page: QObject) -> bool:
        """True when ``page`` (or a widget inside it) ran the op: it has updated itself."""
        node = self.origin
        while node is not None:
            if node is page:
                return True
            node = node.parent()
        return False


Op = Callable[["Services"], T]  # what ``run`` takes: it gets the services on the worker
ChangesOf = frozenset[Change] | Callable[[Any], frozenset[Change]]


class ServicesSource(Protocol):
    """Where the runner gets the services (``ServicesHandle``): it submits to their worker and
    reads them there."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]: ...

    def get(self, timeout: float | None = None) -> Services: ...


class OpOnGuiThreadError(RuntimeError):
    """An op was about to run on the GUI thread: a programming error, never shown as such."""


def _on_worker(source: ServicesSource, op: Op[T]) -> Callable[[], T]:
    """The op as the worker runs it: the services are read there, and only there."""

    def with_services() -> T:
        if threading.current_thread() is threading.main_thread():
            raise OpOnGuiThreadError("an op must run on the database worker")
        return op(source.get())

    return _let_go_after(with_services)


def _let_go_after(call: Callable[[], T]) -> Callable[[], T]:
    """``call`` run once, its reference dropped before it returns: the worker never holds the
    last one (the GUI side keeps the op in ``_Pending``; see the module docstring)."""
    held = [call]

    def once() -> T:
        fn = held.pop()
        try:
            return fn()
        finally:
            del fn

    return once


_GRAVEYARD: list[
    object
] = []  # what a destroyed runner's calls left behind, freed on the GUI thread
_GRAVEYARD_GUARD = threading.Lock()


def _bury(thing: object) -> None:
    with _GRAVEYARD_GUARD:
        _GRAVEYARD.append(thing)


def _empty_graveyard() -> None:
    """On the GUI thread only."""
    with _GRAVEYARD_GUARD:
        dead = _GRAVEYARD[:]
        _GRAVEYARD.clear()
    del dead  # freed here, on this thread


@dataclass(slots=True)
class _Pending:
    receiver: QObject
    on_result: Callable[[Any], None] | None
    on_error: Callable[[CompanionError], None] | None
    future: Future[Any]
    changes: ChangesOf = NOTHING
    call: object = None  # the op, kept here so that it is freed on the GUI thread


class _Relay(QObject):
    """What the worker thread emits on. Parentless, and kept alive by every call still out, so
    it is never deleted under an emit (the runner, a window's child, may be)."""

    done = Signal(int)


class _Book:
    """The runner's bookkeeping, plain Python so it outlives the runner's C++ object."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.pending: dict[int, _Pending] = {}
        self.waiting: list[tuple[Op[Any], QObject]] = []  # ``run_after_turn``'s, not handed over
        self.ids = itertools.count(1)
        self.closed = False  # the runner was destroyed: nothing can be delivered any more

    def finished(self, task_id: int, relay: _Relay | None) -> None:
        """A call finished (on the worker thread, or at once on the GUI thread)."""
        with self.guard:
            if self.closed:
                # Nobody is left to deliver it to; freed later on the GUI thread, not here.
                _bury(self.pending.pop(task_id, None))
                return
        # RuntimeError: the relay's wrapper is being torn down at interpreter exit.
        with contextlib.suppress(RuntimeError):
            if relay is not None:
                relay.done.emit(task_id)

    def close(self) -> None:
        """The runner is being destroyed: queued deliveries die with it, so drop the finished
        calls now; a running one removes itself when it finishes (``finished``)."""
        with self.guard:
            self.closed = True
            for task_id in [t for t, p in self.pending.items() if p.future.done()]:
                del self.pending[task_id]


def _finished_after_close(book: _Book, task_id: int, _future: Future[Any]) -> None:
    book.finished(task_id, None)  # the book is closed: the call is buried, never delivered


def _close(book: _Book, files: list[ThreadPoolExecutor], services: ServicesSource) -> None:
    book.close()
    with book.guard:
        waiting, book.waiting = book.waiting, []
    for op, receiver in waiting:  # still recorded, in order; nobody is left to hear back
        future = services.submit(_on_worker(services, op))
        task_id = next(book.ids)
        with book.guard:  # pending until it finishes, then buried: freed on the GUI thread
            book.pending[task_id] = _Pending(receiver, None, None, future, NOTHING, op)
        future.add_done_callback(partial(_finished_after_close, book, task_id))
    for executor in files:
        executor.shutdown(wait=False, cancel_futures=False)


class TaskRunner(QObject):
    """Bridge between the worker thread and the widgets. Lives on the GUI thread."""

    busy_changed = Signal(bool)
    changed = Signal(object)  # Changed, after a mutating op succeeded (on the GUI thread)

    def __init__(self, services: ServicesSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        _empty_graveyard()
        self._services = services
        # The second executor: work that needs no database, made on first use.
        self._files: list[ThreadPoolExecutor] = []
        self._book = _Book()
        self._relay = _Relay()
        self._relay_connected = False  # on the first call: see ``_track``
        self._after_turn = QtCore.QTimer(self)
        self._after_turn.setSingleShot(True)
        self._after_turn.setInterval(AFTER_TURN_MS)
        self._after_turn.timeout.connect(self.hand_over)
        book, files = self._book, self._files  # not self: the lambda must outlive the wrapper
        self.destroyed.connect(lambda *_: _close(book, files, services))

    @property
    def pending(self) -> int:
        """Calls submitted, or waiting for ``hand_over``, whose outcome is neither delivered
        nor dropped yet."""
        with self._book.guard:
            return len(self._book.pending) + len(self._book.waiting)

    def run(
        self,
        op: Op[T],
        *,
        receiver: QObject,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[CompanionError], None] | None = None,
        changes: frozenset[Change] | Callable[[T], frozenset[Change]] = NOTHING,
    ) -> Future[T]:
        """Submits ``op`` to the database worker, which calls it with the services; the
        callbacks run later on the GUI thread, then ``changed`` announces ``changes``."""
        self.hand_over()  # what waits for the end of the turn goes first: the order is kept
        future: Future[T] = self._services.submit(_on_worker(self._services, op))
        return self._track(future, receiver, on_result, on_error, changes, op)

    def run_after_turn(self, op: Op[Any], *, receiver: QObject) -> None:
        """``op``, whose outcome nobody waits for, handed to the worker ``AFTER_TURN_MS`` from
        now, once this turn's work (a view changed, then its sound) is done; sooner if any op
        is run meanwhile (see the module docstring). A failure is logged like ``run``'s."""
        with self._book.guard:
            self._book.waiting.append((op, receiver))
            first = len(self._book.pending) + len(self._book.waiting) == 1
        if first:
            self.busy_changed.emit(True)
        if not self._after_turn.isActive():
            self._after_turn.start()

    def hand_over(self) -> None:
        """The ops ``run_after_turn`` holds go to the worker now, in the order they came."""
        with self._book.guard:
            waiting, self._book.waiting = self._book.waiting, []
        if not waiting:  # the common case, and the only one once the runner is destroyed
            return
        self._after_turn.stop()
        for op, receiver in waiting:
            future = self._services.submit(_on_worker(self._services, op))
            self._track(future, receiver, None, None, NOTHING, op, announce=False)

    def run_without_db(
        self,
        call: Callable[[], T],
        *,
        receiver: QObject,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[CompanionError], None] | None = None,
    ) -> Future[T]:
        """Runs ``call`` (no services: files, layout, encryption) on the second executor, so
        it never holds up the database worker; the callbacks run on the GUI thread."""
        if not self._files:
            self._files.append(
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="companion-files")
            )
        future: Future[T] = self._files[0].submit(_let_go_after(call))
        return self._track(future, receiver, on_result, on_error, NOTHING, call)

    def _track(
        self,
        future: Future[T],
        receiver: QObject,
        on_result: Callable[[T], None] | None,
        on_error: Callable[[CompanionError], None] | None,
        changes: ChangesOf,
        call: object,
        *,
        announce: bool = True,  # False: handed over after waiting, its busy already said
    ) -> Future[T]:
        _empty_graveyard()
        if not self._relay_connected:  # here, not at start-up: ``Qt`` costs ~120M instructions
            # (issue 16), and nothing is delivered before the first call
            self._relay.done.connect(self._deliver, QtCore.Qt.ConnectionType.QueuedConnection)
            self._relay_connected = True
        task_id = next(self._book.ids)
        book, relay = self._book, self._relay  # the callback holds these, never the runner
        with book.guard:
            book.pending[task_id] = _Pending(receiver, on_result, on_error, future, changes, call)
            first = announce and len(book.pending) == 1 and not book.waiting and not book.closed
        if first:
            self.busy_changed.emit(True)
        future.add_done_callback(lambda _f: book.finished(task_id, relay))
        return future

    def idle(self) -> bool:
        """True when every call has finished on the worker (delivered or not), none waiting."""
        with self._book.guard:
            pending = self._book.pending.values()
            return not self._book.waiting and all(p.future.done() for p in pending)

    def forget_pending(self) -> None:
        """Outcomes of calls already submitted will be dropped (used when the vault locks)."""
        with self._book.guard:
            for pending in self._book.pending.values():
                pending.on_result = None
                pending.on_error = None
                pending.changes = NOTHING  # the pages are cleared: nothing to reload

    def _deliver(self, task_id: int) -> None:
        with self._book.guard:
            pending = self._book.pending.pop(task_id, None)
            now_idle = not self._book.pending and not self._book.waiting
        if now_idle:
            self.busy_changed.emit(False)
        if pending is None:
            return
        alive = shiboken6.isValid(pending.receiver)
        error = pending.future.exception()
        if error is None:
            result = pending.future.result()
            if alive and pending.on_result is not None:
                pending.on_result(result)
            # The change happened even if the widget that asked is gone: the others hear it.
            changes = pending.changes
            kinds = changes(result) if callable(changes) else changes
            if kinds:
                self.changed.emit(Changed(frozenset(kinds), pending.receiver if alive else None))
            return
        if not alive:
            log.debug("task.dropped")
            return
        if not isinstance(error, CompanionError):
            # Type and code location only: an exception's text may quote private data.
            from companion.logsetup import SAFE, describe_crash

            log.error(describe_crash(type(error), error.__traceback__), extra={SAFE: True})
            error = CompanionError(_(UNEXPECTED))
        if pending.on_error is not None:
            pending.on_error(error)
