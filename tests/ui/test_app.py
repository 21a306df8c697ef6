"""The composition root: start() opens the right screen on a data folder; quitting cleans up.

(The event loop itself is not entered here: pytest-qt owns it. ``main`` is ``start`` + exec.)
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from companion.app import Running, parse_args, shut_down, start
from companion.services.container import Services
from companion.settings import WINDOW_GEOMETRY, Settings
from tests.support.vault import PASSPHRASE


@pytest.fixture
def isolated_process_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """start() installs an excepthook and a log file handler; put both back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == "companion-file":
            root.removeHandler(handler)
            handler.close()


@pytest.fixture
def launch(qtbot: QtBot, isolated_process_state: None) -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for running in started:
        running.app.aboutToQuit.disconnect(running.on_quit)
        running.window.close()
        running.window.deleteLater()


def run(qtbot: QtBot, launch: list[Running], data: Path) -> Running:
    running = start(["--data-dir", str(data)])
    launch.append(running)
    qtbot.waitUntil(lambda: running.window.isVisible() and running.handle.is_ready, timeout=10_000)
    return running


def test_first_start_opens_the_welcome_and_quits_cleanly(
    qtbot: QtBot, launch: list[Running], tmp_path: Path
) -> None:
    running = run(qtbot, launch, tmp_path / "fresh")
    window = running.window
    assert window.first_run is not None
    assert QGuiApplication.applicationName() == "Companion"
    assert running.paths.logs.is_dir()
    window.ctx.clipboard.copy("something of ours")

    shut_down(window, running.handle)  # what quitting does

    assert Settings(running.paths.preferences).get(WINDOW_GEOMETRY)
    assert QGuiApplication.clipboard().text() != "something of ours"
    services = running.handle.get()
    assert not services.vault.is_unlocked


def test_a_folder_with_a_vault_opens_on_the_unlock_screen(
    qtbot: QtBot, launch: list[Running], unlocked_services: Services
) -> None:
    unlocked_services.vault.lock()
    running = run(qtbot, launch, unlocked_services.paths.root)
    assert running.window.unlock_screen is not None
    shut_down(running.window, running.handle)


def test_arguments() -> None:
    args, qt_args = parse_args(["--data-dir", "/somewhere", "-platform", "offscreen"])
    assert args.data_dir == Path("/somewhere")
    assert qt_args == ["-platform", "offscreen"]


def test_quitting_with_a_slow_worker_neither_raises_nor_waits_past_the_limit(
    qtbot: QtBot,
    launch: list[Running],
    unlocked_services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    import companion.app

    unlocked_services.vault.lock()
    running = run(qtbot, launch, unlocked_services.paths.root)
    services = running.handle.get()
    services.worker.submit(services.vault.unlock, PASSPHRASE).result(timeout=30)
    assert services.vault.is_unlocked
    busy = threading.Event()
    services.worker.submit(lambda: busy.wait(30))  # a long write still running at quit
    monkeypatch.setattr(companion.app, "SHUTDOWN_TIMEOUT_S", 0.3)
    started = time.monotonic()
    shut_down(running.window, running.handle)  # returns: the lock stays queued behind it
    assert time.monotonic() - started < 5
    busy.set()
    qtbot.waitUntil(lambda: not services.vault.is_unlocked, timeout=10_000)


def test_the_services_and_logging_start_after_the_first_frame_is_painted(
    qtbot: QtBot, launch: list[Running], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: the storage stack is imported on a thread that holds Python's GIL for long
    stretches; started in the event loop's first turn, it delayed the first frame."""
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QPaintEvent

    import companion.app

    class PaintSeen(QObject):
        painted = False

        def eventFilter(self, watched: QObject, event: object) -> bool:
            PaintSeen.painted = PaintSeen.painted or isinstance(event, QPaintEvent)
            return False

    seen = PaintSeen()
    painted_when_started: list[bool] = []
    real = companion.app.start_services

    def start_services(*args: object) -> None:
        painted_when_started.append(PaintSeen.painted)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(companion.app, "start_services", start_services)
    running = start(["--data-dir", str(tmp_path / "fresh")])
    launch.append(running)
    running.window.installEventFilter(seen)  # nothing is painted before the event loop runs
    qtbot.waitUntil(lambda: running.handle.is_ready, timeout=10_000)
    assert painted_when_started == [True]
    assert running.paths.logs.is_dir()
