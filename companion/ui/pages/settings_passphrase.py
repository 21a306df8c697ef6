"""Settings → Passphrase: current, new (with the strength meter) and confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from companion.errors import CompanionError
from companion.ui.context import UiContext
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import button_row
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.steady import FeedbackArea
from companion.ui.widgets.strength_meter import StrengthMeter
from companion.ui.widgets.text import label, primary_button

MISMATCH = "The two new passphrases do not match yet."
CHANGED = "Your passphrase was changed. Use the new one next time you unlock."


class PassphraseSection(Card):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Passphrase",
            "Changing it keeps your notes and your recovery key exactly as they are.",
            parent,
        )
        self._ctx = ctx
        self.current = PassphraseField("Current passphrase")
        self.body.addWidget(FormField("Current passphrase", self.current))
        self.current.edit.setAccessibleName("Current passphrase")
        self.new = PassphraseField("New passphrase")
        self.body.addWidget(FormField("New passphrase", self.new))
        self.new.edit.setAccessibleName("New passphrase")
        self.meter = StrengthMeter()
        self.body.addWidget(self.meter)
        self.confirm = PassphraseField("New passphrase again")
        self.body.addWidget(FormField("New passphrase again", self.confirm))
        self.confirm.edit.setAccessibleName("New passphrase again")
        self.mismatch: QLabel = label(MISMATCH, "error")
        self.mismatch.hide()
        self.body.addWidget(FeedbackArea((self.mismatch,), (MISMATCH,)))  # room kept: no jump
        self.busy = BusyIndicator()
        self.body.addWidget(self.busy)
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self.change_button: QPushButton = primary_button("Change passphrase")
        self.change_button.clicked.connect(self.change)
        self.body.addLayout(button_row(self.change_button))
        for field in (self.current, self.new, self.confirm):
            field.text_changed.connect(self._on_changed)
        self.confirm.return_pressed.connect(self.change)
        self._on_changed()

    @property
    def ready(self) -> bool:
        return (
            bool(self.current.text())
            and self.meter.acceptable
            and self.new.text() == self.confirm.text()
            and not self.busy.running
        )

    def _on_changed(self) -> None:
        self.meter.update_for(self.new.text())
        confirm = self.confirm.text()
        mismatch = bool(confirm) and confirm != self.new.text()
        self.mismatch.setVisible(mismatch)
        self.confirm.set_invalid(mismatch)
        if self.current.text() or self.new.text():
            self.status.hide()
        self.change_button.setEnabled(self.ready)

    def change(self) -> None:
        if not self.ready:
            return
        current, new = self.current.text(), self.new.text()
        self.status.hide()
        self._set_busy(True)
        ctx = self._ctx
        ctx.tasks.run(
            lambda: ctx.services.vault.change_passphrase(current, new),
            receiver=self,
            on_result=self._on_changed_ok,
            on_error=self._on_error,
        )

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Changing your passphrase…")
        else:
            self.busy.stop()
        for field in (self.current, self.new, self.confirm):
            field.setEnabled(not busy)
        self.change_button.setEnabled(self.ready)

    def _show_status(self, text: str, role: str) -> None:
        self.status.setProperty("role", role)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)
        self.status.show()

    def _on_changed_ok(self, _result: object) -> None:
        self._set_busy(False)
        self.clear()
        self._show_status(CHANGED, "success")

    def _on_error(self, error: CompanionError) -> None:
        self._set_busy(False)
        self.current.clear()
        self._show_status(str(error), "error")
        self.current.setFocus()

    def clear(self) -> None:
        for field in (self.current, self.new, self.confirm):
            field.clear()
        self.meter.reset()
        self.mismatch.hide()
