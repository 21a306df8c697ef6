"""Dialogs of the journal: confirming a delete, and opening a link from the person's own words.
The earlier versions of an entry are in ``revisions`` (their names are kept here for the
Reflections page).

Both open window-modal with ``open()`` (never a nested event loop) and report through signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.i18n import N_, _
from companion.ui.journal.revisions import screen_room
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label, primary_button, subtitle

DELETE_TEXT = N_(
    "This removes the entry from your vault on this computer, together with its earlier "
    "versions and any draft of it. It cannot be undone."
)
EXPORTS_NOT_RECALLED = N_(
    "Copies you have already exported or shared (for example with your provider) are not "
    "recalled: they stay wherever you saved or sent them."
)


def fit_height(dialog: QDialog, width: int) -> None:
    """Sizes a dialog of wrapped text so every line shows (its layout knows the height a
    width needs; a plain dialog would guess from the unwrapped text)."""
    layout = dialog.layout()
    height = layout.totalHeightForWidth(width) if layout is not None else -1
    dialog.setMinimumSize(width, max(height, dialog.minimumSizeHint().height()))
    dialog.resize(width, max(height, dialog.minimumSizeHint().height()))


class ConfirmDeleteDialog(QDialog):
    """ "Delete this entry?" with what it means, including that exports are not recalled."""

    confirmed = Signal()

    def __init__(self, entry_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Delete this entry?"))
        self.setAccessibleName(_("Delete this entry?"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        line = self.fontMetrics().height()
        layout.setContentsMargins(line, line, line, line)
        layout.setSpacing(max(10, line * 3 // 4))
        layout.addWidget(subtitle(_("Delete this entry?")))
        if entry_title:
            self.entry: QLabel = label(entry_title, "muted")
            layout.addWidget(self.entry)
        self.explanation: QLabel = label(_(DELETE_TEXT))
        self.exports: QLabel = label(_(EXPORTS_NOT_RECALLED), "note")
        layout.addWidget(self.explanation)
        layout.addWidget(self.exports)
        self.keep_button: QPushButton = primary_button(_("Keep it"))
        self.delete_button: QPushButton = button(
            _("Delete for good"), accessible_name=_("Delete this entry for good")
        )
        layout.addLayout(button_row(self.keep_button, leading=(self.delete_button,)))
        self.keep_button.setDefault(True)
        self.keep_button.clicked.connect(self.reject)
        self.delete_button.clicked.connect(self._confirm)
        fit_height(self, line * 26)

    def _confirm(self) -> None:
        self.confirmed.emit()
        self.accept()


class OpenLinkDialog(QDialog):
    """ "Open this link?" before a link in the person's own words leaves Companion: the whole
    address is shown, and staying is the default."""

    confirmed = Signal()

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.setWindowTitle(_("Open this link?"))
        self.setAccessibleName(_("Open this link?"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        line = self.fontMetrics().height()
        layout.setContentsMargins(line, line, line, line)
        layout.setSpacing(max(10, line * 3 // 4))
        layout.addWidget(subtitle(_("Open this link?")))
        self.explanation: QLabel = label(
            _(
                "It opens in your web browser, outside Companion. Check that it is where you "
                "meant to go:"
            )
        )
        layout.addWidget(self.explanation)
        self.address: QLabel = label(url, "key")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setAccessibleName(_("The address: {url}").format(url=url))
        layout.addWidget(self.address)
        self.stay_button: QPushButton = primary_button(_("Stay here"))
        self.open_button: QPushButton = button(
            _("Open in my browser"), accessible_name=_("Open this link in my web browser")
        )
        layout.addLayout(button_row(self.stay_button, leading=(self.open_button,)))
        self.stay_button.setDefault(True)
        self.stay_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self._confirm)
        room = screen_room(parent or self)
        fit_height(self, min(line * 30, room.width() * 9 // 10))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.stay_button.setFocus()  # Enter, or a stray key, never leaves Companion

    def _confirm(self) -> None:
        self.confirmed.emit()
        self.accept()
