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

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QWidget

from companion.errors import CompanionError, InvalidInputError
from companion.i18n import _
from companion.ui.common.render import local_time
from companion.ui.context import UiContext
from companion.ui.journal.autosave import Autosave
from companion.ui.journal.content import EditorState, to_input
from companion.ui.journal.entry_form import EntryForm
from companion.ui.journal.textedit import SpellCheck, WritingEdit
from companion.ui.tasks import Change

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.journal_model import Entry


class EntryEditor(EntryForm):
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
        super().__init__(
            ctx,
            state,
            known_tags=known_tags,
            spell=spell,
            restored_note=restored_note,
            parent=parent,
        )
        self.entry_id = state.entry_id
        self._last_draft = state.to_draft()
        self._publishing = False
        self._shut = False
        self._draft_write: Future[Any] | None = None  # the newest draft write sent to the worker
        self.autosave = Autosave(ctx.clock, self.save_draft, parent=self)
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
        self._update_count()
        self._update_undo()

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
