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

# Work held back while the app's first frame is pending (``hold`` in ``app.start`` until
# ``release`` after that frame): what the first screen's widgets could only set through the
# ``Qt`` namespace (a button's hand cursor), which PySide builds in full on its first import
# (~120M instructions, issue 16). None: nothing is held, the work runs at once.
_held: list[Callable[[], None]] | None = None


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


def hold() -> None:
    """From now until ``release``, ``when_painted`` keeps its work back (``app.start``)."""
    global _held
    _held = []


def release() -> None:
    """Runs the work held back since ``hold``, in order; ``when_painted`` runs at once again."""
    global _held
    work, _held = _held or [], None
    for item in work:
        item()


def when_painted(work: Callable[[], None]) -> None:
    """Runs ``work`` now, or after the app's first frame while that frame is pending."""
    if _held is None:
        work()
    else:
        _held.append(work)
