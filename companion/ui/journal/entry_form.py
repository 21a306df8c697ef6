"""The journal editor's form: its parts (heading, title, guided questions, the writing with its
toolbar and "How it reads", mood, tags and sharing, the buttons) and what they hold.

``EntryEditor`` (``editor.py``) adds what the form does: autosaving drafts and saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QWidget

from companion.domain.journal import MOOD_QUESTION, markdown_to_plain, word_count
from companion.i18n import N_, _, n_
from companion.settings import JOURNAL_PROMPTS
from companion.ui.common.flow import FlowLayout, wrapping_row
from companion.ui.common.render import local_day_time, markdown_html
from companion.ui.context import UiContext
from companion.ui.journal.content import EditorState
from companion.ui.journal.fields import (
    DissociationField,
    MoodField,
    PromptsPanel,
    ShareSwitch,
    TagField,
)
from companion.ui.journal.revisions import RestoredNotice
from companion.ui.journal.textedit import (
    SPELLING_ON,
    SPELLING_UNAVAILABLE,
    SpellCheck,
    WritingEdit,
)
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


class EntryForm(ScrollPage):
    """The parts of one entry's editor, filled from an ``EditorState`` and read back by
    ``state()``."""

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
        self._state = state
        tpl = state.template
        self._build_heading(state, restored_note)
        self._build_title(state)
        check, language = spell
        prompts = state.prompts()
        self._build_writing(state, check)
        self.column.addWidget(self._toolbar(check is not None, language))
        self._build_preview()
        about = self._build_about(state)
        self._build_keep(state, known_tags)
        self._build_actions()
        # Visibility only once every part has its parent (a parentless widget shown would
        # open as a window of its own).
        self.preview.hide()
        self.context_line.setVisible(state.session_id is not None)
        self.note.setVisible(bool(restored_note))
        self.prompts.setVisible(bool(prompts))
        self.mood.setVisible(tpl.asks_mood)
        self.dissociation.setVisible(tpl.asks_dissociation)
        about.setVisible(tpl.asks_mood or tpl.asks_dissociation)
        self.entry_actions.setVisible(state.entry_id is not None)
        self._last_editor: WritingEdit = self.writing

    # --- parts --------------------------------------------------------------------------------
    def _build_heading(self, state: EditorState, restored_note: str) -> None:
        tpl = state.template
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

    def _build_title(self, state: EditorState) -> None:
        col = self.column
        self.title_caption: QLabel = label(_("Title (optional)"))
        self.title_edit = QLineEdit(state.title)
        self.title_edit.setAccessibleName(_("Title"))
        self.title_edit.setPlaceholderText(_("A few words to find it again"))
        self.title_caption.setBuddy(self.title_edit)
        col.addWidget(self.title_caption)
        col.addWidget(self.title_edit)

    def _build_writing(self, state: EditorState, check: SpellCheck | None) -> None:
        ctx, col = self._ctx, self.column
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

    def _build_preview(self) -> None:
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
        self.column.addWidget(self.preview)

    def _build_about(self, state: EditorState) -> Card:
        tpl = state.template
        self.mood = MoodField(_(MOOD_AFTER_QUESTION if tpl.asks_dissociation else MOOD_QUESTION))
        self.mood.set_value(state.mood)
        self.dissociation = DissociationField()
        self.dissociation.set_values(state.dissociation)
        about = Card(_("How you are"))
        about.body.addWidget(self.mood)
        about.body.addWidget(self.dissociation)
        self.column.addWidget(about)
        return about

    def _build_keep(self, state: EditorState, known_tags: tuple[str, ...]) -> None:
        self.tags = TagField()
        self.tags.set_known(known_tags)
        self.tags.set_text(state.tags)
        self.share = ShareSwitch()
        self.share.set_value(state.shared)
        keep = Card(_("Finding and sharing"))
        keep.body.addWidget(self.tags)
        keep.body.addWidget(self.share)
        self.column.addWidget(keep)

    def _build_actions(self) -> None:
        col = self.column
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
        self.entry_actions = wrapping_row(self.revisions_button, self.delete_button)
        col.addWidget(self.entry_actions)
        col.addLayout(button_row(self.close_button, self.save_button))
        col.addStretch(1)

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

    def clear_text(self) -> None:
        """Empties every field that shows the person's words (after a lock)."""
        self.preview_text.clear()
        self.title_edit.clear()
        for editor in self.writing_editors():
            editor.clear()
        self.tags.set_text("")
        self.context_line.clear()
