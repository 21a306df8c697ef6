"""The first-run flow, step by step inside the main window (no small modal dialogs)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from companion.i18n import _
from companion.ui.context import UiContext
from companion.ui.first_run.create_passphrase import CreatePassphraseStep
from companion.ui.first_run.profile_step import ProfileStep
from companion.ui.first_run.recovery_key import RecoveryKeyStep
from companion.ui.first_run.welcome import WelcomeStep


class FirstRunFlow(QStackedWidget):
    vault_created = Signal()  # the vault now exists and is unlocked
    completed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("First run"))
        self.welcome = WelcomeStep()
        self.passphrase = CreatePassphraseStep(ctx)
        self.recovery = RecoveryKeyStep(ctx)
        self.profile = ProfileStep(ctx)
        for step in (self.welcome, self.passphrase, self.recovery, self.profile):
            self.addWidget(step)
        self.welcome.continue_clicked.connect(lambda: self._go(self.passphrase))
        self.passphrase.back_clicked.connect(lambda: self._go(self.welcome))
        self.passphrase.created.connect(self._on_created)
        self.recovery.confirmed.connect(lambda: self._go(self.profile))
        self.profile.saved.connect(self.completed)

    def _go(self, step: QWidget) -> None:
        self.setCurrentWidget(step)
        step.setFocus()

    def _on_created(self, recovery_key: str) -> None:
        self.recovery.set_key(recovery_key)
        self._go(self.recovery)
        self.vault_created.emit()

    @property
    def showing_recovery_key(self) -> bool:
        return self.currentWidget() is self.recovery and bool(self.recovery.key)

    def clear(self) -> None:
        self.passphrase.clear()
        self.recovery.clear()
        self.profile.clear()
