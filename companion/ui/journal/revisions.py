"""The earlier versions of an entry: read one, restore it after a calm confirmation, and the
notice (with an undo) shown where the entry is after a restore.

The dialog opens window-modal with ``open()`` (never a nested event loop) and reports through
signals.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from companion.domain.journal import EntryKind
from companion.i18n import N_, _
from companion.ui.common.render import local_day_time, markdown_html
from companion.ui.widgets.announce import announce
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label, primary_button, subtitle

if TYPE_CHECKING:
    from companion.services.journal_model import EntryInput, Revision

RESTORE_KEEPS = N_(
    "The entry as it is now is kept under Earlier versions, so nothing is lost and you can "
    "go back to it. Whether it is shared with your provider stays as it is now."
)
RESTORE_KEEPS_EDITOR = N_(
    "What is in the editor now, saved or not, is kept under Earlier versions, so nothing is "
    "lost and you can go back to it. Whether it is shared with your provider stays as it is now."
)


def screen_room(widget: QWidget) -> QSize:
    """The free area of the screen the widget is on (a dialog never grows past it)."""
    screen: QScreen | None = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1366, 768)
    return screen.availableGeometry().size()


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
            parts.append(_("<p><b>Free writing</b></p>"))
        parts.append(markdown_html(content.body, background, foreground))
    facts = []
    if content.mood is not None:
        facts.append(_("Mood {mood} of 10").format(mood=content.mood))
    if content.tags:
        facts.append(_("Tags: {tags}").format(tags=", ".join(content.tags)))
    facts.append(_("Shared with your provider") if content.shared_with_provider else _("Private"))
    parts.append(f"<p><i>{html.escape(' · '.join(facts), quote=False)}</i></p>")
    return "".join(parts)


class RevisionsDialog(QDialog):
    """Earlier versions of an entry, newest first; choosing one shows it in full, and it can be
    restored after a calm confirmation. Restoring replaces nothing for good: the page keeps
    the entry as it was as one more earlier version, and offers an undo."""

    restore_requested = Signal(str)  # the revision id, once the patient confirmed

    def __init__(
        self,
        revisions: list[Revision],
        parent: QWidget | None = None,
        *,
        from_editor: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Earlier versions"))
        self.setAccessibleName(_("Earlier versions"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.revisions = revisions
        line = self.fontMetrics().height()
        room = screen_room(parent or self)
        width = min(line * 44, room.width() * 9 // 10)
        height = min(line * 30, room.height() * 9 // 10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(line, line, line, line)
        layout.addWidget(subtitle(_("Earlier versions")))
        self.intro: QLabel = label(self._intro_text(bool(revisions)), "muted")
        layout.addWidget(self.intro)
        layout.addWidget(self._build_versions(revisions, side_by_side=width >= line * 36), 1)
        self.restore_button: QPushButton = button(
            _("Restore this version…"), accessible_name=_("Restore the chosen version")
        )
        self.restore_button.setAutoDefault(False)
        layout.addWidget(self._build_confirm(from_editor))
        self.problem: QLabel = label("", "error")
        layout.addWidget(self.problem)
        layout.addStretch(0)  # takes the room of the versions while the question shows
        self.close_button: QPushButton = button(
            _("Close"), accessible_name=_("Close earlier versions")
        )
        layout.addLayout(button_row(self.close_button, leading=(self.restore_button,)))
        self.close_button.clicked.connect(self.reject)
        self.restore_button.clicked.connect(self._ask)
        self.confirm_button.clicked.connect(self._confirm)
        self.cancel_button.clicked.connect(self._not_now)
        self.list.currentRowChanged.connect(self._show)
        self.confirm_box.hide()
        self.problem.hide()
        self.versions.setVisible(bool(revisions))
        self.restore_button.setVisible(bool(revisions))
        if revisions:
            self.list.setCurrentRow(0)
        self.setMinimumWidth(min(line * 24, width))
        self.setMaximumSize(room)
        self.resize(width, height)

    @staticmethod
    def _intro_text(any_versions: bool) -> str:
        if any_versions:
            return _(
                "Each time you saved a change, the version before it was kept. Choose one to "
                "read it; you can bring it back with “Restore this version”."
            )
        return _(
            "There are no earlier versions: this entry has not been changed since it was written."
        )

    def _build_versions(self, revisions: list[Revision], *, side_by_side: bool) -> QWidget:
        """The list and the chosen version's text: side by side when there is room; the list
        above the text when there is not (large text on a small screen), so neither is
        squeezed."""
        line = self.fontMetrics().height()
        self.versions = QWidget()  # the list and the chosen version's text
        row = QBoxLayout(
            QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom,
            self.versions,
        )
        row.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Versions"))
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if side_by_side:
            self.list.setMinimumWidth(line * 12)
        else:
            self.list.setMaximumHeight(line * 5)
        for revision in revisions:
            when = revision.version_updated_at or revision.saved_at
            item = QListWidgetItem(_("Version of {when}").format(when=local_day_time(when)))
            item.setToolTip(_("Replaced on {when}").format(when=local_day_time(revision.saved_at)))
            self.list.addItem(item)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setOpenExternalLinks(False)
        self.view.setAccessibleName(_("The chosen version"))
        row.addWidget(self.list, 1)
        row.addWidget(self.view, 2)
        return self.versions

    def _build_confirm(self, from_editor: bool) -> QFrame:
        """The confirmation appears in place (no second dialog on top of this one)."""
        line = self.fontMetrics().height()
        self.confirm_box = QFrame()
        self.confirm_box.setProperty("role", "card")
        confirm = QVBoxLayout(self.confirm_box)
        confirm.setContentsMargins(line // 2, line // 2, line // 2, line // 2)
        self.confirm_question: QLabel = label("")
        self.confirm_keeps: QLabel = label(
            _(RESTORE_KEEPS_EDITOR) if from_editor else _(RESTORE_KEEPS), "muted"
        )
        self.confirm_button: QPushButton = primary_button(_("Restore it"))
        self.cancel_button: QPushButton = button(
            _("Not now"), accessible_name=_("Do not restore; keep the entry as it is")
        )
        for b in (self.confirm_button, self.cancel_button):
            b.setAutoDefault(False)
        confirm.addWidget(self.confirm_question)
        confirm.addWidget(self.confirm_keeps)
        confirm.addLayout(button_row(self.confirm_button, leading=(self.cancel_button,)))
        return self.confirm_box

    def chosen(self) -> Revision | None:
        row = self.list.currentRow()
        return self.revisions[row] if 0 <= row < len(self.revisions) else None

    def _show(self, row: int) -> None:
        self._cancel()
        if 0 <= row < len(self.revisions):
            content = self.revisions[row].content
            kind = EntryKind(content.kind).label
            self.view.setHtml(f"<p><i>{kind}</i></p>" + entry_html(content))

    def _ask(self) -> None:
        revision = self.chosen()
        if revision is None:
            return
        when = local_day_time(revision.version_updated_at or revision.saved_at)
        self.confirm_question.setText(_("Bring back the version of {when}?").format(when=when))
        self.problem.hide()
        # The question takes the place of the list and the text (the version is chosen), so
        # the dialog keeps its size even with large text on a small screen.
        self.versions.hide()
        self.intro.hide()
        self.restore_button.hide()
        self.confirm_box.show()
        self.confirm_button.setFocus()
        announce(self.confirm_box, f"{self.confirm_question.text()} {self.confirm_keeps.text()}")

    def _not_now(self) -> None:
        self._cancel()
        self.restore_button.setFocus()

    def _cancel(self) -> None:
        self.confirm_box.hide()
        shown = bool(self.revisions)
        self.intro.show()
        self.versions.setVisible(shown)
        self.restore_button.setVisible(shown)
        self.confirm_button.setEnabled(True)
        self.cancel_button.setEnabled(True)

    def _confirm(self) -> None:
        revision = self.chosen()
        if revision is None:
            return
        self.confirm_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.list.setEnabled(False)
        self.restore_requested.emit(revision.id)

    def show_problem(self, text: str) -> None:
        """Restoring failed: nothing changed; the patient can try again or close."""
        self._cancel()
        self.list.setEnabled(True)
        self.problem.setText(text)
        self.problem.show()
        announce(self.problem, text)


def restored_message(version_of: datetime, *, undone: bool, draft_kept: bool) -> str:
    if undone:
        text = _(
            "The entry is back as it was before. Every version is still under Earlier versions."
        )
    else:
        text = _(
            "The version of {when} is back. The words it replaced are kept under Earlier versions."
        ).format(when=local_day_time(version_of))
    if draft_kept:
        text += _(
            " Changes you had not saved yet are still kept as a draft; they open when you "
            "choose Edit."
        )
    return text


class RestoredNotice(FitsText, QFrame):
    """After a restore, where the entry is shown: what happened, and "Undo" (one more
    restore of the words it replaced; hidden after an undo, or when nothing changed)."""

    undo_requested = Signal(str)  # the revision id that holds the replaced words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        fit_to_text(self, lambda h: layout.setContentsMargins(h // 2, h // 2, h // 2, h // 2))
        self.text: QLabel = label("")
        self.undo_button: QPushButton = button(
            _("Undo"), accessible_name=_("Undo the restore: bring back the words it replaced")
        )
        self.undo_button.setAutoDefault(False)
        layout.addWidget(self.text)
        layout.addLayout(button_row(leading=(self.undo_button,)))
        self._undo_id: str | None = None
        self.undo_button.clicked.connect(self._undo)
        self.hide()

    def show_restored(self, text: str, undo_revision_id: str | None) -> None:
        self._undo_id = undo_revision_id
        self.text.setText(text)
        self.undo_button.setVisible(undo_revision_id is not None)
        self.undo_button.setEnabled(True)
        self.show()
        announce(self, text)

    def _undo(self) -> None:
        if self._undo_id is not None:
            self.undo_button.setEnabled(False)
            self.undo_requested.emit(self._undo_id)
