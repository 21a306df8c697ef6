"""The unlock screen: the passphrase, or "forgot it" with the recovery key and a new passphrase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QWidget

from companion.errors import CompanionError, WrongPassphraseError
from companion.ui.context import UiContext
from companion.ui.first_run.numbers import numbers_line
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.text import label, link_button, primary_button, title

if TYPE_CHECKING:
    from companion.ui.recovery import RecoveryForm

INTRO = "Your notes are locked. Enter your passphrase to open them."
EMPTY = "Type your passphrase first, then choose Unlock."


class UnlockForm(ScrollPage):
    unlocked = Signal()
    forgot_clicked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(characters=58, parent=parent)
        self._ctx = ctx
        col = self.column
        col.addStretch(1)
        col.addWidget(label("Companion", "brand"))
        col.addWidget(title("Welcome back"))
        col.addWidget(label(INTRO))
        self.passphrase = PassphraseField("Passphrase")
        col.addWidget(FormField("Passphrase", self.passphrase))
        self.passphrase.edit.setAccessibleName("Passphrase")
        self.error: QLabel = label("", "error")
        self.error.setAccessibleName("Unlock problem")
        self.error.hide()
        col.addWidget(self.error)
        self.busy = BusyIndicator()
        col.addWidget(self.busy)
        self.unlock_button: QPushButton = primary_button("Unlock")
        self.unlock_button.clicked.connect(self.unlock)
        self.forgot_button: QPushButton = link_button(
            "Forgot your passphrase?",
            description="Open Companion with your recovery key and choose a new passphrase.",
        )
        self.forgot_button.clicked.connect(self.forgot_clicked)
        col.addLayout(button_row(self.unlock_button, leading=(self.forgot_button,)))
        # Who to call, readable before unlocking (kept in the preferences: public numbers).
        self.numbers: QLabel = label(numbers_line(ctx.settings), "emergency")
        self.numbers.setAccessibleName("If you feel unwell")
        self.numbers.setVisible(bool(self.numbers.text()))
        col.addWidget(self.numbers)
        col.addStretch(2)
        self.passphrase.return_pressed.connect(self.unlock)
        self.setFocusProxy(self.passphrase)

    def unlock(self) -> None:
        passphrase = self.passphrase.text()
        if self.busy.running:
            return
        if not passphrase:
            self._show_error(EMPTY)
            self.passphrase.setFocus()
            return
        self.error.hide()
        self._set_busy(True)
        ctx = self._ctx
        ctx.tasks.run(
            lambda: ctx.services.vault.unlock(passphrase),
            receiver=self,
            on_result=self._on_unlocked,
            on_error=self._on_error,
        )

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Unlocking… this takes about a second.")
        else:
            self.busy.stop()
        self.passphrase.setReadOnly(busy)
        self.forgot_button.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _on_unlocked(self, _result: object) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.unlocked.emit()

    def _on_error(self, error: CompanionError) -> None:
        self._set_busy(False)
        self._show_error(str(error))
        if isinstance(error, WrongPassphraseError):
            self.passphrase.clear()
        self.passphrase.setFocus()

    def clear(self) -> None:
        self.passphrase.clear()
        self.error.hide()


class UnlockScreen(QStackedWidget):
    unlocked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Unlock")
        self._ctx = ctx
        self.form = UnlockForm(ctx)
        self._recovery: RecoveryForm | None = None  # built when first needed: faster start-up
        self.addWidget(self.form)
        self.form.unlocked.connect(self.unlocked)
        self.form.forgot_clicked.connect(self.show_recovery)

    @property
    def recovery(self) -> RecoveryForm:
        if self._recovery is None:
            from companion.ui import recovery

            self._recovery = recovery.RecoveryForm(self._ctx)
            self.addWidget(self._recovery)
            self._recovery.unlocked.connect(self.unlocked)
            self._recovery.back_clicked.connect(self.show_passphrase)
        return self._recovery

    def show_recovery(self) -> None:
        self.form.clear()
        self.setCurrentWidget(self.recovery)
        self.recovery.setFocus()

    def show_passphrase(self) -> None:
        if self._recovery is not None:
            self._recovery.clear()
        self.setCurrentWidget(self.form)
        self.form.setFocus()

    def clear(self) -> None:
        self.form.clear()
        if self._recovery is not None:
            self._recovery.clear()
