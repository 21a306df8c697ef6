"""The Reflections table's columns on a real vault: at 100 % every date, kind, mood and sharing
word and every header is shown whole (a width in average characters cut "Mon, Nov 30, 2026" and
"Mood" short); at 200 % on a laptop screen the title keeps room to be read, the least needed
columns stepping aside in order, and they come back at 100 %."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.ui.common.style import cell_padding
from companion.ui.main_window import MainWindow
from companion.ui.reflections.columns import STEP_ASIDE, TITLE_CHARS, columns_to_hide
from companion.ui.reflections.model import HEADERS, KIND, MOOD, SHARED, TAGS, TITLE, WHEN
from companion.ui.reflections.page import ReflectionsPage
from companion.ui.theme import apply_theme
from tests.support.gui import WindowFactory
from tests.support.screen import LAPTOP
from tests.support.steps import open_window, settle, show
from tests.support.vault import PASSPHRASE

# The widest dates and words the list shows in English: a long weekday and month name with a
# two-digit day, "Free writing", "Integration", a mood of 10, "Private".
WIDE = (
    (datetime(2026, 11, 30, 12, tzinfo=UTC), "free", 10, False),
    (datetime(2026, 9, 30, 12, tzinfo=UTC), "integration", 9, True),
    (datetime(2026, 2, 25, 12, tzinfo=UTC), "reflection", 8, False),
)


def wide_vault(services: Services) -> None:
    services.vault.create(PASSPHRASE)
    tags = ("calm", "sea", "family", "music")
    entries = [
        EntryInput(kind=kind, title=f"Entry {mood}", body="words", mood=mood, tags=tags,
                   shared_with_provider=shared)
        for _at, kind, mood, shared in WIDE
    ]  # fmt: skip
    services.journal.create_many(list(zip(entries, (w[0] for w in WIDE), strict=True)))
    services.vault.lock()


def reflections(qtbot: QtBot, make_window: WindowFactory) -> tuple[MainWindow, ReflectionsPage]:
    window, shell = open_window(qtbot, make_window, size=LAPTOP)
    show(shell, "Reflections")
    page = shell.review.reflections
    qtbot.waitUntil(lambda: page.model.rowCount() == len(WIDE), timeout=10_000)
    settle(qtbot, window)
    return window, page


def cut_short(table: QTableView) -> list[str]:
    """Every shown cell of a short column, and every shown header, too narrow for its text."""
    model, header = table.model(), table.horizontalHeader()
    metrics = table.fontMetrics()
    pad = 2 * cell_padding(table.font().pixelSize())
    shown = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    found = [
        f"header {HEADERS[c]}"
        for c in shown
        if c != TITLE and header.sectionSizeHint(c) > header.sectionSize(c)
    ]
    for row in range(model.rowCount()):
        for column in (c for c in (WHEN, KIND, MOOD, SHARED) if not table.isColumnHidden(c)):
            text = str(model.index(row, column).data() or "")
            if metrics.horizontalAdvance(text) + pad > table.columnWidth(column):
                found.append(f"{text!r} in {HEADERS[column]}")
    return found


def test_columns_show_their_words_whole_and_the_title_keeps_room_at_200_percent(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    themed_app: QApplication,
) -> None:
    wide_vault(services)
    window, page = reflections(qtbot, make_window)
    table = page.listing.table

    def least_title() -> int:
        return table.fontMetrics().averageCharWidth() * TITLE_CHARS

    assert not [c for c in range(6) if table.isColumnHidden(c)]  # 100 %: every column has room
    assert cut_short(table) == []
    assert table.columnWidth(TITLE) >= least_title()

    apply_theme(themed_app, "dark", 200)
    qtbot.waitUntil(lambda: any(table.isColumnHidden(c) for c in STEP_ASIDE), timeout=5000)
    settle(qtbot, window)
    hidden = {c for c in range(6) if table.isColumnHidden(c)}
    assert hidden == set(STEP_ASIDE[: len(hidden)])  # tags first, in order
    assert not table.isColumnHidden(WHEN) and not table.isColumnHidden(TITLE)
    assert table.columnWidth(TITLE) >= least_title()
    assert cut_short(table) == []
    assert table.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways to

    apply_theme(themed_app, "dark", 100)  # back to 100 %: every column is back, whole
    qtbot.waitUntil(lambda: not [c for c in range(6) if table.isColumnHidden(c)], timeout=5000)
    assert table.columnWidth(TAGS) > 0
    assert cut_short(table) == []


def test_columns_step_aside_tags_first_and_sharing_last() -> None:
    widths = {WHEN: 100, KIND: 50, TAGS: 60, MOOD: 30, SHARED: 40}
    assert columns_to_hide(500, widths, 100) == set()
    assert columns_to_hide(340, widths, 100) == {TAGS}
    assert columns_to_hide(300, widths, 100) == {TAGS, MOOD}
    assert columns_to_hide(250, widths, 100) == {TAGS, MOOD, KIND}
    assert columns_to_hide(100, widths, 100) == {TAGS, MOOD, KIND, SHARED}
