"""Settings → "Your data": import a JSON export, backups (folder, how many, now, restore) and
the provider's age public key, one card in three parts (``data_import``, ``data_backups``,
``data_key``) that share one job at a time.

Every call goes through the task runner; importing, backing up and restoring run with a
progress bar and Cancel. Nothing here holds a secret longer than the call that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from companion.i18n import _
from companion.settings import TEXT_SCALE, THEME
from companion.ui.common.jobs import JobState, settle_layouts
from companion.ui.common.style import review_stylesheet
from companion.ui.context import UiContext
from companion.ui.export.backups import RestoreDialog
from companion.ui.export.clinic_ids import ClinicIds
from companion.ui.pages.data_backups import BackupPart
from companion.ui.pages.data_import import ImportPart
from companion.ui.pages.data_key import ProviderKeyPart

if TYPE_CHECKING:
    from companion.services.backup import BackupInfo
    from companion.services.container import Services


@dataclass(frozen=True, slots=True)
class DataState:
    folder: Path
    backups: list[BackupInfo]
    recipient: str | None


class DataSection(ImportPart, BackupPart, ProviderKeyPart):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Your data"),
            _(
                "Bring in a Companion export, keep backups of your vault, and save your "
                "provider's key for encrypted exports."
            ),
            parent,
        )
        self._ctx = ctx
        self._job: JobState | None = None
        self._session_running = False
        self._import_path: Path | None = None
        self._identity_path: Path | None = None
        self.restore_dialog: RestoreDialog | None = None
        self.restored_dialog: QMessageBox | None = None
        self._build_import()
        self._build_backups()
        self._build_provider_key()
        self.clinic_ids = ClinicIds(ctx)
        self.body.addWidget(self.clinic_ids)
        self.apply_style()

    def apply_style(self) -> None:
        self.setStyleSheet(self.own_style())

    def own_style(self) -> str:
        settings = self._ctx.settings
        return review_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE))

    # --- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """Applies the saved folder and count, then shows the folder, backups and key."""
        ctx = self._ctx
        policy = self._policy()

        def read(services: Services) -> DataState:
            services.backup.configure(policy.folder, policy.keep)
            return DataState(
                services.backup.folder,
                services.backup.list_backups(),
                services.export.provider_recipient(),
            )

        ctx.tasks.run(read, receiver=self, on_result=self._loaded)
        self.clinic_ids.load()

    def _loaded(self, state: DataState) -> None:
        self._show_folder(state.folder, state.backups)
        self.key_edit.setText(state.recipient or "")
        self.key_remove.setVisible(bool(state.recipient))
        settle_layouts()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._ctx.handle.is_ready and self._job is None:
            self.refresh_backups()

    # --- state --------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.import_button,
            self.secret_import,
            self.backup_button,
            self.restore_file_button,
            self.folder_button,
        ):
            widget.setEnabled(not busy)
        self.restore_button.setEnabled(
            not busy and bool(self.backup_list.selectionModel().selectedRows())
        )

    def clear(self) -> None:
        """The vault locks: stop what runs, forget secrets and what was shown."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        for panel in (self.import_progress, self.backup_progress):
            panel.stop()
        for dialog in (self.restore_dialog, self.restored_dialog):
            if dialog is not None:
                dialog.reject()
        self._set_busy(False)
        self._cancel_secret(keep_path=True)
        self.clinic_ids.clear()
        self._import_path = None
        self.key_edit.clear()
        for status in (self.import_status, self.backup_status, self.key_status):
            status.hide()
        self.backups.set_backups([])
