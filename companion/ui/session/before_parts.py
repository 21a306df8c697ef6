"""The cards of the before step: checklist, health changes, intention and mood, readiness."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSlider,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from companion.domain.checklist import Finding, FindingLevel
from companion.domain.protocol import ChecklistItem, Protocol
from companion.i18n import N_, _
from companion.ui.common.dates import time_edit_format
from companion.ui.session.wrapcheck import WrapCheck
from companion.ui.widgets.card import Card
from companion.ui.widgets.fits_text import fit_to_text
from companion.ui.widgets.text import discard, label
from companion.ui.widgets.wrap import WrapCheckBox, WrapRadioButton

ACK_TEXT = {
    "timing": N_("I understand, and I want to go on"),
    "fasting": N_("I understand, and my provider agrees"),
    "health": N_("I have checked with my provider, and they agreed"),
    "vitals": N_("I have taken note of this reading"),
}


class ChecklistCard(Card):
    changed = Signal(dict)  # item id -> ticked

    def __init__(
        self,
        protocol: Protocol,
        parent: QWidget | None = None,
        *,
        items: Sequence[ChecklistItem] | None = None,
    ) -> None:
        """``items``: the rows to begin with (the protocol's whole list by default)."""
        super().__init__(
            _("Your checklist"),
            _(
                "Tick what is true. Items marked “needed” must be ticked before you can begin; "
                "the others are gentle suggestions."
            ),
            parent,
        )
        self.boxes: dict[str, QCheckBox] = {}
        self.add_items(protocol.checklist if items is None else items)

    def add_items(self, items: Sequence[ChecklistItem]) -> None:
        """Rows under those there are (the Before step adds the list in two turns: in one, it
        was the longest turn of starting a session)."""
        for item in items:
            note = _("Needed. {why}").format(why=item.why) if item.required else item.why
            check = WrapCheck(item.text, note, accessible_name=item.text)
            check.box.toggled.connect(lambda checked, i=item.id: self.changed.emit({i: checked}))
            self.body.addWidget(check)
            self.boxes[item.id] = check.box

    def answers(self) -> dict[str, bool]:
        return {key: box.isChecked() for key, box in self.boxes.items()}


class HealthCard(Card):
    changed = Signal(dict)  # question id -> yes

    def __init__(self, protocol: Protocol, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Since your last session"),
            _("A yes does not mean something is wrong. It means your provider should know first."),
            parent,
        )
        self.groups: dict[str, QButtonGroup] = {}
        self.yes: dict[str, QRadioButton] = {}
        self.no: dict[str, QRadioButton] = {}
        self.notice: QLabel = label(protocol.health.notice, "note")
        for question in protocol.health.questions:
            self.body.addWidget(label(question.text))
            row = QHBoxLayout()
            group = QButtonGroup(self)
            yes, no = WrapRadioButton(_("Yes")), WrapRadioButton(_("No"))
            yes.setAccessibleName(_("Yes: {question}").format(question=question.text))
            no.setAccessibleName(_("No: {question}").format(question=question.text))
            group.addButton(yes)
            group.addButton(no)
            row.addWidget(yes)
            row.addWidget(no)
            row.addStretch(1)
            self.body.addLayout(row)
            group.buttonToggled.connect(lambda _b, on, q=question.id: self._toggled(q, on))
            self.groups[question.id] = group
            self.yes[question.id] = yes
            self.no[question.id] = no
        self.notice.hide()
        self.body.addWidget(self.notice)

    def _toggled(self, question_id: str, on: bool) -> None:
        if on:
            self._answered(question_id)

    def _answered(self, question_id: str) -> None:
        self.notice.setVisible(any(button.isChecked() for button in self.yes.values()))
        self.changed.emit({question_id: self.yes[question_id].isChecked()})

    def answers(self) -> dict[str, bool]:
        return {
            key: self.yes[key].isChecked()
            for key in self.groups
            if self.yes[key].isChecked() or self.no[key].isChecked()
        }


class IntentionCard(Card):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Your intention and how you feel"),
            _("A few words to carry into the session, if you like. Nobody else sees them."),
            parent,
        )
        self.intention = QPlainTextEdit()
        self.intention.setAccessibleName(_("Your intention"))
        self.intention.setPlaceholderText(_("For example: be gentle with myself"))
        self.intention.setTabChangesFocus(True)
        self.intention.setMaximumHeight(self.fontMetrics().height() * 5)
        self.body.addWidget(self.intention)
        self.mood_label: QLabel = label(_("Mood right now: not set"), wrap=False)
        self.body.addWidget(self.mood_label)
        self.mood = QSlider(Qt.Orientation.Horizontal)
        self.mood.setRange(-1, 10)  # -1: not set
        self.mood.setValue(-1)
        self.mood.setPageStep(1)
        self.mood.setAccessibleName(_("Mood right now, 0 (very low) to 10 (very good)"))
        self.mood_label.setBuddy(self.mood)
        self.body.addWidget(self.mood)
        self.body.addWidget(label(_("0 is very low, 10 is very good."), "muted"))
        self.meal_known = WrapCheckBox(_("I know when I last ate"))
        self.meal_known.setAccessibleName(_("I know when I last ate"))
        self.meal_time = QTimeEdit()
        self.meal_time.setDisplayFormat(time_edit_format())
        self.meal_time.setAccessibleName(_("Time of my last meal"))
        self.meal_time.setEnabled(False)
        meal_row = QHBoxLayout()
        meal_row.addWidget(self.meal_known)
        meal_row.addWidget(self.meal_time)
        meal_row.addStretch(1)
        self.body.addLayout(meal_row)
        self.meal_known.toggled.connect(self.meal_time.setEnabled)
        self.meal_known.toggled.connect(lambda _on: self.changed.emit())
        self.meal_time.timeChanged.connect(lambda _t: self.changed.emit())
        self.mood.valueChanged.connect(self._on_mood)
        self.intention.textChanged.connect(self.changed.emit)

    def _on_mood(self, value: int) -> None:
        shown = str(value) if value >= 0 else _("not set")
        self.mood_label.setText(_("Mood right now: {mood}").format(mood=shown))
        self.changed.emit()

    def mood_value(self) -> int | None:
        return self.mood.value() if self.mood.value() >= 0 else None

    def last_meal_at(self, now: datetime) -> datetime | None:
        if not self.meal_known.isChecked():
            return None
        t: QTime = self.meal_time.time()
        local_now = now.astimezone()
        meal = local_now.replace(hour=t.hour(), minute=t.minute(), second=0, microsecond=0)
        if meal > local_now:
            meal -= timedelta(days=1)
        return meal

    def clear(self) -> None:
        self.intention.clear()
        self.mood.setValue(-1)


