"""The Reflections list a page at a time: entries in the order the patient chose, read by keyset
from the read model (``journal_fts_entry``), and how many there are, with the list's filters
done in SQL.

Why pages: reading every summary costs time and memory in proportion to the vault (1.6 s at
50,000 entries); a screen shows a dozen rows. ``EntryPages.page`` reads ``limit`` rows after the
last one shown (a *keyset*: the sort value, ``created_at`` and the row id of that row), so the
next page costs the same wherever it starts; newest first, the ``created_at`` index gives the
rows in order and the read stops after ``limit``.

Orders. Each sort is the sort value, then ``created_at``, then the row id, all in the same
direction; the value is what the list shows (``ListQuery`` brings the words the list shows for a
kind and for an untitled entry, so the order follows the language on screen):

* when: the ``created_at`` index, nothing else read;
* mood, shared: an index on the value and ``created_at`` (migration 0007), read in order;
* kind: the kinds put in the order of their words on screen here (three kinds, so three
  at most small reads), each read in time order from the index on kind and ``created_at``
  (migration 0008) until the page is full;
* title: the title, else the first words as shown (70 characters and an ellipsis), else
  "Untitled", compared as Python's ``str.casefold`` does (a function registered on the
  connection, so "Émile" sorts as the list used to sort it);
* tags: the entry's tag names sorted and joined by ", " (a subquery per entry).

"When", kind, mood and sharing are read from an index; title and tags sort the filtered set
on every page (tens of ms at 50,000 entries, see docs/performance.md). Rows with the same
instant are rare (times are in microseconds) and are ordered by row id, in the sort's direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BooleanClauseList

from companion.domain.journal.entries import EntryKind
from companion.services.journal import JournalService
from companion.services.search import EntryFilters, EntrySummary, entry_conditions, tags_of
from companion.services.vault import VaultService
from companion.storage import fts

UNTITLED_CHARS = 70
ELLIPSIS = "…"
_FOLD = "companion_casefold"
# The entry's tag names, sorted and joined as the list shows them (SQLite 3.44+: ORDER BY in
# an aggregate); a correlated subquery, so it runs once per row of the filtered set.
_JOINED_TAGS = (
    "coalesce((SELECT group_concat(t.name, ', ' ORDER BY t.name) FROM entry_tag AS et "
    "JOIN tag AS t ON t.id = et.tag_id WHERE et.entry_id = journal_fts_entry.entry_id), '')"
)


class SortColumn(StrEnum):
    WHEN = "when"
    KIND = "kind"
    TITLE = "title"
    TAGS = "tags"
    MOOD = "mood"
    SHARED = "shared"


@dataclass(frozen=True, slots=True)
class ListQuery:
    """Which entries, in which order. ``kind_labels`` and ``untitled`` are the words the list
    shows (translated), so that sorting by kind or title follows what is on screen."""

    filters: EntryFilters = field(default_factory=EntryFilters)
    sort: SortColumn = SortColumn.WHEN
    descending: bool = True
    kind_labels: tuple[tuple[str, str], ...] = ()
    untitled: str = "Untitled"
    # Newest or oldest first with filters that let many entries through: walk the created_at
    # index and stop after a page (set by ``planned``, from the counts).
    walk: bool = False


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page ended: the last row's sort value, instant (epoch microseconds) and row id."""

    value: Any
    created_at: int
    rowid: int


@dataclass(frozen=True, slots=True)
class EntryPage:
    entries: list[EntrySummary]
    last: PageKey | None  # None: the page was empty


class EntryPages:
    """Pages and counts of the Reflections list (on the database worker)."""

    def __init__(self, vault: VaultService, journal: JournalService) -> None:
        self._vault = vault
        self._journal = journal

    def count(self, filters: EntryFilters | None = None) -> int:
        """How many entries the filters let through (all of them for None)."""
        self._journal.ensure_index()
        r = fts.entry_index
        with self._vault.unit_of_work() as session:
            query = select(func.count()).select_from(r).where(entry_conditions(filters))
            return int(session.connection().execute(query).scalar_one())

    def sessions_with(self, kind: str) -> set[str]:
        """The sessions that have an entry of ``kind`` (one read of two columns, no summaries:
        the Journal page asked for every reflection's summary for this)."""
        self._journal.ensure_index()
        r = fts.entry_index
        query = select(r.c.session_id).where(r.c.kind == kind, r.c.session_id.is_not(None))
        with self._vault.unit_of_work() as session:
            return set(session.connection().execute(query.distinct()).scalars())

    def planned(self, query: ListQuery, shown: int, total: int, limit: int) -> ListQuery:
        """How to read the pages of ``query``, now that the counts are known. In time order
        with filters, SQLite picks a filter's index and sorts every row it lets through (77 ms
        for a third of 50,000 entries); walking the time index instead reads about
        ``limit * total / shown`` rows, fewer when the filters let many through."""
        walk = query.sort is SortColumn.WHEN and shown > 0 and shown * shown >= limit * total
        return replace(query, walk=walk)

    def page(self, query: ListQuery, after: PageKey | None, limit: int) -> EntryPage:
        """Up to ``limit`` entries that come after ``after`` (None: from the first)."""
        self._journal.ensure_index()
        limit = max(1, int(limit))
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            if query.sort is SortColumn.KIND:
                return _kind_page(connection, query, after, limit)
            if query.sort is SortColumn.TITLE:
                _register_fold(connection)
            return _read(connection, _statement(query, after, limit, _sort_value(query)))


