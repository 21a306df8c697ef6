"""Search's queries on the FTS5 index: the ranking, and the passages with the matches marked
(``companion.services.search.SearchService``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.engine import Connection, Row

from companion.domain.journal import ELLIPSIS, MARK_END, MARK_START
from companion.storage import fts

SNIPPET_TOKENS = 24

FTS = table(fts.FTS_TABLE, column("rowid"), column("rank"))
HIDDEN: ColumnClause[Any] = literal_column(fts.FTS_TABLE)  # FTS5's own hidden column


def ranked(
    connection: Connection, match: str, exact: ColumnElement[bool] | None, limit: int
) -> list[Row[Any]]:
    """The best ``limit`` matches, best first, in one statement (FTS5 scores every match:
    bm25 needs each word's count over the whole index anyway, so ranking fewer in more
    statements measured slower, see docs/performance.md). ``exact``: the filters as a
    condition on the read model, or None."""
    where: list[Any] = [HIDDEN.op("MATCH")(match), FTS.c.rank.op("MATCH")(fts.RANK)]
    if exact is not None:
        # "+ 0" keeps SQLite from driving the full-text query with these rowids (one
        # full-text lookup per filtered entry: seconds); it checks FTS5's rows instead.
        where.append((FTS.c.rowid + 0).in_(select(fts.entry_index.c.id).where(exact)))
    statement = (
        select(
            FTS.c.rowid,
            FTS.c.rank,
            func.highlight(HIDDEN, 0, MARK_START, MARK_END).label("title_marked"),
        )
        .where(*where)
        .order_by(FTS.c.rank)
        .limit(limit)
    )
    return list(connection.execute(statement))


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
