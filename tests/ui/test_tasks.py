"""The worker bridge: outcomes come back on the GUI thread; a closed widget's outcome is dropped.

The runner here is given a stand-in for the services (an object the ops only pass along): the
subject is the runner, its threads and its deliveries, not what an op does with the vault.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, cast

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.errors import CompanionError, WrongPassphraseError
from companion.services.container import Services
from companion.services.worker import DbWorker
from companion.ui.services_handle import ServicesHandle
from companion.ui.tasks import (
    AFTER_TURN_MS,
    EVERYTHING,
    SESSION_AND_PLAN,
    UNEXPECTED,
    Change,
    Changed,
    TaskRunner,
)

SERVICES = cast(Services, object())  # what an op receives here: only its identity is checked


class Source:
    """The database worker and the services on it, as ``ServicesHandle`` offers them."""

    def __init__(self, worker: DbWorker) -> None:
        self.worker = worker

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.worker.submit(fn, *args, **kwargs)

    def get(self, timeout: float | None = None) -> Services:
        return SERVICES


@pytest.fixture
def worker() -> Iterator[Source]:
    built = DbWorker()
    yield Source(built)
    built.shutdown()


@pytest.fixture
def receiver(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, worker: Source, receiver: QWidget) -> None:
    runner = TaskRunner(worker)
    seen: list[tuple[int, bool]] = []
    worker_thread: list[threading.Thread] = []

    def work(services: Services) -> int:
        assert services is SERVICES
        worker_thread.append(threading.current_thread())
        return 42

    runner.run(
        work,
        receiver=receiver,
        on_result=lambda value: seen.append(
            (value, threading.current_thread() is threading.main_thread())
        ),
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]
    assert worker_thread[0] is not threading.main_thread()


def test_errors_arrive_with_their_message(qtbot: QtBot, worker: Source, receiver: QWidget) -> None:
    runner = TaskRunner(worker)
    errors: list[CompanionError] = []

    def fail(_s: Services) -> None:
        raise WrongPassphraseError()

    runner.run(fail, receiver=receiver, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], WrongPassphraseError)
    assert str(errors[0]) == WrongPassphraseError.message


def test_a_bug_becomes_a_calm_message_not_a_crash(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    errors: list[CompanionError] = []

    def bug(_s: Services) -> None:
        raise KeyError("private text that must not be shown")

    runner.run(bug, receiver=receiver, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert str(errors[0]) == UNEXPECTED


def test_outcome_for_a_destroyed_widget_is_dropped(qtbot: QtBot, worker: Source) -> None:
    runner = TaskRunner(worker)
    widget = QWidget()
    release = threading.Event()
    called: list[object] = []
    runner.run(lambda _s: release.wait(10), receiver=widget, on_result=called.append)
    shiboken6.delete(widget)  # the page was closed while the worker was busy
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert called == []


def test_forget_pending_drops_outcomes_already_in_flight(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    release = threading.Event()
    called: list[object] = []
    runner.run(lambda _s: release.wait(10), receiver=receiver, on_result=called.append)
    with qtbot.waitSignal(runner.busy_changed) as busy:
        runner.run(lambda _s: "after", receiver=receiver, on_result=called.append)
        runner.forget_pending()
        release.set()
    assert busy.args == [False]
    assert called == []


def test_an_outcome_is_never_left_pending_when_the_runner_is_destroyed_mid_call(
    qtbot: QtBot, worker: Source
) -> None:
    """The window (the runner's parent) is closed and deleted with calls still out, as
    pytest-qt and a quit mid-session do: closing records "ended early" on the worker. One call
    has finished but is not delivered yet, one is still running. Neither may stay pending for
    ever, nothing is delivered to the deleted widgets, and the worker never emits on the runner
    while Qt deletes it (it signals through a relay that outlives it)."""
    window = QWidget()
    runner = TaskRunner(worker, window)
    receiver = QWidget(window)
    seen: list[object] = []
    gate = threading.Event()
    finished = runner.run(lambda _s: "finished", receiver=receiver, on_result=seen.append)
    finished.result(timeout=10)  # done on the worker; its delivery is queued, not yet run
    running = runner.run(lambda _s: gate.wait(10), receiver=receiver, on_result=seen.append)
    assert runner.pending == 2

    shiboken6.delete(window)  # as Qt does on DeferredDelete; the queued delivery dies with it
    assert not shiboken6.isValid(runner)
    assert runner.pending == 1 and not runner.idle()  # the finished one is dropped at once
    gate.set()
    assert running.result(timeout=10) is True
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert runner.idle()
    qtbot.wait(50)  # any stray delivery would land now
    assert seen == []


def test_a_widget_an_op_holds_is_freed_on_the_gui_thread_never_on_the_worker(
    qtbot: QtBot, worker: Source
) -> None:
    """The window is deleted while an op that holds a widget still runs, and nothing else
    holds that widget. Freed on the worker, Qt would destroy it there: a deadlock (seen in a
    full run: ``~QObject`` on the worker waiting for the GIL, the GUI thread in ``connect``)
    or a crash. It must be freed on the GUI thread."""
    window = QWidget()
    runner = TaskRunner(worker, window)
    held = QWidget()  # a page the op uses, its last reference in the op's closure
    freed_on: list[str] = []
    weakref.finalize(held, lambda: freed_on.append(threading.current_thread().name))
    gate = threading.Event()

    def op(_s: Services, page: QWidget = held) -> bool:
        return gate.wait(10) and page is not None

    running = runner.run(op, receiver=held, on_result=lambda _r: None)
    del op, held
    shiboken6.delete(window)
    gate.set()
    assert running.result(timeout=10) is True
    worker.submit(lambda: None).result(timeout=10)  # the worker is past the call's clean-up
    assert freed_on == []  # still waiting for the GUI thread
    TaskRunner(worker)  # any runner made or used on the GUI thread frees what is left
    assert freed_on == [threading.main_thread().name]


def test_a_call_made_after_the_runner_is_destroyed_still_runs_and_is_not_kept(
    qtbot: QtBot, worker: Source
) -> None:
    window = QWidget()
    runner = TaskRunner(worker, window)
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(runner))
    done = threading.Event()
    future = runner.run(lambda _s: done.set(), receiver=QWidget())
    future.result(timeout=10)
    assert done.is_set()  # the work itself (a write) still happens
    qtbot.waitUntil(lambda: runner.pending == 0)


# --- operations: the services only on the worker ----------------------------------------------
class InlineSource(Source):
    """A broken set-up that would run an op on the calling (GUI) thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # delivered as the op's error, as the worker would
            future.set_exception(error)
        return future


def test_an_op_is_never_handed_the_services_on_the_gui_thread(
    qtbot: QtBot, receiver: QWidget
) -> None:
    worker = DbWorker()
    runner = TaskRunner(InlineSource(worker))
    reached: list[Services] = []
    errors: list[CompanionError] = []
    runner.run(reached.append, receiver=receiver, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    worker.shutdown()
    assert reached == []  # the op never ran: the services stayed out of the GUI thread's reach
    assert str(errors[0]) == UNEXPECTED


# --- change broadcast --------------------------------------------------------------------------
def test_what_an_op_changed_is_broadcast_after_its_result_on_the_gui_thread(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    order: list[object] = []
    runner.changed.connect(
        lambda changed: order.append(
            (changed, threading.current_thread() is threading.main_thread())
        )
    )
    runner.run(
        lambda _s: "saved",
        receiver=receiver,
        on_result=order.append,
        changes=frozenset({Change.JOURNAL}),
    )
    qtbot.waitUntil(lambda: len(order) == 2)
    assert order[0] == "saved"
    changed, on_gui_thread = cast(tuple[Changed, bool], order[1])
    assert on_gui_thread
    assert changed.kinds == {Change.JOURNAL}
    assert changed.touches(Change.JOURNAL, Change.PLAN) and not changed.touches(Change.PLAN)
    assert changed.origin is receiver and changed.came_from(receiver)


def test_a_page_knows_a_change_came_from_a_widget_inside_it(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    inner = QWidget(QWidget(receiver))  # e.g. the editor inside the Journal page
    other = QWidget()
    qtbot.addWidget(other)
    heard: list[Changed] = []
    runner.changed.connect(heard.append)
    runner.run(lambda _s: None, receiver=inner, changes=frozenset({Change.DRAFTS}))
    qtbot.waitUntil(lambda: bool(heard))
    assert heard[0].came_from(receiver) and not heard[0].came_from(other)


def test_changes_can_be_read_from_the_result(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    heard: list[Changed] = []
    runner.changed.connect(heard.append)

    def kinds(added: int) -> frozenset[Change]:
        return frozenset({Change.PLAN}) if added else frozenset()

    runner.run(lambda _s: 0, receiver=receiver, changes=kinds)
    runner.run(lambda _s: 3, receiver=receiver, changes=kinds)
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert [h.kinds for h in heard] == [{Change.PLAN}]  # nothing added: nothing broadcast


def test_a_failed_op_broadcasts_nothing(qtbot: QtBot, worker: Source, receiver: QWidget) -> None:
    runner = TaskRunner(worker)
    heard: list[Changed] = []
    errors: list[CompanionError] = []
    runner.changed.connect(heard.append)

    def refuse(_s: Services) -> None:
        raise WrongPassphraseError()

    runner.run(refuse, receiver=receiver, on_error=errors.append, changes=EVERYTHING)
    qtbot.waitUntil(lambda: bool(errors))
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert heard == []


def test_a_change_is_broadcast_even_when_the_widget_that_asked_is_gone(
    qtbot: QtBot, worker: Source
) -> None:
    runner = TaskRunner(worker)
    widget = QWidget()
    release = threading.Event()
    heard: list[Changed] = []
    runner.changed.connect(heard.append)
    runner.run(lambda _s: release.wait(10), receiver=widget, changes=frozenset({Change.JOURNAL}))
    shiboken6.delete(widget)  # the editor closed while its save ran: the others must hear it
    release.set()
    qtbot.waitUntil(lambda: bool(heard))
    assert heard[0].kinds == {Change.JOURNAL} and heard[0].origin is None


def test_forget_pending_drops_the_broadcast_too(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    """The vault locks: the pages are cleared, so a late change must not make them reload."""
    runner = TaskRunner(worker)
    release = threading.Event()
    heard: list[Changed] = []
    runner.changed.connect(heard.append)
    runner.run(lambda _s: release.wait(10), receiver=receiver, changes=EVERYTHING)
    runner.forget_pending()
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert heard == []


# --- the second executor: work without the database -------------------------------------------
def test_work_without_the_database_runs_off_the_database_worker(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    threads: list[str] = []
    seen: list[str] = []
    runner.run(lambda _s: threads.append(threading.current_thread().name), receiver=receiver)

    def scan() -> str:
        threads.append(threading.current_thread().name)
        return "scanned"

    runner.run_without_db(scan, receiver=receiver, on_result=seen.append)
    qtbot.waitUntil(lambda: seen == ["scanned"] and runner.pending == 0)
    db_thread, files_thread = threads if threads[0].startswith("companion-db") else threads[::-1]
    assert db_thread.startswith("companion-db")
    assert files_thread.startswith("companion-files")


def test_a_session_event_never_waits_behind_a_slow_job_without_the_database(
    qtbot: QtBot, unlocked_services: Services, receiver: QWidget
) -> None:
    """A music folder scan (or any file work) still running must not hold up a session's
    record: the session op on the real vault completes while the job is held open by an event
    the test controls, and the job finishes only when released."""
    runner = TaskRunner(ServicesHandle.ready(unlocked_services))
    gate = threading.Event()
    job_started = threading.Event()
    job_done: list[str] = []
    started: list[str] = []

    def slow_scan() -> str:
        job_started.set()
        gate.wait(30)
        return "scanned"

    runner.run_without_db(slow_scan, receiver=receiver, on_result=job_done.append)
    assert job_started.wait(10)
    runner.run(
        lambda s: s.sessions.start_session(),
        receiver=receiver,
        on_result=started.append,
        changes=SESSION_AND_PLAN,
    )
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)
    assert job_done == [] and not gate.is_set()  # the slow job is still running
    assert unlocked_services.sessions.unfinished_session() is not None
    gate.set()
    qtbot.waitUntil(lambda: job_done == ["scanned"], timeout=10_000)


# --- records handed over after the turn (``run_after_turn``) -----------------------------------


def test_a_record_after_the_turn_is_not_handed_to_the_worker_in_this_turn(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    done: list[str] = []
    with qtbot.waitSignal(runner.busy_changed) as busy:
        runner.run_after_turn(lambda _s: done.append("due"), receiver=receiver)
    assert busy.args == [True]
    assert runner.pending == 1 and not runner.idle()  # waiting counts as pending
    threading.Event().wait(AFTER_TURN_MS * 3 / 1000)  # the worker is free; the turn goes on
    assert done == []
    with qtbot.waitSignal(runner.busy_changed) as busy:
        qtbot.waitUntil(lambda: done == ["due"])
    assert busy.args == [False] and runner.pending == 0 and runner.idle()


def test_an_op_run_meanwhile_hands_the_waiting_records_over_first(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    """Order is kept: a lock is a ``run``, so no record of the session waits behind it."""
    runner = TaskRunner(worker)
    order: list[str] = []
    runner.run_after_turn(lambda _s: order.append("phase"), receiver=receiver)
    runner.run_after_turn(lambda _s: order.append("prompt"), receiver=receiver)
    locked = runner.run(lambda _s: order.append("lock"), receiver=receiver)
    locked.result(timeout=10)  # no turn of the event loop between: handed over by ``run``
    assert order == ["phase", "prompt", "lock"]
    qtbot.waitUntil(lambda: runner.pending == 0)


def test_hand_over_sends_the_waiting_records_at_once(
    qtbot: QtBot, worker: Source, receiver: QWidget
) -> None:
    """The window quitting (``prepare_to_quit``) hands them over before the vault is locked."""
    runner = TaskRunner(worker)
    seen = threading.Event()
    runner.run_after_turn(lambda _s: seen.set(), receiver=receiver)
    runner.hand_over()
    assert seen.wait(10)  # no turn of the event loop was needed
    qtbot.waitUntil(lambda: runner.pending == 0)


def test_a_waiting_record_is_still_made_when_the_runner_is_destroyed_and_freed_here(
    qtbot: QtBot, worker: Source
) -> None:
    """Closed mid-session with a record still waiting: it is handed to the worker then, and
    the widget its op holds is freed on the GUI thread, never on the worker (see
    ``test_a_widget_an_op_holds_is_freed_on_the_gui_thread_never_on_the_worker``)."""
    window = QWidget()
    runner = TaskRunner(worker, window)
    receiver = QWidget(window)
    held = QWidget()  # its last reference in the op's closure
    freed_on: list[str] = []
    weakref.finalize(held, lambda: freed_on.append(threading.current_thread().name))
    made = threading.Event()

    def op(_s: Services, page: QWidget = held) -> None:
        if page is not None:
            made.set()

    runner.run_after_turn(op, receiver=receiver)
    del op, held
    shiboken6.delete(window)
    assert made.wait(10)  # the record is still made
    worker.submit(lambda: None).result(timeout=10)  # the worker is past the call's clean-up
    assert freed_on == [] and runner.pending == 0
    TaskRunner(worker)  # any runner made or used on the GUI thread frees what is left
    assert freed_on == [threading.main_thread().name]
