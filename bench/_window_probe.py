"""Child process for bench/startup.py: prints two monotonic times, when the first window is
exposed (mapped) and when its first frame has been painted and flushed to the screen, then
quits. ``bare`` shows a plain QLabel; ``app`` runs Companion's real start-up (``main()``:
``companion.app.start`` then the event loop).

The probe is the same in both, installed once the window is shown and before the event loop
runs (nothing is painted before that): an event filter on the window (its paint events) and on
its ``QWindow`` (its Expose), testing each event's class, never its type (reading
``event.type()`` builds PySide's enum types, which the app avoids before its first paint). Not
an application-wide filter: the first object made in C++ (the X window, a viewport) that such a
filter hands to Python makes PySide set up every QObject class of the loaded modules (~150
enum types, ~20 ms here), a cost the probe would add to both arms. The first paint event is
painted into the backing store with the rest of that frame and flushed to the X server in the
same pass; a zero-delay timer queued during that paint fires after the flush, and that is the
"painted" time.

In ``app`` mode ``companion.app`` is imported before the probe's own PySide imports, as the
``companion`` command imports it: what Companion imports before PySide is not read by PySide's
import hook, and the probe must not change that order.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


# Set by ``startup.py --instructions`` (the run is under callgrind, ~50x slower): the process
# ends at the first frame, and the app's 1 s fallback (work started for a window never painted)
# is pushed out so that it cannot fire before that frame.
COUNTING = os.environ.get("COMPANION_BENCH_COUNTING") == "1"


def frame_probe() -> Callable[[QWidget], None]:
    """``watch(window)``: prints the two times once ``window`` is painted, then quits."""
    from PySide6.QtCore import QCoreApplication, QObject, QTimer
    from PySide6.QtGui import QExposeEvent, QPaintEvent

    class FramePainted(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.exposed: float | None = None
            self.painting = False

        def watch(self, window: QWidget) -> None:
            window.installEventFilter(self)
            handle = window.windowHandle()
            if handle is not None:
                handle.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: object) -> bool:
            if self.exposed is None and isinstance(event, QExposeEvent):
                self.exposed = time.monotonic()
            elif not self.painting and isinstance(event, QPaintEvent):
                self.painting = True
                QTimer.singleShot(0, self.flushed)
            return False

        def flushed(self) -> None:
            painted = time.monotonic()
            print(f"{self.exposed or painted:.6f} {painted:.6f}", flush=True)
            if COUNTING:
                os._exit(0)  # nothing after the first frame is counted
            QCoreApplication.quit()

    return FramePainted().watch


def main() -> int:
    mode, data_dir = sys.argv[1], sys.argv[2]
    if mode == "bare":
        from PySide6.QtWidgets import QApplication, QLabel

        watch = frame_probe()
        app = QApplication(sys.argv[:1])
        window = QLabel("bare window")
        window.resize(960, 680)
        window.show()
        watch(window)
        return app.exec()
    import companion.app as companion_app

    if COUNTING:
        from companion.ui.first_frame import after_first_frame

        # companion.app's own name for it: the fallback pushed out to an hour
        vars(companion_app)["after_first_frame"] = functools.partial(
            after_first_frame, fallback_ms=3_600_000
        )
    watch = frame_probe()
    running = companion_app.start(["--data-dir", data_dir])
    watch(running.window)
    return running.app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
