"""Search's queries on the FTS5 index: the ranking, and the passages with the matches marked
(``companion.services.search.SearchService``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Float,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import Label

from companion.domain.journal import ELLIPSIS, MARK_END, MARK_START
from companion.domain.journal.search import ParsedQuery
from companion.storage import fts

SNIPPET_TOKENS = 24

FTS = table(fts.FTS_TABLE, column("rowid"), column("rank"))
BM25 = "bm25({}, {})".format(fts.FTS_TABLE, ", ".join(f"{w:.1f}" for w in fts.WEIGHTS))
HIDDEN: ColumnClause[Any] = literal_column(fts.FTS_TABLE)  # FTS5's own hidden column


@dataclass(frozen=True, slots=True)
class Ranked:
    rowid: int
    rank: float  # bm25 with ``fts.WEIGHTS``: lower is better
    title_marked: str | None  # the title with the matches marked; None: none in the title


def ranked(
    connection: Connection, query: ParsedQuery, exact: ColumnElement[bool] | None, limit: int
) -> list[Ranked]:
    """The best ``limit`` matches, best first, then their titles with the matches marked.

    bm25 is a column sorted by SQLite, not FTS5's ``rank MATCH ... ORDER BY rank``: that sorts
    inside FTS5 and then finds every row again, and scores every match before the filters
    apply (2-8x slower at 50,000 entries, docs/performance.md). Ties go to the lower rowid.
    The titles are marked in a second statement that only reads rows whose title has one of
    the phrases: ``highlight()`` in the first would run for every match. ``exact``: the
    filters as a condition on the read model, or None."""
    score: Label[float] = literal_column(BM25, Float()).label("rank")
    statement = select(FTS.c.rowid, score).where(HIDDEN.op("MATCH")(query.match))
    if exact is not None:
        # "+ 0" keeps SQLite from driving the full-text query with these rowids (one
        # full-text lookup per filtered entry: seconds); it checks FTS5's rows instead.
        statement = statement.where(
            (FTS.c.rowid + 0).in_(select(fts.entry_index.c.id).where(exact))
        )
    statement = statement.order_by(score, FTS.c.rowid).limit(limit)
    found = connection.execute(statement).all()
    titles = _marked_titles(connection, query, [row.rowid for row in found])
    return [Ranked(row.rowid, float(row.rank), titles.get(row.rowid)) for row in found]


def _marked_titles(connection: Connection, query: ParsedQuery, rowids: list[int]) -> dict[int, str]:
    """The titles of ``rowids`` that hold any of the query's phrases, with them marked (the
    marks ``highlight()`` gives on the whole query: it marks every phrase, all or not)."""
    if not rowids:
        return {}
    in_title = f"{fts.COLUMNS[0]} : ({query.any_phrase})"
    statement = select(FTS.c.rowid, func.highlight(HIDDEN, 0, MARK_START, MARK_END)).where(
        HIDDEN.op("MATCH")(in_title), (FTS.c.rowid + 0).in_(rowids)
    )
    return {rowid: marked for rowid, marked in connection.execute(statement)}


def _snippet(column_index: int) -> Any:
    return func.snippet(HIDDEN, column_index, MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS)


def passages(connection: Connection, match: str, rowids: list[int]) -> dict[int, tuple[str, str]]:
    """(text passage, answers passage) with the matches marked, for these rowids. FTS5 walks
    the match list between the lowest and highest of them and makes snippets only for rows in
    the set ("+ 0": a full-text lookup per rowid costs ~1 ms each)."""
    result: dict[int, tuple[str, str]] = {}
    for chunk in (rowids[n : n + 500] for n in range(0, len(rowids), 500)):
        statement = select(FTS.c.rowid, _snippet(1), _snippet(2)).where(
            HIDDEN.op("MATCH")(match),
            FTS.c.rowid >= min(chunk),
            FTS.c.rowid <= max(chunk),
            (FTS.c.rowid + 0).in_(chunk),
        )
        for rowid, body, answers in connection.execute(statement):
            result[rowid] = (body or "", answers or "")
    return result
