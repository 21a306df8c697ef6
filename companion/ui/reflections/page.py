"""The Reflections page: every entry, newest first, with filters, a search over everything
written, and one entry opened in full beside its session's facts.

The timeline is a ``QTableView`` on ``EntryTableModel`` through ``EntryFilterProxy``; search
results (ranked by the service, matching words highlighted) are a ``QListView`` on
``HitsModel``. Loading and searching run on the database worker; a search typed while another
is running replaces it (results of older queries are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QModelIndex, Qt, QTimer, Signal
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

from companion.domain.journal import EntryKind, parse_query
from companion.domain.localtime import local_date, local_days
from companion.errors import CompanionError
from companion.i18n import N_, _, format_number, n_
from companion.settings import TEXT_SCALE, THEME
from companion.ui.common.demo import DemoLauncher, SampleDataOffer
from companion.ui.common.flow import FlowLayout, settle_layouts
from companion.ui.common.style import mark_colours, review_stylesheet
from companion.ui.context import UiContext
from companion.ui.journal.dialogs import (
    ConfirmDeleteDialog,
    RevisionsDialog,
    restored_message,
)
from companion.ui.reflections.delegate import HitDelegate
from companion.ui.reflections.model import (
    ENTRY_ID_ROLE,
    KIND,
    MOOD,
    SHARED,
    TAGS,
    TITLE,
    WHEN,
    EntryFilterProxy,
    EntryTableModel,
    HitsModel,
)
from companion.ui.reflections.viewer import EntryView, Opened, fetch_opened
from companion.ui.tasks import Change, Changed
from companion.ui.theme import palette_for, with_text_size
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import char_width, label, primary_button, title

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.journal import Restored, Revision
    from companion.services.search import EntryFilters, EntrySummary, Hit

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


@dataclass(frozen=True, slots=True)
class Listing:
    entries: list[EntrySummary]
    tags: list[str]


def fetch_listing(services: Services) -> Listing:
    return Listing(services.search.list_entries(), [t.name for t in services.journal.tags()])


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
        self._size_views()

    def _size_views(self) -> None:
        line = self.fontMetrics().height()
        row = round(line * 1.9)
        self.table.verticalHeader().setDefaultSectionSize(row)
        self.table.setMinimumHeight(row * TABLE_ROWS)
        self.hits.setMinimumHeight(row * TABLE_ROWS)
        em = char_width(self)
        header = self.table.horizontalHeader()
        widths = {WHEN: 15, KIND: 13, TAGS: 18, MOOD: 6, SHARED: 9}
        for column, chars in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, em * chars)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(em * 4)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._size_views()


class ReflectionsPage(QWidget):
    """The Reflections navigation page."""

    edit_requested = Signal(str)
    write_requested = Signal()
    entry_deleted = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        launcher: DemoLauncher | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setAccessibleName(_("Reflections"))
        self.model = EntryTableModel(self)
        self.proxy = EntryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.hits_model = HitsModel(self)
        self.listing = ReflectionsList()
        lst = self.listing
        lst.table.setModel(self.proxy)
        lst.table.setSortingEnabled(True)
        lst.table.horizontalHeader().setSortIndicator(WHEN, Qt.SortOrder.DescendingOrder)
        lst.hits.setModel(self.hits_model)
        self.delegate = HitDelegate(self._hit_colours(), lst.hits)
        lst.hits.setItemDelegate(self.delegate)
        self.stack = QStackedWidget()
        self.stack.addWidget(lst)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.view: EntryView | None = None
        self.dialog: ConfirmDeleteDialog | RevisionsDialog | None = None
        self.loaded = False
        self._search_seq = 0
        self._searched = ""
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.run_search)
        lst.search.textChanged.connect(self._on_search_text)
        lst.search.returnPressed.connect(self.run_search)
        for box in (lst.kind, lst.tag, lst.shared, lst.when):
            box.currentIndexChanged.connect(self._filters_changed)
        lst.start_date.dateChanged.connect(self._filters_changed)
        lst.end_date.dateChanged.connect(self._filters_changed)
        lst.table.activated.connect(self._open_index)
        lst.hits.activated.connect(self._open_index)
        lst.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_open())
        lst.hits.selectionModel().currentRowChanged.connect(lambda *_: self._update_open())
        lst.open_button.clicked.connect(self._open_current)
        lst.write_button.clicked.connect(self.write_requested)
        self.offer: SampleDataOffer | None = None
        if launcher is not None:
            self.offer = SampleDataOffer(launcher)
            lst.empty_layout.insertWidget(1, self.offer)
        self.apply_style()
        ctx.tasks.changed.connect(self._on_changed)
        self._show_results()

    def apply_style(self) -> None:
        self.setStyleSheet(with_text_size(self.own_style()))
        self.restyled()

    def own_style(self) -> str:
        settings = self._ctx.settings
        return review_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE))

    def restyled(self) -> None:
        self.delegate.colours = self._hit_colours()
        self.listing.hits.viewport().update()

    def _hit_colours(self) -> tuple[str, str, str]:
        theme = self._ctx.settings.get(THEME)
        bg, fg = mark_colours(theme)
        return bg, fg, palette_for(theme).muted

    # --- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """Fetches every entry's summary (no bodies) on the worker."""
        ctx = self._ctx
        ctx.tasks.run(
            fetch_listing,
            receiver=self,
            on_result=self.show_listing,
            on_error=self._show_error,
        )

    refresh = load

    def _on_changed(self, changed: Changed) -> None:
        """Entries changed elsewhere (the Journal, an import). Not on sessions: the list shows
        entries only, and a session starting must not wait behind a re-read of the list."""
        if not changed.came_from(self) and changed.touches(Change.JOURNAL):
            self.load()

    def show_listing(self, listing: Listing) -> None:
        lst = self.listing
        lst.error.hide()
        current_tag = lst.tag.currentData()
        lst.tag.blockSignals(True)
        lst.tag.clear()
        lst.tag.addItem(_("All tags"), None)
        for name in listing.tags:
            lst.tag.addItem(name, name)
        index = lst.tag.findData(current_tag) if current_tag else 0
        lst.tag.setCurrentIndex(max(0, index))
        lst.tag.blockSignals(False)
        header = lst.table.horizontalHeader()
        f = self.filters()
        # The filters are set without a pass over the old rows: the reset filters the new ones.
        self.proxy.set_filters(
            start=f.start, end=f.end, tag=f.tag, kind=f.kind, shared=f.shared, refilter=False
        )
        self.model.set_entries(listing.entries)
        if header.sortIndicatorSection() != WHEN or (
            header.sortIndicatorOrder() != Qt.SortOrder.DescendingOrder
        ):
            self.proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.loaded = True
        self._show_results()
        if self._searched:
            self.run_search()

    def _show_error(self, error: CompanionError) -> None:
        self.listing.error.setText(str(error))
        self.listing.error.show()

    # --- filters and search -------------------------------------------------------------------
    def _range(self) -> tuple[datetime | None, datetime | None]:
        lst = self.listing
        days = lst.when.currentData()
        custom = days == -1
        lst.filter_fields[4].setVisible(custom)
        lst.filter_fields[5].setVisible(custom)
        if days is None:
            return None, None
        now = self._ctx.clock.now()
        if custom:
            first: date = lst.start_date.date().toPython()  # type: ignore[assignment]
            last: date = lst.end_date.date().toPython()  # type: ignore[assignment]
            return local_days(first, last)  # each end with its own day's offset (DST)
        return now - timedelta(days=int(days)), None

    def filters(self) -> EntryFilters:
        from companion.services.search import EntryFilters

        lst = self.listing
        start, end = self._range()
        return EntryFilters(
            start=start,
            end=end,
            tag=lst.tag.currentData(),
            kind=lst.kind.currentData(),
            shared=lst.shared.currentData(),
        )

    def _filters_changed(self) -> None:
        lst = self.listing
        if lst.when.currentData() == -1 and not lst.filter_fields[4].isVisible():
            today = local_date(self._ctx.clock.now())
            for edit, day in ((lst.start_date, today - timedelta(days=30)), (lst.end_date, today)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self._apply_filters()
        if self._searched:
            self.run_search()

    def _apply_filters(self) -> None:
        f = self.filters()
        self.proxy.set_filters(start=f.start, end=f.end, tag=f.tag, kind=f.kind, shared=f.shared)
        self._show_results()

    def _on_search_text(self, text: str) -> None:
        if text.strip():
            self.search_timer.start()
        else:
            self.search_timer.stop()
            self._search_seq += 1
            self._searched = ""
            self.hits_model.clear()
            self._show_results()

    def run_search(self) -> None:
        """Searches now for what is in the box (the timer calls this after a pause)."""
        self.search_timer.stop()
        query = self.listing.search.text().strip()
        if not query:
            return
        self._search_seq += 1
        seq, ctx, filters = self._search_seq, self._ctx, self.filters()
        terms = parse_query(query).terms
        self._searched = query

        def found(hits: list[Hit]) -> None:
            if seq == self._search_seq:
                self.hits_model.set_hits(hits, terms)
                self._show_results()

        ctx.tasks.run(
            lambda s: s.search.search(query, SEARCH_LIMIT, filters),
            receiver=self,
            on_result=found,
            on_error=self._show_error,
        )

    @property
    def searching(self) -> bool:
        return bool(self._searched)

    def _show_results(self) -> None:
        lst = self.listing
        total = self.model.rowCount()
        if self.searching:
            n = self.hits_model.rowCount()
            lst.results.setCurrentWidget(lst.hits)
            if n == 0:
                lst.count.setText(_("Nothing matches “{words}”.").format(words=self._searched))
            elif n >= SEARCH_LIMIT:
                lst.count.setText(
                    _("The best {count} matches for “{words}”, best first.").format(
                        count=n, words=self._searched
                    )
                )
            else:
                lst.count.setText(
                    n_(
                        "{n} match for “{words}”, best first.",
                        "{n} matches for “{words}”, best first.",
                        n,
                    ).format(words=self._searched)
                )
        elif self.loaded and total == 0:
            lst.results.setCurrentWidget(lst.empty)
            lst.count.setText("")
        else:
            lst.results.setCurrentWidget(lst.table)
            shown = self.proxy.rowCount()
            lst.count.setText(
                n_("{shown} of {n} entry", "{shown} of {n} entries", total).format(
                    shown=format_number(shown)
                )
                if self.proxy.active
                else n_("{n} entry", "{n} entries", total)
            )
        self._update_open()
        settle_layouts()

    def _current_view(self) -> QAbstractItemView | None:
        current = self.listing.results.currentWidget()
        return current if isinstance(current, QAbstractItemView) else None

    def _update_open(self) -> None:
        view = self._current_view()
        self.listing.open_button.setEnabled(view is not None and view.currentIndex().isValid())

    # --- opening ------------------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        entry_id = index.data(ENTRY_ID_ROLE)
        if isinstance(entry_id, str):
            terms = self.hits_model.terms if index.model() is self.hits_model else ()
            self.open_entry(entry_id, terms)

    def _open_current(self) -> None:
        view = self._current_view()
        if view is not None and view.currentIndex().isValid():
            self._open_index(view.currentIndex())

    def open_entry(self, entry_id: str, terms: tuple[str, ...] = ()) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: fetch_opened(s, entry_id),
            receiver=self,
            on_result=lambda opened: self._show_entry(opened, terms),
            on_error=self._show_error,
        )

    def _show_entry(self, opened: Opened, terms: tuple[str, ...]) -> None:
        self._close_view()
        view = EntryView(
            self._ctx, opened, terms=terms, marks=mark_colours(self._ctx.settings.get(THEME))
        )
        view.back_requested.connect(self.back_to_list)
        view.edit_requested.connect(self.edit_requested)
        view.delete_requested.connect(self.confirm_delete)
        view.revisions_requested.connect(self.show_revisions)
        entry_id = opened.entry.id
        view.restored.undo_requested.connect(
            lambda rid: self.restore_version(entry_id, rid, undoing=True)
        )
        view.sharing_changed.connect(lambda *_: self.load())
        self.view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        view.back_button.setFocus()

    def back_to_list(self) -> None:
        self._close_view()
        self.stack.setCurrentWidget(self.listing)
        view = self._current_view()
        (view or self.listing.search).setFocus()

    def _close_view(self) -> None:
        if self.view is not None:
            self.view.clear()
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None

    def confirm_delete(self, entry_id: str) -> None:
        heading = self.view.heading.text() if self.view is not None else ""
        dialog = ConfirmDeleteDialog(heading, self)
        dialog.confirmed.connect(lambda: self._delete(entry_id))
        self.dialog = dialog
        dialog.open()

    def _delete(self, entry_id: str) -> None:
        ctx = self._ctx

        def done(_r: object) -> None:
            self.back_to_list()
            self.load()
            self.entry_deleted.emit(entry_id)

        ctx.tasks.run(
            lambda s: s.journal.delete(entry_id),
            receiver=self,
            on_result=done,
            on_error=self._show_error,
            changes=frozenset({Change.JOURNAL, Change.DRAFTS}),
        )

    def show_revisions(self, entry_id: str) -> None:
        ctx = self._ctx

        def shown(revisions: list[Revision]) -> None:
            dialog = RevisionsDialog(revisions, self)
            dialog.restore_requested.connect(lambda rid: self.restore_version(entry_id, rid))
            self.dialog = dialog
            dialog.open()

        ctx.tasks.run(
            lambda s: s.journal.revisions(entry_id),
            receiver=self,
            on_result=shown,
            on_error=self._show_error,
        )

    def restore_version(self, entry_id: str, revision_id: str, *, undoing: bool = False) -> None:
        """Brings back an earlier version (the words it replaces are kept as one more), then
        shows the entry again with a notice and an undo."""
        ctx = self._ctx

        def work(services: Services) -> tuple[Restored, Opened]:
            restored = services.journal.restore(entry_id, revision_id)
            return restored, fetch_opened(services, entry_id)

        def done(result: tuple[Restored, Opened]) -> None:
            restored, opened = result
            if self.dialog is not None:
                self.dialog.close()
                self.dialog = None
            self._show_entry(opened, ())
            if self.view is not None:
                self.view.restored.show_restored(
                    restored_message(
                        restored.version_of, undone=undoing, draft_kept=restored.draft_kept
                    ),
                    None if undoing else restored.undo_revision_id,
                )
            self.load()

        def failed(error: CompanionError) -> None:
            if isinstance(self.dialog, RevisionsDialog):
                self.dialog.show_problem(str(error))
            elif self.view is not None:
                self.view.restored.show_restored(str(error), None)

        changes = frozenset({Change.JOURNAL, Change.DRAFTS})
        ctx.tasks.run(work, receiver=self, on_result=done, on_error=failed, changes=changes)

    # --- locking ------------------------------------------------------------------------------
    def clear(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        self._close_view()
        self.search_timer.stop()
        self._search_seq += 1
        self._searched = ""
        self.listing.search.clear()
        self.model.clear()
        self.hits_model.clear()
        self.listing.tag.clear()
        self.loaded = False
        self.stack.setCurrentWidget(self.listing)
