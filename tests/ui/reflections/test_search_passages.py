"""Search results on the Reflections page: the first screens come with their matching
passages, and the rest of the hundred follow right after, in the same ranked order."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.journal import MARK_START
from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.services.search import FIRST_PASSAGES
from tests.support.gui import WindowFactory
from tests.support.steps import open_window, prepare_vault, show
from tests.support.vault import PASSPHRASE


def test_every_hit_gets_its_passage_in_rank_order(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    count = FIRST_PASSAGES + 6
    start = manual_clock.now() - timedelta(days=count)
    services.vault.unlock(PASSPHRASE)
    services.journal.create_many(
        [
            (EntryInput(title=f"Day {n}", body=f"Opening words. Later a heron {n}. " * 3), start)
            for n in range(count)
        ]
    )
    services.vault.lock()
    _window, shell = open_window(qtbot, make_window)
    show(shell, "Reflections")
    page = shell.review.reflections
    qtbot.waitUntil(lambda: page.model.rowCount() == count, timeout=10_000)
    qtbot.keyClicks(page.listing.search, "heron")
    page.run_search()
    model = page.hits_model
    qtbot.waitUntil(lambda: model.rowCount() == count, timeout=10_000)
    ranked = [model.hit_at(n).entry_id for n in range(count)]
    qtbot.waitUntil(lambda: all(model.hit_at(n).has_passage for n in range(count)), timeout=10_000)
    assert [model.hit_at(n).entry_id for n in range(count)] == ranked
    for n in range(count):
        snippet = model.hit_at(n).snippet
        assert MARK_START in snippet and "heron" in snippet, n
