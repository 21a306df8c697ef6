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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.journal import (
    FREE,
    INTEGRATION,
    NEXT_DAY,
    REFLECTION,
    EntryKind,
    draft_key_for_entry,
    draft_key_for_new,
    template,
)
from companion.domain.scales import DueQuestionnaire, scale
from companion.errors import CompanionError
from companion.i18n import _
from companion.settings import TEXT_SCALE, THEME
from companion.ui.common.flow import FlowLayout, settle_layouts
from companion.ui.common.render import local_day, local_day_time
from companion.ui.common.style import review_stylesheet
from companion.ui.context import UiContext
from companion.ui.journal.content import (
    EditorState,
    state_from_draft,
    state_from_entry,
    to_input,
)
from companion.ui.journal.dialogs import (
    ConfirmDeleteDialog,
    RevisionsDialog,
    restored_message,
)
from companion.ui.journal.editor import EntryEditor
from companion.ui.journal.textedit import SpellCheck, system_spell_checker
from companion.ui.questionnaires.form import QuestionnaireForm, ResultView, change_text
from companion.ui.tasks import Change, Changed
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import button, label, primary_button, title

# What the Journal's start shows: drafts, sessions awaiting a reflection, questionnaires due.
JOURNAL_HOME = (Change.JOURNAL, Change.DRAFTS, Change.SESSIONS, Change.ASSESSMENTS)

if TYPE_CHECKING:
    from companion.services.assessments import Progress, Recorded
    from companion.services.container import Services
    from companion.services.journal import Draft, Entry, EntryInput, Restored, Revision
    from companion.services.sessions_model import SessionFacts

