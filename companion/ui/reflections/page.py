"""The Reflections page: every entry, newest first, with filters, a search over everything
written, and one entry opened in full beside its session's facts.

The timeline is a ``QTableView`` on ``EntryPagesModel``: pages of rows read as they are
scrolled to, filtered and sorted in SQL (``pages.py``); search results (ranked by the service,
matching words highlighted) are a ``QListView`` on ``HitsModel``. Loading and searching run on
the database worker; a search typed while another is running replaces it (results of older
queries are dropped), and pages of a list that has since changed are dropped the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QStackedWidget, QVBoxLayout, QWidget

from companion.domain.journal import parse_query
from companion.domain.localtime import local_date, local_days
from companion.errors import CompanionError
from companion.i18n import _, format_number, n_
from companion.settings import TEXT_SCALE, THEME
from companion.ui.common.demo import DemoLauncher, SampleDataOffer
from companion.ui.common.flow import settle_layouts
from companion.ui.common.style import mark_colours, review_stylesheet
from companion.ui.context import UiContext
from companion.ui.journal.dialogs import ConfirmDeleteDialog
from companion.ui.journal.revisions import RevisionsDialog
from companion.ui.reflections.delegate import HitDelegate
from companion.ui.reflections.entry_actions import EntryActions
from companion.ui.reflections.listing import (
    SEARCH_DELAY_MS,
    SEARCH_LIMIT,
    ReflectionsList,
    fetch_tags,
    search_first,
)
from companion.ui.reflections.model import WHEN, HitsModel
from companion.ui.reflections.pages import (
    CHUNK_ROWS,
    EntryPagesModel,
    FirstScreen,
    PageRequest,
    read_first,
    read_next,
    shown_words,
)
from companion.ui.reflections.viewer import EntryView
from companion.ui.tasks import Change, Changed
from companion.ui.theme import palette_for, with_text_size

if TYPE_CHECKING:
    from companion.services.entry_pages import EntryPage
    from companion.services.search import EntryFilters, Hit


class ReflectionsPage(EntryActions):
    """The Reflections navigation page."""

    write_requested = Signal()

    def __init__(
        self,
        ctx: UiContext,
        launcher: DemoLauncher | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setAccessibleName(_("Reflections"))
        self.model = EntryPagesModel(self._ask_page, self)
        self.hits_model = HitsModel(self)
        self.listing = ReflectionsList()
        lst = self.listing
        lst.table.setModel(self.model)
        lst.table.horizontalHeader().setSortIndicator(WHEN, Qt.SortOrder.DescendingOrder)
        lst.table.setSortingEnabled(True)  # a header click: model.sort, the list read again
        lst.size_views()  # the header can measure itself now that it has its titles
        self.model.sort_changed.connect(lambda: self._read(keep=False))
        self._place: tuple[str | None, int | None, int, int | None] | None = None
        self.model.settled.connect(self._restore_place)
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
        """Reads the list again (as far as it was scrolled) and the tags in use, on the worker;
        the chosen entry stays chosen, and the list where it was."""
        self._read(keep=True)
        self._ctx.tasks.run(
            fetch_tags, receiver=self, on_result=self._show_tags, on_error=self._show_error
        )

    refresh = load

    def _on_changed(self, changed: Changed) -> None:
        """Entries changed elsewhere (the Journal, an import). Not on sessions: the list shows
        entries only, and a session starting must not wait behind a re-read of the list."""
        if not changed.came_from(self) and changed.touches(Change.JOURNAL):
            self.load()

    def _read(self, *, keep: bool) -> None:
        """A new list (a reload, other filters or another order): its first screen, and the
        counts. ``keep``: down to the last row on screen or chosen, to come back to the same
        place (rows further down are read again when scrolled to)."""
        table = self.listing.table
        bottom = table.rowAt(table.viewport().height() - 1)
        last = max(bottom if bottom >= 0 else self.model.rowCount() - 1, table.currentIndex().row())
        query = replace(self.model.query, filters=self.filters())  # a chunk more: new ones above
        request = self.model.restart(shown_words(query), keep=last + 1 + CHUNK_ROWS if keep else 0)
        self._ctx.tasks.run(
            lambda s: read_first(s, request),
            receiver=self,
            on_result=lambda first: self.show_first(request, first, keep=keep),
            on_error=self._show_error,
        )

    def _ask_page(self, request: PageRequest) -> None:
        """The model's ``fetchMore``: the next page, on the worker."""

        def failed(error: CompanionError) -> None:
            self.model.add_page(request.generation, None)  # the list ends here for now
            self._show_error(error)

        def arrived(page: EntryPage) -> None:
            if self.model.add_page(request.generation, page) and page.last is None:
                self._show_results()  # fewer than counted: some were deleted meanwhile

        self._ctx.tasks.run(
            lambda s: read_next(s, request), receiver=self, on_result=arrived, on_error=failed
        )

    def show_first(self, request: PageRequest, first: FirstScreen, *, keep: bool) -> None:
        """The first screen of a list; dropped if the list was asked again since. The chosen
        entry is chosen again once its rows are in (``_restore_place``)."""
        if request.generation != self.model.generation:
            return
        table = self.listing.table
        current = table.currentIndex()
        chosen = self.model.entry_id(current.row()) if current.isValid() else None
        row = current.row() if current.isValid() and keep else None
        scrolled = table.verticalScrollBar().value() if keep else None
        self._place = (chosen, row, max(0, current.column()), scrolled)
        self.model.set_first(request, first)
        self.listing.error.hide()
        self.loaded = True
        self._show_results()
        if keep and self._searched:  # a reload: the results may differ too (a filter searches)
            self.run_search()

    def _restore_place(self) -> None:
        """The chosen entry chosen again, or (on a reload, when it went) the one in its place;
        a reload also keeps the list scrolled where it was."""
        if self._place is None:
            return
        chosen, old_row, column, scrolled = self._place
        self._place = None
        table, model = self.listing.table, self.model
        row = model.row_of(chosen) if chosen else None
        if row is None and old_row is not None and model.rowCount():
            row = min(old_row, model.rowCount() - 1)
        if row is not None:
            table.setCurrentIndex(model.index(row, column))
        if scrolled is not None:
            table.verticalScrollBar().setValue(scrolled)

    def _show_tags(self, tags: list[str]) -> None:
        lst = self.listing
        current_tag = lst.tag.currentData()
        lst.tag.blockSignals(True)
        lst.tag.clear()
        lst.tag.addItem(_("All tags"), None)
        for name in tags:
            lst.tag.addItem(name, name)
        index = lst.tag.findData(current_tag) if current_tag else 0
        lst.tag.setCurrentIndex(max(0, index))
        lst.tag.blockSignals(False)
        if current_tag and index < 0:  # the chosen tag is no longer used: all tags again
            self._filters_changed()

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
        self._read(keep=False)

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
                self._fetch_passages(seq, query, [h.entry_id for h in hits if not h.has_passage])

        ctx.tasks.run(
            lambda s: search_first(s, query, filters),
            receiver=self,
            on_result=found,
            on_error=self._show_error,
        )

    def _fetch_passages(self, seq: int, query: str, entry_ids: list[str]) -> None:
        """The matching passages of the hits below the first screens, right after."""
        if not entry_ids:
            return

        def found(passages: dict[str, str]) -> None:
            if seq == self._search_seq:
                self.hits_model.set_passages(passages)

        self._ctx.tasks.run(
            lambda s: s.search.passages(query, entry_ids),
            receiver=self,
            on_result=found,
            on_error=self._show_error,
        )

    @property
    def searching(self) -> bool:
        return bool(self._searched)

    def _show_results(self) -> None:
        lst = self.listing
        total = self.model.total
        before = (lst.results.currentWidget(), lst.count.text())
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
            shown = self.model.shown
            lst.count.setText(
                n_("{shown} of {n} entry", "{shown} of {n} entries", total).format(
                    shown=format_number(shown)
                )
                if self.model.query.filters.narrows
                else n_("{n} entry", "{n} entries", total)
            )
        self._update_open()
        if (lst.results.currentWidget(), lst.count.text()) != before:  # else nothing moved
            settle_layouts()

    def _current_view(self) -> QAbstractItemView | None:
        current = self.listing.results.currentWidget()
        return current if isinstance(current, QAbstractItemView) else None

    def _update_open(self) -> None:
        view = self._current_view()
        self.listing.open_button.setEnabled(view is not None and view.currentIndex().isValid())

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
