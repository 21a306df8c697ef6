"""Settings → Passphrase: current, new (with the strength meter) and confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QWidget

from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.ui.common.jobs import JobState, ProgressPanel, run_job
from companion.ui.context import UiContext
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.new_passphrase import NewPassphraseForm
from companion.ui.widgets.page import button_row
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.text import label, primary_button, set_role
from companion.ui.widgets.wrap import WrapCheckBox

if TYPE_CHECKING:
    from companion.services.container import Services

MISMATCH = N_("The two new passphrases do not match yet.")
CHANGED = N_("Your passphrase was changed. Use the new one next time you unlock.")
ROTATE = N_("Also use a new key")
ROTATE_HELP = N_(
    "This locks the vault with a new key too. It takes a little longer. "
    "Choose it if someone may have seen your old passphrase, or if an old copy of your "
    "vault or a backup is somewhere you do not control. Then the old passphrase cannot open "
    "anything you write from now on. Old backups still open with the old passphrase."
)
ROTATED = N_(
    "Your passphrase was changed and the vault now uses a new key. "
    "Use the new passphrase next time you unlock."
)
NEW_KEY = N_(
    "Your NEW recovery key is below. It is shown only this once; the old one no longer works. "
    "Write it down or save it somewhere safe, away from this computer."
)


class PassphraseSection(Card):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Passphrase"),
            _("Changing it keeps your notes and your recovery key exactly as they are."),
            parent,
        )
        self._ctx = ctx
        self.current = PassphraseField(_("Current passphrase"))
        self.body.addWidget(FormField(_("Current passphrase"), self.current))
        self.current.edit.setAccessibleName(_("Current passphrase"))
        self.form = NewPassphraseForm(mismatch=_(MISMATCH))
        self.body.addWidget(self.form)
        self.new, self.confirm = self.form.passphrase, self.form.confirm
        self.meter, self.mismatch = self.form.meter, self.form.mismatch
        self.rotate: QCheckBox = WrapCheckBox(_(ROTATE))
        self.rotate.setAccessibleName(_("Also lock the vault with a new key"))
        self.rotate.toggled.connect(self._on_rotate_toggled)
        self.body.addWidget(self.rotate)
        self.rotate_help: QLabel = label(_(ROTATE_HELP), "muted")
        self.body.addWidget(self.rotate_help)
        self.recovery = PassphraseField(_("Recovery key"))
        self.recovery_field = FormField(
            _("Your recovery key (leave it empty to get a new one)"), self.recovery
        )
        self.recovery.edit.setAccessibleName(_("Recovery key"))
        self.body.addWidget(self.recovery_field)
        self.recovery_field.hide()
        self.progress = ProgressPanel(_("New key"))
        self.progress.cancel_button.hide()  # the swap is all or nothing; it cannot stop halfway
        self.body.addWidget(self.progress)
        self.new_key: QLabel = label("", "key", wrap=True)
        self.new_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_key.setAccessibleName(_("New recovery key"))
        self.new_key.hide()
        self.body.addWidget(self.new_key)
        self.busy = BusyIndicator()
        self.body.addWidget(self.busy)
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self.change_button: QPushButton = primary_button(_("Change passphrase"))
        self.change_button.clicked.connect(self.change)
        self.body.addLayout(button_row(self.change_button))
        self.current.text_changed.connect(self._on_changed)
        self.form.changed.connect(self._on_changed)
        self.form.submitted.connect(self.change)
        self._on_changed()

    @property
    def ready(self) -> bool:
        return bool(self.current.text()) and self.form.acceptable and not self.busy.running

    def _on_changed(self) -> None:
        if self.current.text() or self.new.text():
            self.status.hide()
        self.change_button.setEnabled(self.ready)

    def _on_rotate_toggled(self, checked: bool) -> None:
        self.recovery_field.setVisible(checked)
        if not checked:
            self.recovery.clear()

    def change(self) -> None:
        if not self.ready:
            return
        current, new = self.current.text(), self.new.text()
        self.status.hide()
        self.new_key.clear()
        self.new_key.hide()
        ctx = self._ctx
        if self.rotate.isChecked():
            recovery_key = self.recovery.text().strip() or None
            self._set_busy(True, rotating=True)

            def call(services: Services, state: JobState) -> str | None:
                return services.vault.rotate_key(current, new, recovery_key, state.report)

            run_job(
                ctx,
                receiver=self,
                panel=self.progress,
                what=_("Locking the vault with a new key"),
                call=call,
                on_result=self._on_rotated_ok,
                on_error=self._on_error,
            )
            return
        self._set_busy(True)
        ctx.tasks.run(
            lambda s: s.vault.change_passphrase(current, new),
            receiver=self,
            on_result=self._on_changed_ok,
            on_error=self._on_error,
        )

    def _set_busy(self, busy: bool, rotating: bool = False) -> None:
        if busy and not rotating:
            self.busy.start(_("Changing your passphrase…"))
        elif not busy:
            self.busy.stop()
        for field in (self.current, self.form, self.recovery):
            field.setEnabled(not busy)
        self.rotate.setEnabled(not busy)
        self.change_button.setEnabled(self.ready and not busy)

    def _show_status(self, text: str, role: str) -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.show()

    def _on_changed_ok(self, _result: object) -> None:
        self._set_busy(False)
        self.clear()
        self._show_status(_(CHANGED), "success")

    def _on_rotated_ok(self, new_recovery_key: str | None) -> None:
        self._set_busy(False)
        self.clear()
        if new_recovery_key:
            self._show_status(_(ROTATED) + " " + _(NEW_KEY), "success")
            self.new_key.setText(new_recovery_key)
            self.new_key.show()
        else:
            self._show_status(_(ROTATED) + " " + _("Your recovery key still works."), "success")

    def _on_error(self, error: CompanionError) -> None:
        self._set_busy(False)
        self.current.clear()
        self._show_status(str(error), "error")
        self.current.setFocus()

    def clear(self) -> None:
        for field in (self.current, self.recovery):
            field.clear()
        self.form.clear()
        self.rotate.setChecked(False)
        self.new_key.clear()
        self.new_key.hide()
