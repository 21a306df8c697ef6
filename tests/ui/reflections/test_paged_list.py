"""The Reflections page on a real vault of a few hundred entries, with small pages: only the rows
scrolled to are read (by scrolling and by the keyboard), and a reload after a change elsewhere
keeps the chosen entry chosen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.ui.main_window import MainWindow
from companion.ui.reflections import pages
from companion.ui.reflections.model import TITLE
from companion.ui.reflections.page import ReflectionsPage
from companion.ui.tasks import Change
from tests.support.gui import WindowFactory
from tests.support.steps import on_worker, open_window, settle, show
from tests.support.vault import PASSPHRASE

ENTRIES = 300
PAGE = 25
START = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def many_entries(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A vault of ENTRIES entries, one an hour; their ids newest first. Pages of PAGE rows."""
    monkeypatch.setattr(pages, "PAGE_ROWS", PAGE)
    monkeypatch.setattr(pages, "FIRST_ROWS", PAGE)
    monkeypatch.setattr(pages, "CHUNK_ROWS", 10)  # a page goes in over three turns
    services.vault.create(PASSPHRASE)
    made = services.journal.create_many(
        [(EntryInput(title=f"Entry {n}", body="words"), START + timedelta(hours=n))
         for n in range(ENTRIES)]
    )  # fmt: skip
    services.vault.lock()
    return made[::-1]


def reflections_shown(
    qtbot: QtBot, make_window: WindowFactory
) -> tuple[MainWindow, ReflectionsPage]:
    window, shell = open_window(qtbot, make_window)
    show(shell, "Reflections")
    page = shell.review.reflections
    qtbot.waitUntil(lambda: page.loaded and not page.model.filling, timeout=10_000)
    settle(qtbot, window)
    return window, page


def test_only_the_rows_scrolled_to_are_read(
    qtbot: QtBot, make_window: WindowFactory, many_entries: list[str]
) -> None:
    _window, page = reflections_shown(qtbot, make_window)
    table, model = page.listing.table, page.model
    assert model.rowCount() == PAGE  # one page read, though the vault holds 300
    assert page.listing.count.text() == "300 entries"
    table.setFocus()
    table.setCurrentIndex(model.index(0, TITLE))
    for pages_read in (2, 3):
        table.scrollToBottom()  # the last row read comes into view: the next page
        qtbot.waitUntil(lambda: model.rowCount() == pages_read * PAGE, timeout=10_000)  # noqa: B023
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.rowCount() == 4 * PAGE, timeout=10_000)
    assert table.currentIndex().row() == 3 * PAGE - 1  # the keyboard went to the last row read
    qtbot.wait(200)
    assert model.rowCount() == 4 * PAGE  # nothing more is read until it is scrolled to
    assert [e.id for e in model.entries] == many_entries[: 4 * PAGE]  # newest first, no gaps


def test_a_change_elsewhere_reloads_the_list_and_keeps_the_chosen_entry(
    qtbot: QtBot, make_window: WindowFactory, many_entries: list[str]
) -> None:
    window, page = reflections_shown(qtbot, make_window)
    table, model = page.listing.table, page.model
    table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PAGE, timeout=10_000)
    table.setCurrentIndex(model.index(PAGE + 5, TITLE))
    chosen = many_entries[PAGE + 5]
    tasks = page._ctx.tasks

    # Another page writes a newer entry: the list is read again, the chosen one stays chosen.
    tasks.run(
        lambda s: s.journal.create(EntryInput(title="Newest", body="words")),
        receiver=window,
        changes=frozenset({Change.JOURNAL}),
    )
    qtbot.waitUntil(
        lambda: model.entry_id(0) != many_entries[0] and not model.filling, timeout=10_000
    )
    assert model.rowCount() < ENTRIES  # down to the rows on screen (and a few), not all
    assert model.entry_id(table.currentIndex().row()) == chosen
    assert table.currentIndex().row() == PAGE + 6 and page.listing.open_button.isEnabled()
    assert page.listing.count.text() == "301 entries"

    # The chosen entry is deleted elsewhere: the one that took its place is chosen.
    tasks.run(
        lambda s: s.journal.delete(chosen), receiver=window, changes=frozenset({Change.JOURNAL})
    )
    qtbot.waitUntil(lambda: model.row_of(chosen) is None and not model.filling, timeout=10_000)
    assert model.entry_id(table.currentIndex().row()) == many_entries[PAGE + 6]
    assert on_worker(window, lambda s: len(s.search.list_entries())) == ENTRIES
