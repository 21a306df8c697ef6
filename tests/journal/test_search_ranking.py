"""Search ranks with bm25 as a column sorted by SQLite and marks titles in a second statement
(``search_ranking.ranked``): the hits, their order, their scores and their marked titles must
be exactly what FTS5's own ``rank MATCH ... ORDER BY rank`` with ``highlight()`` gives, with
and without filters, on a real SQLCipher vault."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from companion.domain.journal.search import parse_query
from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.services.search import EntryFilters
from companion.storage import fts

WORDS = ("sea", "calm", "night", "walk", "tide", "stone", "light", "lighter", "dream")
TITLES = ("", "Sea at night", "calm", "Light and stone", "A walk", "Dreaming of the tide")
QUERIES = ("sea", "calm night", "light", "lig", "tide stone", '"sea at night"', "dream walk")
START = datetime(2026, 1, 1, tzinfo=UTC)
MARKED = "highlight(journal_fts, 0, char(2), char(3))"  # MARK_START, MARK_END


def fts5_own_ranking(services: Services, typed: str, tag: str | None) -> list[tuple]:  # type: ignore[type-arg]
    """(rowid, rank, title with marks or None) from FTS5's ranking, best first, ties by rowid."""
    where = (
        ""
        if tag is None
        else (
            " AND rowid IN (SELECT e.id FROM journal_fts_entry e JOIN entry_tag et"
            " ON et.entry_id = e.entry_id JOIN tag t ON t.id = et.tag_id WHERE t.name = :tag)"
        )
    )
    rank = f"rank MATCH '{fts.RANK}'"  # constants; the typed text and the tag are bound
    statement = f"SELECT rowid, rank, {MARKED} FROM journal_fts WHERE journal_fts MATCH :match"  # noqa: S608
    statement += f" AND {rank}{where} ORDER BY rank"
    with services.vault.unit_of_work() as session:
        rows = session.connection().execute(
            text(statement), {"match": parse_query(typed).match, "tag": tag}
        )
        return sorted((rowid, rank, marked) for rowid, rank, marked in rows)


def test_ranking_and_marked_titles_are_fts5s_own_with_and_without_filters(
    unlocked_services: Services,
) -> None:
    services = unlocked_services
    rng = random.Random(12)
    services.journal.create_many(
        [
            (
                EntryInput(
                    title=rng.choice(TITLES),
                    body=" ".join(rng.choices(WORDS, k=rng.choice((0, 4, 15)))),
                    tags=("walk",) if rng.random() < 0.4 else (),
                ),
                START + timedelta(hours=n),
            )
            for n in range(60)
        ]
    )
    with services.vault.unit_of_work() as session:
        rowid_of: dict[str, int] = dict(
            session.connection().execute(text("SELECT entry_id, id FROM journal_fts_entry")).all()
        )
    compared = 0
    for typed in QUERIES:
        for tag in (None, "walk"):
            expected = fts5_own_ranking(services, typed, tag)
            hits = services.search.search(typed, 100, EntryFilters(tag=tag))
            got = [(rowid_of[h.entry_id], h.rank, h.title_marked) for h in hits]
            assert [g[0] for g in got] == [
                e[0] for e in sorted(expected, key=lambda e: (e[1], e[0]))
            ], (typed, tag)
            for (rowid, rank, marked), (_, want_rank, want_marked) in zip(
                sorted(got), expected, strict=True
            ):
                assert (rank, marked) == (want_rank, want_marked), (typed, tag, rowid)
            compared += len(got)
    assert compared > 150  # the queries found enough to compare


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(typed=st.text(alphabet=st.sampled_from('ab "*:()^-+{}NEAROT title\\'), max_size=30))
def test_any_typed_text_ranks_and_marks_titles_without_an_error(
    unlocked_services: Services, typed: str
) -> None:
    """The title statement builds its own expression from the phrases (column filter, OR):
    nothing typed may turn it into FTS5 syntax or make it fail."""
    if not unlocked_services.search.list_entries():
        unlocked_services.journal.create(EntryInput(title="ab title", body="ba ab: (title)"))
    for hit in unlocked_services.search.search(typed):
        assert hit.title_marked.replace("\x02", "").replace("\x03", "") == hit.title
