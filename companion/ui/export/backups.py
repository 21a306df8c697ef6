"""The list of backups (a real model) and the restore confirmation, used by Settings → Your data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from companion.i18n import N_, _
from companion.ui.common.messages import breakable, size_text
from companion.ui.common.render import local_day_time
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.text import button, char_width, label, primary_button, title
from companion.ui.widgets.wrap import WrapCheckBox

if TYPE_CHECKING:
    from companion.services.backup import BackupInfo

Index = QModelIndex | QPersistentModelIndex
CONFIRM = N_("Replace my current vault with this backup")


def backup_line(info: BackupInfo) -> str:
    return f"{local_day_time(info.created_at)} · {size_text(info.size)} · {info.path.name}"


class BackupListModel(QAbstractListModel):
    """Backups in the folder, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backups: list[BackupInfo] = []

    def set_backups(self, backups: Sequence[BackupInfo]) -> None:
        self.beginResetModel()
        self._backups = list(backups)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupInfo | None:
        return self._backups[row] if 0 <= row < len(self._backups) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._backups)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._backups):
            return None
        info = self._backups[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return backup_line(info)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.UserRole:
            return str(info.path)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class RestoreDialog(QDialog):
    """Restoring replaces the vault: the backup's passphrase and an explicit tick first.

    The words scroll (at large text sizes they may not fit); the buttons always show."""

    def __init__(self, path: Path, made: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(_("Restore a backup"))
        self.setModal(True)
        self.page = ScrollPage(characters=52)
        col = self.page.column
        col.addWidget(title(_("Restore this backup?")))
        col.addWidget(label(f"{made} · {breakable(path.name)}", "muted"))
        col.addWidget(
            label(
                _(
                    "Everything in Companion is replaced by this backup: anything added after it "
                    "was made will not be there. Your current vault is kept aside, still "
                    "encrypted, in Companion's data folder. Afterwards Companion locks; unlock it "
                    "with the backup's passphrase."
                )
            )
        )
        self.passphrase = PassphraseField(
            _("Passphrase of the backup"), _("The passphrase you used when this backup was made.")
        )
        col.addWidget(FormField(_("The backup's passphrase"), self.passphrase))
        self.confirm = WrapCheckBox(_(CONFIRM))
        self.confirm.setAccessibleName(_(CONFIRM))
        col.addWidget(self.confirm)
        col.addStretch(1)
        self.cancel_button: QPushButton = button(
            _("Cancel"), accessible_name=_("Cancel the restore")
        )
        self.restore_button: QPushButton = primary_button(
            _("Restore"), accessible_name=_("Restore this backup")
        )
        self.restore_button.setEnabled(False)
        self.cancel_button.setDefault(True)
        layout = QVBoxLayout(self)
        line = self.fontMetrics().height()
        layout.setContentsMargins(0, 0, line, line)
        layout.addWidget(self.page, 1)
        layout.addLayout(button_row(self.restore_button, leading=(self.cancel_button,)))
        self.cancel_button.clicked.connect(self.reject)
        self.restore_button.clicked.connect(self.accept)
        self.confirm.toggled.connect(self._update)
        self.passphrase.text_changed.connect(self._update)
        room = parent.window().height() if parent is not None else line * 30
        self.resize(char_width(self) * 62, min(line * 24, max(line * 10, room - 2 * line)))
        self.passphrase.setFocus()

    def _update(self) -> None:
        self.restore_button.setEnabled(self.confirm.isChecked() and bool(self.passphrase.text()))

    def secret(self) -> str:
        return self.passphrase.text()

    def done(self, result: int) -> None:
        super().done(result)
        if result != QDialog.DialogCode.Accepted:
            self.passphrase.clear()