class ReadinessCard(Card):
    """The start check, live: what still blocks, what to acknowledge, what is worth knowing."""

    acknowledged_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Ready to begin?"), "", parent)
        self.summary: QLabel = label(_("Checking…"))
        self.body.addWidget(self.summary)
        # The findings, in a box of their own: it is hidden while new ones are added and shown
        # once (a widget shown in a shown window lays out every layout up to the window).
        self.list_box = QWidget()
        self.list = QVBoxLayout(self.list_box)
        self.list.setContentsMargins(0, 0, 0, 0)
        fit_to_text(self, lambda line: self.list.setSpacing(line // 2))
        self.body.addWidget(self.list_box)
        self.acks: dict[str, QCheckBox] = {}
        self.acknowledged: set[str] = set()
        self._shown: list[tuple[Finding, QWidget]] = []  # in the order shown
        self._checks = 0  # start checks shown so far

    def show_findings(
        self,
        findings: tuple[Finding, ...],
        rehearsal: bool,
        *,
        in_pieces: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        """``in_pieces`` (the first check, while the step is laid out unseen): the findings
        are built and laid out one per turn of the event loop, in order (a dozen wrapped
        paragraphs in one turn were 25-50 ms of the wait after Rehearse)."""
        blocks = [f for f in findings if f.level is FindingLevel.BLOCK]
        confirms = [f for f in findings if f.level is FindingLevel.CONFIRM]
        infos = [f for f in findings if f.level is FindingLevel.INFO]
        if blocks:
            text = _("Still needed before you can begin ({count}):").format(count=len(blocks))
            if rehearsal:
                text = _(
                    "In a rehearsal nothing blocks the start. A real session would still need:"
                )
        elif confirms:
            text = _("Please read and confirm:")
        else:
            text = _("Everything is ready. Begin when you are.")
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        ordered = [*blocks, *confirms, *infos]
        self._checks += 1  # a piece of an earlier check left waiting is not built
        if in_pieces is not None and not self._shown:
            for finding in ordered:
                in_pieces(partial(self._add_finding, finding, self._checks))
        else:
            self._show_list(ordered)
        for finding_id, ack in self.acks.items():  # a kept box shows what is acknowledged now
            if ack.isChecked() != (finding_id in self.acknowledged):
                ack.blockSignals(True)
                ack.setChecked(finding_id in self.acknowledged)
                ack.blockSignals(False)

    def _show_list(self, ordered: list[Finding]) -> None:
        """The findings in order, each finding's widget kept from the last check when it is
        still there: a tick re-checks the start, and building every finding again (two
        wrapped paragraphs each, shown and measured) stalled the window for tens of ms."""
        if ordered == [finding for finding, _widget in self._shown]:
            return
        kept = dict(self._shown)
        while self.list.count():  # emptied; the kept widgets stay children of the card
            self.list.takeAt(0)
        for finding, gone in kept.items():
            if finding not in ordered:
                self.acks.pop(finding.id, None)
                discard(gone)
        box = self.list_box
        focus = QApplication.focusWidget()
        quiet = (  # new ones join a hidden box (no layout pass for each), unless it has the focus
            self.isVisible()
            and any(finding not in kept for finding in ordered)
            and not (focus is not None and box.isAncestorOf(focus))
        )
        if quiet:
            box.hide()
        self._shown = []
        for finding in ordered:
            widget = kept.get(finding)
            if widget is None:
                widget = self._finding(finding)
            self.list.addWidget(widget)
            self._shown.append((finding, widget))
        if quiet:
            box.show()  # one layout pass, at the box's width (it keeps it while hidden)

    def _add_finding(self, finding: Finding, check: int) -> None:
        if check != self._checks:  # a newer check showed its findings whole
            return
        widget = self._finding(finding)
        self.list.addWidget(widget)
        self._shown.append((finding, widget))

    def _finding(self, finding: Finding) -> QWidget:
        if finding.level is FindingLevel.BLOCK:
            return _finding_widget(finding, "finding-block")
        if finding.level is FindingLevel.CONFIRM:
            return self._confirm_widget(finding)
        return _finding_widget(finding, "muted")

    def _confirm_widget(self, finding: Finding) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_finding_widget(finding, "finding-block"))
        kind = finding.id.split(":")[0]
        text = _(ACK_TEXT[kind]) if kind in ACK_TEXT else _("I understand")
        check = WrapCheck(
            text,
            accessible_name=_("{answer}: {finding}").format(answer=text, finding=finding.title),
        )
        ack = check.box
        ack.setChecked(finding.id in self.acknowledged)
        ack.toggled.connect(lambda on, fid=finding.id: self._toggle(fid, on))
        column.addWidget(check)
        self.acks[finding.id] = ack
        return box

    def _toggle(self, finding_id: str, on: bool) -> None:
        if on:
            self.acknowledged.add(finding_id)
        else:
            self.acknowledged.discard(finding_id)
        self.acknowledged_changed.emit()


def _finding_widget(finding: Finding, role: str) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    heading = label(finding.title, role)
    column.addWidget(heading)
    column.addWidget(label(finding.text, "muted" if role != "muted" else None))
    box.setAccessibleName(f"{finding.title}. {finding.text}")
    return box
