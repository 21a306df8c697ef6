"""The worker bridge: outcomes come back on the GUI thread; a closed widget's outcome is dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.errors import CompanionError, WrongPassphraseError
from companion.services.worker import DbWorker
from companion.ui.tasks import UNEXPECTED, TaskRunner


@pytest.fixture
def worker() -> Iterator[DbWorker]:
    built = DbWorker()
    yield built
    built.shutdown()


@pytest.fixture
def receiver(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_result_arrives_on_the_gui_thread(
    qtbot: QtBot, worker: DbWorker, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    seen: list[tuple[int, bool]] = []
    worker_thread: list[threading.Thread] = []

    def work() -> int:
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


def test_errors_arrive_with_their_message(
    qtbot: QtBot, worker: DbWorker, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    errors: list[CompanionError] = []

    def fail() -> None:
        raise WrongPassphraseError()

    runner.run(fail, receiver=receiver, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], WrongPassphraseError)
    assert str(errors[0]) == WrongPassphraseError.message


def test_a_bug_becomes_a_calm_message_not_a_crash(
    qtbot: QtBot, worker: DbWorker, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    errors: list[CompanionError] = []

    def bug() -> None:
        raise KeyError("private text that must not be shown")

    runner.run(bug, receiver=receiver, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert str(errors[0]) == UNEXPECTED


def test_outcome_for_a_destroyed_widget_is_dropped(qtbot: QtBot, worker: DbWorker) -> None:
    runner = TaskRunner(worker)
    widget = QWidget()
    release = threading.Event()
    called: list[object] = []
    runner.run(lambda: release.wait(10), receiver=widget, on_result=called.append)
    shiboken6.delete(widget)  # the page was closed while the worker was busy
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert called == []


def test_forget_pending_drops_outcomes_already_in_flight(
    qtbot: QtBot, worker: DbWorker, receiver: QWidget
) -> None:
    runner = TaskRunner(worker)
    release = threading.Event()
    called: list[object] = []
    runner.run(lambda: release.wait(10), receiver=receiver, on_result=called.append)
    with qtbot.waitSignal(runner.busy_changed) as busy:
        runner.run(lambda: "after", receiver=receiver, on_result=called.append)
        runner.forget_pending()
        release.set()
    assert busy.args == [False]
    assert called == []


def test_an_outcome_is_never_left_pending_when_the_runner_is_destroyed_mid_call(
    qtbot: QtBot, worker: DbWorker
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
    finished = runner.run(lambda: "finished", receiver=receiver, on_result=seen.append)
    finished.result(timeout=10)  # done on the worker; its delivery is queued, not yet run
    running = runner.run(lambda: gate.wait(10), receiver=receiver, on_result=seen.append)
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


def test_a_call_made_after_the_runner_is_destroyed_still_runs_and_is_not_kept(
    qtbot: QtBot, worker: DbWorker
) -> None:
    window = QWidget()
    runner = TaskRunner(worker, window)
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(runner))
    done = threading.Event()
    future = runner.run(done.set, receiver=QWidget())
    future.result(timeout=10)
    assert done.is_set()  # the work itself (a write) still happens
    qtbot.waitUntil(lambda: runner.pending == 0)
