"""The Journal page: start writing (after a session, the next day, or freely), continue a draft,
answer a questionnaire; and the editor itself.

Public entry points (the shell and the Session page use them):

* ``open_reflection(session_id)``: the post-session reflection for that session. The Session
  page's ``reflection_requested(session_id)`` signal is connected to it by the shell. If a
  reflection for the session exists it opens for editing; a draft of it is offered back.
* ``edit_entry(entry_id)``, ``new_entry(template_id)``, ``open_questionnaire(scale_id)``.
* ``load()`` after unlocking (pending drafts are offered back) and ``clear()`` before locking.

Every service call goes through ``ctx.tasks`` (the database worker); nothing here blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from companion.domain.journal import FREE, INTEGRATION, NEXT_DAY
from companion.domain.scales import scale
from companion.errors import CompanionError
from companion.i18n import _
from companion.settings import TEXT_SCALE, THEME
from companion.ui.common.flow import settle_layouts
from companion.ui.common.style import review_stylesheet
from companion.ui.context import UiContext
from companion.ui.journal import entry_ops
from companion.ui.journal.content import EditorState, to_input
from companion.ui.journal.dialogs import ConfirmDeleteDialog
from companion.ui.journal.editor import EntryEditor
from companion.ui.journal.openings import (
    JournalHome,
    Opening,
    draft_opening,
    entry_opening,
    fetch_home,
    new_opening,
    reflection_opening,
)
from companion.ui.journal.revisions import RevisionsDialog, restored_message
from companion.ui.journal.start import DraftRow, JournalStart
from companion.ui.journal.textedit import SpellCheck, system_spell_checker
from companion.ui.questionnaires.form import QuestionnaireForm, ResultView
from companion.ui.tasks import Change, Changed

if TYPE_CHECKING:
    from companion.services.assessments import Recorded
    from companion.services.container import Services
    from companion.services.journal_model import Draft, Entry, EntryInput, Restored
from companion.ui.theme import with_text_size

# What the Journal's start shows: drafts, sessions awaiting a reflection, questionnaires due.
JOURNAL_HOME = (Change.JOURNAL, Change.DRAFTS, Change.SESSIONS, Change.ASSESSMENTS)
DUE_CONTEXT = {"before_session": "before_session", "after_session": "after_session",
               "repeat": "repeat"}  # fmt: skip


class JournalPage(QWidget):
    """The Journal navigation page (see the module docstring for its public methods)."""

    entry_saved = Signal(str)
    entry_deleted = Signal(str)
    assessment_recorded = Signal()
    drafts_changed = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setAccessibleName(_("Journal"))
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.start = JournalStart()
        self.stack.addWidget(self.start)
        self.editor: EntryEditor | None = None
        self.form: QuestionnaireForm | None = None
        self.result: ResultView | None = None
        self.dialog: ConfirmDeleteDialog | RevisionsDialog | None = None
        self.drafts: list[Draft] = []
        self._spell: tuple[SpellCheck | None, str] | None = None
        s = self.start
        s.reflect_button.clicked.connect(self._reflect_on_chosen)
        s.next_day_button.clicked.connect(lambda: self.new_entry(NEXT_DAY.id))
        s.integration_button.clicked.connect(lambda: self.new_entry(INTEGRATION.id))
        s.free_button.clicked.connect(lambda: self.new_entry(FREE.id))
        s.phq9_button.clicked.connect(lambda: self.open_questionnaire("phq9"))
        s.gad7_button.clicked.connect(lambda: self.open_questionnaire("gad7"))
        self.apply_style()
        ctx.tasks.changed.connect(self._on_changed)

    def apply_style(self) -> None:
        self.setStyleSheet(with_text_size(self.own_style()))

    def own_style(self) -> str:
        settings = self._ctx.settings
        return review_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE))

    # --- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """After unlocking, and after anything was saved: drafts, sessions, questionnaires."""
        ctx = self._ctx
        ctx.tasks.run(
            fetch_home,
            receiver=self,
            on_result=self._show_home,
            on_error=self._show_error,
        )

    def _on_changed(self, changed: Changed) -> None:
        """Entries, sessions or questionnaires changed elsewhere (Reflections, an import, a
        session closed): the drafts, the sessions to reflect on and what is due are asked again."""
        if not changed.came_from(self) and changed.touches(*JOURNAL_HOME):
            self.load()

    def _show_home(self, home: JournalHome) -> None:
        s = self.start
        s.error.hide()
        self.drafts = home.drafts
        for row in s.draft_rows:
            s.drafts.body.removeWidget(row)
            row.deleteLater()
        s.draft_rows = []
        for draft in home.drafts:
            row = DraftRow(draft)
            row.continue_clicked.connect(self.resume_draft)
            row.discard_clicked.connect(self.discard_draft)
            s.drafts.body.addWidget(row)
            s.draft_rows.append(row)
        s.drafts.setVisible(bool(home.drafts))
        s.show_sessions(home.sessions)
        s.show_due(home.due, home.progress)
        settle_layouts()
        self.drafts_changed.emit(len(home.drafts))

    def _show_error(self, error: CompanionError) -> None:
        self.start.error.setText(str(error))
        self.start.error.show()

    def _spell_checker(self) -> tuple[SpellCheck | None, str]:
        if self._spell is None:
            self._spell = system_spell_checker()
        return self._spell

    # --- opening the editor -------------------------------------------------------------------
    def open_reflection(self, session_id: str) -> None:
        """The post-session reflection for ``session_id`` (connected to the Session page's
        ``reflection_requested`` signal by the shell)."""
        self._opening(lambda s: reflection_opening(s, session_id))

    def edit_entry(self, entry_id: str) -> None:
        self._opening(lambda s: entry_opening(s, entry_id))

    def new_entry(self, template_id: str) -> None:
        self._opening(lambda s: new_opening(s, template_id))

    def resume_draft(self, draft: Draft) -> None:
        self._opening(lambda s: draft_opening(s, draft))

    def bring_back(self, state: EditorState, note: str) -> None:
        """Opens the editor on words held in memory over a lock (their draft write failed);
        they are written as a draft again at once. Nothing is fetched first: no failure on the
        way can lose them."""
        self._show_editor(Opening(state, note))
        if self.editor is not None:
            self.editor.keep_again()

    def _reflect_on_chosen(self) -> None:
        session_id = self.start.session_box.currentData()
        if isinstance(session_id, str):
            self.open_reflection(session_id)

    def _opening(self, fetch: Callable[[Services], Opening]) -> None:
        self._ctx.tasks.run(
            fetch, receiver=self, on_result=self._show_editor, on_error=self._show_error
        )

    def _show_editor(self, opening: Opening) -> None:
        self._close_views()
        editor = EntryEditor(
            self._ctx,
            opening.state,
            known_tags=opening.tags,
            spell=self._spell_checker(),
            restored_note=opening.restored_note,
        )
        if opening.facts is not None:
            editor.show_session(opening.facts)
        editor.saved.connect(self._saved)
        editor.closed.connect(self._back)
        editor.delete_requested.connect(self.confirm_delete)
        editor.revisions_requested.connect(self.show_revisions)
        if opening.state.entry_id is not None:
            entry_id = opening.state.entry_id
            editor.restored.undo_requested.connect(
                lambda rid: self.restore_version(entry_id, rid, undoing=True)
            )
        self.editor = editor
        self.stack.addWidget(editor)
        self.stack.setCurrentWidget(editor)
        first = editor.prompts.cards[0].answer if editor.prompts.cards else editor.writing
        if opening.state.title or opening.state.has_words():
            first = editor.writing
        first.setFocus()

    def _saved(self, entry: Entry) -> None:
        self._back(_("Saved “{title}”. You can find it under Reflections.").format(
            title=entry.content.title or _("your entry")))  # fmt: skip
        self.entry_saved.emit(entry.id)

    def _back(self, notice: str = "") -> None:
        self._close_views()
        self.start.notice.setText(notice)
        self.start.notice.setVisible(bool(notice))
        self.stack.setCurrentWidget(self.start)
        self.load()

    def _close_views(self) -> None:
        if self.editor is not None:
            self.editor.shut()
            self.stack.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
        for view in (self.form, self.result):
            if view is not None:
                self.stack.removeWidget(view)
                view.deleteLater()
        self.form = None
        self.result = None

    def discard_draft(self, draft: Draft) -> None:
        ctx, key = self._ctx, draft.key
        ctx.tasks.run(
            lambda s: s.journal.discard_draft(key),
            receiver=self,
            on_result=lambda _r: self._back(_("The draft was discarded.")),
            on_error=self._show_error,
            changes=frozenset({Change.DRAFTS}),
        )

    # --- deleting and earlier versions --------------------------------------------------------
    def confirm_delete(self, entry_id: str) -> None:
        heading = self.editor.title_edit.text() if self.editor is not None else ""
        dialog = ConfirmDeleteDialog(heading, self)
        dialog.confirmed.connect(lambda: self.delete_entry(entry_id))
        self.dialog = dialog
        dialog.open()

    def delete_entry(self, entry_id: str) -> None:
        if self.editor is not None:
            self.editor.autosave.stop()

        def done(_result: object) -> None:
            self._back(_("The entry was deleted from your vault."))
            self.entry_deleted.emit(entry_id)

        entry_ops.delete_entry(self._ctx, self, entry_id, done=done, failed=self._show_error)

    def show_revisions(self, entry_id: str) -> None:
        entry_ops.open_revisions(
            self._ctx,
            self,
            entry_id,
            restore=lambda rid: self.restore_version(entry_id, rid),
            opened=self._keep_dialog,
            failed=self._show_error,
            from_editor=self.editor is not None,
        )

    def _keep_dialog(self, dialog: RevisionsDialog) -> None:
        self.dialog = dialog

    def restore_version(self, entry_id: str, revision_id: str, *, undoing: bool = False) -> None:
        """Brings back an earlier version. What the open editor holds (saved or not) is saved
        first, so it is kept as an earlier version too; then the editor reopens on the restored
        words with a notice and an undo."""
        ctx = self._ctx
        keep: tuple[EntryInput, str] | None = None
        editor = self.editor
        if editor is not None and editor.entry_id == entry_id:
            editor.autosave.stop()
            state = editor.state()
            keep = (to_input(state), state.draft_key)

        def work(services: Services) -> tuple[Restored, Opening]:
            journal = services.journal
            if keep is not None:
                journal.update(entry_id, keep[0], draft_key=keep[1])
            restored = journal.restore(entry_id, revision_id)
            return restored, entry_opening(services, entry_id)

        def done(result: tuple[Restored, Opening]) -> None:
            restored, opening = result
            if self.dialog is not None:
                self.dialog.close()
                self.dialog = None
            self._show_editor(opening)
            if self.editor is not None:
                self.editor.restored.show_restored(
                    restored_message(
                        restored.version_of, undone=undoing, draft_kept=restored.draft_kept
                    ),
                    None if undoing else restored.undo_revision_id,
                )
            self.entry_saved.emit(entry_id)

        def failed(error: CompanionError) -> None:
            if isinstance(self.dialog, RevisionsDialog):
                self.dialog.show_problem(str(error))
            elif self.editor is not None:
                self.editor.restored.show_restored(str(error), None)
            if self.editor is not None:
                self.editor.autosave.resume()

        ctx.tasks.run(
            work, receiver=self, on_result=done, on_error=failed, changes=entry_ops.ENTRY_CHANGES
        )

    # --- questionnaires -----------------------------------------------------------------------
    def open_questionnaire(self, scale_id: str) -> None:
        due = next((d for d in getattr(self.start, "due_items", ()) if d.scale_id == scale_id),
                   None)  # fmt: skip
        context = DUE_CONTEXT.get(due.rule.value, "on_demand") if due is not None else "on_demand"
        reason = (
            _("Asked by your protocol: {reason}.").format(reason=due.reason.lower())
            if due is not None
            else ""
        )
        self._close_views()
        form = QuestionnaireForm(self._ctx, scale(scale_id), context=context, reason=reason)
        form.closed.connect(self._back)
        form.finished.connect(self._recorded)
        self.form = form
        self.stack.addWidget(form)
        self.stack.setCurrentWidget(form)
        form.groups[0].buttons()[0].setFocus()

    def _recorded(self, recorded: Recorded) -> None:
        profile = self.form.profile if self.form is not None else None
        result = ResultView(recorded, profile)
        result.done.connect(self._back)
        if self.form is not None:
            self.stack.removeWidget(self.form)
            self.form.deleteLater()
            self.form = None
        self.result = result
        self.stack.addWidget(result)
        self.stack.setCurrentWidget(result)
        result.done_button.setFocus()
        self.assessment_recorded.emit()

    # --- locking ------------------------------------------------------------------------------
    def flush_draft(self) -> Future[Any] | None:
        """Writes the open editor's draft now (called just before the vault locks or the window
        closes) and returns that write, or None when no editor holds words."""
        if self.editor is not None:
            return self.editor.keep_words_now()
        return None

    def clear(self) -> None:
        """Before locking: the draft is written, and every widget with words goes."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        if self.editor is not None:
            self.editor.shut()  # the draft first, then the words leave the widgets
            self.editor.clear_text()
        self._close_views()
        for row in self.start.draft_rows:
            row.text.clear()
        self.start.scores.clear()
        self.start.session_box.clear()
        self.stack.setCurrentWidget(self.start)
