"""Settings → "Your data" → Your provider's key: the age public key exports can be encrypted
to, checked before it is saved."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from companion.i18n import _
from companion.ui.common.heading import heading
from companion.ui.pages.data_parts import DataPart, show_status
from companion.ui.tasks import Change
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label, link_button


class ProviderKeyPart(DataPart):
    def _build_provider_key(self) -> None:
        body = self.body
        body.addWidget(heading(_("Your provider's key")))
        body.addWidget(
            label(
                _(
                    "If your provider gave you an age public key (it starts with “age1”), save it "
                    "here. Then an export can be encrypted so that only your provider can open it."
                ),
                "muted",
            )
        )
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("age1…")
        body.addWidget(
            FormField(
                _("Provider's public key"),
                self.key_edit,
                accessible_name=_("Provider's public key"),
            )
        )
        self.key_remove: QPushButton = link_button(
            _("Remove the key"), accessible_name=_("Remove the provider's key")
        )
        self.key_remove.hide()
        self.key_save: QPushButton = button(_("Save the key"), accessible_name=_("Save the key"))
        body.addLayout(button_row(self.key_save, leading=(self.key_remove,)))
        self.key_status: QLabel = label("", "success")
        self.key_status.hide()
        body.addWidget(self.key_status)
        self.key_save.clicked.connect(self._save_key)
        self.key_edit.returnPressed.connect(self._save_key)
        self.key_remove.clicked.connect(self._remove_key)

    # --- the provider's key -------------------------------------------------------------------
    def _save_key(self) -> None:
        text = self.key_edit.text().strip()
        if not text:
            show_status(self.key_status, _("Paste the key your provider gave you first."), "error")
            return
        self._store_key(text, _("Saved. Exports can now be encrypted for your provider."))

    def _remove_key(self) -> None:
        self._store_key(None, _("Removed. Exports use a new passphrase instead."))

    def _store_key(self, key: str | None, done: str) -> None:
        ctx = self._ctx

        def stored(_none: None) -> None:
            self.key_edit.setText(key or "")
            self.key_remove.setVisible(bool(key))
            show_status(self.key_status, done, "success")

        ctx.tasks.run(
            lambda s: s.export.set_provider_recipient(key),
            receiver=self,
            on_result=stored,
            on_error=lambda error: show_status(self.key_status, str(error), "error"),
            changes=frozenset({Change.SHARING}),
        )
