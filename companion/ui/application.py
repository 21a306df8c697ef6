"""The Qt application object, named and ready for the window (one per process)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

APP_NAME = "Companion"


def create_application(qt_args: Sequence[str] = ()) -> QApplication:
    """Returns the process's QApplication (created if needed) with Companion's names set."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("companion")
    return app
