"""Before: checklist, health changes, blood pressure and pulse, intention and mood, and the
start check. Every answer is saved the moment it is given; the start check is asked again
after each one and says plainly what still blocks the start and why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from companion.domain.vitals import Context, Reading, VitalsAssessment
from companion.errors import CompanionError
from companion.i18n import _
from companion.ui.session.before_parts import (
    ChecklistCard,
    HealthCard,
    IntentionCard,
    ReadinessCard,
)
from companion.ui.session.run import SessionRun
from companion.ui.session.vitals_form import VitalsForm
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import label, link_button, primary_button, title

if TYPE_CHECKING:
    from companion.services.sessions_model import ReadinessResult

# The checklist's rows built in the turn that makes its card; the rest in the next turn.
CHECKLIST_FIRST_TURN = 4
SAVE_DELAY_MS = 600  # typing pauses this long before the intention is saved


class BeforeView(ScrollPage):
    began = Signal(object)  # ProtocolTimeline, once the start check passed
    not_today = Signal()
    problem = Signal(str)
    checked = Signal()  # a start check's result is shown

    def __init__(
        self,
        run: SessionRun,
        parent: QWidget | None = None,
        *,
        sound_check: Callable[[], QWidget] | None = None,
        in_pieces: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        """``sound_check`` makes the session page's SoundCheck card. ``in_pieces``: each part
        of the view is handed to it to be built later (the Session page builds one per turn of
        the event loop, ``ahead.Pieces``); without it, all now."""
        super().__init__(parent=parent)
        self.run = run
        self._make_sound_check = sound_check
        self._in_pieces = in_pieces  # the first check's findings, too, come a piece per turn
        self.sound_check: QWidget | None = None  # the SoundCheck card, when the page has one
        col = self.column
        heading = _("Rehearsal: before") if run.rehearsal else _("Before your session")
        col.addWidget(title(heading))
        intro = (
            _(
                "Nothing you enter in a rehearsal is saved. "
                "Try the steps, the sound and the prompts."
            )
            if run.rehearsal
            else _("Take your time. Each answer is saved as you give it.")
        )
        col.addWidget(label(intro, "muted"))
        steps = (  # a card per part: two in one turn took twice as long
            self._build_checklist,
            self._finish_checklist,  # the longest card, in two
            self._build_health,
            self._build_vitals,
            self._build_intention,
            self._build_sound_check,
            self._build_end,
        )
        for step in steps:
            if in_pieces is None:
                step()
            else:
                in_pieces(step)

    def _build_checklist(self) -> None:
        items = self.run.protocol.checklist
        self.checklist = ChecklistCard(self.run.protocol, items=items[:CHECKLIST_FIRST_TURN])
        self._add(self.checklist)

    def _finish_checklist(self) -> None:
        self.checklist.add_items(self.run.protocol.checklist[CHECKLIST_FIRST_TURN:])

    def _build_health(self) -> None:
        self.health = HealthCard(self.run.protocol)
        self._add(self.health)

    def _build_vitals(self) -> None:
        self.vitals = VitalsForm(Context.BEFORE)
        self._add(self.vitals)

    def _build_intention(self) -> None:
        self.intention = IntentionCard()
        self._add(self.intention)

    def _build_sound_check(self) -> None:
        if self._make_sound_check is not None:
            self.sound_check = self._make_sound_check()
            self._add(self.sound_check)

    def _add(self, part: QWidget) -> None:
        """A part goes under the others. Built while the view is laid out unseen (the Session
        page's ``ahead.unseen_page``), it is first laid out at the column's width, not at the
        100 pixels a new widget has: wrapped text measured that narrow is the slowest case."""
        if self.body.isVisible():
            part.resize(self.body.width(), part.height())
        self.column.addWidget(part)

    def _build_end(self) -> None:
        run, col = self.run, self.column
        self.readiness = ReadinessCard()
        self._add(self.readiness)
        self.begin_button: QPushButton = primary_button(
            _("Begin the rehearsal") if run.rehearsal else _("Begin the session")
        )
        self.begin_button.setEnabled(run.rehearsal)
        ending = _("End the rehearsal") if run.rehearsal else _("Not today…")
        self.not_today_button: QPushButton = link_button(
            ending,
            accessible_name=ending if run.rehearsal else _("Not today: close this session"),
        )
        self.begin_button.clicked.connect(self.begin)
        self.not_today_button.clicked.connect(self.not_today)
        self.status: QLabel = label("", "error")
        self.status.hide()
        col.addWidget(self.status)
        col.addLayout(button_row(self.begin_button, leading=(self.not_today_button,)))
        col.addStretch(1)
        self._intention_timer = QTimer(self)
        self._intention_timer.setSingleShot(True)
        self._intention_timer.setInterval(SAVE_DELAY_MS)
        self._intention_timer.timeout.connect(self._save_intention)
        self.checklist.changed.connect(self._save_checklist)
        self.health.changed.connect(self._save_health)
        self.vitals.submitted.connect(self._save_vitals)
        self.vitals.confirmed.connect(lambda readings: self._save_vitals(readings, confirmed=True))
        self.vitals.acknowledged.connect(self._acknowledge_vitals)
        self.intention.changed.connect(self._intention_timer.start)
        self.intention.meal_known.toggled.connect(lambda _on: self.refresh())
        self.intention.meal_time.timeChanged.connect(lambda _t: self.refresh())
        self.readiness.acknowledged_changed.connect(self.refresh)
        self.last_result: ReadinessResult | None = None

    # --- saving each answer -------------------------------------------------------------------
    def _save_checklist(self, answers: dict[str, bool]) -> None:
        self.run.call(
            lambda r, sid: r.record_checklist(sid, answers),
            receiver=self,
            on_result=lambda _n: self.refresh(),
            on_error=self._on_error,
        )

    def _save_health(self, answers: dict[str, bool]) -> None:
        self.run.call(
            lambda r, sid: r.record_health_answers(sid, answers),
            receiver=self,
            on_result=lambda _n: self.refresh(),
            on_error=self._on_error,
        )

    def _save_vitals(self, readings: list[Reading], *, confirmed: bool = False) -> None:
        self.vitals.save_button.setEnabled(False)
        at = self.run.clock_now()  # when the patient saved, not when the worker got to it
        self.run.call(
            lambda r, sid: r.record_vitals(
                sid, Context.BEFORE, readings, confirmed=confirmed, at=at
            ),
            receiver=self,
            on_result=self._on_vitals,
            on_error=self._on_vitals_error,
        )

    def _on_vitals(self, assessment: VitalsAssessment) -> None:
        self.vitals.save_button.setEnabled(True)
        self.vitals.show_result(assessment, self.run.profile)
        self.refresh()

    def _on_vitals_error(self, error: CompanionError) -> None:
        self.vitals.save_button.setEnabled(True)
        self.vitals.show_error(error)

    def _acknowledge_vitals(self) -> None:
        self.run.call(
            lambda r, sid: r.acknowledge_vitals(sid, Context.BEFORE),
            receiver=self,
            on_result=lambda _n: self.refresh(),
            on_error=self._on_error,
        )

    def _save_intention(self) -> None:
        intention = self.intention.intention.toPlainText()
        mood = self.intention.mood_value()
        self.run.call(
            lambda r, sid: r.record_intention_and_mood(sid, intention, mood),
            receiver=self,
            on_error=self._on_error,
        )

    # --- the start check ----------------------------------------------------------------------
    def refresh(self) -> None:
        acknowledged = frozenset(self.readiness.acknowledged)
        meal = self.intention.last_meal_at(self.run.clock_now())
        self.run.call(
            lambda r, sid: r.check_readiness(sid, acknowledged=acknowledged, last_meal_at=meal),
            receiver=self,
            on_result=self.show_readiness,
            on_error=self._on_error,
        )

    def show_readiness(self, result: ReadinessResult) -> None:
        self.readiness.acknowledged = set(result.acknowledged) | self.readiness.acknowledged
        first = self.last_result is None and self._in_pieces is not None
        self.last_result = result
        self.readiness.show_findings(
            result.readiness.findings,
            self.run.rehearsal,
            in_pieces=self._in_pieces if first else None,
        )
        self.begin_button.setEnabled(self.run.rehearsal or result.can_start)
        description = (
            _("Ready.")
            if result.can_start
            else _("Not yet: ") + "; ".join(f.title for f in result.readiness.blocks)
        )
        self.begin_button.setAccessibleDescription(description)
        self.checked.emit()

    def begin(self) -> None:
        if self._intention_timer.isActive():
            self._intention_timer.stop()
        self._save_intention()  # the worker runs calls in order: saved before the check
        acknowledged = frozenset(self.readiness.acknowledged)
        meal = self.intention.last_meal_at(self.run.clock_now())
        self.begin_button.setEnabled(False)
        self.run.call(
            lambda r, sid: r.begin_settle(sid, acknowledged=acknowledged, last_meal_at=meal),
            receiver=self,
            on_result=self._on_begin,
            on_error=self._on_error,
        )

    def _on_begin(self, result: ReadinessResult) -> None:
        if result.started and result.timeline is not None:
            self.began.emit(result.timeline)
            return
        self.show_readiness(result)
        self._show_status(_("The session cannot begin yet; see “Ready to begin?” above."))

    def _on_error(self, error: CompanionError) -> None:
        self.begin_button.setEnabled(
            self.run.rehearsal or bool(self.last_result and self.last_result.can_start)
        )
        self._show_status(str(error))

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self.problem.emit(text)

    def clear(self) -> None:
        self._intention_timer.stop()
        self.intention.clear()
        self.vitals.clear()
