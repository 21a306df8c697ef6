"""Choosing the passphrase: two fields, a live strength meter, and creation on the worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.new_passphrase import NewPassphraseForm
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import button, label, primary_button, title

if TYPE_CHECKING:
    from companion.crypto.kdf import KdfParams

INTRO = N_(
    "Your passphrase locks everything you keep in Companion. A short sentence of a few "
    "unrelated words is easy to remember and hard to guess."
)
NO_RESET = N_(
    "Nobody can look it up or reset it for you. On the next step you will get a recovery key: "
    "the only other way back in."
)
MISMATCH = N_("The two passphrases do not match yet.")


class CreatePassphraseStep(ScrollPage):
    created = Signal(str)  # the recovery key, to show once
    back_clicked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._ctx = ctx
        col = self.column
        col.addWidget(label(_("Step 2 of 4"), "step"))
        col.addWidget(title(_("Choose a passphrase")))
        col.addWidget(label(_(INTRO)))
        col.addWidget(label(_(NO_RESET), "muted"))

        self.form = NewPassphraseForm(
            caption=_("Passphrase"),
            again_caption=_("Type it again"),
            again_name=_("Passphrase again"),
            mismatch=_(MISMATCH),
        )
        col.addWidget(self.form)
        self.passphrase, self.confirm = self.form.passphrase, self.form.confirm
        self.meter, self.mismatch = self.form.meter, self.form.mismatch

        self.busy = BusyIndicator()
        col.addWidget(self.busy)
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)

        col.addSpacing(self.fontMetrics().height() // 2)
        self.back_button: QPushButton = button(_("Back"))
        self.back_button.clicked.connect(self.back_clicked)
        self.continue_button: QPushButton = primary_button(
            _("Create my vault"),
            description=_(
                "Creates your encrypted vault. Available once the passphrase is strong "
                "enough and both fields match."
            ),
        )
        self.continue_button.clicked.connect(self._create)
        col.addLayout(button_row(self.continue_button, leading=(self.back_button,)))
        col.addStretch(1)

        self.form.changed.connect(self._on_changed)
        self.form.submitted.connect(self._create)
        self.setFocusProxy(self.form)
        self._on_changed()

    @property
    def ready(self) -> bool:
        return self.form.acceptable and not self.busy.running

    def _on_changed(self) -> None:
        self.error.hide()
        self.continue_button.setEnabled(self.ready)

    def _create(self) -> None:
        if not self.ready:
            return
        passphrase = self.passphrase.text()
        self._set_busy(True)
        ctx = self._ctx

        def create(calibrated: KdfParams | None) -> None:
            ctx.tasks.run(
                lambda s: s.vault.create(passphrase, calibrated),
                receiver=self,
                on_result=self._on_created,
                on_error=self._on_error,
            )

        def calibrate_first(calibrates: bool) -> None:
            """Argon2id is calibrated (seconds of hashing) on the second executor, not on the
            database worker; a vault with fixed parameters (tests, the demo) skips it."""
            if not calibrates:
                create(None)
                return
            from companion.crypto.kdf import calibrate

            ctx.tasks.run_without_db(
                calibrate, receiver=self, on_result=create, on_error=self._on_error
            )

        ctx.tasks.run(
            lambda s: s.vault.calibrates,
            receiver=self,
            on_result=calibrate_first,
            on_error=self._on_error,
        )

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start(_("Creating your encrypted vault. This takes a few seconds…"))
        else:
            self.busy.stop()
        for widget in (self.form, self.back_button):
            widget.setEnabled(not busy)
        self.continue_button.setEnabled(self.ready)

    def _on_created(self, recovery_key: str) -> None:
        self._set_busy(False)
        self.clear()
        self.created.emit(recovery_key)

    def _on_error(self, error: CompanionError) -> None:
        self._set_busy(False)
        self.error.setText(str(error))
        self.error.show()
        self.passphrase.setFocus()

    def clear(self) -> None:
        self.form.clear()
        self.error.hide()
