"""Settings → "Your data" → Backups: the folder and how many to keep (the same
``BackupPolicy`` the app and the CLI start with), "Back up now", and restoring a backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSpinBox,
)

from companion.errors import CompanionError
from companion.export.progress import CancelledError
from companion.i18n import _
from companion.settings import BACKUP_FOLDER, BACKUP_KEEP, BackupPolicy
from companion.ui.common.flow import wrapping_row
from companion.ui.common.heading import heading
from companion.ui.common.jobs import JobState, ProgressPanel, run_job, settle_layouts
from companion.ui.common.messages import breakable, size_text
from companion.ui.common.render import local_day_time
from companion.ui.export.backups import BackupListModel, RestoreDialog
from companion.ui.pages.data_parts import DataPart, show_status
from companion.ui.tasks import EVERYTHING, Change
from companion.ui.widgets.field import FormField
from companion.ui.widgets.fits_text import fit_to_text
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, char_width, label, link_button, primary_button

if TYPE_CHECKING:
    from companion.services.backup import BackupInfo, RestoreReport
    from companion.services.container import Services


class BackupPart(DataPart):
    _session_running: bool
    restore_dialog: RestoreDialog | None
    restored_dialog: QMessageBox | None

    def _build_backups(self) -> None:
        body = self.body
        body.addWidget(heading(_("Backups")))
        body.addWidget(
            label(
                _(
                    "A backup is a complete, encrypted copy of your vault. It opens with the "
                    "passphrase (or recovery key) you had when it was made. Companion also makes "
                    "one after each session. A folder on a USB stick keeps them off this computer."
                ),
                "muted",
            )
        )
        self._build_backup_folder()
        self.backup_button: QPushButton = primary_button(
            _("Back up now"), description=_("Makes a backup in the folder above.")
        )
        body.addLayout(button_row(self.backup_button))
        self.backup_progress = ProgressPanel(_("Backup"))
        body.addWidget(self.backup_progress)
        self._build_backup_list()
        self.backup_status: QLabel = label("", "success")
        self.backup_status.hide()
        body.addWidget(self.backup_status)
        self.folder_button.clicked.connect(self._choose_folder)
        self.default_folder_button.clicked.connect(lambda: self._set_folder(""))
        self.keep.valueChanged.connect(self._keep_changed)
        self.backup_button.clicked.connect(self.back_up_now)
        self.backup_list.selectionModel().selectionChanged.connect(self._selection_changed)
        self.restore_button.clicked.connect(self._restore_selected)
        self.restore_file_button.clicked.connect(self._restore_from_file)

    def _build_backup_folder(self) -> None:
        body = self.body
        self.folder_line: QLabel = label(_("Backups go to: …"))
        body.addWidget(self.folder_line)
        self.folder_button: QPushButton = button(
            _("Choose a folder…"), accessible_name=_("Choose a folder for backups")
        )
        self.default_folder_button: QPushButton = link_button(
            _("Use the default folder"), accessible_name=_("Use the default backup folder")
        )
        self.default_folder_button.setVisible(bool(self._ctx.settings.get(BACKUP_FOLDER)))
        body.addWidget(wrapping_row(self.folder_button, self.default_folder_button))
        self.keep = QSpinBox()
        self.keep.setRange(BACKUP_KEEP.minimum or 1, BACKUP_KEEP.maximum or 100)
        self.keep.setValue(self._ctx.settings.get(BACKUP_KEEP))
        self.keep.setMaximumWidth(char_width(self) * 10)
        body.addWidget(
            FormField(
                _("How many backups to keep"),
                self.keep,
                hint=_(
                    "Companion keeps this many of its newest backups in the folder and "
                    "deletes older ones."
                ),
                accessible_name=_("How many backups to keep"),
            )
        )

    def _build_backup_list(self) -> None:
        body = self.body
        self.backups = BackupListModel(self)
        self.backup_list = QListView()
        self.backup_list.setModel(self.backups)
        self.backup_list.setAccessibleName(_("Backups in the folder, newest first"))
        self.backup_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_to_text(self, lambda line: self.backup_list.setMinimumHeight(line * 6))
        body.addWidget(self.backup_list)
        self.backups_empty: QLabel = label(_("There are no backups in this folder yet."), "muted")
        body.addWidget(self.backups_empty)
        self.restore_button: QPushButton = button(
            _("Restore the selected backup…"), accessible_name=_("Restore the selected backup")
        )
        self.restore_file_button: QPushButton = button(
            _("Restore from a file…"), accessible_name=_("Restore a backup from a file")
        )
        self.restore_button.setEnabled(False)
        body.addWidget(wrapping_row(self.restore_button, self.restore_file_button))

    def _policy(self) -> BackupPolicy:
        return BackupPolicy.from_settings(self._ctx.settings)

    def refresh_backups(self) -> None:
        ctx = self._ctx

        def read(services: Services) -> tuple[Path, list[BackupInfo]]:
            backup = services.backup
            return backup.folder, backup.list_backups()

        ctx.tasks.run(read, receiver=self, on_result=lambda r: self._show_folder(*r))

    def _show_folder(self, folder: Path, backups: list[BackupInfo]) -> None:
        self.folder_line.setText(_("Backups go to: {folder}").format(folder=breakable(folder)))
        self.backups.set_backups(backups)
        self.backups_empty.setVisible(not backups)
        self.backup_list.setVisible(bool(backups))
        self.restore_button.setEnabled(False)
        settle_layouts()

    # --- backups ------------------------------------------------------------------------------
    def choose_backup_folder(self) -> Path | None:
        """Asks for a folder (tests replace this)."""
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder for backups"))
        return Path(folder) if folder else None

    def choose_backup_file(self) -> Path | None:
        """Asks for a backup file to restore (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a backup"),
            str(Path.home()),
            _("Companion backups (*.companion-backup);;All files (*)"),
        )
        return Path(name) if name else None

    def _choose_folder(self) -> None:
        folder = self.choose_backup_folder()
        if folder is not None:
            self._set_folder(str(folder))

    def _set_folder(self, folder: str) -> None:
        self._ctx.settings.set(BACKUP_FOLDER, folder)
        self.default_folder_button.setVisible(bool(folder))
        self._configure()

    def _keep_changed(self, keep: int) -> None:
        self._ctx.settings.set(BACKUP_KEEP, keep)
        self._configure()

    def _configure(self) -> None:
        ctx = self._ctx
        policy = self._policy()

        def apply(services: Services) -> tuple[Path, list[BackupInfo]]:
            services.backup.configure(policy.folder, policy.keep)
            return services.backup.folder, services.backup.list_backups()

        ctx.tasks.run(apply, receiver=self, on_result=lambda r: self._show_folder(*r))
        show_status(self.backup_status, _("Saved."), "success")

    def back_up_now(self) -> None:
        if self._job is not None:
            return
        self._start_job(
            _("Backing up"),
            lambda s, state: s.backup.backup_now(state.report, state.token),
            self._backed_up,
            self._backup_failed,
            frozenset({Change.BACKUPS}),
        )

    def _start_job(
        self,
        what: str,
        call: Callable[[Services, JobState], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[CompanionError], None],
        changes: frozenset[Change],
    ) -> None:
        """A backup or a restore, with the progress bar; one job at a time in the card."""
        self.backup_status.hide()
        self._set_busy(True)
        self._job = run_job(
            self._ctx,
            receiver=self,
            panel=self.backup_progress,
            what=what,
            call=call,
            on_result=on_result,
            on_error=on_error,
            changes=changes,
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self._job = None
        self._set_busy(False)
        show_status(
            self.backup_status,
            _("Backed up: {when} ({size}).").format(
                when=local_day_time(info.created_at), size=size_text(info.size)
            ),
            "success",
        )
        self.refresh_backups()

    def _backup_failed(self, error: CompanionError) -> None:
        self._job_failed(error, _("Backup cancelled. Nothing was written."))

    def _job_failed(self, error: CompanionError, cancelled: str) -> None:
        self._job = None
        self._set_busy(False)
        text = cancelled if isinstance(error, CancelledError) else str(error)
        show_status(self.backup_status, text, "error")

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(
            self._job is None and bool(self.backup_list.selectionModel().selectedRows())
        )

    def _restore_selected(self) -> None:
        rows = self.backup_list.selectionModel().selectedRows()
        info = self.backups.backup_at(rows[0].row()) if rows else None
        if info is not None:
            self.ask_restore(
                info.path, _("Made {when}").format(when=local_day_time(info.created_at))
            )

    def _restore_from_file(self) -> None:
        path = self.choose_backup_file()
        if path is not None:
            self.ask_restore(path, _("Backup file"))

    def set_session_running(self, running: bool) -> None:
        """A restore swaps the whole vault, so it waits while a session is being recorded."""
        self._session_running = running

    def ask_restore(self, path: Path, made: str) -> None:
        if self._job is not None:
            return
        if self._session_running:
            show_status(
                self.backup_status,
                _(
                    "A session is under way. Restore a backup once it has ended; "
                    "nothing was changed."
                ),
                "muted",
            )
            return
        dialog = RestoreDialog(path, made, self.window())
        self.restore_dialog = dialog

        def answered(result: int) -> None:
            self.restore_dialog = None
            secret = dialog.secret()
            dialog.passphrase.clear()
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and secret:
                self._restore(path, secret)
            else:
                show_status(self.backup_status, _("Not restored. Nothing was changed."), "muted")

        dialog.finished.connect(answered)
        dialog.open()

    def _restore(self, path: Path, passphrase: str) -> None:
        self._start_job(
            _("Restoring"),
            lambda s, state: s.backup.restore(path, passphrase, state.report, state.token),
            self._restored,
            self._restore_failed,
            EVERYTHING,  # the whole vault was replaced
        )

    def _restored(self, report: RestoreReport) -> None:
        self._job = None
        self._set_busy(False)
        if report.previous_vault:
            text = _(
                "Your vault was restored from {file}. Your previous vault was kept in {folder}."
            ).format(file=report.restored_from.name, folder=breakable(report.previous_vault))
        else:
            text = _("Your vault was restored from {file}.").format(file=report.restored_from.name)
        show_status(self.backup_status, text, "success")
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Restored"),
            text,
            QMessageBox.StandardButton.Ok,
            self.window(),
        )
        box.setInformativeText(
            _("Companion will lock now. Unlock it with the backup's passphrase.")
        )
        self.restored_dialog = box

        def closed() -> None:
            self.restored_dialog = None
            box.deleteLater()
            self.lock_requested.emit()

        box.finished.connect(closed)
        box.open()

    def _restore_failed(self, error: CompanionError) -> None:
        self._job_failed(error, _("Restore cancelled. Your current vault is unchanged."))
