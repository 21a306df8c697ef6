"""One entry in full: its answers under their questions, the free writing, mood, tags, the
share switch, and its session's facts. Matching words stay highlighted when it was opened
from a search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from companion.domain.journal import (
    DISSOCIATION_ANSWERS,
    DISSOCIATION_QUESTIONS,
    EntryKind,
    highlight,
)
from companion.errors import CompanionError
from companion.i18n import _, n_
from companion.ui.common.flow import wrapping_row
from companion.ui.common.render import local_day_time, markdown_html, safe_link
from companion.ui.context import UiContext
from companion.ui.journal.dialogs import OpenLinkDialog
from companion.ui.journal.revisions import RestoredNotice
from companion.ui.reflections.facts import SessionFactsCard
from companion.ui.reflections.model import shown_title
from companion.ui.tasks import Change
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import (
    LINE_HEIGHT_PERCENT,
    button,
    label,
    link_button,
    subtitle,
    title,
)
from companion.ui.widgets.wrap import WrapCheckBox

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.journal_model import Entry
    from companion.services.sessions_model import SessionFacts


@dataclass(frozen=True, slots=True)
class Opened:
    entry: Entry
    facts: SessionFacts | None


def fetch_opened(services: Services, entry_id: str) -> Opened:
    entry = services.journal.get(entry_id)
    facts = None
    if entry.content.session_id:
        try:
            facts = services.sessions.session_facts(entry.content.session_id)
        except CompanionError:
            facts = None
    return Opened(entry, facts)


def rich_text(html_text: str, name: str) -> QLabel:
    """The person's words as escaped, formatted text that can be selected and read. Links in
    it can be reached by mouse and keyboard; they never open by themselves (``linkActivated``
    goes to the view, which asks first)."""
    widget = QLabel(f'<div style="line-height:{LINE_HEIGHT_PERCENT}%">{html_text}</div>')
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setWordWrap(True)
    widget.setOpenExternalLinks(False)
    widget.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
        | Qt.TextInteractionFlag.LinksAccessibleByMouse
        | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    )
    widget.setAccessibleName(name)
    return widget


class EntryView(ScrollPage):
    back_requested = Signal()
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    revisions_requested = Signal(str)
    sharing_changed = Signal(str, bool)

    def __init__(
        self,
        ctx: UiContext,
        opened: Opened,
        *,
        terms: tuple[str, ...] = (),
        marks: tuple[str, str] = ("#e7cf8a", "#1d1a10"),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self._ctx = ctx
        entry = opened.entry
        self.entry_id = entry.id
        col = self.column
        self.back_button: QPushButton = link_button(
            _("← Back to the list"), accessible_name=_("Back to the list")
        )
        self.back_button.setAutoDefault(False)
        col.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._build_header(col, opened)
        self._build_texts(col, opened, terms, marks)
        self._build_feelings(col, opened)
        self._build_actions(col)

    def _build_header(self, col: QVBoxLayout, opened: Opened) -> None:
        """Title, kind and dates, tags, the restored notice and the sharing box."""
        entry = opened.entry
        c = entry.content
        self.heading: QLabel = title(shown_title(c.title, ""))
        col.addWidget(self.heading)
        meta = [EntryKind(c.kind).label, local_day_time(entry.created_at)]
        if entry.updated_at != entry.created_at:
            meta.append(_("last changed {when}").format(when=local_day_time(entry.updated_at)))
        meta.append(n_("{n} word", "{n} words", entry.word_count))
        col.addWidget(label(" · ".join(meta), "muted"))
        if c.tags:
            col.addWidget(label(_("Tags: ") + ", ".join(c.tags), "muted"))
        self.restored = RestoredNotice()  # after an earlier version was brought back
        col.addWidget(self.restored)
        self.share = WrapCheckBox(_("Shared with my provider"))
        self.share.setChecked(c.shared_with_provider)
        self.share.setAccessibleName(_("Share this entry with my provider"))
        self.share.setAccessibleDescription(
            _("Shared entries can go into an export you choose to make; nothing is sent by itself.")
        )
        col.addWidget(self.share)

    def _build_texts(
        self, col: QVBoxLayout, opened: Opened, terms: tuple[str, ...], marks: tuple[str, str]
    ) -> None:
        """The answers and the free writing, the search words marked, links asked about."""
        c = opened.entry.content
        bg, fg = marks

        def marked(text: str) -> str:
            return markdown_html(highlight(text, terms) if terms else text, bg, fg, links=True)

        # How a confirmed link is opened (the system browser); tests put a recorder here.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.link_dialog: OpenLinkDialog | None = None

        self.texts: list[QLabel] = []
        for answer in c.answers:
            col.addWidget(subtitle(_(answer.prompt_text)))
            words = rich_text(
                marked(answer.answer),
                _("Your answer: {prompt}").format(prompt=_(answer.prompt_text)),
            )
            self.texts.append(words)
            col.addWidget(words)
        if c.body:
            if c.answers:
                col.addWidget(subtitle(_("Free writing")))
            body = rich_text(marked(c.body), _("Your writing"))
            self.texts.append(body)
            col.addWidget(body)
        for words in self.texts:
            words.linkActivated.connect(self.ask_to_open)

    def _build_feelings(self, col: QVBoxLayout, opened: Opened) -> None:
        """Mood and dissociation as written, and the session's facts."""
        c = opened.entry.content
        feelings = []
        if c.mood is not None:
            feelings.append(_("Mood: {mood} of 10.").format(mood=c.mood))
        diss = c.dissociation.as_dict()
        for question in DISSOCIATION_QUESTIONS:
            value = diss.get(question.id)
            if value is not None:
                feelings.append(
                    _("Felt {what} {how}.").format(
                        what=_(question.text).strip(". "),
                        how=_(DISSOCIATION_ANSWERS[value]).lower(),
                    )
                )
        if feelings:
            col.addWidget(label(" ".join(feelings), "muted"))
        self.facts: SessionFactsCard | None = None
        if opened.facts is not None:
            self.facts = SessionFactsCard(opened.facts)
            col.addWidget(self.facts)
        elif c.session_id:
            col.addWidget(
                label(_("The session this was written about is no longer recorded."), "muted")
            )

    def _build_actions(self, col: QVBoxLayout) -> None:
        """The status line and Edit, Earlier versions, Delete."""
        self.status: QLabel = label("", "muted")
        self.status.hide()
        col.addWidget(self.status)
        self.edit_button: QPushButton = button(_("Edit"), accessible_name=_("Edit this entry"))
        self.revisions_button: QPushButton = button(
            _("Earlier versions…"), accessible_name=_("Earlier versions of this entry")
        )
        self.delete_button: QPushButton = button(
            _("Delete…"), accessible_name=_("Delete this entry")
        )
        for b in (self.edit_button, self.revisions_button, self.delete_button):
            b.setAutoDefault(False)
        col.addWidget(wrapping_row(self.edit_button, self.revisions_button, self.delete_button))
        col.addStretch(1)
        self.back_button.clicked.connect(self.back_requested)
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.entry_id))
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.entry_id))
        self.revisions_button.clicked.connect(lambda: self.revisions_requested.emit(self.entry_id))
        self.share.toggled.connect(self._share)

    def _share(self, on: bool) -> None:
        ctx, entry_id = self._ctx, self.entry_id

        def done(_r: object) -> None:
            self.status.setText(
                _("Marked to share with your provider. Nothing is sent until you export it.")
                if on
                else _("Private: not included when you share with your provider.")
            )
            self.status.show()
            self.sharing_changed.emit(entry_id, on)

        ctx.tasks.run(
            lambda s: s.journal.set_shared(entry_id, on),
            receiver=self,
            on_result=done,
            on_error=self._status_error,
            changes=frozenset({Change.JOURNAL}),
        )

    def ask_to_open(self, url: str) -> None:
        """A link in the entry was chosen: open it only if it is a web or mail address and
        the person says so."""
        target = safe_link(url)
        if target is None:
            return
        if self.link_dialog is not None:
            self.link_dialog.close()
        dialog = OpenLinkDialog(target, self.window())
        dialog.confirmed.connect(lambda: self.open_url(QUrl(target)))
        self.link_dialog = dialog
        dialog.open()

    def all_text(self) -> str:
        return "\n".join(t.text() for t in self.texts)

    def _status_error(self, error: CompanionError) -> None:
        self.status.setText(str(error))
        self.status.show()

    def clear(self) -> None:
        if self.link_dialog is not None:
            self.link_dialog.close()
            self.link_dialog = None
        for t in self.texts:
            t.clear()
        self.heading.clear()
