"""The application object Companion's window runs in (``companion.ui.application``)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from companion.ui.application import APP_NAME, GUI_SWITCH_INTERVAL_S, create_application


def test_the_gui_thread_waits_a_millisecond_for_pythons_lock_not_five(qapp: QApplication) -> None:
    """Issue 16: with Python's 5 ms switch interval a worker running Python kept the GUI thread
    waiting up to 5 ms each time it came back to a Python slot (``bench/gil_wait.py``: the
    probe's worst gap 18-26 ms with a busy worker, 7-9 ms at 1 ms)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # Python's default, whatever ran before this test
    try:
        app = create_application()
        assert app is qapp
        assert GUI_SWITCH_INTERVAL_S <= 0.001
        assert sys.getswitchinterval() == GUI_SWITCH_INTERVAL_S
        assert app.applicationName() == APP_NAME
    finally:
        sys.setswitchinterval(before)
