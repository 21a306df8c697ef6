"""After: vitals again (due about 40 minutes after the dose), side effects (a severe one shows
the emergency card), when the patient felt back to themselves, mood, the after-care and the
no-driving reminder, and the monitor's sign-off at the end of the observation time. Finish
saves the side effects as chosen, then asks the core to sign off and complete; the core says
what is still needed. A stop-level reading opens the emergency guidance (Help)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QTimeEdit,
    QWidget,
)

from companion.domain.session_core import AfterNeed, AfterStatus
from companion.domain.vitals import Context, Reading, VitalLevel, VitalsAssessment
from companion.errors import CompanionError
from companion.i18n import _, format_number, format_time
from companion.ui.common.dates import time_edit_format
from companion.ui.session.help import contacts, severe_effect_message
from companion.ui.session.run import SessionRun
from companion.ui.session.side_effects import SideEffectsCard
from companion.ui.session.vitals_form import VitalsForm
from companion.ui.tasks import SESSION_AND_PLAN
from companion.ui.widgets.announce import announce
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import bullet, button, label, primary_button, title
from companion.ui.widgets.wrap import WrapCheckBox

if TYPE_CHECKING:
    from companion.services.sessions import SessionService
    from companion.services.sessions_model import SideEffectsResult


class AfterView(ScrollPage):
    finished = Signal()
    problem = Signal(str)
    emergency_requested = Signal()  # a stop-level reading after the dose: open Help

    def __init__(
        self,
        run: SessionRun,
        parent: QWidget | None = None,
        *,
        in_pieces: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        """``in_pieces``: each part of the view is handed to it to be built later (the Session
        page builds one per turn of the event loop, ``ahead.Pieces``); without it, all now."""
        super().__init__(parent=parent)
        self.run = run
        self._in_pieces = in_pieces
        col = self.column
        col.addWidget(title(_("Welcome back")))
        col.addWidget(
            label(
                _("Take your time. Stay seated until you feel steady. There is no hurry."), "muted"
            )
        )
        steps = (
            self._build_vitals,
            self._build_effects,
            self._build_recovery,
            self._build_aftercare,
            self._build_end,
        )
        for step in steps:
            if in_pieces is None:
                step()
            else:
                in_pieces(step)

    def _build_vitals(self) -> None:
        self.vitals = VitalsForm(Context.AFTER)
        self.vitals_due: QLabel = label("", "muted")
        self.vitals.body.insertWidget(0, self.vitals_due)
        self.called_button: QPushButton = button(
            _("I have called my provider (or the emergency number)"),
            accessible_name=_("I have called my provider"),
        )
        self.called_button.hide()
        self.vitals.body.addWidget(self.called_button)
        self.column.addWidget(self.vitals)

    def _build_effects(self) -> None:
        self.effects = SideEffectsCard(self.run.protocol, in_pieces=self._in_pieces)
        self.column.addWidget(self.effects)

    def _build_end(self) -> None:
        col = self.column
        self.status: QLabel = label("", "error")
        self.status.hide()
        col.addWidget(self.status)
        self.finish_button: QPushButton = primary_button(
            _("Finish the rehearsal") if self.run.rehearsal else _("Finish the session")
        )
        col.addLayout(button_row(self.finish_button))
        col.addStretch(1)
        self._connect_parts()

    def _build_recovery(self) -> None:
        col = self.column
        run = self.run
        self.recovery = Card(_("Back to yourself"), _("When did you feel like yourself again?"))
        self.recovered_time = QTimeEdit()
        self.recovered_time.setDisplayFormat(time_edit_format())
        self.recovered_time.setAccessibleName(_("I felt back to myself at"))
        now = run.clock_now().astimezone()
        self.recovered_time.setTime(QTime(now.hour, now.minute))
        caption = label(_("I felt back to myself at"))
        caption.setBuddy(self.recovered_time)
        self.recovery.body.addWidget(caption)
        self.recovery.body.addWidget(self.recovered_time)
        self.recovered_save: QPushButton = button(_("Save this time"))
        self.recovery.body.addLayout(button_row(self.recovered_save))
        self.recovered_status: QLabel = label("", "success")
        self.recovered_status.hide()
        self.recovery.body.addWidget(self.recovered_status)
        self.mood_label: QLabel = label(_("Mood now: not set"), wrap=False)
        self.mood = QSlider(Qt.Orientation.Horizontal)
        self.mood.setRange(-1, 10)
        self.mood.setValue(-1)
        self.mood.setAccessibleName(_("Mood now, 0 (very low) to 10 (very good)"))
        self.mood_label.setBuddy(self.mood)
        self.mood.valueChanged.connect(
            lambda v: self.mood_label.setText(
                _("Mood now: {mood}").format(mood=v if v >= 0 else _("not set"))
            )
        )
        self.recovery.body.addWidget(self.mood_label)
        self.recovery.body.addWidget(self.mood)
        col.addWidget(self.recovery)

    def _build_aftercare(self) -> None:
        col = self.column
        protocol = self.run.protocol
        self.aftercare = Card(_("For the rest of today"))
        self.no_driving: QLabel = label("")
        self.aftercare.body.addWidget(self.no_driving)
        for reminder in protocol.aftercare.reminders:
            self.aftercare.body.addWidget(bullet(reminder.text))
        col.addWidget(self.aftercare)
        self.sign_off = Card(_("For your monitor"))
        self.observation: QLabel = label("")
        self.sign_off.body.addWidget(self.observation)
        self.sign_off.body.addWidget(
            label(
                _(
                    "Read the after-care and the no-driving reminder together. When they are "
                    "ready, the monitor ticks the box."
                )
            )
        )
        self.aftercare_read = WrapCheckBox(_("Read together, and ready"))
        self.aftercare_read.setAccessibleName(_("Monitor sign-off: after-care read, ready"))
        self.sign_off.body.addWidget(self.aftercare_read)
        col.addWidget(self.sign_off)

    def _connect_parts(self) -> None:
        self.vitals.submitted.connect(self._save_vitals)
        self.vitals.confirmed.connect(lambda readings: self._save_vitals(readings, confirmed=True))
        self.vitals.acknowledged.connect(self._acknowledge_vitals)
        self.effects.save_button.clicked.connect(self._save_effects)
        self.effects.other_note.returnPressed.connect(self._save_effects)  # Enter saves too
        self.recovered_save.clicked.connect(self._save_recovered)
        # QTimeEdit reports Enter through its own line edit, not its returnPressed.
        time_field = self.recovered_time.findChild(QLineEdit)
        if time_field is not None:
            time_field.returnPressed.connect(self._save_recovered)
        self.finish_button.clicked.connect(self._finish)
        self.called_button.clicked.connect(self._called)

    def show_status(self, status: AfterStatus) -> None:
        """When the after-vitals are due, when the observation ends, the no-driving time."""
        due = status.after_vitals_due_at.astimezone()
        ends = status.observation_ends_at.astimezone()
        hours = self.run.protocol.aftercare.no_driving_hours
        until = (status.dose_at + timedelta(hours=hours)).astimezone()
        if AfterNeed.VITALS in status.needs:
            self.vitals_due.setText(
                _("Measure again from {time}, about {minutes} minutes after your dose.").format(
                    time=format_time(due),
                    minutes=format_number(self.run.protocol.safety.after_vitals_minutes),
                )
            )
        elif self.run.rehearsal:  # not needed in a rehearsal, which is not the same as saved
            self.vitals_due.setText(
                _("A rehearsal does not need this reading. You can try the form: nothing is saved.")
            )
        else:
            self.vitals_due.setText(_("Your reading after the dose is saved."))
        self.no_driving.setText(
            _(
                "No driving or machinery for the rest of today: not before {time} at the "
                "very least ({hours} hours after your dose)."
            ).format(time=format_time(until), hours=format_number(hours))
        )
        self.observation.setText(
            _("Your monitor can sign off from {time}, {hours} hours after your dose.").format(
                time=format_time(ends),
                hours=format_number(self.run.protocol.safety.observation_minutes / 60),
            )
        )

    def _save_vitals(self, readings: list[Reading], *, confirmed: bool = False) -> None:
        at = self.run.clock_now()
        self.run.call(
            lambda r, sid: r.record_vitals(
                sid, Context.AFTER, readings, confirmed=confirmed, at=at
            ),
            receiver=self,
            on_result=self._on_vitals,
            on_error=self.vitals.show_error,
        )

    def _on_vitals(self, assessment: VitalsAssessment) -> None:
        self.vitals.show_result(assessment, self.run.profile)
        stop = assessment.level is VitalLevel.STOP
        self.called_button.setVisible(stop)
        if stop:
            self.emergency_requested.emit()  # emergency guidance at once
        self._refresh_status()

    def _called(self) -> None:
        at = self.run.clock_now()
        self.run.call(
            lambda r, sid: r.record_provider_called(sid, at=at),
            receiver=self,
            on_result=lambda _n: self._after_called(),
            on_error=self._on_error,
        )

    def _after_called(self) -> None:
        self.called_button.setText(_("Saved: you called for help."))
        self.called_button.setEnabled(False)
        self._refresh_status()

    def _refresh_status(self) -> None:
        self.run.call(lambda r, sid: r.after_status(sid), receiver=self, on_result=self.show_status)

    def _acknowledge_vitals(self) -> None:
        self.run.call(
            lambda r, sid: r.acknowledge_vitals(sid, Context.AFTER),
            receiver=self,
            on_error=self._on_error,
        )

    def _save_effects(self) -> None:
        reports = self.effects.reports()
        self.run.call(
            lambda r, sid: r.record_side_effects(sid, reports),
            receiver=self,
            on_result=self._on_effects,
            on_error=self._on_error,
        )

    def _on_effects(self, result: SideEffectsResult) -> None:
        self.effects.status.setText(_("Saved."))
        self.effects.status.show()
        self.effects.emergency.setVisible(result.shows_emergency_card)
        if result.shows_emergency_card:
            names = ", ".join(e.name.lower() for e in result.effects if e.shows_emergency_card)
            rows = contacts(self.run.profile)
            numbers = "; ".join(f"{who}: {number}" for who, _n, number in rows)
            self.effects.emergency_text.setText(severe_effect_message(names, numbers))
            announce(self.effects.emergency, self.effects.emergency_text.text())

    def recovered_at(self) -> datetime:
        t = self.recovered_time.time()
        now = self.run.clock_now().astimezone()
        at = now.replace(hour=t.hour(), minute=t.minute(), second=0, microsecond=0)
        return at - timedelta(days=1) if at > now else at

    def _save_recovered(self) -> None:
        at = self.recovered_at()
        self.run.call(
            lambda r, sid: r.record_recovered_at(sid, at),
            receiver=self,
            on_result=lambda _n: self._saved_recovered(),
            on_error=self._on_error,
        )

    def _saved_recovered(self) -> None:
        self.recovered_status.setText(_("Saved."))
        self.recovered_status.show()

    def _finish(self) -> None:
        """Saves what was chosen (side effects too, even if "Save" was not pressed), then the
        sign-off and the completion; the core refuses what is not yet possible and says why."""
        mood = self.mood.value() if self.mood.value() >= 0 else None
        reports = self.effects.reports()
        read = self.aftercare_read.isChecked()
        at = self.run.clock_now()
        self.finish_button.setEnabled(False)
        self.run.call(
            lambda r, sid: r.record_mood_after(sid, mood),
            receiver=self,
            on_error=self._on_error,
        )

        def saved(result: SideEffectsResult) -> None:
            self._on_effects(result)
            if result.shows_emergency_card:
                self.finish_button.setEnabled(True)  # the card first; finish afterwards
                return

            def close(r: SessionService, sid: str) -> None:
                if AfterNeed.SIGN_OFF in r.after_status(sid).needs:
                    r.sign_off(sid, aftercare_read=read, at=at)
                r.complete(sid)

            self.run.call(
                close,
                receiver=self,
                on_result=lambda _n: self.finished.emit(),
                on_error=self._on_error,
                changes=SESSION_AND_PLAN,
            )

        self.run.call(
            lambda r, sid: r.record_side_effects(sid, reports),
            receiver=self,
            on_result=saved,
            on_error=self._on_error,
        )

    def _on_error(self, error: CompanionError) -> None:
        self.finish_button.setEnabled(True)
        self.status.setText(str(error))
        self.status.show()
        self.problem.emit(str(error))
        self._refresh_status()
