"""Finding past writing: ranked full-text search and the Reflections list with its filters.

Both read the index kept by ``companion.storage.fts`` (inside the encrypted database):

* ``search`` ranks with bm25 (a word in the title weighs most, then tags), matches the last
  word as a prefix while typing, never raises on odd input (every word is quoted), and marks
  the matching words in the snippet with ``domain.journal.MARK_START`` / ``MARK_END``.
* ``list_entries`` is the Reflections read model: one query for the entries and one for their
  tags, whatever the number of entries; no entry body is read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Select,
    and_,
    column,
    func,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.engine import Connection, Row

from companion.domain.journal import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    normalise_tag,
    parse_query,
)
from companion.services.journal import JournalService
from companion.services.vault import VaultService
from companion.storage import fts
from companion.storage.models import EntryTagRow, TagRow

log = logging.getLogger(__name__)

SNIPPET_TOKENS = 24
_TAG_SEPARATOR = "\x1f"  # tag names never hold control characters
_TAGS_BY_ID_UP_TO = 500
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Ranking covers at most this many of the newest matches (plus older title and tag matches).
WINDOW = 2_000


@dataclass(frozen=True, slots=True)
class EntryFilters:
    """All given conditions must hold. Times are aware datetimes: ``start`` inclusive,
    ``end`` exclusive (pass the start of the day after the last day wanted)."""

    start: datetime | None = None
    end: datetime | None = None
    tag: str | None = None  # as typed; normalised before use
    kind: str | None = None  # reflection, integration, free
    shared: bool | None = None  # True: shared with the provider; False: private
    session_id: str | None = None

    @property
    def narrows(self) -> bool:
        """False when no condition is set (the page's filters with nothing chosen): then no
        filter clause is added, which at 50k entries saved a pass over every index row."""
        return any(
            v is not None
            for v in (self.start, self.end, self.tag, self.kind, self.shared, self.session_id)
        )


@dataclass(frozen=True, slots=True)
class EntrySummary:
    id: str
    created_at: datetime
    updated_at: datetime
    kind: str
    title: str
    tags: tuple[str, ...]
    shared: bool
    mood: int | None
    session_id: str | None
    word_count: int
    preview: str  # the first words, plain text


@dataclass(frozen=True, slots=True)
class Hit:
    entry_id: str
    created_at: datetime
    kind: str
    title: str
    title_marked: str  # the title with matches marked (MARK_START ... MARK_END)
    snippet: str  # a passage with matches marked; see domain.journal.split_marked
    rank: float  # bm25 as FTS5 gives it: lower is a better match
    session_id: str | None
    shared: bool


class SearchService:
    def __init__(
        self, vault: VaultService, now: Callable[[], datetime], journal: JournalService
    ) -> None:
        self._vault = vault
        self._now = now
        self._journal = journal

    def search(
        self, query: str, limit: int = DEFAULT_LIMIT, filters: EntryFilters | None = None
    ) -> list[Hit]:
        """Best matches first (bm25). An empty or punctuation-only query finds nothing.

        A word found in more than ``WINDOW`` entries (after the filters) is ranked among the
        ``WINDOW`` newest of them and every older entry with all the words in its title or
        tags (those scored on title and tags alone): FTS5 scores every candidate before it can
        sort, and at 50,000 entries a common word has 30,000. Below that the ranking is exact.
        """
        parsed = parse_query(query)
        if not parsed.match:
            return []
        limit = max(1, min(int(limit), MAX_LIMIT))
        self._journal.ensure_index()
        scope = _Scope.of(filters)
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            found = _ranked(connection, parsed.match, scope, limit)
            if not found:
                return []
            r = fts.entry_index
            rows = {
                row.id: row
                for row in connection.execute(select(r).where(r.c.id.in_([f.rowid for f in found])))
            }
        hits = [_hit(f, rows[f.rowid]) for f in found if f.rowid in rows]
        log.info("search.done")
        return hits

    def list_entries(self, filters: EntryFilters | None = None) -> list[EntrySummary]:
        """Entries newest first, with their tags, for the Reflections page."""
        self._journal.ensure_index()
        r = fts.entry_index
        condition = _conditions(filters)
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            entries = connection.execute(
                select(
                    r.c.entry_id,
                    r.c.created_at,
                    r.c.updated_at,
                    r.c.kind,
                    r.c.title,
                    r.c.shared,
                    r.c.mood,
                    r.c.session_id,
                    r.c.word_count,
                    r.c.preview,
                )
                .where(condition)
                .order_by(r.c.created_at.desc(), r.c.id.desc())
            ).all()
            tags = _tags_of(connection, [e[0] for e in entries])
        no_tags: tuple[str, ...] = ()
        # Positional unpacking: attribute access on 10,000 rows costs more than the query.
        return [
            EntrySummary(
                entry_id,
                created_at,
                updated_at,
                kind,
                title,
                tags.get(entry_id, no_tags),
                bool(shared),
                mood,
                session_id,
                word_count,
                preview,
            )
            for (
                entry_id,
                created_at,
                updated_at,
                kind,
                title,
                shared,
                mood,
                session_id,
                word_count,
                preview,
            ) in entries
        ]


_FTS = table(fts.FTS_TABLE, column("rowid"), column("rank"))
_HIDDEN: ColumnClause[Any] = literal_column(fts.FTS_TABLE)  # FTS5's own hidden column


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where to look: a rowid range (the date filter widened to whole milliseconds, rowids
    being date-ordered: ``fts.rowid_floor``) and the exact filter on the read model."""

    low: int | None = None
    high: int | None = None
    exact: ColumnElement[bool] | None = None

    @staticmethod
    def of(filters: EntryFilters | None) -> _Scope:
        if filters is None or not filters.narrows:
            return _Scope()
        r = fts.entry_index
        return _Scope(
            None if filters.start is None else fts.rowid_floor(filters.start),
            None if filters.end is None else fts.rowid_floor(filters.end) + 2 * fts.SLOTS,
            # "+ 0" keeps SQLite from driving the full-text query with these rowids (one
            # full-text lookup per filtered entry: seconds); it checks FTS5's rows instead.
            (_FTS.c.rowid + 0).in_(select(r.c.id).where(_conditions(filters))),
        )

    def where(self, match: str, low: int | None = None, high: int | None = None) -> list[Any]:
        """The MATCH and the scope's conditions, the rowid range cut to [low, high)."""
        parts: list[Any] = [_HIDDEN.op("MATCH")(match)]
        lows = [b for b in (self.low, low) if b is not None]
        highs = [b for b in (self.high, high) if b is not None]
        if lows:
            parts.append(_FTS.c.rowid >= max(lows))
        if highs:
            parts.append(_FTS.c.rowid < min(highs))
        if self.exact is not None:
            parts.append(self.exact)
        return parts


def _ranked(connection: Connection, match: str, scope: _Scope, limit: int) -> list[Row[Any]]:
    """The best ``limit`` matches within ``scope``, best first (see ``SearchService.search``).

    FTS5 walks matches in rowid (date) order and stops after ``WINDOW``, so finding the window's
    oldest rowid costs little; ranking then covers only the window, plus older title and tag
    matches, which FTS5 finds from the same index with a column filter.
    """
    cutoff = connection.execute(
        select(_FTS.c.rowid)
        .where(*scope.where(match))
        .order_by(_FTS.c.rowid.desc())
        .limit(1)
        .offset(WINDOW - 1)
    ).scalar()
    if cutoff is None:  # no more than WINDOW matches: rank them all
        return list(connection.execute(_ranking(scope.where(match), limit)))
    newest = connection.execute(_ranking(scope.where(match, low=cutoff), limit))
    older = scope.where(f"{{title tags}} : ({match})", high=cutoff)
    ranked = [*newest, *connection.execute(_ranking(older, limit))]
    return sorted(ranked, key=lambda row: float(row.rank))[:limit]


def _ranking(where: list[Any], limit: int) -> Select[Any]:
    def snippet(column_index: int) -> Any:
        return func.snippet(_HIDDEN, column_index, MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS)

    return (
        select(
            _FTS.c.rowid,
            _FTS.c.rank,
            snippet(1).label("body_snippet"),
            snippet(2).label("answers_snippet"),
            func.highlight(_HIDDEN, 0, MARK_START, MARK_END).label("title_marked"),
        )
        .where(*where, _FTS.c.rank.op("MATCH")(fts.RANK))
        .order_by(_FTS.c.rank)
        .limit(limit)
    )


def _hit(found: Row[Any], row: Row[Any]) -> Hit:
    return Hit(
        entry_id=row.entry_id,
        created_at=row.created_at,
        kind=row.kind,
        title=row.title,
        title_marked=found.title_marked or row.title,
        snippet=_best_snippet(found.body_snippet or "", found.answers_snippet or "", row.preview),
        rank=float(found.rank),
        session_id=row.session_id,
        shared=bool(row.shared),
    )


def _tags_of(connection: Connection, entry_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Tag names per entry, sorted, in one query: for a few entries by id, else all at once
    (one pass over the tag table's primary key is cheaper than a long IN list)."""
    names = func.group_concat(TagRow.name, _TAG_SEPARATOR)
    query = (
        select(EntryTagRow.entry_id, names)
        .join(TagRow, TagRow.id == EntryTagRow.tag_id)
        .group_by(EntryTagRow.entry_id)
    )
    if len(entry_ids) <= _TAGS_BY_ID_UP_TO:
        if not entry_ids:
            return {}
        query = query.where(EntryTagRow.entry_id.in_(entry_ids))
    return {
        entry_id: tuple(sorted(joined.split(_TAG_SEPARATOR)))
        for entry_id, joined in connection.execute(query)
    }


def _best_snippet(body: str, answers: str, preview: str) -> str:
    """The passage with most marked words, from the free text or the answers; the entry's
    first words when only the title or a tag matched."""
    best = max((body, answers), key=lambda s: s.count(MARK_START))
    return best if MARK_START in best else preview


def _conditions(filters: EntryFilters | None) -> ColumnElement[bool]:
    r = fts.entry_index
    if filters is None or not filters.narrows:
        return true()
    parts: list[ColumnElement[bool]] = []
    if filters.start is not None:
        parts.append(r.c.created_at >= filters.start)
    if filters.end is not None:
        parts.append(r.c.created_at < filters.end)
    if filters.kind:
        parts.append(r.c.kind == filters.kind)
    if filters.shared is not None:
        parts.append(r.c.shared.is_(filters.shared))
    if filters.session_id is not None:
        parts.append(r.c.session_id == filters.session_id)
    if filters.tag is not None:
        parts.append(
            r.c.entry_id.in_(
                select(EntryTagRow.entry_id)
                .join(TagRow, TagRow.id == EntryTagRow.tag_id)
                .where(TagRow.name == normalise_tag(filters.tag))
            )
        )
    return and_(true(), *parts)
