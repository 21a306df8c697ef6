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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    select,
    true,
)
from sqlalchemy.engine import Connection, Row

from companion.domain.journal import (
    MARK_START,
    normalise_tag,
    parse_query,
)
from companion.services import search_ranking as ranking
from companion.services.journal import JournalService
from companion.services.vault import VaultService
from companion.storage import fts
from companion.storage.models import EntryTagRow, TagRow

log = logging.getLogger(__name__)

_TAG_SEPARATOR = "\x1f"  # tag names never hold control characters
_TAGS_BY_ID_UP_TO = 500
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# The page shows this many hits with their passage at once and asks for the rest after.
FIRST_PASSAGES = 20


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
    # False: ``snippet`` is the entry's first words for now; ``SearchService.passages`` gives
    # the matching passage (the page asks for it right after showing the first hits).
    has_passage: bool = True


class SearchService:
    def __init__(
        self, vault: VaultService, now: Callable[[], datetime], journal: JournalService
    ) -> None:
        self._vault = vault
        self._now = now
        self._journal = journal

    def search(
        self,
        query: str,
        limit: int = DEFAULT_LIMIT,
        filters: EntryFilters | None = None,
        passages: int | None = None,
    ) -> list[Hit]:
        """Best matches first (bm25). An empty or punctuation-only query finds nothing.
        ``passages``: find the matching passage for only the first so many hits (FTS5 reads and
        tokenizes an entry's whole text for it: 0.3-0.5 ms each at 50k); None: for all.
        """
        parsed = parse_query(query)
        if not parsed.match:
            return []
        limit = max(1, min(int(limit), MAX_LIMIT))
        self._journal.ensure_index()
        exact = entry_conditions(filters) if filters is not None and filters.narrows else None
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            found = ranking.ranked(connection, parsed, exact, limit)
            if not found:
                return []
            wanted = [f.rowid for f in found[: len(found) if passages is None else passages]]
            marked = ranking.passages(connection, parsed.match, wanted)
            r = fts.entry_index
            rows = {
                row.id: row
                for row in connection.execute(select(r).where(r.c.id.in_([f.rowid for f in found])))
            }
        hits = [_hit(f, rows[f.rowid], marked.get(f.rowid)) for f in found if f.rowid in rows]
        log.info("search.done")
        return hits

    def passages(self, query: str, entry_ids: Sequence[str]) -> dict[str, str]:
        """The matching passage of each entry (as ``Hit.snippet``), for hits that came without
        one. Entries that no longer match, or are gone, are left out."""
        parsed = parse_query(query)
        if not parsed.match or not entry_ids:
            return {}
        r = fts.entry_index
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            rows = connection.execute(
                select(r.c.id, r.c.entry_id, r.c.preview).where(r.c.entry_id.in_(entry_ids))
            ).all()
            marked = ranking.passages(connection, parsed.match, [row.id for row in rows])
        return {
            row.entry_id: _best_snippet(*marked[row.id], row.preview)
            for row in rows
            if row.id in marked
        }

    def list_entries(self, filters: EntryFilters | None = None) -> list[EntrySummary]:
        """Entries newest first, with their tags, for the Reflections page."""
        self._journal.ensure_index()
        r = fts.entry_index
        condition = entry_conditions(filters)
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
            tags = tags_of(connection, [e[0] for e in entries])
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


def _hit(found: ranking.Ranked, row: Row[Any], passage: tuple[str, str] | None) -> Hit:
    return Hit(
        entry_id=row.entry_id,
        created_at=row.created_at,
        kind=row.kind,
        title=row.title,
        title_marked=found.title_marked or row.title,
        snippet=row.preview if passage is None else _best_snippet(*passage, row.preview),
        rank=found.rank,
        session_id=row.session_id,
        shared=bool(row.shared),
        has_passage=passage is not None,
    )


def tags_of(connection: Connection, entry_ids: list[str]) -> dict[str, tuple[str, ...]]:
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


def entry_conditions(filters: EntryFilters | None) -> ColumnElement[bool]:
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
