"""The Reflections timeline as a paged table: only the rows scrolled to are read.

``EntryPagesModel`` holds the rows read so far (``EntrySummary``, no bodies) and how many the
filters let through. Qt's views ask ``canFetchMore``/``fetchMore`` when the last row read comes
into view; the model then asks for the next page (``PAGE_ROWS`` rows after the last one, by
keyset: ``services.entry_pages``) through the ``ask`` callable the page gives it, which runs the
read on the database worker. Filters and column sorts are done in SQL: a change of either, a
reload or a change broadcast starts a new *generation*, and a page that was read for an older
generation is dropped when it arrives, so rows of two different lists never mix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from companion.i18n import _
from companion.services.entry_pages import EntryPage, EntryPages, ListQuery, PageKey, SortColumn
from companion.ui.common.render import local_day
from companion.ui.reflections.model import (
    ENTRY_ID_ROLE,
    HEADERS,
    ITEM_ROLE,
    KIND,
    KIND_SHORT,
    MOOD,
    SHARED,
    TAGS,
    TITLE,
    WHEN,
    kind_label,
    shown_title,
)

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.search import EntrySummary

Index = QModelIndex | QPersistentModelIndex

PAGE_ROWS = 200
SORTS = {
    WHEN: SortColumn.WHEN,
    KIND: SortColumn.KIND,
    TITLE: SortColumn.TITLE,
    TAGS: SortColumn.TAGS,
    MOOD: SortColumn.MOOD,
    SHARED: SortColumn.SHARED,
}


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One read for the model: ``after`` None is a first screen (with the counts)."""

    generation: int
    query: ListQuery
    after: PageKey | None
    limit: int


@dataclass(frozen=True, slots=True)
class FirstScreen:
    page: EntryPage
    shown: int  # how many the filters let through
    total: int  # how many entries there are
    query: ListQuery  # as planned from the counts: the next pages are read the same way


def read_first(services: Services, request: PageRequest) -> FirstScreen:
    """On the worker: both counts, then the first rows (read as the counts say is quickest)."""
    pages = EntryPages(services.vault, services.journal)
    total = pages.count()
    filters = request.query.filters
    shown = pages.count(filters) if filters.narrows else total
    query = pages.planned(request.query, shown, total, request.limit)
    return FirstScreen(pages.page(query, None, request.limit), shown, total, query)


def read_next(services: Services, request: PageRequest) -> EntryPage:
    return EntryPages(services.vault, services.journal).page(
        request.query, request.after, request.limit
    )


def shown_words(query: ListQuery) -> ListQuery:
    """The query with the words the list shows now (kinds, "Untitled"), so SQL sorts by them."""
    labels = tuple((kind, _(label)) for kind, label in KIND_SHORT.items())
    return replace(query, kind_labels=labels, untitled=_("Untitled"))


class EntryPagesModel(QAbstractTableModel):
    """The rows read so far: when, kind, title (or its first words), tags, mood, shared."""

    sort_changed = Signal()

    def __init__(self, ask: Callable[[PageRequest], object] | None = None, parent: Any = None):
        super().__init__(parent)
        self.ask = ask  # runs a read for ``fetchMore``; its page comes back to ``add_page``
        self.page_rows = PAGE_ROWS
        self.query = ListQuery()
        self.generation = 0
        self.shown = 0  # how many the filters let through (the list's length once all read)
        self.total = 0
        self._rows: list[EntrySummary] = []
        self._texts: dict[str, tuple[str, ...]] = {}  # what each row read so far shows
        self._last: PageKey | None = None
        self._asking = False

    # --- reading ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    @property
    def entries(self) -> Sequence[EntrySummary]:
        return self._rows

    def row_of(self, entry_id: str) -> int | None:
        return next((n for n, e in enumerate(self._rows) if e.id == entry_id), None)

    def entry_id(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(e.id)
            if texts is None:  # each row's words once, not on every paint (dates go via Babel)
                texts = self._texts[e.id] = tuple(_display(e, c) for c in range(len(HEADERS)))
            return texts[column] if 0 <= column < len(texts) else ""
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

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return None

    # --- paging -------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index) -> bool:
        return (
            not parent.isValid()
            and self.ask is not None
            and not self._asking
            and self._last is not None
            and len(self._rows) < self.shown
        )

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self.ask is None:
            return
        self._asking = True
        self.ask(PageRequest(self.generation, self.query, self._last, self.page_rows))

    def add_page(self, generation: int, page: EntryPage | None) -> bool:
        """A page read by ``fetchMore``; False (dropped) if the list changed since it was asked.
        None: the read failed, and the list ends where it is (no asking again in a loop)."""
        if generation != self.generation or not self._asking:
            return False
        self._asking = False
        if page is None:
            self.shown = len(self._rows)
            return True
        if len(page.entries) < self.page_rows:
            self.shown = len(self._rows) + len(page.entries)  # the end (fewer than counted)
        if page.entries:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
            self._rows.extend(page.entries)
            self._last = page.last
            self.endInsertRows()
        return True

    def restart(self, query: ListQuery, *, keep: bool = False) -> PageRequest:
        """A new list (other filters or order, or a reload): pages of the old one are dropped
        from now on. Returns the first screen to read; ``keep``: as many rows as are read now."""
        self.generation += 1
        self._asking = False
        self.query = query
        limit = max(self.page_rows, len(self._rows)) if keep else self.page_rows
        return PageRequest(self.generation, query, None, limit)

    def set_first(self, request: PageRequest, first: FirstScreen) -> bool:
        """The first screen of the current generation (False: an older one, dropped)."""
        if request.generation != self.generation:
            return False
        self.beginResetModel()
        self._rows = list(first.page.entries)
        self._texts = {}
        self._last = first.page.last
        self.query = first.query
        self.shown, self.total = first.shown, first.total
        if len(self._rows) < request.limit:
            self.shown = len(self._rows)  # all of them (fewer than counted if some just went)
        self.endResetModel()
        return True

    def clear(self) -> None:
        self.generation += 1
        self.beginResetModel()
        self._rows, self._last, self._asking, self._texts = [], None, False, {}
        self.shown = self.total = 0
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: the order is SQL's, so the page reads the list again."""
        if column not in SORTS:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (SORTS[column], descending) != (self.query.sort, self.query.descending):
            self.query = replace(self.query, sort=SORTS[column], descending=descending)
            self.sort_changed.emit()


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