def _kind_page(
    connection: Connection, query: ListQuery, after: PageKey | None, limit: int
) -> EntryPage:
    """Sorted by kind: each kind's rows in time order, the kinds in the order of their words,
    read one kind after another (in one transaction) until ``limit`` rows are in."""
    if after is not None and not isinstance(after.value, str):
        after = None  # not a page of this order: from the first
    entries: list[EntrySummary] = []
    last = after
    for label, kinds in _kind_groups(query):
        if after is not None and (label > after.value if query.descending
                                  else label < after.value):  # fmt: skip
            continue  # a kind the earlier pages are done with
        within = last if last is not None and last.value == label else None
        page = _read(connection, _statement(query, within, limit - len(entries), None, kinds))
        entries.extend(page.entries)
        if page.last is not None:
            last = replace(page.last, value=label)
        if len(entries) >= limit:
            break
    return EntryPage(entries, last if entries else None)


def _statement(
    query: ListQuery,
    after: PageKey | None,
    limit: int,
    value: ColumnElement[Any] | None,
    kinds: tuple[str, ...] = (),
) -> Select[Any]:
    """The page's SELECT: the summary's columns, then the sort keys (``value`` if any, the
    instant, the row id); ``kinds``: only rows of these kinds."""
    r = fts.entry_index
    created = type_coerce(r.c.created_at, Integer())  # epoch microseconds, as stored
    keys = (created, r.c.id) if value is None else (value, created, r.c.id)
    statement = select(
        r.c.entry_id, r.c.created_at, r.c.updated_at, r.c.kind, r.c.title, r.c.shared,
        r.c.mood, r.c.session_id, r.c.word_count, r.c.preview, *keys,
    ).where(_conditions(query.filters, likely=query.walk))  # fmt: skip
    if kinds:  # one kind's rows (or kinds sharing a word): in time order, from its index
        statement = statement.where(r.c.kind.in_(kinds))
    if after is not None:
        statement = statement.where(_after(keys, after, query.descending))
    order = [k.desc() if query.descending else k.asc() for k in keys]
    return statement.order_by(*order).limit(limit)


def _read(connection: Connection, statement: Select[Any]) -> EntryPage:
    rows = connection.execute(statement).all()
    tags = tags_of(connection, [row[0] for row in rows])
    entries = [
        EntrySummary(
            row[0], row[1], row[2], row[3], row[4], tags.get(row[0], ()), bool(row[5]),
            row[6], row[7], row[8], row[9],
        )
        for row in rows
    ]  # fmt: skip
    if not rows:
        return EntryPage(entries, None)
    *sort_value, instant, rowid = rows[-1][10:]
    return EntryPage(entries, PageKey(sort_value[0] if sort_value else None, instant, rowid))


def _conditions(filters: EntryFilters, *, likely: bool) -> ColumnElement[bool]:
    """``EntryFilters`` as SQL (``search.entry_conditions``); ``likely``: each condition marked
    as letting most rows through (SQLite's ``likely()``), so the planner walks the time index
    in order rather than using a filter's index and sorting."""
    condition = entry_conditions(filters)
    if not likely or not filters.narrows:
        return condition
    parts = condition.clauses if isinstance(condition, BooleanClauseList) else [condition]
    return and_(true(), *(func.likely(part) for part in parts))


def _kind_groups(query: ListQuery) -> list[tuple[str, tuple[str, ...]]]:
    """Each word the list shows for a kind, with the kinds it stands for, in the list's order
    (words compared as SQLite compares text: by code point, as ``str`` does)."""
    labels = dict(query.kind_labels)
    groups: dict[str, list[str]] = {}
    for kind in EntryKind:  # every kind an entry can have (a CHECK constraint on entries)
        groups.setdefault(labels.get(kind.value, kind.value.capitalize()), []).append(kind.value)
    ordered = sorted(groups.items(), reverse=query.descending)
    return [(label, tuple(kinds)) for label, kinds in ordered]


def _sort_value(query: ListQuery) -> ColumnElement[Any] | None:
    """The value a page is sorted by first (kind: ``_kind_page``)."""
    r = fts.entry_index
    column = query.sort
    if column is SortColumn.TITLE:
        shortened = func.rtrim(func.substr(r.c.preview, 1, UNTITLED_CHARS)).op("||")(ELLIPSIS)
        shown = case(
            (r.c.title != "", r.c.title),
            (r.c.preview == "", literal(query.untitled, String())),
            (func.length(r.c.preview) <= UNTITLED_CHARS, r.c.preview),
            else_=shortened,
        )
        return getattr(func, _FOLD)(shown)  # type: ignore[no-any-return]
    if column is SortColumn.TAGS:
        return literal_column(_JOINED_TAGS, String())
    if column is SortColumn.MOOD:
        # Written out, not a bound parameter: only the very expression of the index
        # ``ix_journal_fts_entry_order_mood`` lets SQLite read the order from it.
        return func.coalesce(r.c.mood, literal_column("-1", Integer()))
    if column is SortColumn.SHARED:
        return type_coerce(r.c.shared, Integer())
    return None  # when: the instant and the row id alone


def _after(keys: tuple[Any, ...], last: PageKey, descending: bool) -> ColumnElement[bool]:
    """The rows after ``last`` in the list's order. Newest first, written so that SQLite
    walks the ``created_at`` index from there (a row value would not use it)."""
    if len(keys) == 2:
        created, rowid = keys
        if descending:
            return and_(created <= last.created_at,
                        or_(created < last.created_at, rowid < last.rowid))  # fmt: skip
        return and_(created >= last.created_at, or_(created > last.created_at, rowid > last.rowid))
    bound = tuple_(literal(last.value), literal(last.created_at), literal(last.rowid))
    return tuple_(*keys) < bound if descending else tuple_(*keys) > bound


def _register_fold(connection: Connection) -> None:
    raw = connection.connection.driver_connection
    if raw is not None:
        raw.create_function(_FOLD, 1, _casefold, deterministic=True)


def _casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()
