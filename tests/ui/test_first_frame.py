"""Work deferred to after the window's first painted frame (issue 16: start-up to the first
frame): it runs once, after the paint, or after the fallback when the window is never painted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from companion.crypto.kdf import KdfParams
from companion.domain.clock import SystemClock
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.settings import Settings
from companion.ui.first_frame import after_first_frame
from companion.ui.main_window import MainWindow
from tests.support.vault import PASSPHRASE


class PaintSeen(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: object) -> bool:
        self.painted = self.painted or isinstance(event, QPaintEvent)
        return False


def test_work_runs_once_after_the_first_frame_not_in_the_first_turn(qtbot: QtBot) -> None:
    window = QLabel("Companion")
    qtbot.addWidget(window)
    seen = PaintSeen()
    window.installEventFilter(seen)
    ran: list[bool] = []
    after_first_frame(window, lambda: ran.append(seen.painted), fallback_ms=60_000)
    qtbot.wait(30)  # event-loop turns before the window is shown: nothing runs
    assert ran == []
    window.show()
    qtbot.waitUntil(lambda: bool(ran), timeout=5_000)
    window.update()
    qtbot.wait(30)
    assert ran == [True]  # after the paint, and only once


def test_work_still_runs_when_the_window_is_never_painted(qtbot: QtBot) -> None:
    window = QLabel("Companion")
    qtbot.addWidget(window)
    ran: list[str] = []
    after_first_frame(window, lambda: ran.append("ran"), fallback_ms=20)
    qtbot.waitUntil(lambda: bool(ran), timeout=2_000)
    qtbot.wait(30)
    assert ran == ["ran"]


FILTERS = r"""
import os, sys
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QPaintEvent
import companion.app as app_module
from companion.ui.app_events import AppEvents, app_events

calls = []
painted = []

def spy(name, real):
    def event_filter(self, watched, event):
        calls.append((name, bool(painted)))
        return real(self, watched, event)
    return event_filter

AppEvents.eventFilter = spy("app events", AppEvents.eventFilter)
running = app_module.start(["--data-dir", sys.argv[1]])

class PaintSeen(QObject):
    def eventFilter(self, watched, event):
        if isinstance(event, QPaintEvent):
            painted.append(True)
        return False

seen = PaintSeen()
running.window.installEventFilter(seen)

def report():
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(running.window.windowHandle(), Qt.Key.Key_Shift)  # as the window system would
    print("before:", sorted({name for name, after in calls if not after}))
    print("after:", sorted({name for name, after in calls if after}))
    print("handlers:", sorted(type(h).__name__ for h, _w in app_events()._handlers))
    sys.stdout.flush()
    os._exit(0)

QTimer.singleShot(1500, report)
running.app.exec()
"""


def run_fresh(script: str, paths: DataPaths) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh interpreter (no test application, nothing imported yet), given
    the data folder; its output as text."""
    return subprocess.run(
        [sys.executable, "-c", script, str(paths.root)],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_application_wide_filter_sees_an_event_before_the_first_frame(
    tmp_path: Path,
) -> None:
    """Issue 16: the first object made in C++ that such a filter is handed makes PySide set up
    every QObject class (~20 ms); the input rules and the unlock screen's Help keys start once
    the window is painted, and then see a key pressed in the window. Run in a fresh interpreter
    (the tests' application has its rules)."""
    paths = DataPaths(tmp_path / "data")
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    services.worker.shutdown()
    done = run_fresh(FILTERS, paths)
    lines = done.stdout.splitlines()
    assert "before: []" in lines, done.stdout + done.stderr[-2000:]
    assert "after: ['app events']" in lines, done.stdout
    assert "handlers: ['HelpKeys', 'InputRules']" in lines, done.stdout


QT_AT_FIRST_FRAME = r"""
import os, sys
import PySide6.QtCore as QtCore
import companion.app as app_module
from companion.ui.first_frame import after_first_frame

running = app_module.start(["--data-dir", sys.argv[1]])
form = running.window.unlock_screen.form

def report():
    print("hand cursor after it:", form.unlock_button.cursor().shape().name)
    print("window icon after it:", not running.window.windowIcon().isNull())
    sys.stdout.flush()
    os._exit(0)

def painted():  # queued before the app's own work for the same frame (filters: last in, first)
    print("Qt namespace at the first frame:", "Qt" in vars(QtCore))
    print("window icon at the first frame:", not running.window.windowIcon().isNull())
    QtCore.QTimer.singleShot(0, report)

after_first_frame(running.window, painted, fallback_ms=60_000)
running.app.exec()
"""


def test_the_unlock_screen_paints_its_first_frame_without_the_qt_namespace(
    tmp_path: Path,
) -> None:
    """Issue 16: PySide builds the whole ``Qt`` namespace (93 enum types) on its first use,
    ~120M instructions; the unlock screen sets its few values by number and its buttons get
    the hand cursor once the frame is painted, the window its icon (drawn from an SVG, ~15M).
    A fresh interpreter, on a folder with a vault header (all the start-up looks at before the
    first frame)."""
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    paths.header.write_bytes(b"")
    done = run_fresh(QT_AT_FIRST_FRAME, paths)
    lines = done.stdout.splitlines()
    assert "Qt namespace at the first frame: False" in lines, done.stdout + done.stderr[-2000:]
    assert "hand cursor after it: PointingHandCursor" in lines, done.stdout
    assert "window icon at the first frame: False" in lines, done.stdout
    assert "window icon after it: True" in lines, done.stdout


def test_f1_opens_help_on_the_unlock_screen_before_its_filter_is_in(
    qtbot: QtBot, services: Services, settings: Settings
) -> None:
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    window = MainWindow(services, settings, ask_before_losing_key=False)
    qtbot.addWidget(window)
    screen = window.unlock_screen
    assert screen is not None
    qtbot.keyClick(screen.form.passphrase.edit, Qt.Key.Key_F1)  # nothing painted yet
    assert screen.showing_help
    window.prepare_to_quit()
