"""Settings → Language. The new language is saved at once and used from the next start: the
section says so calmly and offers "Restart now" (the window is closed the usual way, so a
draft or a running session is asked about first, then Companion opens again)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from companion.i18n import _, current_language
from companion.settings import LANGUAGE
from companion.ui.context import UiContext
from companion.ui.widgets.announce import announce
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.language_choice import language_box, language_name
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label


class LanguageSection(Card):
    restart_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Language"), parent=parent)
        self._settings = ctx.settings
        self.choice = language_box(ctx.settings.get(LANGUAGE))
        self.body.addWidget(FormField(_("Language"), self.choice))
        self.note: QLabel = label("", "muted")
        self.restart_button: QPushButton = button(
            _("Restart now"),
            accessible_name=_("Restart Companion now"),
            description=_("Closes Companion and opens it again. You unlock it as usual."),
        )
        self.restart_button.setAutoDefault(False)
        self.restart_button.clicked.connect(self.restart_requested)
        self.body.addWidget(self.note)
        self.restart_row = QWidget()
        self.restart_row.setLayout(button_row(self.restart_button))
        self.body.addWidget(self.restart_row)
        self._show_note()
        self.choice.currentIndexChanged.connect(self._save)

    def _save(self) -> None:
        self._settings.set(LANGUAGE, str(self.choice.currentData()))
        self._show_note()
        if self.note.isVisible():
            announce(self.note, self.note.text())

    def _show_note(self) -> None:
        chosen = str(self.choice.currentData())
        waiting = chosen != current_language()
        self.note.setText(
            _(
                "Saved. Companion will use {language} after a restart. Nothing you have "
                "written changes."
            ).format(language=language_name(chosen))
            if waiting
            else ""
        )
        self.note.setVisible(waiting)
        self.restart_row.setVisible(waiting)
