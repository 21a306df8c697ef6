"""The widths of the Reflections table's columns, measured from what they can show.

A width in average characters cut the dates short at 100 % ("Tue, Dec 1,…") and the "Mood"
header; a language with longer month or kind names would be cut elsewhere. Each short column
is as wide as the widest thing it can hold in the language shown: a date of every month and
weekday, every kind, a mood of 10, both sharing words, and its own header with the sort mark.
The title takes what is left; the tags get a fixed share and are shortened with an ellipsis.
When the table is too narrow to leave the title room (200 % text on a small screen), the least
needed columns step aside in turn (tags, mood, kind; the sharing last, since it says what
leaves), rather than the title shrinking to an ellipsis; the entry's page shows them all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from companion.i18n import _, current_language
from companion.ui.common.render import local_day
from companion.ui.common.style import cell_padding
from companion.ui.reflections.model import (
    HEADERS,
    KIND,
    KIND_SHORT,
    MOOD,
    SHARED,
    TAGS,
    TITLE,
    WHEN,
)

TAGS_CHARS = 11
TITLE_CHARS = 16  # the least the title keeps before other columns step aside
STEP_ASIDE = (TAGS, MOOD, KIND, SHARED)
SORT_MARK_EMS = 1.5  # the header's sort arrow and the space before it


@cache
def _dates(language: str) -> tuple[str, ...]:
    """One date of every month on every weekday, as the list shows it (``language`` keys the
    cache: the words change with it)."""
    del language
    first = datetime(2026, 1, 26, 12, tzinfo=UTC)  # the 26th to the 1st: two-digit days too
    days = (first.replace(month=m) + timedelta(days=d) for m in range(1, 13) for d in range(7))
    return tuple(local_day(day) for day in days)


def column_samples() -> dict[int, tuple[str, ...]]:
    """The texts each short column must show whole."""
    return {
        WHEN: _dates(current_language()),
        KIND: tuple(_(text) for text in KIND_SHORT.values()),
        MOOD: ("10",),
        SHARED: (_("Shared"), _("Private")),
    }


def _widest(metrics: QFontMetrics, texts: tuple[str, ...]) -> int:
    return max((metrics.horizontalAdvance(text) for text in texts), default=0)


def _header_width(table: QTableView, column: int) -> int:
    """The header's own measure (its padding, bold text and sort mark); before the table
    has a model, an estimate from the same parts."""
    header = table.horizontalHeader()
    if header.model() is not None:
        return header.sectionSizeHint(column)
    bold = QFont(header.font())
    bold.setWeight(QFont.Weight.DemiBold)  # the stylesheet's header weight (600)
    heads = QFontMetrics(bold)
    return heads.horizontalAdvance(_(HEADERS[column])) + round(SORT_MARK_EMS * heads.height()) * 2


def fit_columns(table: QTableView) -> dict[int, int]:
    """Sets the short columns to their measured widths and the tags to a fixed share, and
    returns them (the title stretches over the rest)."""
    header = table.horizontalHeader()
    cells = table.fontMetrics()
    font_px = table.font().pixelSize()
    # The cell's padding both sides (the stylesheet's), and about a character for the style's
    # own text margins, so the widest text is never shortened to an ellipsis.
    pad = 2 * cell_padding(font_px if font_px > 0 else cells.height()) + cells.averageCharWidth()
    widths: dict[int, int] = {}
    for column, texts in column_samples().items():
        width = max(_widest(cells, texts) + pad, _header_width(table, column))
        widths[column] = width
    widths[TAGS] = cells.averageCharWidth() * TAGS_CHARS + pad
    for column, width in widths.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
    return widths


def columns_to_hide(room: int, widths: dict[int, int], title_least: int) -> set[int]:
    """The columns that step aside, in ``STEP_ASIDE``'s order, so the title keeps
    ``title_least`` in a table ``room`` wide (the others as wide as ``widths``)."""
    hidden: set[int] = set()
    for column in STEP_ASIDE:
        shown = sum(width for c, width in widths.items() if c not in hidden)
        if room - shown >= title_least:
            break
        hidden.add(column)
    return hidden


class ColumnFitter(QObject):
    """Sizes the table's columns when its font changes and chooses the shown ones whenever
    its viewport is resized. A table not on screen is measured when it is next shown: while
    the page is built and styled its font changes several times (5 fits, ~10 ms)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._widths: dict[int, int] = {}
        self._stale = True
        table.viewport().installEventFilter(self)  # resized after the table itself

    def fit(self) -> None:
        if not self._table.isVisible():
            self._stale = True  # measured on the next Show
            return
        self._stale = False
        for column in STEP_ASIDE:  # measured shown: a hidden section keeps no width
            self._table.setColumnHidden(column, False)
        self._widths = fit_columns(self._table)
        self.reflow()

    def reflow(self) -> None:
        table = self._table
        least = table.fontMetrics().averageCharWidth() * TITLE_CHARS
        hidden = columns_to_hide(table.viewport().width(), self._widths, least)
        for column in STEP_ASIDE:
            if table.isColumnHidden(column) != (column in hidden):
                table.setColumnHidden(column, column in hidden)
                if column not in hidden:
                    table.setColumnWidth(column, self._widths[column])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._stale and kind in (QEvent.Type.Show, QEvent.Type.Resize):
            self.fit()
        elif kind == QEvent.Type.Resize:
            self.reflow()
        return False
