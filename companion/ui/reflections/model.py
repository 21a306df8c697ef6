"""The Reflections models: the timeline of entries (a table, newest first) with a filter proxy,
and the ranked search results.

The timeline holds ``EntrySummary`` rows (no entry bodies). Sorting is done on the source's
Python list (one ``list.sort``, fast for 10,000 rows) and the proxy forwards its ``sort`` there,
so no per-comparison calls cross into Python; the proxy filters rows by date range, tag, kind
and shared/private straight from the summaries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from companion.domain.journal import EntryKind, normalise_tag, strip_marks
from companion.i18n import N_, _
from companion.ui.common.render import local_day

if TYPE_CHECKING:
    from companion.services.search import EntrySummary, Hit

Index = QModelIndex | QPersistentModelIndex

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2

WHEN, KIND, TITLE, TAGS, MOOD, SHARED = range(6)
HEADERS = (N_("When"), N_("Kind"), N_("Title"), N_("Tags"), N_("Mood"), N_("Shared"))
KIND_SHORT = {
    EntryKind.REFLECTION.value: N_("Reflection"),
    EntryKind.INTEGRATION.value: N_("Integration"),
    EntryKind.FREE.value: N_("Free writing"),
}
UNTITLED_CHARS = 70


def kind_label(kind: str) -> str:
    return _(KIND_SHORT[kind]) if kind in KIND_SHORT else kind.capitalize()


def shown_title(title: str, preview: str) -> str:
    if title:
        return title
    if not preview:
        return _("Untitled")
    return preview if len(preview) <= UNTITLED_CHARS else preview[:UNTITLED_CHARS].rstrip() + "…"


def _sort_key(column: int) -> Callable[[EntrySummary], Any]:
    keys: dict[int, Callable[[EntrySummary], Any]] = {
        WHEN: lambda e: (e.created_at, e.id),
        KIND: lambda e: (kind_label(e.kind), e.created_at),
        TITLE: lambda e: (shown_title(e.title, e.preview).casefold(), e.created_at),
        TAGS: lambda e: (", ".join(e.tags), e.created_at),
        MOOD: lambda e: (-1 if e.mood is None else e.mood, e.created_at),
        SHARED: lambda e: (e.shared, e.created_at),
    }
    return keys.get(column, keys[WHEN])


class EntryTableModel(QAbstractTableModel):
    """Every entry as a row: when, kind, title (or its first words), tags, mood, shared."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EntrySummary] = []

    # --- reading ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def entry_at(self, row: int) -> EntrySummary:
        return self._rows[row]

    @property
    def entries(self) -> Sequence[EntrySummary]:
        return self._rows

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(e, column)
        if role == ENTRY_ID_ROLE:
            return e.id
        if role == ITEM_ROLE:
            return e
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            return e.preview or None
        if role == Qt.ItemDataRole.FontRole and column == TITLE and not e.title:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == MOOD:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _display(e: EntrySummary, column: int) -> str:
        if column == WHEN:
            return local_day(e.created_at)
        if column == KIND:
            return kind_label(e.kind)
        if column == TITLE:
            return shown_title(e.title, e.preview)
        if column == TAGS:
            return ", ".join(e.tags)
        if column == MOOD:
            return "" if e.mood is None else str(e.mood)
        if column == SHARED:
            return _("Shared") if e.shared else _("Private")
        return ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None

    # --- changing -----------------------------------------------------------------------------
    def set_entries(self, entries: Sequence[EntrySummary]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [e.id for e in self._rows]
        self._rows.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        new_row = {e.id: n for n, e in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        moved = [
            self.index(new_row[old_ids[i.row()]], i.column()) if i.row() < len(old_ids)
            else QModelIndex()
            for i in persistent
        ]  # fmt: skip
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


class EntryFilterProxy(QSortFilterProxyModel):
    """Filters the timeline by date range, tag, kind and shared/private; sorts at the source."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.tag: str | None = None
        self.kind: str | None = None
        self.shared: bool | None = None

    def set_filters(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        tag: str | None = None,
        kind: str | None = None,
        shared: bool | None = None,
        refilter: bool = True,
    ) -> None:
        """``refilter=False``: only when the source is about to be reset anyway."""
        if refilter:
            self.beginFilterChange()
        self.start, self.end = start, end
        self.tag = normalise_tag(tag) if tag else None
        self.kind, self.shared = kind or None, shared
        if refilter:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.start, self.end, self.tag, self.kind, self.shared))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.active:
            return True
        source = self.sourceModel()
        if not isinstance(source, EntryTableModel):
            return True
        e = source.entry_at(source_row)
        if self.kind is not None and e.kind != self.kind:
            return False
        if self.shared is not None and e.shared != self.shared:
            return False
        if self.start is not None and e.created_at < self.start:
            return False
        if self.end is not None and e.created_at >= self.end:
            return False
        return self.tag is None or self.tag in e.tags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source's list (fast); this proxy keeps its order."""
        source = self.sourceModel()
        if isinstance(source, EntryTableModel):
            source.sort(column, order)

    def entry_id(self, row: int) -> str | None:
        value = self.index(row, 0).data(ENTRY_ID_ROLE)
        return value if isinstance(value, str) else None


class HitsModel(QAbstractListModel):
    """Search results, best match first (the service's bm25 order)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self.terms: tuple[str, ...] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def hit_at(self, row: int) -> Hit:
        return self._hits[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            heading = shown_title(hit.title, "")
            return (
                f"{heading}. {local_day(hit.created_at)}, {kind_label(hit.kind)}. "
                f"{strip_marks(hit.snippet)}"
            )
        if role == ENTRY_ID_ROLE:
            return hit.entry_id
        if role == ITEM_ROLE:
            return hit
        return None

    def set_hits(self, hits: Sequence[Hit], terms: tuple[str, ...]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.terms = terms
        self.endResetModel()

    def set_passages(self, passages: dict[str, str]) -> None:
        """Fills in the matching passages of hits that came without one."""
        from dataclasses import replace

        for row, hit in enumerate(self._hits):
            passage = passages.get(hit.entry_id)
            if passage is not None and not hit.has_passage:
                self._hits[row] = replace(hit, snippet=passage, has_passage=True)
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def clear(self) -> None:
        self.set_hits([], ())
