"""The Reflections list filters and sorts in SQL, a page at a time, and gets the same rows in
the same order as the Python path it replaced (every summary read, filtered and ``list.sort``ed
by what the columns show), on a real vault of varied entries."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from companion.domain.clock import ManualClock
from companion.domain.journal import normalise_tag
from companion.services.container import Services
from companion.services.entry_pages import EntryPages, ListQuery, SortColumn
from companion.services.journal_model import EntryInput
from companion.services.search import EntryFilters, EntrySummary
from companion.ui.reflections.model import kind_label, shown_title
from companion.ui.reflections.pages import shown_words
from tests.support.services import make_profile
from tests.support.steps import complete_session

START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
TITLES = ("", "", "Émile", "émile", "alpha", "Alpha beta", "Straße", "STRASSE", "zeta", "Ärger")
WORDS = ("sea", "calm", "Über", "night", "a", "walk", "ÉTÉ", "sleep", "tide", "stone")
TAGS = ("calm", "sea", "sleep", "río", "a-b")


def varied_entries(services: Services, count: int, seed: int) -> None:
    rng = random.Random(seed)
    minutes = rng.sample(range(0, 365 * 24 * 60), count)  # distinct instants
    entries = [
        (
            EntryInput(
                kind=rng.choice(("reflection", "integration", "free")),
                title=rng.choice(TITLES),
                body=" ".join(rng.choices(WORDS, k=rng.choice((0, 3, 12, 30)))),
                mood=rng.choice((None, 0, 3, 5, 5, 9, 10)),
                tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
                shared_with_provider=rng.random() < 0.4,
            ),
            START + timedelta(minutes=m),
        )
        for m in minutes
    ]
    services.journal.create_many(entries)


def old_python_path(everything: list[EntrySummary], query: ListQuery) -> list[str]:
    """What the page did before: the proxy's filter over every summary, then the model's sort
    (``EntryFilterProxy.filterAcceptsRow`` and ``EntryTableModel.sort``, as they were)."""
    f = query.filters
    tag = normalise_tag(f.tag) if f.tag else None
    rows = [
        e
        for e in everything
        if (f.kind is None or e.kind == f.kind)
        and (f.shared is None or e.shared == f.shared)
        and (f.start is None or e.created_at >= f.start)
        and (f.end is None or e.created_at < f.end)
        and (tag is None or tag in e.tags)
    ]
    keys: dict[SortColumn, Callable[[EntrySummary], Any]] = {
        SortColumn.WHEN: lambda e: (e.created_at, e.id),
        SortColumn.KIND: lambda e: (kind_label(e.kind), e.created_at),
        SortColumn.TITLE: lambda e: (shown_title(e.title, e.preview).casefold(), e.created_at),
        SortColumn.TAGS: lambda e: (", ".join(e.tags), e.created_at),
        SortColumn.MOOD: lambda e: (-1 if e.mood is None else e.mood, e.created_at),
        SortColumn.SHARED: lambda e: (e.shared, e.created_at),
    }
    if (query.sort, query.descending) != (SortColumn.WHEN, True):  # the list came newest first
        rows.sort(key=keys[query.sort], reverse=query.descending)
    return [e.id for e in rows]


def every_page(pages: EntryPages, query: ListQuery, size: int) -> list[str]:
    ids: list[str] = []
    page = pages.page(query, None, size)
    while page.entries:
        ids.extend(e.id for e in page.entries)
        assert len(page.entries) <= size
        page = pages.page(query, page.last, size)
    return ids


def test_sql_filters_and_sorts_give_the_rows_of_the_old_python_path(
    unlocked_services: Services,
) -> None:
    services = unlocked_services
    varied_entries(services, 40, seed=16)
    pages = EntryPages(services.vault, services.journal)
    everything = services.search.list_entries()
    rng = random.Random(3)
    filters = [EntryFilters(), EntryFilters(tag="Sea")] + [
        EntryFilters(
            kind=rng.choice((None, "reflection", "free")),
            shared=rng.choice((None, True, False)),
            tag=rng.choice((None, None, "calm", "río")),
            start=rng.choice((None, START + timedelta(days=rng.randint(0, 200)))),
            end=rng.choice((None, START + timedelta(days=rng.randint(150, 365)))),
        )
        for _ in range(3)
    ]
    for f in filters:
        assert pages.count(f) == len(old_python_path(everything, ListQuery(f)))
        for sort in SortColumn:
            for descending in (True, False):
                query = shown_words(ListQuery(f, sort, descending))
                wanted = old_python_path(everything, query)
                assert every_page(pages, query, size=9) == wanted, (f, sort, descending)
                if sort is SortColumn.WHEN:  # the other plan (the time index walked) too
                    walked = replace(query, walk=True)
                    assert every_page(pages, walked, size=9) == wanted, (f, descending)


def test_the_journal_knows_which_sessions_have_a_reflection_without_reading_summaries(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    from companion.ui.journal.openings import fetch_home

    services = unlocked_services
    services.profile.save(make_profile())
    first, second = (
        complete_session(services, manual_clock),
        complete_session(services, manual_clock),
    )
    services.journal.create(EntryInput(kind="reflection", title="After", session_id=first))
    services.journal.create(EntryInput(kind="free", title="Later", session_id=second))
    pages = EntryPages(services.vault, services.journal)
    assert pages.sessions_with("reflection") == {first}
    written = {s.session_id: s.has_reflection for s in fetch_home(services).sessions}
    assert written == {first: True, second: False}
