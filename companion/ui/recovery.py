"""Forgot the passphrase: the recovery key opens the vault and a new passphrase replaces the old."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.field import FormField
from companion.ui.widgets.new_passphrase import NewPassphraseForm
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.qt_numbers import SECRET_HINTS
from companion.ui.widgets.text import button, label, primary_button, title

INTRO = N_(
    "Type or paste the recovery key you stored when you set up Companion, then choose a new "
    "passphrase. Your notes stay exactly as they are."
)
MISMATCH = N_("The two new passphrases do not match yet.")


class RecoveryForm(ScrollPage):
    unlocked = Signal()
    back_clicked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(characters=56, parent=parent)
        self._ctx = ctx
        col = self.column
        col.addWidget(title(_("Unlock with your recovery key")))
        col.addWidget(label(_(INTRO)))

        self.recovery_key = QLineEdit()
        self.recovery_key.setProperty("inputMethodHints", SECRET_HINTS)
        self.recovery_key.setPlaceholderText(_("XXXXX-XXXXX-XXXXX-…"))
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.recovery_key.setFont(mono)
        col.addWidget(
            FormField(
                _("Recovery key"),
                self.recovery_key,
                hint=_("Capitals, spaces and dashes do not matter."),
            )
        )
        self.form = NewPassphraseForm(mismatch=_(MISMATCH))
        col.addWidget(self.form)
        self.passphrase, self.confirm = self.form.passphrase, self.form.confirm
        self.meter, self.mismatch = self.form.meter, self.form.mismatch

        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)
        self.busy = BusyIndicator()
        col.addWidget(self.busy)

        self.back_button: QPushButton = button(_("Back"), accessible_name=_("Back to passphrase"))
        self.back_button.clicked.connect(self.back_clicked)
        self.unlock_button: QPushButton = primary_button(
            _("Unlock and save new passphrase"),
            description=_(
                "Available once the key is entered and the new passphrase is strong "
                "enough and typed twice."
            ),
        )
        self.unlock_button.clicked.connect(self.unlock)
        col.addLayout(button_row(self.unlock_button, leading=(self.back_button,)))
        col.addStretch(1)

        self.recovery_key.textChanged.connect(self._on_changed)
        self.form.changed.connect(self._on_changed)
        self.form.submitted.connect(self.unlock)
        self.setFocusProxy(self.recovery_key)
        self._on_changed()

    @property
    def ready(self) -> bool:
        return (
            bool(self.recovery_key.text().strip())
            and self.form.acceptable
            and not self.busy.running
        )

    def _on_changed(self) -> None:
        self.unlock_button.setEnabled(self.ready)

    def unlock(self) -> None:
        if not self.ready:
            return
        key, new = self.recovery_key.text(), self.passphrase.text()
        self.error.hide()
        self._set_busy(True)
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.vault.unlock_with_recovery(key, new),
            receiver=self,
            on_result=self._on_unlocked,
            on_error=self._on_error,
        )

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start(_("Checking the key and saving your new passphrase…"))
        else:
            self.busy.stop()
        for widget in (self.recovery_key, self.form, self.back_button):
            widget.setEnabled(not busy)
        self.unlock_button.setEnabled(self.ready)

    def _on_unlocked(self, _result: object) -> None:
        self._set_busy(False)
        self.clear()
        self.unlocked.emit()

    def _on_error(self, error: CompanionError) -> None:
        self._set_busy(False)
        self.error.setText(str(error))
        self.error.show()
        self.recovery_key.setFocus()

    def clear(self) -> None:
        self.recovery_key.clear()
        self.form.clear()
        self.error.hide()
