"""The recovery key, shown exactly once: copy, save or print it, and confirm it is stored."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QPushButton, QWidget

from companion.errors import CompanionError
from companion.fsutil import atomic_write
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.session.wrapcheck import WrapCheck
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import button, label, primary_button, set_role, title

if TYPE_CHECKING:  # QtPrintSupport itself is imported only when printing
    from PySide6.QtPrintSupport import QPrinter

INTRO = N_(
    "If you ever forget your passphrase, this key is the only way to open Companion again. "
    "It is shown only this once."
)
WHERE = N_(
    "Keep it somewhere private and away from this computer: on paper in a safe place, or in a "
    "password manager. Anyone with this key and this computer can read your notes."
)
CONFIRM = N_("I have stored my recovery key somewhere safe")
GROUPS_PER_LINE = 4
FILE_TEXT = N_(
    "Companion recovery key\n\n{key}\n\n"
    "This key opens your Companion vault if you forget your passphrase.\n"
    "Keep it private and away from the computer that holds the vault.\n"
)


def display_form(key: str) -> str:
    """Groups of five, four groups per line: easier to read aloud and to copy by hand."""
    groups = key.split("-")
    lines = [
        "-".join(groups[i : i + GROUPS_PER_LINE]) for i in range(0, len(groups), GROUPS_PER_LINE)
    ]
    return "\n".join(lines)


class RecoveryKeyStep(ScrollPage):
    confirmed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._ctx = ctx
        self._key = ""
        col = self.column
        col.addWidget(label(_("Step 3 of 4"), "step"))
        col.addWidget(title(_("Your recovery key")))
        col.addWidget(label(_(INTRO)))

        self.key_label: QLabel = label("", "key", wrap=True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName(_("Recovery key"))
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.key_label)

        self.copy_button: QPushButton = button(
            _("Copy"),
            accessible_name=_("Copy recovery key"),
            description=_(
                "Copies the key. The clipboard is cleared when Companion locks or closes."
            ),
        )
        self.save_button: QPushButton = button(
            _("Save to a file…"), accessible_name=_("Save recovery key to a file")
        )
        self.print_button: QPushButton = button(
            _("Print…"), accessible_name=_("Print recovery key")
        )
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self._save_with_dialog)
        self.print_button.clicked.connect(self._print_with_dialog)
        col.addLayout(button_row(leading=(self.copy_button, self.save_button, self.print_button)))
        self.status: QLabel = label("", "success")
        self.status.hide()
        col.addWidget(self.status)
        col.addWidget(label(_(WHERE), "note"))

        stored = WrapCheck(_(CONFIRM))  # a plain QCheckBox never wraps: cut off at 200 % text
        self.stored: QCheckBox = stored.box
        self.stored.toggled.connect(self._on_stored_toggled)
        col.addWidget(stored)

        self.continue_button: QPushButton = primary_button(
            _("Continue"), description=_("Available once you have ticked that the key is stored.")
        )
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._continue)
        col.addLayout(button_row(self.continue_button))
        col.addStretch(1)
        self.setFocusProxy(self.copy_button)

    @property
    def key(self) -> str:
        return self._key

    def set_key(self, key: str) -> None:
        self._key = key
        self.key_label.setText(display_form(key))
        self.stored.setChecked(False)
        self.status.hide()

    def _on_stored_toggled(self, checked: bool) -> None:
        self.continue_button.setEnabled(checked and bool(self._key))

    def _show_status(self, text: str, role: str = "success") -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.show()

    def copy(self) -> None:
        self._ctx.clipboard.copy(self._key)
        self._show_status(_("Copied. Companion clears the clipboard when it locks or closes."))

    def save_to(self, path: Path) -> None:
        try:
            atomic_write(path, _(FILE_TEXT).format(key=self._key).encode("utf-8"))
        except CompanionError as error:
            self._show_status(str(error), "error")
            return
        self._show_status(_("Saved to {path}.").format(path=path))

    def _save_with_dialog(self) -> None:
        suggested = str(Path.home() / "companion-recovery-key.txt")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save your recovery key"), suggested, _("Text files (*.txt);;All files (*)")
        )
        if chosen:
            self.save_to(Path(chosen))

    def print_to(self, printer: QPrinter) -> None:
        document = QTextDocument()
        key = html.escape(display_form(self._key)).replace("\n", "<br>")
        document.setHtml(
            "<h2>"
            + html.escape(_("Companion recovery key"))
            + "</h2>"
            + f"<p style='font-family: monospace; font-size: 20pt'>{key}</p><p>"
            + html.escape(
                _(
                    "This key opens your Companion vault if you forget your passphrase. "
                    "Keep it private and away from the computer that holds the vault."
                )
            )
            + "</p>"
        )
        document.print_(printer)

    def _print_with_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print your recovery key"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)
            self._show_status(_("Sent to the printer."))

    def _continue(self) -> None:
        if self.stored.isChecked():
            self.clear()
            self.confirmed.emit()

    def clear(self) -> None:
        """Forgets the key: it is never shown again."""
        self._key = ""
        self.key_label.clear()
        self.status.hide()
        self.stored.setChecked(False)
