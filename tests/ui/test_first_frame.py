"""Work deferred to after the window's first painted frame (issue 16: start-up to the first
frame): it runs once, after the paint, or after the fallback when the window is never painted."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from companion.ui.first_frame import after_first_frame


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
