"""The journal editor: one entry, from the first word to "Save entry".

A session reflection (guided questions, free writing, mood after and the short dissociation
rating), a next-day check-in, an integration note or free writing: the template decides which
parts show. The words autosave as a draft into the vault a few seconds after the last
keystroke and whenever the focus moves; saving publishes the entry and removes the draft in one
step. Editing an existing entry keeps its earlier version (see ``RevisionsDialog``).
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from companion.domain.journal import MOOD_QUESTION, markdown_to_plain, word_count
from companion.errors import CompanionError, InvalidInputError
from companion.i18n import N_, _, n_
from companion.settings import JOURNAL_PROMPTS
from companion.ui.common.flow import FlowLayout, wrapping_row
from companion.ui.common.render import local_day_time, local_time, markdown_html
from companion.ui.context import UiContext
from companion.ui.journal.autosave import Autosave
from companion.ui.journal.content import EditorState, to_input
from companion.ui.journal.dialogs import RestoredNotice
from companion.ui.journal.fields import (
    DissociationField,
    MoodField,
    PromptsPanel,
    ShareSwitch,
    TagField,
)
from companion.ui.journal.textedit import (
    SPELLING_ON,
    SPELLING_UNAVAILABLE,
    SpellCheck,
    WritingEdit,
)
from companion.ui.tasks import Change
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import (
    LINE_HEIGHT_PERCENT,
    button,
    label,
    primary_button,
    relayout_now,
    title,
)

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.journal import Entry
    from companion.services.sessions_model import SessionFacts

MOOD_AFTER_QUESTION = N_("How is your mood now, after the session?")
HEADINGS = {
    "reflection": N_("After the session"),
    "next_day": N_("Next-day check-in"),
    "integration": N_("Integration"),
    "free": N_("Free writing"),
}


def _keys(name: str) -> str:
    key = QKeySequence(getattr(QKeySequence.StandardKey, name))
    return key.toString(QKeySequence.SequenceFormat.NativeText)


class EntryEditor(ScrollPage):
    """Edits one entry. ``saved`` carries the stored ``Entry``; ``closed`` means "back"."""

    saved = Signal(object)
    closed = Signal()
    delete_requested = Signal(str)
    revisions_requested = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        state: EditorState,
        *,
        known_tags: tuple[str, ...] = (),
        spell: tuple[SpellCheck | None, str] = (None, ""),
        restored_note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self._ctx = ctx
        self.entry_id = state.entry_id
        self._state = state
        self._last_draft = state.to_draft()
        self._publishing = False
        self._shut = False
        self._draft_write: Future[Any] | None = None  # the newest draft write sent to the worker
        tpl = state.template
        self.autosave = Autosave(ctx.clock, self.save_draft, parent=self)
        col = self.column

        heading = _(HEADINGS[tpl.id]) if tpl.id in HEADINGS else _(tpl.name)
        if state.entry_id is not None:
            heading = _("Editing: {what}").format(what=heading.lower())
        self.heading: QLabel = title(heading)
        col.addWidget(self.heading)
        self.context_line: QLabel = label("", "muted")
        col.addWidget(self.context_line)
        col.addWidget(label(_(tpl.intro), "muted"))
        self.note: QLabel = label(restored_note, "note")
        col.addWidget(self.note)
        self.restored = RestoredNotice()  # after an earlier version was brought back
        col.addWidget(self.restored)

        self.title_caption: QLabel = label(_("Title (optional)"))
        self.title_edit = QLineEdit(state.title)
        self.title_edit.setAccessibleName(_("Title"))
        self.title_edit.setPlaceholderText(_("A few words to find it again"))
        self.title_caption.setBuddy(self.title_edit)
        col.addWidget(self.title_caption)
        col.addWidget(self.title_edit)

        check, language = spell
        prompts = state.prompts()
        self.prompts = PromptsPanel(prompts, ctx.settings.get(JOURNAL_PROMPTS), check)
        self.prompts.set_answers(state.answers)
        self.prompts.mode_changed.connect(lambda mode: ctx.settings.set(JOURNAL_PROMPTS, mode))
        col.addWidget(self.prompts)

        self.body_caption: QLabel = label(
            _("Anything else you want to write") if prompts else _("Your writing")
        )
        self.writing = WritingEdit(
            _("Free writing"),
            placeholder=(
                _(
                    "Write freely. **Double stars** make words bold, *single* ones slanted; "
                    "“Show how it reads” shows them as they will read."
                )
            ),
            lines=10 if prompts else 16,
            spell_check=check,
        )
        self.writing.set_text(state.body)
        self.body_caption.setBuddy(self.writing)
        col.addWidget(self.body_caption)
        col.addWidget(self.writing)
        col.addWidget(self._toolbar(check is not None, language))
        # "How it reads": the writing drawn as Reflections will show it (Markdown rendered,
        # anything typed as HTML shown as words, links not clickable here).
        self.preview = Card(_("How it reads"))
        self.preview_text: QLabel = QLabel()
        self.preview_text.setTextFormat(Qt.TextFormat.RichText)
        self.preview_text.setWordWrap(True)
        self.preview_text.setOpenExternalLinks(False)
        self.preview_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_text.setAccessibleName(_("How your writing reads"))
        self.preview.body.addWidget(self.preview_text)
        col.addWidget(self.preview)

        self.mood = MoodField(_(MOOD_AFTER_QUESTION if tpl.asks_dissociation else MOOD_QUESTION))
        self.mood.set_value(state.mood)
        self.dissociation = DissociationField()
        self.dissociation.set_values(state.dissociation)
        about = Card(_("How you are"))
        about.body.addWidget(self.mood)
        about.body.addWidget(self.dissociation)
        col.addWidget(about)

        self.tags = TagField()
        self.tags.set_known(known_tags)
        self.tags.set_text(state.tags)
        self.share = ShareSwitch()
        self.share.set_value(state.shared)
        keep = Card(_("Finding and sharing"))
        keep.body.addWidget(self.tags)
        keep.body.addWidget(self.share)
        col.addWidget(keep)

        self.status: QLabel = label("", "muted")
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.status)
        col.addWidget(self.error)
        self.delete_button: QPushButton = button(
            _("Delete…"), accessible_name=_("Delete this entry")
        )
        self.revisions_button: QPushButton = button(
            _("Earlier versions…"), accessible_name=_("Earlier versions of this entry")
        )
        self.close_button: QPushButton = button(
            _("Close"), accessible_name=_("Close the editor"),
            description=_("Anything not saved stays as a draft you can continue later."),
        )  # fmt: skip
        self.save_button: QPushButton = primary_button(_("Save entry"))
        for b in (self.delete_button, self.revisions_button, self.close_button):
            b.setAutoDefault(False)
        existing = state.entry_id is not None
        self.entry_actions = wrapping_row(self.revisions_button, self.delete_button)
        col.addWidget(self.entry_actions)
        col.addLayout(button_row(self.close_button, self.save_button))
        col.addStretch(1)
        # Visibility only once every part has its parent (a parentless widget shown would
        # open as a window of its own).
        self.preview.hide()
        self.context_line.setVisible(state.session_id is not None)
        self.note.setVisible(bool(restored_note))
        self.prompts.setVisible(bool(prompts))
        self.mood.setVisible(tpl.asks_mood)
        self.dissociation.setVisible(tpl.asks_dissociation)
        about.setVisible(tpl.asks_mood or tpl.asks_dissociation)
        self.entry_actions.setVisible(existing)

        self.save_button.clicked.connect(self.publish)
        self.close_button.clicked.connect(self.close_editor)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.entry_id or ""))
        self.revisions_button.clicked.connect(
            lambda: self.revisions_requested.emit(self.entry_id or "")
        )
        for editor in self.writing_editors():
            editor.textChanged.connect(self._on_text)
            editor.focus_left.connect(self.autosave.flush)
        self.title_edit.textEdited.connect(lambda _t: self._changed())
        self.title_edit.editingFinished.connect(self.autosave.flush)
        for part in (self.mood, self.dissociation, self.tags, self.share):
            part.changed.connect(self._changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._last_editor: WritingEdit = self.writing
        self._update_count()
        self._update_undo()

    # --- parts --------------------------------------------------------------------------------
    def _toolbar(self, spelling: bool, language: str) -> QWidget:
        bar = QFrame()
        bar.setProperty("role", "toolbar")
        flow = FlowLayout(bar)
        self.bold_button = button(_("Bold"), accessible_name=_("Make the selected words bold"))
        self.bold_button.setToolTip(
            _("Makes the selected words bold: **like this** ({keys})").format(keys=_keys("Bold"))
        )
        self.italic_button = button(
            _("Italic"), accessible_name=_("Make the selected words italic")
        )
        self.italic_button.setToolTip(
            _("Makes the selected words slanted: *like this* ({keys})").format(keys=_keys("Italic"))
        )
        self.undo_button = button(_("Undo"), accessible_name=_("Undo"))
        self.undo_button.setToolTip(_("Undo the last change (Ctrl+Z)"))
        self.redo_button = button(_("Redo"), accessible_name=_("Redo"))
        self.redo_button.setToolTip(_("Redo (Ctrl+Shift+Z)"))
        self.preview_button = button(
            _("Show how it reads"), accessible_name=_("Show how your writing reads")
        )
        self.preview_button.setCheckable(True)
        self.preview_button.setToolTip(
            _("Shows your writing as it will read: **strong** words bold, # headings, lists")
        )
        buttons = (
            self.bold_button,
            self.italic_button,
            self.undo_button,
            self.redo_button,
            self.preview_button,
        )
        for b in buttons:
            b.setAutoDefault(False)
            flow.addWidget(b)
        self.preview_button.toggled.connect(self._toggle_preview)
        self.bold_button.clicked.connect(lambda: self._emphasis("**"))
        self.italic_button.clicked.connect(lambda: self._emphasis("*"))
        self.undo_button.clicked.connect(lambda: self._last_editor.undo())
        self.redo_button.clicked.connect(lambda: self._last_editor.redo())
        self.word_count: QLabel = label(_("0 words"), "muted", wrap=False)
        flow.addWidget(self.word_count)
        text = _(SPELLING_ON).format(language=language) if spelling else _(SPELLING_UNAVAILABLE)
        self.spelling: QLabel = label(
            _("Spell-check: on") if spelling else _("Spell-check: not available"),
            "muted",
        )
        self.spelling.setToolTip(text)
        self.spelling.setAccessibleName(self.spelling.text())
        self.spelling.setAccessibleDescription(text)
        flow.addWidget(self.spelling)
        return bar

    def writing_editors(self) -> list[WritingEdit]:
        return [*self.prompts.editors(), self.writing]

    # --- state --------------------------------------------------------------------------------
    def state(self) -> EditorState:
        s = self._state
        return EditorState(
            template_id=s.template_id,
            title=self.title_edit.text(),
            body=self.writing.text(),
            answers=self.prompts.answers(),
            extra_prompts=s.extra_prompts,
            mood=self.mood.value(),
            dissociation=self.dissociation.values(),
            tags=self.tags.text(),
            shared=self.share.value(),
            session_id=s.session_id,
            entry_id=s.entry_id,
        )

    @property
    def draft_key(self) -> str:
        return self._state.draft_key

    def show_session(self, facts: SessionFacts) -> None:
        when = local_day_time(facts.started_at)
        if facts.mood_before is not None:
            self.context_line.setText(
                _("About your session of {when}. Your mood before it: {mood} of 10.").format(
                    when=when, mood=facts.mood_before
                )
            )
        else:
            self.context_line.setText(_("About your session of {when}.").format(when=when))
        self.context_line.show()

    # --- events -------------------------------------------------------------------------------
    def _on_text(self) -> None:
        sender = self.sender()
        if isinstance(sender, WritingEdit):
            self._last_editor = sender
        self._update_count()
        self._update_undo()
        if sender is self.writing:
            self._update_preview()
        self._changed()

    def _changed(self) -> None:
        if self._publishing:
            return
        self.error.hide()
        self.autosave.changed()

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, WritingEdit) and self.isAncestorOf(new):
            self._last_editor = new
            self._update_undo()
        if old is not None and self.isAncestorOf(old):
            self.autosave.flush()

    def _toggle_preview(self, on: bool) -> None:
        self.preview_button.setText(_("Hide how it reads") if on else _("Show how it reads"))
        self.preview_button.setAccessibleName(
            _("Hide how your writing reads") if on else _("Show how your writing reads")
        )
        if on:
            self._update_preview()
        else:
            self.preview_text.clear()
        self.preview.setVisible(on)
        relayout_now()  # the page below moves now, never drawn over the writing for a moment
        if on:
            self.ensureWidgetVisible(self.preview)

    def _update_preview(self) -> None:
        if not self.preview_button.isChecked():
            return
        text = self.writing.text()
        shown = markdown_html(text) if text.strip() else _("<p><i>Nothing written yet.</i></p>")
        self.preview_text.setText(f'<div style="line-height:{LINE_HEIGHT_PERCENT}%">{shown}</div>')
        relayout_now()

    def _emphasis(self, marker: str) -> None:
        self._last_editor.toggle_emphasis(marker)
        self._last_editor.setFocus()

    def _update_count(self) -> None:
        words = sum(word_count(markdown_to_plain(e.text())) for e in self.writing_editors())
        self.word_count.setText(n_("{n} word", "{n} words", words))

    def _update_undo(self) -> None:
        doc = self._last_editor.document()
        self.undo_button.setEnabled(doc.isUndoAvailable())
        self.redo_button.setEnabled(doc.isRedoAvailable())

    # --- drafts and saving --------------------------------------------------------------------
    def save_draft(self) -> None:
        """Writes the draft into the vault on the worker (called by the autosave)."""
        state = self.state()
        content = state.to_draft()
        if content == self._last_draft or self._publishing:
            return
        self._last_draft = content
        ctx, key = self._ctx, state.draft_key
        kind, entry_id, session_id = state.kind.value, state.entry_id, state.session_id
        self._draft_write = ctx.tasks.run(
            lambda s: s.journal.save_draft(
                key, content, kind=kind, entry_id=entry_id, session_id=session_id
            ),
            receiver=self,
            on_result=lambda _r: self._draft_saved(),
            on_error=self._draft_failed,
            changes=frozenset({Change.DRAFTS}),
        )

    def keep_words_now(self) -> Future[Any] | None:
        """Before the window closes or locks: the words not yet in a draft are sent to the
        worker now (even if an earlier write failed). Returns the newest draft write, whose
        outcome tells whether the words are safe; None when there was never anything to keep."""
        self.autosave.flush()
        if not self._publishing:
            self.save_draft()  # a failed write left ``_last_draft`` empty: it is sent again
        return self._draft_write

    def keep_again(self) -> None:
        """The words came back from memory after a draft write failed: written again now."""
        self._last_draft = {}
        self.save_draft()

    def _draft_saved(self) -> None:
        self.status.setText(
            _("Draft kept safe at {time}.").format(time=local_time(self._ctx.clock.now()))
        )

    def _draft_failed(self, error: CompanionError) -> None:
        self._last_draft = {}
        self.status.setText(_("The draft could not be kept: {reason}").format(reason=error))

    def publish(self) -> None:
        state = self.state()
        if not state.has_words() and state.mood is None:
            self._show_error(_("There is nothing to save yet. Write a few words first."))
            return
        self._publishing = True
        self.autosave.stop()
        self.save_button.setEnabled(False)
        ctx, key, entry = self._ctx, state.draft_key, to_input(state)
        entry_id = state.entry_id

        def save(services: Services) -> Entry:
            journal = services.journal
            if entry_id is None:
                return journal.create(entry, draft_key=key)
            return journal.update(entry_id, entry, draft_key=key)

        self._draft_write = ctx.tasks.run(
            save,
            receiver=self,
            on_result=self._published,
            on_error=self._not_saved,
            changes=frozenset({Change.JOURNAL, Change.DRAFTS}),
        )  # while it runs, this write is what keeps the words

    def _published(self, entry: Entry) -> None:
        self.status.setText(_("Saved."))
        self.saved.emit(entry)

    def _not_saved(self, error: CompanionError) -> None:
        self._publishing = False
        self._draft_write = None  # the words are not stored: the next draft write keeps them
        self._last_draft = {}
        self.autosave.resume()
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidInputError) and error.problems:
            self._show_error(" ".join(error.problems.values()))
        else:
            self._show_error(str(error))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.ensureWidgetVisible(self.error)

    def close_editor(self) -> None:
        """Back to the journal; unsaved words stay as a draft."""
        self.autosave.flush()
        self.closed.emit()

    def shut(self) -> None:
        """Before the editor goes away (closing, locking): the draft is written, typing stops."""
        self.autosave.flush()
        self.autosave.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self._shut:
            self._shut = True
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._on_focus_changed)

    def clear_text(self) -> None:
        """Empties every field that shows the person's words (after a lock)."""
        self.preview_text.clear()
        self.title_edit.clear()
        for editor in self.writing_editors():
            editor.clear()
        self.tags.set_text("")
        self.context_line.clear()
