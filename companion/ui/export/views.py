"""The preview (exactly what leaves, before anything is written) and the saved result (with
the generated passphrase, shown this once)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from companion.i18n import _
from companion.ui.common.jobs import ProgressPanel, settle_layouts
from companion.ui.common.messages import SEPARATELY_NOTE
from companion.ui.export.preview_pane import PreviewPane
from companion.ui.widgets.fits_text import looks_changed
from companion.ui.widgets.page import Column, ScrollPage, button_row
from companion.ui.widgets.text import button, char_width, label, primary_button, set_role, title

PREVIEW_CHARACTERS = 76  # a little wider than a form: the session table needs the room


class PreviewView(QWidget):
    back_requested = Signal()
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = Column(PREVIEW_CHARACTERS)
        col = self.body.column
        col.addWidget(title(_("Preview")))
        self.intro: QLabel = label(
            _("Exactly what will leave this computer. Nothing is saved yet.")
        )
        col.addWidget(self.intro)
        self.pane = PreviewPane()
        self.pane.setAccessibleName(_("Preview of what will be shared"))
        self.pane.setAccessibleDescription(_("Everything the file will hold, including entries."))
        # It scrolls itself: two lines at least, so the page fits 768 px at 200 % text.
        self.pane.setMinimumHeight(self.fontMetrics().height() * 2)
        col.addWidget(self.pane, 1)
        self.status: QLabel = label("", "error")
        self.status.hide()
        col.addWidget(self.status)
        self.progress = ProgressPanel(_("Saving the export"))
        col.addWidget(self.progress)
        self.back_button: QPushButton = button(
            _("Change my choices"), accessible_name=_("Go back and change my choices")
        )
        self.save_button: QPushButton = primary_button(
            _("Save…"),
            accessible_name=_("Save the file"),
            description=_("Choose where to save it."),
        )
        col.addLayout(button_row(self.save_button, leading=(self.back_button,)))
        self._outer = QHBoxLayout(self)
        self._outer.addStretch(1)
        self._outer.addWidget(self.body, 100)
        self._outer.addStretch(1)
        self._update_margins()
        self.back_button.clicked.connect(self.back_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.setFocusProxy(self.pane)

    def _update_margins(self) -> None:
        em = char_width(self)
        line = self.fontMetrics().height()
        self._outer.setContentsMargins(em * 3, line, em * 3, line // 2)

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            self._update_margins()
        super().changeEvent(event)

    def show_document(self, pieces: Sequence[str], can_save: bool) -> None:
        """``pieces`` joined are the whole document; only those on screen are laid out."""
        self.pane.set_pieces(pieces)
        self.save_button.setEnabled(can_save)
        self.show_status("")

    def show_status(self, text: str, role: str = "error") -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.setVisible(bool(text))
        settle_layouts()

    def set_busy(self, busy: bool, can_save: bool = True) -> None:
        self.save_button.setEnabled(not busy and can_save)
        self.back_button.setEnabled(not busy)

    def clear(self) -> None:
        self.pane.clear()
        self.show_status("")


class DoneView(ScrollPage):
    """The file is saved. A generated passphrase is shown here once, with Copy."""

    finished = Signal()
    copy_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._passphrase = ""
        col = self.column
        col.addWidget(title(_("Saved")))
        self.where: QLabel = label("")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.where)
        self.protection: QLabel = label("")
        col.addWidget(self.protection)
        self.passphrase_heading: QLabel = label(_("The passphrase for this file"), "figure")
        col.addWidget(self.passphrase_heading)
        self.passphrase_label: QLabel = label("", "key", wrap=True)
        self.passphrase_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passphrase_label.setAccessibleName(_("Passphrase for the exported file"))
        self.passphrase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.passphrase_label)
        self.copy_button: QPushButton = button(
            _("Copy"),
            accessible_name=_("Copy the passphrase"),
            description=_("The clipboard is cleared when Companion locks or closes."),
        )
        self.copy_button.clicked.connect(self._copy)
        col.addLayout(button_row(leading=(self.copy_button,)))
        self.copied: QLabel = label("", "success")
        self.copied.hide()
        col.addWidget(self.copied)
        self.note: QLabel = label(_(SEPARATELY_NOTE), "note")
        col.addWidget(self.note)
        self.done_button: QPushButton = primary_button(
            _("Done"),
            accessible_name=_("Done"),
            description=_("The passphrase will not be shown again."),
        )
        self.done_button.clicked.connect(self.finished)
        col.addLayout(button_row(self.done_button))
        col.addStretch(1)
        self._passphrase_widgets: tuple[QWidget, ...] = (
            self.passphrase_heading,
            self.passphrase_label,
            self.copy_button,
            self.note,
        )

    @property
    def passphrase(self) -> str:
        return self._passphrase

    def show_result(self, where: str, protection: str, passphrase: str | None) -> None:
        self._passphrase = passphrase or ""
        self.where.setText(where)
        self.protection.setText(protection)
        self.passphrase_label.setText(self._passphrase)
        for widget in self._passphrase_widgets:
            widget.setVisible(bool(passphrase))
        self.copied.hide()
        self.setFocusProxy(self.copy_button if passphrase else self.done_button)
        settle_layouts()

    def _copy(self) -> None:
        if self._passphrase:
            self.copy_requested.emit(self._passphrase)
            self.copied.setText(
                _("Copied. Companion clears the clipboard when it locks or closes.")
            )
            self.copied.show()

    def clear(self) -> None:
        """Forgets the passphrase: it is never shown again."""
        self._passphrase = ""
        self.passphrase_label.clear()
        self.where.clear()
        self.protection.clear()
        self.copied.hide()
