"""The Reflections models pass Qt's model tester, sort at the source, and filter by date range,
tag, kind and sharing; search results keep the service's ranking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from companion.services.search import EntrySummary, Hit
from companion.ui.common.render import marked_html
from companion.ui.reflections.model import (
    ENTRY_ID_ROLE,
    MOOD,
    TITLE,
    WHEN,
    EntryFilterProxy,
    EntryTableModel,
    HitsModel,
)

DAY0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def summary(
    n: int, kind: str, tags: tuple[str, ...], shared: bool, mood: int | None
) -> EntrySummary:
    when = DAY0 + timedelta(days=n)
    return EntrySummary(
        id=f"e{n}",
        created_at=when,
        updated_at=when,
        kind=kind,
        title="" if n == 3 else f"Entry {n}",
        tags=tags,
        shared=shared,
        mood=mood,
        session_id=None,
        word_count=10 * n,
        preview=f"first words of entry {n}",
    )


ENTRIES = [
    summary(5, "reflection", ("calm", "sea"), False, 7),
    summary(4, "integration", ("sleep",), True, None),
    summary(3, "free", (), False, 3),
    summary(2, "reflection", ("calm",), True, 5),
    summary(1, "free", ("sea",), False, 9),
]


@pytest.fixture
def proxy_tester(request: pytest.FixtureRequest) -> Iterator[ModelTester]:
    """A second tester: one ModelTester follows one model's signals."""
    tester = ModelTester(request.config)
    yield tester
    tester._cleanup()


def test_the_timeline_model_and_its_proxy_pass_the_model_tester(
    qtmodeltester: ModelTester, proxy_tester: ModelTester
) -> None:
    model = EntryTableModel()
    model.set_entries(ENTRIES)
    proxy = EntryFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(model, force_py=True)
    proxy_tester.check(proxy, force_py=True)
    persistent = QPersistentModelIndex(model.index(4, TITLE))  # "Entry 1"
    proxy.sort(MOOD, Qt.SortOrder.DescendingOrder)
    assert [model.entry_at(r).id for r in range(5)] == ["e1", "e5", "e2", "e3", "e4"]
    assert persistent.row() == 0 and persistent.data() == "Entry 1"
    proxy.set_filters(tag="Calm")
    assert [proxy.entry_id(r) for r in range(proxy.rowCount())] == ["e5", "e2"]
    proxy.sort(WHEN, Qt.SortOrder.DescendingOrder)
    assert model.index(2, TITLE).data() == "first words of entry 3"  # untitled: its first words
    assert model.index(2, TITLE).data(Qt.ItemDataRole.FontRole).italic()


def test_the_proxy_filters_by_kind_sharing_and_dates() -> None:
    model = EntryTableModel()
    model.set_entries(ENTRIES)
    proxy = EntryFilterProxy()
    proxy.setSourceModel(model)

    def ids() -> list[str]:
        return [str(proxy.index(r, 0).data(ENTRY_ID_ROLE)) for r in range(proxy.rowCount())]

    proxy.set_filters(kind="reflection")
    assert ids() == ["e5", "e2"]
    proxy.set_filters(shared=True)
    assert ids() == ["e4", "e2"]
    proxy.set_filters(shared=False, kind="free")
    assert ids() == ["e3", "e1"]
    proxy.set_filters(start=DAY0 + timedelta(days=2), end=DAY0 + timedelta(days=4))
    assert ids() == ["e3", "e2"]  # start inclusive, end exclusive
    proxy.set_filters()
    assert not proxy.active and len(ids()) == 5


def test_search_results_keep_their_rank_and_mark_matches_safely(
    qtmodeltester: ModelTester,
) -> None:
    hits = [
        Hit("e2", DAY0, "free", "Tide", "\x02Tide\x03", "the \x02tide\x03 came <in>", -3.0,
            None, False),
        Hit("e1", DAY0, "free", "", "", "low \x02tide\x03 & stars", -1.0, None, True),
    ]  # fmt: skip
    model = HitsModel()
    qtmodeltester.check(model, force_py=True)
    model.set_hits(hits, ("tide",))
    assert [model.index(r).data(ENTRY_ID_ROLE) for r in range(2)] == ["e2", "e1"]
    assert model.index(0).data() == "Tide. Mon, Jan 5, 2026, Free writing. the tide came <in>"
    html = marked_html(hits[0].snippet, "#ff0", "#000")
    assert html == (
        'the <span style="background-color:#ff0; color:#000; font-weight:600">tide</span> '
        "came &lt;in&gt;"
    )
