"""The list half of the Reflections page: search, filters, the timeline or the results, and
what the page asks the worker for besides the pages (``fetch_tags``, ``search_first``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from companion.domain.journal import EntryKind
from companion.i18n import N_, _
from companion.ui.common.flow import FlowLayout
from companion.ui.reflections.columns import ColumnFitter
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.fits_text import looks_changed
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import char_width, label, primary_button, title

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.search import EntryFilters, Hit

SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 100
TABLE_ROWS = 12
RANGES = (
    (N_("Any time"), None),
    (N_("Last 7 days"), 7),
    (N_("Last 30 days"), 30),
    (N_("Last 3 months"), 91),
    (N_("Last 12 months"), 365),
    (N_("Choose dates…"), -1),
)
EMPTY = N_(
    "Nothing written yet. Your reflections after each session, next-day check-ins and free "
    "writing will appear here, newest first."
)


def fetch_tags(services: Services) -> list[str]:
    """The tags in use, most used first, for the tag filter."""
    return [t.name for t in services.journal.tags()]


def search_first(services: Services, query: str, filters: EntryFilters) -> list[Hit]:
    """The page's search: the best ``SEARCH_LIMIT``, passages for the first screens only."""
    from companion.services.search import FIRST_PASSAGES

    return services.search.search(query, SEARCH_LIMIT, filters, FIRST_PASSAGES)


class ReflectionsList(ScrollPage):
    """The list half of the page: search, filters, the timeline or the results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(characters=110, parent=parent)
        col = self.column
        col.addWidget(title(_("Reflections")))
        col.addWidget(
            label(
                _(
                    "Everything you wrote, newest first. Search for any word, or narrow the list "
                    "down by date, tag, kind or sharing."
                ),
                "muted",
            )
        )
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Search titles, answers, writing and tags"))
        self.search_field = FormField(
            _("Search"), self.search, accessible_name=_("Search your journal")
        )
        col.addWidget(self.search_field)

        self._build_filters(col)
        self._build_results(col)
        self.size_views()

    def _build_filters(self, col: QVBoxLayout) -> None:
        """Kind, tag, sharing and date range, in a row that wraps."""
        self.kind = QComboBox()
        self.kind.addItem(_("All kinds"), None)
        for k in EntryKind:
            self.kind.addItem(k.label, k.value)
        self.tag = QComboBox()
        self.tag.addItem(_("All tags"), None)
        self.shared = QComboBox()
        self.shared.addItem(_("Shared and private"), None)
        self.shared.addItem(_("Shared with my provider"), True)
        self.shared.addItem(_("Private only"), False)
        self.when = QComboBox()
        for text, days in RANGES:
            self.when.addItem(_(text), days)
        self.start_date = QDateEdit()
        self.end_date = QDateEdit()
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        filters = QWidget()
        flow = FlowLayout(filters)
        self.filter_fields = [
            FormField(_("Kind"), self.kind, accessible_name=_("Filter by kind")),
            FormField(_("Tag"), self.tag, accessible_name=_("Filter by tag")),
            FormField(_("Sharing"), self.shared, accessible_name=_("Filter by sharing")),
            FormField(_("When"), self.when, accessible_name=_("Filter by date")),
            FormField(_("From"), self.start_date, accessible_name=_("From date")),
            FormField(_("To"), self.end_date, accessible_name=_("To date")),
        ]
        for f in self.filter_fields:
            if isinstance(f.control, QComboBox):  # whole choices: the row wraps instead
                f.control.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            flow.addWidget(f)
        self.filter_fields[4].hide()
        self.filter_fields[5].hide()
        col.addWidget(filters)

    def _build_results(self, col: QVBoxLayout) -> None:
        """The count, the timeline, the results, the empty state and the Open button."""
        self.count: QLabel = label("", "muted")
        col.addWidget(self.count)
        self.results = QStackedWidget()
        self.table = QTableView()
        self.table.setAccessibleName(_("Your entries, newest first"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.columns = ColumnFitter(self.table)
        self.hits = QListView()
        self.hits.setAccessibleName(_("Search results, best match first"))
        self.hits.setUniformItemSizes(False)
        self.hits.setWordWrap(True)
        self.hits.setResizeMode(QListView.ResizeMode.Adjust)
        self.hits.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.hits.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.empty = QWidget()
        self.empty_layout = QVBoxLayout(self.empty)
        self.empty_layout.setContentsMargins(0, 0, 0, 0)
        nothing = Card(_("Nothing here yet"))
        self.empty_text: QLabel = label(_(EMPTY))
        nothing.body.addWidget(self.empty_text)
        self.write_button: QPushButton = primary_button(
            _("Write something now"), accessible_name=_("Write something now in the journal")
        )
        nothing.body.addWidget(self.write_button)
        self.empty_layout.addWidget(nothing)
        self.empty_layout.addStretch(1)
        for view in (self.table, self.hits, self.empty):
            self.results.addWidget(view)
        col.addWidget(self.results, 1)
        self.open_button: QPushButton = primary_button(
            _("Open"), accessible_name=_("Open the chosen entry")
        )
        self.open_button.setEnabled(False)
        col.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)

    def size_views(self) -> None:
        line = self.fontMetrics().height()
        row = round(line * 1.9)
        self.table.verticalHeader().setDefaultSectionSize(row)
        self.table.setMinimumHeight(row * TABLE_ROWS)
        self.hits.setMinimumHeight(row * TABLE_ROWS)
        self.table.horizontalHeader().setMinimumSectionSize(char_width(self) * 4)
        self.columns.fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if looks_changed(event):
            self.size_views()
