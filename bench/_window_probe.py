"""Child process for bench/startup.py: prints the monotonic time when the first window is
exposed, then quits. ``bare`` shows a plain QWidget; ``app`` runs Companion's real main()."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer


class ExposeProbe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.done and event.type() == QEvent.Type.Expose:
            self.done = True
            print(f"{time.monotonic():.6f}", flush=True)
            from PySide6.QtCore import QCoreApplication

            QTimer.singleShot(0, QCoreApplication.quit)
        return False


def main() -> int:
    mode, data_dir = sys.argv[1], sys.argv[2]
    probe = ExposeProbe()
    if mode == "bare":
        from PySide6.QtWidgets import QApplication, QLabel

        app = QApplication(sys.argv[:1])
        app.installEventFilter(probe)
        window = QLabel("bare window")
        window.resize(960, 680)
        window.show()
        return app.exec()
    import companion.app as companion_app
    from companion.ui import application

    original = application.create_application

    def instrumented(*args, **kwargs):  # type: ignore[no-untyped-def]
        app = original(*args, **kwargs)
        app.installEventFilter(probe)
        return app

    application.create_application = instrumented  # type: ignore[assignment]
    companion_app.create_application = instrumented  # type: ignore[attr-defined]
    return companion_app.main(["--data-dir", data_dir])


if __name__ == "__main__":
    raise SystemExit(main())
