"""The Reflections timeline as a paged table: only the rows scrolled to are read.

``EntryPagesModel`` holds the rows read so far (``EntrySummary``, no bodies) and how many the
filters let through. Qt's views ask ``canFetchMore``/``fetchMore`` when the last row read comes
into view; the model then asks for the next page (``PAGE_ROWS`` rows after the last one, by
keyset: ``services.entry_pages``; a first screen is ``FIRST_ROWS``) through the ``ask``
callable the page gives it, which runs the read on the database worker. Filters and column
sorts are done in SQL: a change of either, a reload or a change broadcast starts a new
*generation*, and a page that was read for an older generation is dropped when it arrives,
so rows of two different lists never mix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from companion.i18n import _
from companion.services.entry_pages import EntryPage, EntryPages, ListQuery, PageKey, SortColumn
from companion.ui.common.render import local_day
from companion.ui.reflections.model import (
    ENTRY_ID_ROLE,
    HEADERS,
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
FIRST_ROWS = 50  # a first screen and some: every row read costs ~40 us of Python
CHUNK_ROWS = 25  # a screen of rows: the first goes in with the first screen
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


class EntryPagesModel(QStandardItemModel):
    """The rows read so far: when, kind, title (or its first words), tags, mood, shared.

    The rows' words live in Qt's own items, not behind a Python ``data()``: painting then never
    enters Python, so it never waits for the GIL while the worker is busy in Python (every
    ``data()`` call did, a switch interval each: the reload stall of issue 16)."""

    sort_changed = Signal()
    settled = Signal()  # every row read so far is in (they go in CHUNK_ROWS per event-loop turn)

    def __init__(self, ask: Callable[[PageRequest], object] | None = None, parent: Any = None):
        super().__init__(0, len(HEADERS), parent)
        self._waiting: list[EntrySummary] = []  # read, not in yet
        self._drain_timer = QTimer(self)
        self._drain_timer.setSingleShot(True)
        self._drain_timer.setInterval(0)
        self._drain_timer.timeout.connect(self._drain)
        self.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.ask = ask  # runs a read for ``fetchMore``; its page comes back to ``add_page``
        self.page_rows = PAGE_ROWS
        self.first_rows = FIRST_ROWS
        self.query = ListQuery()
        self.generation = 0
        self.shown = 0  # how many the filters let through (the list's length once all read)
        self.total = 0
        self._rows: list[EntrySummary] = []
        self._last: PageKey | None = None
        self._asking = False

    # --- reading ------------------------------------------------------------------------------
    @property
    def entries(self) -> Sequence[EntrySummary]:
        return self._rows

    @property
    def filling(self) -> bool:
        """Rows read are still going in (a chunk per event-loop turn)."""
        return bool(self._waiting)

    def row_of(self, entry_id: str) -> int | None:
        return next((n for n, e in enumerate(self._rows) if e.id == entry_id), None)

    def entry_id(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def _append(self, entries: Sequence[EntrySummary]) -> None:
        """Rows at the end, CHUNK_ROWS now and the rest on the next event-loop turns: making
        the items is Python work on the GUI thread, which a busy worker slows (the GIL)."""
        self._waiting.extend(entries)
        self._drain()

    def _drain(self) -> None:
        chunk, self._waiting = self._waiting[:CHUNK_ROWS], self._waiting[CHUNK_ROWS:]
        for e in chunk:
            self._rows.append(e)
            self.appendRow(_items(e))
        if self._waiting:
            self._drain_timer.start()
        else:
            self.settled.emit()

    # --- paging -------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index) -> bool:
        return (
            not parent.isValid()
            and self.ask is not None
            and not self._asking
            and not self._waiting
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
            self._last = page.last
            self._append(page.entries)
        return True

    def restart(self, query: ListQuery, *, keep: int = 0) -> PageRequest:
        """A new list (other filters or order, or a reload): pages of the old one are dropped
        from now on. Returns the first screen to read, at least ``keep`` rows."""
        self.generation += 1
        self._asking = False
        self.query = query
        limit = max(self.first_rows, keep)
        return PageRequest(self.generation, query, None, limit)

    def set_first(self, request: PageRequest, first: FirstScreen) -> bool:
        """The first screen of the current generation (False: an older one, dropped)."""
        if request.generation != self.generation:
            return False
        self._last = first.page.last
        self.query = first.query
        self.shown, self.total = first.shown, first.total
        if len(first.page.entries) < request.limit:
            self.shown = len(first.page.entries)  # all (fewer than counted if some just went)
        self._rows, self._waiting = [], []
        self.setRowCount(0)
        self._append(first.page.entries)
        return True

    def clear(self) -> None:
        self.generation += 1
        self._rows, self._waiting, self._last, self._asking = [], [], None, False
        self.shown = self.total = 0
        self.setRowCount(0)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: the order is SQL's, so the page reads the list again."""
        if column not in SORTS:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (SORTS[column], descending) != (self.query.sort, self.query.descending):
            self.query = replace(self.query, sort=SORTS[column], descending=descending)
            self.sort_changed.emit()


def _items(e: EntrySummary) -> list[QStandardItem]:
    """One row's items: what each column shows; the first holds the entry's id."""
    items = [QStandardItem(_display(e, column)) for column in range(len(HEADERS))]
    items[0].setData(e.id, ENTRY_ID_ROLE)  # the others: their row's first (siblingAtColumn)
    if e.preview:
        items[TITLE].setToolTip(e.preview)
    if not e.title:
        font = QFont()
        font.setItalic(True)
        items[TITLE].setFont(font)
    items[MOOD].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return items


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
