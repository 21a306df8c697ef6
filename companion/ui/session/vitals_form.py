"""Blood pressure and pulse: one reading, or two (their mean counts), checked against the
provider's limits. Used before the session and again after it.

Warn level: the patient must tick "I have taken note". Stop level before a session: no session
today, with the provider's contact and the words to tell them. Stop level after: call now.

Enter (or Return) in any number box saves, exactly as "Save reading" does: the same checks,
and the result (a stop included) shown and announced in the form. Enter never confirms an
unlikely reading nor ticks "I have taken note": those stay deliberate clicks. While a reading is
being saved, Enter and the button do nothing, so one reading is never saved twice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.domain.profile import Profile
from companion.domain.vitals import (
    Context,
    Reading,
    ReadingNeedsCheckError,
    VitalLevel,
    VitalsAssessment,
)
from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.ui.widgets.announce import announce
from companion.ui.widgets.card import Card
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label, primary_button, set_role, subtitle
from companion.ui.widgets.wrap import WrapCheckBox

MEASURES = (
    ("systolic", N_("Top number (systolic)"), 60, 260),
    ("diastolic", N_("Bottom number (diastolic)"), 30, 160),
    ("pulse", N_("Pulse"), 20, 250),
)
# The unit sits in the caption, which wraps, not in the box: three boxes reading "300 mmHg"
# side by side were wider than the page at 200 % text on a 1366x768 screen.
UNITS = {"systolic": "mmHg", "diastolic": "mmHg", "pulse": N_("beats a minute")}
SPOKEN_UNITS = {"mmHg": N_("millimetres of mercury")}


class ReadingRow(QWidget):
    return_pressed = Signal()  # Enter or Return in any of the row's number boxes

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QSpinBox] = {}
        for key, caption, _lo, hi in MEASURES:
            column = QVBoxLayout()
            unit = UNITS[key]
            text = label(_("{measure}, {unit}").format(measure=_(caption), unit=_(unit)), "muted")
            text.setAlignment(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
            )  # on its box
            box = QSpinBox()
            box.setRange(0, hi + 40)
            box.setSpecialValueText(" ")  # 0 shows as empty: nothing entered yet
            box.setAccessibleName(
                _("Reading {number}: {measure}").format(number=number, measure=_(caption).lower())
            )
            box.setAccessibleDescription(
                _("In {unit}").format(unit=_(SPOKEN_UNITS.get(unit, unit)))
            )
            box.returnPressed.connect(self.return_pressed)
            if isinstance(text, QLabel):
                text.setBuddy(box)
            column.addWidget(text)
            column.addWidget(box)
            row.addLayout(column, 1)
            self.boxes[key] = box

    def reading(self) -> Reading | None:
        sys_, dia, pulse = (self.boxes[k].value() for k in ("systolic", "diastolic", "pulse"))
        if not sys_ and not dia:
            return None
        return Reading(float(sys_), float(dia), float(pulse) if pulse else None)

    def set_reading(self, systolic: int, diastolic: int, pulse: int | None) -> None:
        self.boxes["systolic"].setValue(systolic)
        self.boxes["diastolic"].setValue(diastolic)
        self.boxes["pulse"].setValue(pulse or 0)

    def clear(self) -> None:
        for box in self.boxes.values():
            box.setValue(0)


class VitalsForm(Card):
    """Emits ``submitted(list[Reading])``; the page records them and calls ``show_result``."""

    submitted = Signal(list)
    confirmed = Signal(list)  # unlikely numbers, checked and confirmed by the patient
    acknowledged = Signal()

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        heading = _("Blood pressure and pulse") if context is Context.BEFORE else _("Vitals again")
        intro = (
            _(
                "Sit quietly for five minutes, then measure. A second reading a minute later makes "
                "it more reliable: their average counts."
            )
            if context is Context.BEFORE
            else _("Measure once more now that the session is over, with the same limits.")
        )
        super().__init__(heading, intro, parent)
        self.context = context
        self.first = ReadingRow(1)
        self.second = ReadingRow(2)
        self.second.hide()
        self.body.addWidget(self.first)
        self.body.addWidget(self.second)
        self.add_second: QPushButton = button(
            _("Add a second reading"), accessible_name=_("Add a second reading")
        )
        self.add_second.setAutoDefault(False)
        self.add_second.clicked.connect(self._show_second)
        self.save_button: QPushButton = primary_button(_("Save reading"))
        self.save_button.clicked.connect(self._submit)
        self.first.return_pressed.connect(self._submit_from_keyboard)
        self.second.return_pressed.connect(self._submit_from_keyboard)
        # Each on its own line: side by side they were wider than the page at 200 % text.
        self.body.addLayout(button_row(leading=(self.add_second,)))
        self.body.addLayout(button_row(self.save_button))
        self.problem: QLabel = label("", "error")
        self.problem.hide()
        self.body.addWidget(self.problem)
        self.confirm_button: QPushButton = button(
            _("I checked: these numbers are right"),
            accessible_name=_("I checked: these numbers are right"),
        )
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.hide()
        self.confirm_button.clicked.connect(self._confirm)
        self.body.addWidget(self.confirm_button)
        self.result: QLabel = label("")
        self.result.hide()
        self.body.addWidget(self.result)
        self.ack = WrapCheckBox(_("I have taken note of this"))
        self.ack.setAccessibleName(_("I have taken note of this reading"))
        self.ack.hide()
        self.ack.toggled.connect(self._on_ack)
        self.body.addWidget(self.ack)
        self.stop_card = StopCard(context)
        self.stop_card.hide()
        self.body.addWidget(self.stop_card)
        self.assessment: VitalsAssessment | None = None

    def _show_second(self) -> None:
        self.second.show()
        self.add_second.hide()
        self.second.boxes["systolic"].setFocus()

    def readings(self) -> list[Reading]:
        return [r for r in (self.first.reading(), self.second.reading()) if r is not None]

    def _submit_from_keyboard(self) -> None:
        """Enter in a number box: the box has already taken what was typed."""
        if self.save_button.isEnabled() and self.save_button.isVisible():
            self._submit()

    def _submit(self) -> None:
        readings = self.readings()
        if not readings:
            self.show_problem(_("Enter the top and bottom numbers first."))
            return
        self.problem.hide()
        self.confirm_button.hide()
        self.save_button.setEnabled(False)  # until the result (or a problem) comes back
        self.submitted.emit(readings)

    def _confirm(self) -> None:
        readings = self.readings()
        self.confirm_button.hide()
        self.problem.hide()
        if readings:
            self.save_button.setEnabled(False)
            self.confirmed.emit(readings)

    def show_problem(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.problem.setText(text)
        self.problem.show()
        announce(self.problem, text)

    def show_error(self, error: CompanionError) -> None:
        """A mistyped reading: please check. An unlikely one: please check, then confirm."""
        self.show_problem(str(error))
        self.confirm_button.setVisible(isinstance(error, ReadingNeedsCheckError))

    def show_result(self, assessment: VitalsAssessment, profile: Profile) -> None:
        self.save_button.setEnabled(True)
        self.assessment = assessment
        self.result.setText(assessment.message)
        set_role(self.result, "success" if assessment.level is VitalLevel.OK else "")
        self.result.setAccessibleName(assessment.message)
        self.result.show()
        warn = assessment.level is VitalLevel.WARN
        self.ack.blockSignals(True)
        self.ack.setChecked(False)
        self.ack.blockSignals(False)
        self.ack.setVisible(warn)
        stop = assessment.level is VitalLevel.STOP
        self.stop_card.setVisible(stop)
        if stop:
            self.stop_card.show_for(assessment, profile)  # announces the stop itself
        else:
            announce(self.result, assessment.message)

    @property
    def needs_ack(self) -> bool:
        return self.assessment is not None and self.assessment.level is VitalLevel.WARN

    def _on_ack(self, checked: bool) -> None:
        if checked:
            self.acknowledged.emit()

    def clear(self) -> None:
        self.save_button.setEnabled(True)
        self.problem.hide()
        self.first.clear()
        self.second.clear()
        self.second.hide()
        self.add_second.show()
        self.result.clear()
        self.result.hide()
        self.ack.hide()
        self.stop_card.hide()
        self.confirm_button.hide()
        self.assessment = None


class StopCard(FitsText, QFrame):
    """A stop-level reading: who to call and the words to tell them."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "stop-card")
        layout = QVBoxLayout(self)
        fit_to_text(self, lambda line: layout.setContentsMargins(line, line, line, line))
        heading = (
            _("No session today") if context is Context.BEFORE else _("Call your provider now")
        )
        self.heading: QLabel = subtitle(heading)
        layout.addWidget(self.heading)
        self.contact: QLabel = label("")
        layout.addWidget(self.contact)
        layout.addWidget(label(_("What to tell them:"), "muted"))
        self.message: QLabel = label("", "key")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.setAccessibleName(heading)

    def show_for(self, assessment: VitalsAssessment, profile: Profile) -> None:
        self.contact.setText(provider_line(profile))
        self.message.setText(assessment.provider_message)
        self.message.setAccessibleName(
            _("What to tell them: {message}").format(message=assessment.provider_message)
        )
        announce(self, f"{self.heading.text()}. {self.contact.text()} {assessment.message}")


def provider_line(profile: Profile) -> str:
    name = profile.provider_name.strip() or _("your provider")
    contact = profile.provider_contact.strip()
    if contact:
        return _("Call {name} on {contact}.").format(name=name, contact=contact)
    return _("Call {name}.").format(name=name)
