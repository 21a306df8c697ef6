"""Work that waits until the window's first frame is on screen (issue 16: start-up to the first
painted frame).

A zero-delay timer queued before the event loop runs fires in its first turn, before the X
server has even sent the window's Expose: work started there (the storage stack imported on a
background thread, which holds Python's GIL in long stretches; logging; the screen-lock
watcher) delayed the first frame by a few hundred milliseconds. ``after_first_frame`` runs it
once the first paint event of the window has been handled: the zero-delay timer queued during
that paint fires after the frame has been flushed to the screen. A window that is never painted
(minimized at start, a platform without painting) still gets the work after ``fallback_ms``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 1000


class _FirstFrame(QObject):
    def __init__(self, window: QWidget, work: Callable[[], None], fallback_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self._work: Callable[[], None] | None = work
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: object) -> bool:
        # The event's class, not ``event.type()``: reading the type builds PySide's enum
        # namespaces, which the first frame does not otherwise need.
        if watched is self._window and isinstance(event, QPaintEvent):
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        work, self._work = self._work, None
        if work is not None:
            self._window.removeEventFilter(self)
            work()


def after_first_frame(
    window: QWidget, work: Callable[[], None], fallback_ms: int = FALLBACK_MS
) -> None:
    """Runs ``work`` once, on the GUI thread, right after ``window``'s first frame is painted
    (or after ``fallback_ms`` if it is not painted by then)."""
    _FirstFrame(window, work, fallback_ms)
