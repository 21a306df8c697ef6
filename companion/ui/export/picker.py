"""Picking journal entries one by one: a checkable list (a real model, filtered by a proxy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from companion.i18n import _, n_
from companion.ui.common.render import local_day
from companion.ui.widgets.field import FormField
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import label

if TYPE_CHECKING:
    from companion.services.search import EntrySummary

Index = QModelIndex | QPersistentModelIndex
SHARED_MARK = "shared"
PRIVATE_MARK = "private"


def entry_line(entry: EntrySummary) -> str:
    title = entry.title.strip() or entry.preview.strip()[:60] or _("Untitled")
    mark = SHARED_MARK if entry.shared else PRIVATE_MARK
    return f"{local_day(entry.created_at)} · {title} · {mark}"


class EntryPickModel(QAbstractListModel):
    """The entries of the chosen range, newest first, each with a check box."""

    picked_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[EntrySummary] = []
        self._picked: set[str] = set()

    def set_entries(self, entries: Sequence[EntrySummary]) -> None:
        """New entries; picks of entries no longer listed are dropped (what is not shown is
        never sent)."""
        self.beginResetModel()
        self._entries = list(entries)
        listed = {e.id for e in self._entries}
        self._picked &= listed
        self.endResetModel()
        self.picked_changed.emit()

    @property
    def picked(self) -> frozenset[str]:
        return frozenset(self._picked)

    @property
    def entries(self) -> tuple[EntrySummary, ...]:
        return tuple(self._entries)

    def clear(self) -> None:
        self.beginResetModel()
        self._entries = []
        self._picked = set()
        self.endResetModel()
        self.picked_changed.emit()

    # --- QAbstractListModel -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry_line(entry)
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = entry.id in self._picked
            return (Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked).value
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.preview
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        if not 0 <= index.row() < len(self._entries):
            return False
        entry_id = self._entries[index.row()].id
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        if state == Qt.CheckState.Checked.value:
            self._picked.add(entry_id)
        else:
            self._picked.discard(entry_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.picked_changed.emit()
        return True


class EntryPicker(FitsText, QWidget):
    """A filter field, the checkable list and how many are picked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntryPickModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Type part of a title or date"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.listing = QListView()
        self.listing.setModel(self.proxy)
        self.listing.setAccessibleName(_("Journal entries to pick, newest first"))
        self.listing.setAccessibleDescription(
            _("Space ticks or unticks the entry. Ticked entries are included, private or not.")
        )
        self.listing.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.listing.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.listing.setUniformItemSizes(True)
        self.listing.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        fit_to_text(self, lambda line: self.listing.setMinimumHeight(line * 9))
        self.count: QLabel = label("", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            FormField(_("Find an entry"), self.search, accessible_name=_("Find an entry"))
        )
        layout.addWidget(self.listing)
        layout.addWidget(self.count)
        self.model.picked_changed.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self._update_count()

    def _update_count(self) -> None:
        listed = self.model.rowCount()
        if listed == 0:
            self.count.setText(_("There are no journal entries in these dates."))
            return
        self.count.setText(
            _("{picked}, of {listed} in these dates.").format(
                picked=n_("{n} entry picked", "{n} entries picked", len(self.model.picked)),
                listed=n_("{n} entry", "{n} entries", listed),
            )
        )
