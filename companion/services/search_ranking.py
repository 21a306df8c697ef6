"""How search ranks (see ``companion.services.search.SearchService.search``): FTS5 rowids are in
date order (``storage.fts.rowid_floor``), so the newest matches and date ranges are rowid
ranges that FTS5 walks without scoring every match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Select,
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
# Ranking covers at most this many of the newest matches (plus older title and tag matches).
WINDOW = 2_000

FTS = table(fts.FTS_TABLE, column("rowid"), column("rank"))
HIDDEN: ColumnClause[Any] = literal_column(fts.FTS_TABLE)  # FTS5's own hidden column


@dataclass(frozen=True, slots=True)
class Scope:
    """Where to look: the lowest rowid (a "from" date, widened to its whole minute: rowids are
    date-ordered, ``fts.rowid_floor``) and the exact filters on the read model. An "until"
    date is not a rowid bound: a spilled rowid (``fts.SLOTS``) may lie past its date."""

    low: int | None = None
    high: int | None = None
    exact: ColumnElement[bool] | None = None

    @staticmethod
    def of(start: datetime | None, exact: ColumnElement[bool] | None) -> Scope:
        """``exact``: the filters as a condition on the read model (None: no filter)."""
        if exact is None:
            return Scope()
        r = fts.entry_index
        return Scope(
            None if start is None else fts.rowid_floor(start),
            None,
            # "+ 0" keeps SQLite from driving the full-text query with these rowids (one
            # full-text lookup per filtered entry: seconds); it checks FTS5's rows instead.
            (FTS.c.rowid + 0).in_(select(r.c.id).where(exact)),
        )

    def where(
        self, match: str, low: int | None = None, high: int | None = None, *, exact: bool = True
    ) -> list[Any]:
        """The MATCH and the scope's conditions, the rowid range cut to [low, high); without
        the read-model filter when not ``exact``."""
        parts: list[Any] = [HIDDEN.op("MATCH")(match)]
        lows = [b for b in (self.low, low) if b is not None]
        highs = [b for b in (self.high, high) if b is not None]
        if lows:
            parts.append(FTS.c.rowid >= max(lows))
        if highs:
            parts.append(FTS.c.rowid < min(highs))
        if exact and self.exact is not None:
            parts.append(self.exact)
        return parts


def ranked(connection: Connection, match: str, scope: Scope, limit: int) -> list[Row[Any]]:
    """The best ``limit`` matches within ``scope``, best first (``SearchService.search``).

    FTS5 walks matches in rowid (date) order and stops after ``WINDOW``, so finding the window's
    oldest rowid costs little; ranking then covers only the window, plus older title and tag
    matches, which FTS5 finds from the same index with a column filter. FTS5 scores every match
    in the range before the filters on the read model are checked, so the window counts all
    matches; when the filters leave fewer than ``limit`` in it, the next older slice (sized by
    the share the filters kept, at most four times the last) is ranked and merged.
    """
    found: list[Row[Any]] = []
    window, high, ranked_so_far = WINDOW, None, 0
    while True:
        cutoff = connection.execute(
            select(FTS.c.rowid)
            .where(*scope.where(match, high=high, exact=False))
            .order_by(FTS.c.rowid.desc())
            .limit(1)
            .offset(window - 1)
        ).scalar()
        slice_ = scope.where(match, low=cutoff, high=high)
        found += connection.execute(_ranking(slice_, limit)).all()
        if cutoff is None:  # every match in the scope is ranked: exact
            return sorted(found, key=_rank)[:limit]
        if len(found) >= limit or scope.exact is None:
            break
        # Rank the next, older slice and merge: sized by how many of the ranked matches the
        # filters kept so far (half as many again, for luck), at most four times the last.
        ranked_so_far += window
        needed = (limit - len(found)) * ranked_so_far * 3 // max(2 * len(found), 1)
        window, high = max(WINDOW // 4, min(needed, 4 * window)), cutoff
    older = scope.where(f"{{title tags}} : ({match})", high=cutoff)
    ranked = [*found, *connection.execute(_ranking(older, limit))]
    return sorted(ranked, key=_rank)[:limit]


def _rank(row: Row[Any]) -> float:
    return float(row.rank)


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


def _ranking(where: list[Any], limit: int) -> Select[Any]:
    return (
        select(
            FTS.c.rowid,
            FTS.c.rank,
            func.highlight(HIDDEN, 0, MARK_START, MARK_END).label("title_marked"),
        )
        .where(*where, FTS.c.rank.op("MATCH")(fts.RANK))
        .order_by(FTS.c.rank)
        .limit(limit)
    )
