"""The Qt application object, named and ready for the window (one per process)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

APP_NAME = "Companion"

# How long a thread running Python keeps the interpreter's lock (the GIL) once another thread
# asks for it. Python's default is 5 ms: whenever a worker runs Python (the recorder writing a
# check-in, a search), each time the GUI thread comes back from Qt's C++ to a Python slot or
# event handler it can wait up to 5 ms, more than once in one turn of the event loop (issue 16).
# At 1 ms the GUI thread's wait is a fifth of that; the workers switch more often only while
# the GUI thread has Python to run. ``bench/gil_wait.py`` measures both: with a busy worker the
# probe's worst gap was 18-26 ms at 5 ms, 7-9 ms at 1 ms.
GUI_SWITCH_INTERVAL_S = 0.001


def create_application(qt_args: Sequence[str] = ()) -> QApplication:
    """Returns the process's QApplication (created if needed) with Companion's names set, and
    Python's thread switching made quick enough for a GUI thread (``GUI_SWITCH_INTERVAL_S``)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("companion")
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return app
