"""The Session page before anything runs: start, rehearse, or pick up where a session stopped.
And the last screen of a session: done, with the reflection one click away (or later)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from companion.i18n import N_, _, n_
from companion.settings import REHEARSAL_SPEED, Settings
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import bullet, button, label, link_button, primary_button, title

if TYPE_CHECKING:
    from companion.services.planning import PlannedVisit
    from companion.services.sessions_model import ResumeInfo

SPEEDS = (
    (1, N_("Real time (1×)")),
    (10, N_("Ten times faster (10×)")),
    (60, N_("Sixty times faster (60×)")),
)


class StartView(ScrollPage):
    start_requested = Signal(object)  # planned session id or None
    rehearse_requested = Signal(int)  # speed
    resume_requested = Signal()
    dismiss_resume = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._settings = settings
        self._planned_id: str | None = None
        col = self.column
        col.addWidget(title(_("Session")))
        col.addWidget(
            label(
                _(
                    "Companion guides you one calm step at a time: your checklist, the dose as "
                    "your provider prescribed it, about an hour of music with your eye mask, and "
                    "the gentle return. Help is one key away throughout: F1 or Esc."
                ),
            )
        )
        self.notice: QLabel = label("", "note")
        self.notice.hide()
        col.addWidget(self.notice)

        self._build_resume_card()
        col.addWidget(self.resume_card)

        self._build_start_card()
        col.addWidget(self.start_card)

        self._build_rehearse_card(settings)
        col.addWidget(self.rehearse_card)
        col.addStretch(1)

    def _build_resume_card(self) -> None:
        self.resume_card = Card(_("Your session is still open"))
        self.resume_text: QLabel = label("")
        self.resume_card.body.addWidget(self.resume_text)
        self.resume_button: QPushButton = primary_button(_("Resume where I was"))
        self.resume_later: QPushButton = link_button(_("Not now"), accessible_name=_("Not now"))
        self.resume_button.clicked.connect(self.resume_requested)
        self.resume_later.clicked.connect(self.dismiss_resume)
        self.resume_card.body.addLayout(
            button_row(self.resume_button, leading=(self.resume_later,))
        )
        self.resume_card.hide()

    def _build_start_card(self) -> None:
        self.start_card = Card(_("Start a session"))
        self.next_text: QLabel = label(
            _("No session is planned. You can plan them on Home."), "muted"
        )
        self.start_card.body.addWidget(self.next_text)
        for line in (
            _("Have your eye mask, music, water and blood pressure monitor nearby."),
            _("Your monitor should be with you before you take your medicine."),
        ):
            self.start_card.body.addWidget(bullet(line))
        self.start_button: QPushButton = primary_button(_("Start the session"))
        self.start_button.clicked.connect(lambda: self.start_requested.emit(self._planned_id))
        self.start_card.body.addLayout(button_row(self.start_button))

    def _build_rehearse_card(self, settings: Settings) -> None:
        self.rehearse_card = Card(
            _("Rehearse"),
            _(
                "Walk through the whole session, faster if you like, to test the sound, the volume "
                "and the prompts. Nothing is recorded."
            ),
        )
        self.speed = QComboBox()
        for value, text in SPEEDS:
            self.speed.addItem(_(text), value)
        self.speed.setCurrentIndex(max(0, self.speed.findData(settings.get(REHEARSAL_SPEED))))
        self.rehearse_card.body.addWidget(
            FormField(_("Speed"), self.speed, accessible_name=_("Rehearsal speed"))
        )
        self.rehearse_button: QPushButton = button(
            _("Rehearse"), accessible_name=_("Start a rehearsal")
        )
        self.rehearse_button.clicked.connect(self._rehearse)
        self.rehearse_card.body.addLayout(button_row(self.rehearse_button))

    def _rehearse(self) -> None:
        speed = int(self.speed.currentData())
        self._settings.set(REHEARSAL_SPEED, speed)
        self.rehearse_requested.emit(speed)

    def show_next(self, visit: PlannedVisit | None) -> None:
        from companion.ui.common.dates import friendly_date

        if visit is None:
            self._planned_id = None
            self.next_text.setText(_("No session is planned. You can plan them on Home."))
            return
        self._planned_id = visit.id
        self.next_text.setText(
            _(
                "Session {number} of {total}, planned for {when}. Starting now counts as this "
                "session."
            ).format(number=visit.number, total=visit.total, when=friendly_date(visit.starts_at))
        )

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def offer_resume(self, info: ResumeInfo | None, text: str) -> None:
        self.resume_card.setVisible(info is not None)
        self.resume_text.setText(text)
        self.start_button.setEnabled(info is None)
        self.rehearse_button.setEnabled(info is None)
        if info is not None:
            self.resume_button.setFocus()

    def set_busy(self, busy: bool) -> None:
        resuming = self.resume_card.isVisible()
        self.start_button.setEnabled(not busy and not resuming)
        self.rehearse_button.setEnabled(not busy and not resuming)
        self.resume_button.setEnabled(not busy)


class DoneView(ScrollPage):
    reflect = Signal()
    later = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        col = self.column
        self.heading: QLabel = title(_("Your session is complete"))
        col.addWidget(self.heading)
        self.text: QLabel = label(
            _(
                "Well done for taking this time. Rest, drink some water, and let your monitor stay "
                "a while. When you feel ready, a few words about the experience can help it settle."
            )
        )
        col.addWidget(self.text)
        self.markers: QLabel = label("", "muted")
        self.markers.hide()
        col.addWidget(self.markers)
        self.reflect_button: QPushButton = primary_button(_("Write your reflection"))
        self.later_button: QPushButton = button(
            _("Later"), accessible_name=_("Later: back to the start")
        )
        self.reflect_button.clicked.connect(self.reflect)
        self.later_button.clicked.connect(self.later)
        col.addLayout(button_row(self.reflect_button, leading=(self.later_button,)))
        col.addStretch(1)

    def show_done(self, rehearsal: bool, markers: int) -> None:
        if rehearsal:
            self.heading.setText(_("Rehearsal finished"))
            self.text.setText(
                _(
                    "Nothing was recorded. If the sound was too loud or too quiet, change the "
                    "volume in Settings under Music."
                )
            )
        else:
            self.heading.setText(_("Your session is complete"))
        self.reflect_button.setVisible(not rehearsal)
        self.markers.setText(
            n_(
                "You marked {n} moment; it will be shown beside your reflection.",
                "You marked {n} moments; they will be shown beside your reflection.",
                markers,
            )
        )
        self.markers.setVisible(markers > 0 and not rehearsal)
