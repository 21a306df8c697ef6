"""What Companion is and what it is not, before anything else."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from companion.i18n import N_, _, current_language
from companion.ui.widgets.field import FormField
from companion.ui.widgets.language_choice import language_box
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import bullet, label, primary_button, subtitle, title

INTRO = N_(
    "Companion helps you prepare for, go through and reflect on the at\u2011home ketamine "
    "sessions your provider has prescribed. Take your time; nothing here is urgent."
)
WHAT_IT_DOES = (
    N_(
        "It follows your provider's plan: their checklist, their timing and the dose they "
        "prescribed, written down exactly as they gave it."
    ),
    N_(
        "It keeps everything private. Your notes are encrypted on this computer and locked with a "
        "passphrase only you know. Nothing is sent anywhere unless you choose to share it."
    ),
)
WHAT_IT_IS_NOT = (
    N_("It never suggests a dose or changes your treatment."),
    N_(
        "It does not replace your provider or medical care. Questions about your treatment "
        "belong with them."
    ),
)
EMERGENCY = N_(
    "In an emergency, call your local emergency number (for example 911) straight away. "
    "Companion cannot call for help."
)


class WelcomeStep(ScrollPage):
    continue_clicked = Signal()
    language_chosen = Signal(str)  # a language code; the flow is then built again in it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        col = self.column
        # First, before any other words: pre-selected from the system (or the last choice)
        self.language = language_box(current_language())
        col.addWidget(FormField(_("Language"), self.language))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(str(self.language.currentData()))
        )
        col.addWidget(label(_("Step 1 of 4"), "step"))
        col.addWidget(title(_("Welcome to Companion")))
        col.addWidget(label(_(INTRO)))
        col.addSpacing(self.fontMetrics().height() // 2)
        col.addWidget(subtitle(_("What Companion does")))
        for text in WHAT_IT_DOES:
            col.addWidget(bullet(_(text)))
        col.addSpacing(self.fontMetrics().height() // 2)
        col.addWidget(subtitle(_("What Companion is not")))
        for text in WHAT_IT_IS_NOT:
            col.addWidget(bullet(_(text)))
        col.addSpacing(self.fontMetrics().height() // 2)
        col.addWidget(label(_(EMERGENCY), "note"))
        col.addSpacing(self.fontMetrics().height())
        self.continue_button: QPushButton = primary_button(
            _("Get started"),
            description=_("Next: choose a passphrase that protects your notes."),
        )
        self.continue_button.clicked.connect(self.continue_clicked)
        col.addLayout(button_row(self.continue_button))
        col.addStretch(1)
        self.setFocusProxy(self.continue_button)
