"""The Journal's start: unfinished drafts to continue or discard, what to write (a reflection
on a session, the next day, an integration note, free writing), and the questionnaires."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.domain.journal import FREE, NEXT_DAY, EntryKind
from companion.domain.scales import DueQuestionnaire, scale
from companion.i18n import _
from companion.ui.common.flow import FlowLayout
from companion.ui.common.render import local_day, local_day_time
from companion.ui.journal.openings import SessionChoice
from companion.ui.questionnaires.form import change_text
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import button, label, primary_button, title

if TYPE_CHECKING:
    from companion.services.assessments import Progress
    from companion.services.journal_model import Draft

WRITTEN_ROLE = Qt.ItemDataRole.UserRole + 1


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
        col.addWidget(self._build_drafts())
        col.addWidget(self._build_write())
        col.addWidget(self._build_questionnaires())
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)
        col.addStretch(1)
        self.show_sessions([])

    def _build_drafts(self) -> Card:
        self.drafts = Card(
            _("Unfinished writing"), _("Kept safe as you typed. Continue, or let it go.")
        )
        self.draft_rows: list[DraftRow] = []
        self.drafts.hide()
        return self.drafts

    def _build_write(self) -> Card:
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
        return write

    def _build_questionnaires(self) -> Card:
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
        return self.questionnaires

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
