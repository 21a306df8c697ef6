"""Dose: the prescription exactly as the provider wrote it, confirmed, and the hold timer.

Companion never computes or suggests a dose: it shows the profile's prescription verbatim,
"as prescribed by your provider", and logs the moment the patient confirms taking it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.domain.profile import Profile
from companion.domain.protocol import PhaseId, Protocol
from companion.domain.timeline import TimelineState
from companion.i18n import N_, _, n_
from companion.ui.session.timefmt import clock_time, countdown
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import label, primary_button, subtitle, title

if TYPE_CHECKING:
    from companion.services.sessions_model import DoseFacts

NO_PRESCRIPTION = N_(
    "No prescription is recorded in your profile. Add it in Settings, exactly as your provider "
    "wrote it, before a real session."
)


class PrescriptionCard(FitsText, QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "prescription")
        layout = QVBoxLayout(self)
        fit_to_text(self, lambda line: layout.setContentsMargins(line, line, line, line))
        layout.addWidget(label(_("As prescribed by your provider"), "muted"))
        self.dose: QLabel = label("", "dose")
        self.medicine: QLabel = label("")
        self.instructions: QLabel = label("", "muted")
        for widget in (self.dose, self.medicine, self.instructions):
            layout.addWidget(widget)

    def show_profile(self, profile: Profile) -> None:
        p = profile.prescription
        self.dose.setText(p.dose_text.strip() or _(NO_PRESCRIPTION))
        self.medicine.setText(_("{medicine} · {form}").format(medicine=p.medicine, form=p.form))
        self.instructions.setText(p.instructions.strip())
        self.instructions.setVisible(bool(p.instructions.strip()))
        provider = profile.provider_name.strip()
        self.setAccessibleName(
            _("Your prescription, as prescribed by {provider}: {dose}").format(
                provider=provider or _("your provider"),
                dose=p.dose_text.strip() or _("not recorded"),
            )
        )


class DoseView(ScrollPage):
    confirm_requested = Signal()

    def __init__(self, protocol: Protocol, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        col = self.column
        settle = protocol.timeline.phase(PhaseId.SETTLE)
        hold = protocol.timeline.phase(PhaseId.HOLD)
        self.heading: QLabel = title(settle.title)
        col.addWidget(self.heading)
        self.text: QLabel = label(settle.text)
        col.addWidget(self.text)
        self.prompt: QLabel = label("", "prompt")
        self.prompt.hide()
        col.addWidget(self.prompt)
        self.prescription = PrescriptionCard()
        self.prescription.show_profile(profile)
        col.addWidget(self.prescription)
        self.confirm_button: QPushButton = primary_button(
            _("I have taken my medicine"),
            accessible_name=_("I have taken my medicine"),
            description=_("Logs the time you took it and starts the hold timer."),
        )
        self.confirm_button.clicked.connect(self._confirm)
        col.addLayout(button_row(self.confirm_button))
        self.taken: QLabel = label("", "success")
        self.taken.hide()
        col.addWidget(self.taken)
        self.hold_heading: QLabel = subtitle(hold.title)
        self.hold_text: QLabel = label(hold.text, "muted")
        self.remaining: QLabel = label("", "countdown")
        self.remaining.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.hold_note: QLabel = label(
            _(
                "When the hold is over, a soft chime sounds. Follow your provider's instruction on "
                "swallowing or spitting."
            ),
            "muted",
        )
        for widget in (self.hold_heading, self.hold_text, self.remaining, self.hold_note):
            widget.hide()
            col.addWidget(widget)
        col.addStretch(1)
        self._hold_title = hold.title

    def _confirm(self) -> None:
        self.confirm_button.setEnabled(False)
        self.confirm_requested.emit()

    def confirm_failed(self) -> None:
        self.confirm_button.setEnabled(True)

    def show_taken(self, dose: DoseFacts) -> None:
        self.confirm_button.hide()
        self.taken.setText(
            _("Taken at {time}. The hold has begun.").format(time=clock_time(dose.taken_at))
        )
        self.taken.show()
        for widget in (self.hold_heading, self.hold_text, self.remaining, self.hold_note):
            widget.show()
        self.heading.setText(self._hold_title)
        self.prompt.hide()

    def update_state(self, state: TimelineState) -> None:
        pending = [e for e in state.pending if e.phase is PhaseId.SETTLE and e.text]
        if state.waiting_for_dose:
            self.prompt.setText(pending[-1].text if pending else "")
            self.prompt.setVisible(bool(pending))
            return
        if state.phase is PhaseId.HOLD and state.phase_remaining_seconds is not None:
            text = countdown(state.phase_remaining_seconds)
            if self.remaining.text() != text:
                self.remaining.setText(text)
                minutes = int(state.phase_remaining_seconds // 60) + 1
                self.remaining.setAccessibleName(
                    n_("Hold: about {n} minute left", "Hold: about {n} minutes left", minutes)
                )
