"""Dialogs of the journal: confirming a delete, and the earlier versions of an entry.

Both open window-modal with ``open()`` (never a nested event loop) and report through signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from companion.domain.journal import EntryKind
from companion.ui.common.render import local_day_time, markdown_html
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label, primary_button, subtitle

if TYPE_CHECKING:
    from companion.services.journal import EntryInput, Revision

DELETE_TEXT = (
    "This removes the entry from your vault on this computer, together with its earlier "
    "versions and any draft of it. It cannot be undone."
)
EXPORTS_NOT_RECALLED = (
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
        self.setWindowTitle("Delete this entry?")
        self.setAccessibleName("Delete this entry?")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        line = self.fontMetrics().height()
        layout.setContentsMargins(line, line, line, line)
        layout.setSpacing(max(10, line * 3 // 4))
        layout.addWidget(subtitle("Delete this entry?"))
        if entry_title:
            self.entry: QLabel = label(entry_title, "muted")
            layout.addWidget(self.entry)
        self.explanation: QLabel = label(DELETE_TEXT)
        self.exports: QLabel = label(EXPORTS_NOT_RECALLED, "note")
        layout.addWidget(self.explanation)
        layout.addWidget(self.exports)
        self.keep_button: QPushButton = primary_button("Keep it")
        self.delete_button: QPushButton = button(
            "Delete for good", accessible_name="Delete this entry for good"
        )
        layout.addLayout(button_row(self.keep_button, leading=(self.delete_button,)))
        self.keep_button.setDefault(True)
        self.keep_button.clicked.connect(self.reject)
        self.delete_button.clicked.connect(self._confirm)
        fit_height(self, line * 26)

    def _confirm(self) -> None:
        self.confirmed.emit()
        self.accept()


def entry_html(content: EntryInput, background: str = "", foreground: str = "") -> str:
    """One version of an entry as escaped HTML (its answers under their questions)."""
    import html

    parts = []
    if content.title:
        parts.append(f"<h3>{html.escape(content.title, quote=False)}</h3>")
    for answer in content.answers:
        parts.append(f"<p><b>{html.escape(answer.prompt_text, quote=False)}</b></p>")
        parts.append(markdown_html(answer.answer, background, foreground))
    if content.body:
        if content.answers:
            parts.append("<p><b>Free writing</b></p>")
        parts.append(markdown_html(content.body, background, foreground))
    facts = []
    if content.mood is not None:
        facts.append(f"Mood {content.mood} of 10")
    if content.tags:
        facts.append("Tags: " + ", ".join(content.tags))
    facts.append("Shared with your provider" if content.shared_with_provider else "Private")
    parts.append(f"<p><i>{html.escape(' · '.join(facts), quote=False)}</i></p>")
    return "".join(parts)


class RevisionsDialog(QDialog):
    """Earlier versions of an entry, newest first; choosing one shows it in full."""

    def __init__(self, revisions: list[Revision], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Earlier versions")
        self.setAccessibleName("Earlier versions")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.revisions = revisions
        line = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(line, line, line, line)
        layout.addWidget(subtitle("Earlier versions"))
        if revisions:
            intro = (
                "Each time you saved a change, the version before it was kept. They are shown "
                "here as they were; nothing here can be changed."
            )
        else:
            intro = (
                "There are no earlier versions: this entry has not been changed since it was "
                "written."
            )
        layout.addWidget(label(intro, "muted"))
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Versions")
        self.list.setMinimumWidth(line * 12)
        for revision in revisions:
            when = revision.version_updated_at or revision.saved_at
            item = QListWidgetItem(f"Version of {local_day_time(when)}")
            item.setToolTip(f"Replaced on {local_day_time(revision.saved_at)}")
            self.list.addItem(item)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("The chosen version")
        row.addWidget(self.list, 1)
        row.addWidget(self.view, 2)
        layout.addLayout(row, 1)
        self.close_button: QPushButton = primary_button("Close")
        layout.addLayout(button_row(self.close_button))
        self.close_button.clicked.connect(self.accept)
        self.list.currentRowChanged.connect(self._show)
        self.list.setVisible(bool(revisions))
        self.view.setVisible(bool(revisions))
        if revisions:
            self.list.setCurrentRow(0)
        self.resize(line * 44, line * 30)
        self.setMinimumWidth(line * 30)
        fit_height(self, line * 44)
        self.resize(line * 44, max(self.height(), line * 30))

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.revisions):
            content = self.revisions[row].content
            kind = EntryKind(content.kind).label
            self.view.setHtml(f"<p><i>{kind}</i></p>" + entry_html(content))
