"""F1 and Esc open Help from every page and every dialog of the unlocked app.

Handed the key presses that reach any of the app's windows (``ui.app_events``), so the keys
work whichever page or dialog has the focus (a ``QShortcut`` on one page fires only while that
page is showing). In a dialog the dialog is set aside first (rejected, as Esc always did) and
Help shows in the main window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from companion.ui.app_events import app_events


def is_help_key(event: QKeyEvent) -> bool:
    """F1 or Esc, with no modifier but the keypad's. ``Qt`` is read here, when a key is
    pressed: PySide builds the whole namespace on its first use (``widgets.qt_numbers``)."""
    keys = (QtCore.Qt.Key.Key_F1, QtCore.Qt.Key.Key_Escape)
    plain = not event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
    return plain and event.key() in keys


class HelpKeys(QObject):
    """Handed the app's key presses; acts while ``active()`` says the shell is in use."""

    def __init__(
        self, open_help: Callable[[], None], active: Callable[[], bool], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._open_help = open_help
        self._active = active

    def install(self) -> None:
        events = app_events()
        if events is not None:
            events.add(self, (QEvent.Type.KeyPress,))

    def remove(self) -> None:
        events = app_events()
        if events is not None:
            events.discard(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Handed the key presses reaching the app's windows, with their widget (``ui.app_events``).
        if not isinstance(event, QKeyEvent) or event.type() is not QEvent.Type.KeyPress:
            return False
        if not is_help_key(event):
            return False
        if not isinstance(watched, QWidget) or not self._active():
            return False
        popup = QApplication.activePopupWidget()
        if popup is not None and event.key() == QtCore.Qt.Key.Key_Escape:
            return False  # Esc closes an open list or menu first, as everywhere
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            dialog.reject()
        self._open_help()
        return True
