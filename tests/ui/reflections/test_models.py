"""The Reflections models pass Qt's model tester, sort and filter by date range, tag, kind and
sharing (in SQL, on a real vault), read a page at a time, and drop a page of a list that has
changed since it was asked; search results keep the service's ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from companion.services.container import Services
from companion.services.entry_pages import EntryPage, ListQuery
from companion.services.journal_model import EntryInput
from companion.services.search import EntryFilters, Hit
from companion.ui.common.render import marked_html
from companion.ui.reflections.model import ENTRY_ID_ROLE, MOOD, TITLE, WHEN, HitsModel
from companion.ui.reflections.pages import (
    EntryPagesModel,
    PageRequest,
    read_first,
    read_next,
    shown_words,
)

DAY0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def entry(n: int, kind: str, tags: tuple[str, ...], shared: bool, mood: int | None) -> EntryInput:
    return EntryInput(
        kind=kind,
        title="" if n == 3 else f"Entry {n}",
        body=f"first words of entry {n}",
        tags=tags,
        shared_with_provider=shared,
        mood=mood,
    )


ENTRIES = {
    5: entry(5, "reflection", ("calm", "sea"), False, 7),
    4: entry(4, "integration", ("sleep",), True, None),
    3: entry(3, "free", (), False, 3),
    2: entry(2, "reflection", ("calm",), True, 5),
    1: entry(1, "free", ("sea",), False, 9),
}


def five_entries(services: Services) -> dict[str, str]:
    """The entries above in a real vault; their ids by the names the assertions use."""
    made = services.journal.create_many([(e, DAY0 + timedelta(days=n)) for n, e in ENTRIES.items()])
    return {entry_id: f"e{n}" for n, entry_id in zip(ENTRIES, made, strict=True)}


def paged(services: Services, page_rows: int = 200) -> EntryPagesModel:
    """The page's model, its reads done at once on this thread (the page runs them on the
    worker and hands the outcome back the same way)."""
    model = EntryPagesModel()
    model.page_rows = model.first_rows = page_rows
    model.ask = lambda request: model.add_page(request.generation, read_next(services, request))
    return model


def read(model: EntryPagesModel, services: Services, query: ListQuery) -> None:
    request = model.restart(shown_words(query))
    assert model.set_first(request, read_first(services, request))


def test_the_timeline_model_passes_the_model_tester_and_sorts_in_sql(
    qtmodeltester: ModelTester, unlocked_services: Services
) -> None:
    names = five_entries(unlocked_services)
    model = paged(unlocked_services)
    read(model, unlocked_services, ListQuery())
    qtmodeltester.check(model, force_py=True)

    def ids() -> list[str]:
        return [names[str(model.index(r, 0).data(ENTRY_ID_ROLE))] for r in range(model.rowCount())]

    model.sort(MOOD, Qt.SortOrder.DescendingOrder)  # what a header click does: read again
    read(model, unlocked_services, model.query)
    assert ids() == ["e1", "e5", "e2", "e3", "e4"]
    read(model, unlocked_services, ListQuery(EntryFilters(tag="Calm"), model.query.sort))
    assert ids() == ["e5", "e2"]
    model.sort(WHEN, Qt.SortOrder.DescendingOrder)
    read(model, unlocked_services, ListQuery(sort=model.query.sort))
    assert model.index(2, TITLE).data() == "first words of entry 3"  # untitled: its first words
    assert model.index(2, TITLE).data(Qt.ItemDataRole.FontRole).italic()


def test_the_timeline_filters_by_kind_sharing_and_dates_in_sql(
    unlocked_services: Services,
) -> None:
    names = five_entries(unlocked_services)
    model = paged(unlocked_services)

    def ids(**filters: object) -> list[str]:
        read(model, unlocked_services, ListQuery(EntryFilters(**filters)))  # type: ignore[arg-type]
        return [names[str(model.index(r, 0).data(ENTRY_ID_ROLE))] for r in range(model.rowCount())]

    assert ids(kind="reflection") == ["e5", "e2"]
    assert ids(shared=True) == ["e4", "e2"]
    assert ids(shared=False, kind="free") == ["e3", "e1"]
    assert ids(start=DAY0 + timedelta(days=2), end=DAY0 + timedelta(days=4)) == ["e3", "e2"]
    assert (model.shown, model.total) == (2, 5)  # start inclusive, end exclusive
    assert len(ids()) == 5 and not model.query.filters.narrows


def test_pages_come_as_the_list_is_scrolled_and_a_stale_page_is_dropped(
    unlocked_services: Services,
) -> None:
    """A page asked for before the list changed (a change broadcast, another filter) arrives
    after the new list's first screen: it must not be added to it."""
    names = five_entries(unlocked_services)
    model = paged(unlocked_services, page_rows=2)
    asked: list[PageRequest] = []
    model.ask = asked.append  # answered later, as the worker would
    read(model, unlocked_services, ListQuery())
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())  # one page asked at a time
    (old,) = asked
    read(model, unlocked_services, ListQuery(EntryFilters(kind="free")))  # the list changed
    late: EntryPage = read_next(unlocked_services, old)
    assert late.entries and not model.add_page(old.generation, late)
    assert [names[e.id] for e in model.entries] == ["e3", "e1"]
    assert not model.canFetchMore(QModelIndex())  # both free entries are read: the end
    read(model, unlocked_services, ListQuery())
    model.fetchMore(QModelIndex())
    request = asked[-1]
    assert model.add_page(request.generation, read_next(unlocked_services, request))
    assert [names[e.id] for e in model.entries] == ["e5", "e4", "e3", "e2"]


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