RECENT_SESSIONS = 20
WRITTEN_ROLE = Qt.ItemDataRole.UserRole + 1
DUE_CONTEXT = {"before_session": "before_session", "after_session": "after_session",
               "repeat": "repeat"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SessionChoice:
    session_id: str
    number: int
    started_at_text: str
    has_reflection: bool


@dataclass(frozen=True, slots=True)
class JournalHome:
    drafts: list[Draft]
    sessions: list[SessionChoice]
    tags: list[str]
    due: tuple[DueQuestionnaire, ...]
    progress: dict[str, Progress] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Opening:
    """What the editor needs to open: its state, and where it came from."""

    state: EditorState
    restored_note: str = ""
    tags: tuple[str, ...] = ()
    facts: SessionFacts | None = None


def _fetch_home(services: Services) -> JournalHome:
    from companion.services.search import EntryFilters

    journal = services.journal
    drafts = journal.pending_drafts()
    points = services.insights.overview().mood.points
    reflected = {
        e.session_id
        for e in services.search.list_entries(EntryFilters(kind=EntryKind.REFLECTION.value))
        if e.session_id
    }
    sessions = [
        SessionChoice(p.session_id, p.number, local_day(p.started_at), p.session_id in reflected)
        for p in reversed(points[-RECENT_SESSIONS:])
    ]
    progress = {s: services.assessments.progress(s) for s in ("phq9", "gad7")}
    return JournalHome(
        drafts=drafts,
        sessions=sessions,
        tags=[t.name for t in journal.tags()],
        due=services.assessments.due(),
        progress=progress,
    )


def _restored(draft: Draft) -> str:
    return _(
        "Your unfinished words from {when} are back. Carry on, or save them as they are."
    ).format(when=local_day_time(draft.updated_at))


def _open_reflection(services: Services, session_id: str) -> Opening:
    from companion.services.search import EntryFilters

    journal = services.journal
    tags = tuple(t.name for t in journal.tags())
    facts = services.sessions.session_facts(session_id)
    existing = services.search.list_entries(
        EntryFilters(session_id=session_id, kind=EntryKind.REFLECTION.value)
    )
    if existing:
        entry_id = existing[-1].id  # the first reflection written for this session
        return _open_entry(services, entry_id, facts=facts)
    draft = journal.get_draft(draft_key_for_new(EntryKind.REFLECTION, session_id))
    if draft is not None:
        state = state_from_draft(draft.content, draft.kind, None, session_id)
        return Opening(state, _restored(draft), tags, facts)
    return Opening(EditorState(REFLECTION.id, session_id=session_id), "", tags, facts)


def _open_entry(services: Services, entry_id: str, facts: SessionFacts | None = None) -> Opening:
    journal = services.journal
    tags = tuple(t.name for t in journal.tags())
    entry = journal.get(entry_id)
    if facts is None and entry.content.session_id:
        try:
            facts = services.sessions.session_facts(entry.content.session_id)
        except CompanionError:
            facts = None
    draft = journal.get_draft(draft_key_for_entry(entry_id))
    if draft is not None:
        state = state_from_draft(draft.content, draft.kind, entry_id, entry.content.session_id)
        return Opening(state, _restored(draft), tags, facts)
    return Opening(state_from_entry(entry), "", tags, facts)


def _open_new(services: Services, template_id: str) -> Opening:
    journal = services.journal
    tags = tuple(t.name for t in journal.tags())
    tpl = template(template_id)
    draft = journal.get_draft(draft_key_for_new(tpl.kind))
    if draft is not None:
        return Opening(state_from_draft(draft.content, draft.kind, None, None), _restored(draft),
                       tags)  # fmt: skip
    return Opening(EditorState(tpl.id), "", tags)


def _open_draft(services: Services, draft: Draft) -> Opening:
    tags = tuple(t.name for t in services.journal.tags())
    facts = None
    if draft.session_id:
        try:
            facts = services.sessions.session_facts(draft.session_id)
        except CompanionError:
            facts = None
    state = state_from_draft(draft.content, draft.kind, draft.entry_id, draft.session_id)
    return Opening(state, _restored(draft), tags, facts)


def draft_summary(draft: Draft) -> str:
    data = draft.content
    name = EntryKind(draft.kind).label if draft.kind in {k.value for k in EntryKind} else _("Entry")
    heading = str(data.get("title") or "").strip()
    if heading:
        what = _("{kind}: “{title}”").format(kind=name, title=heading)
    else:
        what = _("{kind}, untitled").format(kind=name)
    if draft.entry_id:
        what = _("Changes to an entry ({what})").format(what=what)
    return _("{what}. Kept {when}.").format(what=what, when=local_day_time(draft.updated_at))


class DraftRow(QWidget):
    continue_clicked = Signal(object)
    discard_clicked = Signal(object)

    def __init__(self, draft: Draft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text: QLabel = label(draft_summary(draft))
        layout.addWidget(self.text)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.continue_button: QPushButton = primary_button(
            _("Continue writing"), accessible_name=_("Continue writing this draft")
        )
        self.discard_button: QPushButton = button(
            _("Discard…"), accessible_name=_("Discard this draft")
        )
        self.confirm_button: QPushButton = button(
            _("Yes, discard these words"), accessible_name=_("Yes, discard this draft for good")
        )
        self.keep_button: QPushButton = button(_("Keep it"), accessible_name=_("Keep this draft"))
        for b in (self.discard_button, self.confirm_button, self.keep_button):
            b.setAutoDefault(False)
        row.addWidget(self.discard_button)
        row.addWidget(self.confirm_button)
        row.addWidget(self.keep_button)
        row.addStretch(1)
        row.addWidget(self.continue_button)
        layout.addLayout(row)
        self.confirm_button.hide()
        self.keep_button.hide()
        self.continue_button.clicked.connect(lambda: self.continue_clicked.emit(self.draft))
        self.discard_button.clicked.connect(lambda: self._confirming(True))
        self.keep_button.clicked.connect(lambda: self._confirming(False))
        self.confirm_button.clicked.connect(lambda: self.discard_clicked.emit(self.draft))

    def _confirming(self, on: bool) -> None:
        self.discard_button.setVisible(not on)
        self.confirm_button.setVisible(on)
        self.keep_button.setVisible(on)
        (self.confirm_button if on else self.discard_button).setFocus()


class JournalStart(ScrollPage):
    """What to write: drafts to continue, the templates, and the questionnaires."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        col = self.column
        col.addWidget(title(_("Journal")))
        col.addWidget(
            label(
                _(
                    "Write after a session, the next day, or whenever you like. Everything stays "
                    "private in your vault unless you choose to share an entry."
                ),
                "muted",
            )
        )
        self.notice: QLabel = label("", "note")
        self.notice.hide()
        col.addWidget(self.notice)
        self.drafts = Card(
            _("Unfinished writing"), _("Kept safe as you typed. Continue, or let it go.")
        )
        self.draft_rows: list[DraftRow] = []
        self.drafts.hide()
        col.addWidget(self.drafts)

        write = Card(_("Write"))
        self.session_caption: QLabel = label(_("After a session"))
        self.session_box = QComboBox()
        self.session_box.setAccessibleName(_("Which session to reflect on"))
        self.session_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.session_box.setMinimumContentsLength(12)
        self.session_caption.setBuddy(self.session_box)
        self.session_box.currentIndexChanged.connect(lambda _i: self._session_chosen())
        self.reflect_button: QPushButton = primary_button(
            _("Write a reflection"), accessible_name=_("Write a reflection on this session")
        )
        self.no_sessions: QLabel = label(
            _("Once you have had a session, you can reflect on it here."), "muted"
        )
        write.body.addWidget(self.session_caption)
        write.body.addWidget(self.session_box)
        write.body.addWidget(self.reflect_button)
        write.body.addWidget(self.no_sessions)
        write.body.addWidget(label(_("Or start something else:")))
        choices = QWidget()
        flow = FlowLayout(choices)
        self.next_day_button: QPushButton = button(
            _(NEXT_DAY.name), description=_("Sleep, mood, what shifted, lingering side effects.")
        )
        self.integration_button: QPushButton = button(
            _("Integration note"), description=_("Any day after a session.")
        )
        self.free_button: QPushButton = button(_(FREE.name), description=_("Whatever you like."))
        for b in (self.next_day_button, self.integration_button, self.free_button):
            flow.addWidget(b)
        write.body.addWidget(choices)
        col.addWidget(write)

        self.questionnaires = Card(
            _("Questionnaires"),
            _(
                "PHQ-9 (mood) and GAD-7 (anxiety), as your provider's protocol asks, or whenever "
                "you want to check in."
            ),
        )
        self.due: QLabel = label("", "note")
        self.due.hide()
        self.questionnaires.body.addWidget(self.due)
        self.scores: QLabel = label("", "muted")
        self.scores.hide()
        self.questionnaires.body.addWidget(self.scores)
        answers = QWidget()
        answers_flow = FlowLayout(answers)
        self.phq9_button: QPushButton = button(_("Answer PHQ-9"), description=scale("phq9").title)
        self.gad7_button: QPushButton = button(_("Answer GAD-7"), description=scale("gad7").title)
        answers_flow.addWidget(self.phq9_button)
        answers_flow.addWidget(self.gad7_button)
        self.questionnaires.body.addWidget(answers)
        col.addWidget(self.questionnaires)
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)
        col.addStretch(1)
        self.show_sessions([])

    def show_sessions(self, sessions: list[SessionChoice]) -> None:
        self.session_box.clear()
        for s in sessions:
            if s.has_reflection:
                text = _("Session {number} · {when} · written")
            else:
                text = _("Session {number} · {when}")
            self.session_box.addItem(
                text.format(number=s.number, when=s.started_at_text), s.session_id
            )
            self.session_box.setItemData(
                self.session_box.count() - 1, s.has_reflection, WRITTEN_ROLE
            )
        self._session_chosen()
        has = bool(sessions)
        self.session_caption.setVisible(has)
        self.session_box.setVisible(has)
        self.reflect_button.setVisible(has)
        self.no_sessions.setVisible(not has)

    def _session_chosen(self) -> None:
        written = self.session_box.currentData(WRITTEN_ROLE) is True
        self.reflect_button.setText(
            _("Open your reflection") if written else _("Write a reflection")
        )
        self.reflect_button.setAccessibleName(
            _("Open your reflection on this session") if written
            else _("Write a reflection on this session")
        )  # fmt: skip

    def show_due(self, due: tuple[DueQuestionnaire, ...], progress: dict[str, Progress]) -> None:
        if due:
            lines = [
                _("{scale} is due ({reason}).").format(
                    scale=scale(d.scale_id).name, reason=d.reason.lower()
                )
                for d in due
            ]
            self.due.setText(" ".join(lines))
        self.due.setVisible(bool(due))
        self.due_items = due
        texts = []
        for p in progress.values():
            if p.latest is None:
                continue
            latest = p.latest
            line = _("Latest {scale}: {total} ({band}), {date}.").format(
                scale=latest.instrument,
                total=latest.total,
                band=latest.band.label.lower(),
                date=local_day(latest.taken_at),
            )
            change = change_text(p)
            texts.append(f"{line} {change}" if p.change is not None else line)
        self.scores.setText("\n".join(texts))
        self.scores.setVisible(bool(texts))


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
        settings = self._ctx.settings
        self.setStyleSheet(review_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE)))

    # --- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """After unlocking, and after anything was saved: drafts, sessions, questionnaires."""
        ctx = self._ctx
        ctx.tasks.run(
            _fetch_home,
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
        self._opening(lambda s: _open_reflection(s, session_id))

    def edit_entry(self, entry_id: str) -> None:
        self._opening(lambda s: _open_entry(s, entry_id))

    def new_entry(self, template_id: str) -> None:
        self._opening(lambda s: _open_new(s, template_id))

    def resume_draft(self, draft: Draft) -> None:
        self._opening(lambda s: _open_draft(s, draft))

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
        ctx = self._ctx
        if self.editor is not None:
            self.editor.autosave.stop()

        def done(_result: object) -> None:
            self._back(_("The entry was deleted from your vault."))
            self.entry_deleted.emit(entry_id)

        ctx.tasks.run(
            lambda s: s.journal.delete(entry_id),
            receiver=self,
            on_result=done,
            on_error=self._show_error,
            changes=frozenset({Change.JOURNAL, Change.DRAFTS}),
        )

    def show_revisions(self, entry_id: str) -> None:
        ctx = self._ctx

        def shown(revisions: list[Revision]) -> None:
            dialog = RevisionsDialog(revisions, self, from_editor=self.editor is not None)
            dialog.restore_requested.connect(lambda rid: self.restore_version(entry_id, rid))
            self.dialog = dialog
            dialog.open()

        ctx.tasks.run(
            lambda s: s.journal.revisions(entry_id),
            receiver=self,
            on_result=shown,
            on_error=self._show_error,
        )

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
            return restored, _open_entry(services, entry_id)

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

        changes = frozenset({Change.JOURNAL, Change.DRAFTS})
        ctx.tasks.run(work, receiver=self, on_result=done, on_error=failed, changes=changes)

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
