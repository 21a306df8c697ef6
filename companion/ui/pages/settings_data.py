"""Settings → "Your data": import a JSON export, backups (folder, how many, now, restore) and
the provider's age public key.

Every call goes through the task runner; importing, backing up and restoring run with a
progress bar and Cancel. Nothing here holds a secret longer than the call that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.errors import CompanionError
from companion.export.progress import CancelledError
from companion.settings import BACKUP_FOLDER, BACKUP_KEEP, TEXT_SCALE, THEME
from companion.ui.context import UiContext
from companion.ui.export.backups import BackupListModel, RestoreDialog
from companion.ui.export.clinic_ids import ClinicIds
from companion.ui.export.jobs import JobState, ProgressPanel, run_job, settle_layouts
from companion.ui.export.messages import breakable, size_text
from companion.ui.export.text import heading
from companion.ui.journal.flow import wrapping_row
from companion.ui.journal.render import local_day_time, plural
from companion.ui.journal.style import review_stylesheet
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import button_row
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.text import button, char_width, label, link_button, primary_button

if TYPE_CHECKING:
    from companion.services.backup import BackupInfo, RestoreReport
    from companion.services.importer import ImportReport

# How an import's counts read, by record kind (the rest are "other records").
KIND_WORDS = (
    ("session", "session", "sessions"),
    ("journal_entry", "journal entry", "journal entries"),
    ("assessment", "questionnaire", "questionnaires"),
    ("vital_reading", "blood pressure and pulse reading", "blood pressure and pulse readings"),
    ("side_effect", "side effect", "side effects"),
)


@dataclass(frozen=True, slots=True)
class PendingImport:
    """A journal from another app, read and checked, waiting for "Import these entries"."""

    records: dict[str, list[dict[str, Any]]]
    encrypted: bool
    lines: list[str]


def looks_like_other_journal(path: Path) -> bool:
    """A jrnl or Day One export (read on the worker; a file that cannot be read is left to
    the import itself to refuse with its own message)."""
    from companion.services.import_formats import sniff
    from companion.services.importer import MAX_IMPORT_BYTES

    try:
        if not path.is_file() or path.stat().st_size > MAX_IMPORT_BYTES:
            return False
        return sniff(path.read_bytes()) is not None
    except OSError:
        return False


def import_summary(report: ImportReport, name: str) -> str:
    added = report.total_added
    skipped = sum(report.skipped.values())
    if added == 0:
        return f"Nothing new: everything in {name} is already in your vault. Nothing was changed."
    named = {kind for kind, _one, _many in KIND_WORDS}
    parts = [
        plural(report.added.get(kind, 0), one, many)
        for kind, one, many in KIND_WORDS
        if report.added.get(kind, 0)
    ]
    other = sum(n for kind, n in report.added.items() if kind not in named)
    if other:
        parts.append(plural(other, "other record"))
    text = f"Imported from {name}: " + ", ".join(parts) + "."
    if skipped:
        text += (
            f" {plural(skipped, 'record was', 'records were')} already in your vault and "
            "stayed as they were."
        )
    return text


@dataclass(frozen=True, slots=True)
class DataState:
    folder: Path
    backups: list[BackupInfo]
    recipient: str | None


def _set_role(widget: QLabel, text: str, role: str) -> None:
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.setText(text)
    widget.setVisible(bool(text))
    settle_layouts()


class DataSection(Card):
    data_changed = Signal()  # records were imported: the other pages reload
    lock_requested = Signal()  # after a restore: unlock the restored vault

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Your data",
            "Bring in a Companion export, keep backups of your vault, and save your "
            "provider's key for encrypted exports.",
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
        settings = self._ctx.settings
        self.setStyleSheet(review_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE)))

    # --- layout -------------------------------------------------------------------------------
    def _build_import(self) -> None:
        body = self.body
        body.addWidget(heading("Import"))
        body.addWidget(
            label(
                "Bring in a Companion JSON export, for example from your old computer, or a "
                "journal from jrnl (JSON export) or Day One (JSON export, a zip file). Records "
                "you already have are left as they are, so importing a file twice is safe.",
                "muted",
            )
        )
        self.import_button: QPushButton = button(
            "Import a JSON export…", accessible_name="Import a JSON export"
        )
        body.addLayout(button_row(leading=(self.import_button,)))
        self.secret_box = QWidget()
        secret = QVBoxLayout(self.secret_box)
        secret.setContentsMargins(0, 0, 0, 0)
        self.secret_reason: QLabel = label("")
        secret.addWidget(self.secret_reason)
        self.import_passphrase = PassphraseField(
            "Passphrase of the file", "The passphrase that came with the file."
        )
        secret.addWidget(FormField("Passphrase of the file", self.import_passphrase))
        self.identity_button: QPushButton = button(
            "Or choose a key file…", accessible_name="Choose an age key file"
        )
        self.identity_line: QLabel = label("", "muted")
        self.identity_line.hide()
        secret.addLayout(button_row(leading=(self.identity_button,)))
        secret.addWidget(self.identity_line)
        self.secret_cancel: QPushButton = link_button(
            "Don't import", accessible_name="Don't import this file"
        )
        self.secret_import: QPushButton = primary_button(
            "Import", accessible_name="Import the encrypted file"
        )
        secret.addLayout(button_row(self.secret_import, leading=(self.secret_cancel,)))
        self.secret_box.hide()
        body.addWidget(self.secret_box)
        # A journal from another app: what will come in, before anything is written.
        self.journal_box = QWidget()
        journal = QVBoxLayout(self.journal_box)
        journal.setContentsMargins(0, 0, 0, 0)
        self.journal_preview: QLabel = label("")
        journal.addWidget(self.journal_preview)
        self.journal_cancel: QPushButton = link_button(
            "Don't import", accessible_name="Don't import these entries"
        )
        self.journal_import: QPushButton = primary_button(
            "Import these entries", accessible_name="Import these journal entries"
        )
        journal.addLayout(button_row(self.journal_import, leading=(self.journal_cancel,)))
        self.journal_box.hide()
        body.addWidget(self.journal_box)
        self._pending: PendingImport | None = None
        self.journal_cancel.clicked.connect(self._cancel_journal)
        self.journal_import.clicked.connect(self._import_journal)
        self.import_progress = ProgressPanel("Import")
        body.addWidget(self.import_progress)
        self.import_status: QLabel = label("", "success")
        self.import_status.hide()
        body.addWidget(self.import_status)
        self.import_button.clicked.connect(self.start_import)
        self.identity_button.clicked.connect(self._choose_identity)
        self.secret_cancel.clicked.connect(self._cancel_secret)
        self.secret_import.clicked.connect(self._import_with_secret)
        self.import_passphrase.return_pressed.connect(self._import_with_secret)

    def _build_backups(self) -> None:
        body = self.body
        body.addWidget(heading("Backups"))
        body.addWidget(
            label(
                "A backup is a complete, encrypted copy of your vault. It opens with the "
                "passphrase (or recovery key) you had when it was made. Companion also makes "
                "one after each session. A folder on a USB stick keeps them off this computer.",
                "muted",
            )
        )
        self.folder_line: QLabel = label("Backups go to: …")
        body.addWidget(self.folder_line)
        self.folder_button: QPushButton = button(
            "Choose a folder…", accessible_name="Choose a folder for backups"
        )
        self.default_folder_button: QPushButton = link_button(
            "Use the default folder", accessible_name="Use the default backup folder"
        )
        self.default_folder_button.setVisible(bool(self._ctx.settings.get(BACKUP_FOLDER)))
        body.addWidget(wrapping_row(self.folder_button, self.default_folder_button))
        self.keep = QSpinBox()
        self.keep.setRange(BACKUP_KEEP.minimum or 1, BACKUP_KEEP.maximum or 100)
        self.keep.setValue(self._ctx.settings.get(BACKUP_KEEP))
        self.keep.setMaximumWidth(char_width(self) * 10)
        body.addWidget(
            FormField(
                "How many backups to keep",
                self.keep,
                hint="Companion keeps this many of its newest backups in the folder and "
                "deletes older ones.",
                accessible_name="How many backups to keep",
            )
        )
        self.backup_button: QPushButton = primary_button(
            "Back up now", description="Makes a backup in the folder above."
        )
        body.addLayout(button_row(self.backup_button))
        self.backup_progress = ProgressPanel("Backup")
        body.addWidget(self.backup_progress)
        self.backups = BackupListModel(self)
        self.backup_list = QListView()
        self.backup_list.setModel(self.backups)
        self.backup_list.setAccessibleName("Backups in the folder, newest first")
        self.backup_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_list.setMinimumHeight(self.fontMetrics().height() * 6)
        body.addWidget(self.backup_list)
        self.backups_empty: QLabel = label("There are no backups in this folder yet.", "muted")
        body.addWidget(self.backups_empty)
        self.restore_button: QPushButton = button(
            "Restore the selected backup…", accessible_name="Restore the selected backup"
        )
        self.restore_file_button: QPushButton = button(
            "Restore from a file…", accessible_name="Restore a backup from a file"
        )
        self.restore_button.setEnabled(False)
        body.addWidget(wrapping_row(self.restore_button, self.restore_file_button))
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

    def _build_provider_key(self) -> None:
        body = self.body
        body.addWidget(heading("Your provider's key"))
        body.addWidget(
            label(
                "If your provider gave you an age public key (it starts with “age1”), save it "
                "here. Then an export can be encrypted so that only your provider can open it.",
                "muted",
            )
        )
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("age1…")
        body.addWidget(
            FormField(
                "Provider's public key", self.key_edit, accessible_name="Provider's public key"
            )
        )
        self.key_remove: QPushButton = link_button(
            "Remove the key", accessible_name="Remove the provider's key"
        )
        self.key_remove.hide()
        self.key_save: QPushButton = button("Save the key", accessible_name="Save the key")
        body.addLayout(button_row(self.key_save, leading=(self.key_remove,)))
        self.key_status: QLabel = label("", "success")
        self.key_status.hide()
        body.addWidget(self.key_status)
        self.key_save.clicked.connect(self._save_key)
        self.key_edit.returnPressed.connect(self._save_key)
        self.key_remove.clicked.connect(self._remove_key)

    # --- loading ------------------------------------------------------------------------------
    def _folder_setting(self) -> Path | None:
        chosen = self._ctx.settings.get(BACKUP_FOLDER)
        return Path(chosen) if chosen else None

    def load(self) -> None:
        """Applies the saved folder and count, then shows the folder, backups and key."""
        ctx = self._ctx
        folder, keep = self._folder_setting(), ctx.settings.get(BACKUP_KEEP)

        def read() -> DataState:
            services = ctx.services
            services.backup.configure(folder, keep)
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

    def refresh_backups(self) -> None:
        ctx = self._ctx

        def read() -> tuple[Path, list[BackupInfo]]:
            backup = ctx.services.backup
            return backup.folder, backup.list_backups()

        ctx.tasks.run(read, receiver=self, on_result=lambda r: self._show_folder(*r))

    def _show_folder(self, folder: Path, backups: list[BackupInfo]) -> None:
        self.folder_line.setText(f"Backups go to: {breakable(folder)}")
        self.backups.set_backups(backups)
        self.backups_empty.setVisible(not backups)
        self.backup_list.setVisible(bool(backups))
        self.restore_button.setEnabled(False)
        settle_layouts()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._ctx.handle.is_ready and self._job is None:
            self.refresh_backups()

    # --- import -------------------------------------------------------------------------------
    def choose_import_file(self) -> Path | None:
        """Asks which export to import (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self,
            "Import a Companion export",
            str(Path.home()),
            "Exports and journals (*.json *.age *.zip);;All files (*)",
        )
        return Path(name) if name else None

    def choose_identity_file(self) -> Path | None:
        """Asks for an age key file (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, "Choose the key file", str(Path.home()), "Key files (*.txt *.key);;All files (*)"
        )
        return Path(name) if name else None

    def start_import(self) -> None:
        if self._job is not None:
            return
        path = self.choose_import_file()
        if path is None:
            return
        self._import_path = path
        self._identity_path = None
        self._cancel_secret(keep_path=True)
        self._run_import(None, None)

    def _choose_identity(self) -> None:
        path = self.choose_identity_file()
        if path is not None:
            self._identity_path = path
            self.identity_line.setText(f"Key file: {path.name}")
            self.identity_line.show()

    def _cancel_secret(self, keep_path: bool = False) -> None:
        self.secret_box.hide()
        self.import_passphrase.clear()
        self.identity_line.hide()
        self._identity_path = None
        if not keep_path:
            self._import_path = None
            _set_role(self.import_status, "Not imported. Nothing was changed.", "muted")

    def _import_with_secret(self) -> None:
        passphrase = self.import_passphrase.text() or None
        if passphrase is None and self._identity_path is None:
            _set_role(
                self.import_status, "Enter the file's passphrase or choose its key file.", "error"
            )
            return
        self._run_import(passphrase, self._identity_path)
        self.import_passphrase.clear()

    def _run_import(self, passphrase: str | None, identity: Path | None) -> None:
        path = self._import_path
        if path is None or self._job is not None:
            return
        ctx = self._ctx

        def run(state: JobState) -> ImportReport | PendingImport:
            identity_text = None
            if identity is not None:
                try:
                    identity_text = identity.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise CompanionError("The key file could not be read.") from exc
            if passphrase is None and identity is None and looks_like_other_journal(path):
                from companion.domain.localtime import local_zone
                from companion.services.import_formats import preview_lines

                records, encrypted = ctx.services.importer.read_file(path)
                return PendingImport(records, encrypted, preview_lines(records, local_zone()))
            return ctx.services.importer.import_file(
                path,
                passphrase=passphrase,
                identity_text=identity_text,
                progress=state.report,
                cancel=state.token,
            )

        self.import_status.hide()
        self._set_busy(True)
        self._job = run_job(
            ctx,
            receiver=self,
            panel=self.import_progress,
            what=f"Importing {path.name}",
            call=run,
            on_result=self._imported,
            on_error=self._import_failed,
        )

    def _imported(self, report: ImportReport | PendingImport) -> None:
        self._job = None
        self._set_busy(False)
        if isinstance(report, PendingImport):
            self._pending = report
            self.journal_preview.setText("\n".join(report.lines))
            self.journal_box.show()
            self.journal_import.setFocus()
            self.import_status.hide()
            return
        name = breakable(self._import_path.name) if self._import_path else "the file"
        self._cancel_secret(keep_path=True)
        self._import_path = None
        _set_role(self.import_status, import_summary(report, name), "success")
        if report.total_added:
            self.data_changed.emit()

    def _cancel_journal(self) -> None:
        self._pending = None
        self._import_path = None
        self.journal_box.hide()
        _set_role(self.import_status, "Not imported. Nothing was changed.", "muted")

    def _import_journal(self) -> None:
        pending, path = self._pending, self._import_path
        if pending is None or path is None or self._job is not None:
            return
        self._pending = None
        self.journal_box.hide()
        ctx = self._ctx

        def run(state: JobState) -> ImportReport:
            return ctx.services.importer.import_records(
                pending.records,
                encrypted=pending.encrypted,
                progress=state.report,
                cancel=state.token,
            )

        self._set_busy(True)
        self._job = run_job(
            ctx,
            receiver=self,
            panel=self.import_progress,
            what=f"Importing {path.name}",
            call=run,
            on_result=self._imported,
            on_error=self._import_failed,
        )

    def _import_failed(self, error: CompanionError) -> None:
        from companion.export.age import NoKeyError

        self._job = None
        self._set_busy(False)
        if isinstance(error, NoKeyError):
            self.secret_reason.setText(str(error))
            self.secret_box.show()
            self.import_passphrase.setFocus()
            self.import_status.hide()
            return
        if isinstance(error, CancelledError):
            text = "Import cancelled. Nothing in the vault was changed."
        else:
            text = str(error)  # an import is one transaction: a refused one changed nothing
            if not error.vault_unchanged:
                text += " Nothing in the vault was changed."
        _set_role(self.import_status, text, "error")

    # --- backups ------------------------------------------------------------------------------
    def choose_backup_folder(self) -> Path | None:
        """Asks for a folder (tests replace this)."""
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder for backups")
        return Path(folder) if folder else None

    def choose_backup_file(self) -> Path | None:
        """Asks for a backup file to restore (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self,
            "Choose a backup",
            str(Path.home()),
            "Companion backups (*.companion-backup);;All files (*)",
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
        folder, keep = self._folder_setting(), ctx.settings.get(BACKUP_KEEP)

        def apply() -> tuple[Path, list[BackupInfo]]:
            ctx.services.backup.configure(folder, keep)
            return ctx.services.backup.folder, ctx.services.backup.list_backups()

        ctx.tasks.run(apply, receiver=self, on_result=lambda r: self._show_folder(*r))
        _set_role(self.backup_status, "Saved.", "success")

    def back_up_now(self) -> None:
        if self._job is not None:
            return
        ctx = self._ctx
        self.backup_status.hide()
        self._set_busy(True)
        self._job = run_job(
            ctx,
            receiver=self,
            panel=self.backup_progress,
            what="Backing up",
            call=lambda state: ctx.services.backup.backup_now(state.report, state.token),
            on_result=self._backed_up,
            on_error=self._backup_failed,
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self._job = None
        self._set_busy(False)
        _set_role(
            self.backup_status,
            f"Backed up: {local_day_time(info.created_at)} ({size_text(info.size)}).",
            "success",
        )
        self.refresh_backups()

    def _backup_failed(self, error: CompanionError) -> None:
        self._job = None
        self._set_busy(False)
        text = (
            "Backup cancelled. Nothing was written."
            if isinstance(error, CancelledError)
            else str(error)
        )
        _set_role(self.backup_status, text, "error")

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(
            self._job is None and bool(self.backup_list.selectionModel().selectedRows())
        )

    def _restore_selected(self) -> None:
        rows = self.backup_list.selectionModel().selectedRows()
        info = self.backups.backup_at(rows[0].row()) if rows else None
        if info is not None:
            self.ask_restore(info.path, f"Made {local_day_time(info.created_at)}")

    def _restore_from_file(self) -> None:
        path = self.choose_backup_file()
        if path is not None:
            self.ask_restore(path, "Backup file")

    def set_session_running(self, running: bool) -> None:
        """A restore swaps the whole vault, so it waits while a session is being recorded."""
        self._session_running = running

    def ask_restore(self, path: Path, made: str) -> None:
        if self._job is not None:
            return
        if self._session_running:
            _set_role(
                self.backup_status,
                "A session is under way. Restore a backup once it has ended; nothing was changed.",
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
                _set_role(self.backup_status, "Not restored. Nothing was changed.", "muted")

        dialog.finished.connect(answered)
        dialog.open()

    def _restore(self, path: Path, passphrase: str) -> None:
        ctx = self._ctx
        self.backup_status.hide()
        self._set_busy(True)
        self._job = run_job(
            ctx,
            receiver=self,
            panel=self.backup_progress,
            what="Restoring",
            call=lambda state: ctx.services.backup.restore(
                path, passphrase, state.report, state.token
            ),
            on_result=self._restored,
            on_error=self._restore_failed,
        )

    def _restored(self, report: RestoreReport) -> None:
        self._job = None
        self._set_busy(False)
        kept = (
            f" Your previous vault was kept in {breakable(report.previous_vault)}."
            if report.previous_vault
            else ""
        )
        text = f"Your vault was restored from {report.restored_from.name}.{kept}"
        _set_role(self.backup_status, text, "success")
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Restored",
            text,
            QMessageBox.StandardButton.Ok,
            self.window(),
        )
        box.setInformativeText("Companion will lock now. Unlock it with the backup's passphrase.")
        self.restored_dialog = box

        def closed() -> None:
            self.restored_dialog = None
            box.deleteLater()
            self.lock_requested.emit()

        box.finished.connect(closed)
        box.open()

    def _restore_failed(self, error: CompanionError) -> None:
        self._job = None
        self._set_busy(False)
        text = (
            "Restore cancelled. Your current vault is unchanged."
            if isinstance(error, CancelledError)
            else str(error)
        )
        _set_role(self.backup_status, text, "error")

    # --- the provider's key -------------------------------------------------------------------
    def _save_key(self) -> None:
        text = self.key_edit.text().strip()
        if not text:
            _set_role(self.key_status, "Paste the key your provider gave you first.", "error")
            return
        self._store_key(text, "Saved. Exports can now be encrypted for your provider.")

    def _remove_key(self) -> None:
        self._store_key(None, "Removed. Exports use a new passphrase instead.")

    def _store_key(self, key: str | None, done: str) -> None:
        ctx = self._ctx

        def stored(_none: None) -> None:
            self.key_edit.setText(key or "")
            self.key_remove.setVisible(bool(key))
            _set_role(self.key_status, done, "success")

        ctx.tasks.run(
            lambda: ctx.services.export.set_provider_recipient(key),
            receiver=self,
            on_result=stored,
            on_error=lambda error: _set_role(self.key_status, str(error), "error"),
        )

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
