"""Child process for bench/startup.py: prints two monotonic times, when the first window is
exposed (mapped) and when its first frame has been painted and flushed to the screen, then
quits. ``bare`` shows a plain QLabel; ``app`` runs Companion's real main().

The probe is the same in both: an application-wide event filter that tests each event's class
(``QExposeEvent``, ``QPaintEvent``), never its type: reading ``event.type()`` builds PySide's
``QEvent.Type`` enum (and the ``Qt`` namespace), which the app itself avoids before its first
paint. The first paint event is painted into the backing store with the rest of that frame and
flushed to the X server in the same pass; a zero-delay timer queued during that paint fires
after the flush, and that is the "painted" time.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QExposeEvent, QPaintEvent


class FramePainted(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.exposed: float | None = None
        self.painting = False

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
        QCoreApplication.quit()


def main() -> int:
    mode, data_dir = sys.argv[1], sys.argv[2]
    probe = FramePainted()
    if mode == "bare":
        from PySide6.QtWidgets import QApplication, QLabel

        app = QApplication(sys.argv[:1])
        app.installEventFilter(probe)
        window = QLabel("bare window")
        window.resize(960, 680)
        window.show()
        return app.exec()
    import companion.app as companion_app

    original = companion_app.create_application  # type: ignore[attr-defined]

    def instrumented(*args, **kwargs):  # type: ignore[no-untyped-def]
        app = original(*args, **kwargs)
        app.installEventFilter(probe)
        return app

    companion_app.create_application = instrumented  # type: ignore[attr-defined]
    return companion_app.main(["--data-dir", data_dir])


if __name__ == "__main__":
    raise SystemExit(main())
