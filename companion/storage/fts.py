"""The journal's full-text index and its read model, inside the encrypted database.

Two objects, both created by ``ensure_fts`` (used by migration 0002 and for new vaults):

``journal_fts``
    An FTS5 table (it keeps its own copy of the indexed text in ``journal_fts_content``, which
    ``snippet()`` reads) over each entry's title, plain-text body, prompt answers and tag names.
    Tokenizer ``porter unicode61 remove_diacritics 2``: English stemming ("dreams" finds
    "dreaming"), case and accents ignored. FTS5's own ``secure-delete`` option is switched on, so
    deleting a row removes its terms from the inverted index at once instead of leaving delete
    markers; together with ``PRAGMA secure_delete`` nothing of a deleted entry stays behind.

``journal_fts_entry``
    One row per entry: the FTS rowid (entries have string ids, and a table's implicit rowid may
    change on VACUUM, so the mapping is explicit) and the fields the Reflections list shows and
    filters on. ``journal_entry`` stores the body before ``created_at``, ``mood`` and the
    sharing flag, so reading those for 10,000 long entries would walk every body's overflow
    pages; this small table answers the list without touching a body.

Sync is done by the repository functions below, in the caller's transaction (no triggers: an
entry's document also depends on its answers and tags, which live in other tables). Every
change to an entry calls ``index_entries`` or ``remove_entries``; ``rebuild`` recreates
everything from the entries, and ``missing_and_orphans`` finds what is out of step.

All table names here start with ``journal_fts``; ``is_search_table`` tells schema comparisons
(Alembic autogenerate, tests) that these are not part of the ORM models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeDecorator

from companion.domain.journal import SearchDocument, search_document
from companion.storage.models import (
    EntryTagRow,
    JournalAnswerRow,
    JournalEntryRow,
    TagRow,
)

FTS_TABLE = "journal_fts"
ENTRY_TABLE = "journal_fts_entry"
PREFIX = "journal_fts"
TOKENIZER = "porter unicode61 remove_diacritics 2"
COLUMNS = ("title", "body", "answers", "tags")
# bm25 weights per column: a word in the title counts most, then tags, then the text.
WEIGHTS = (10.0, 1.0, 1.0, 5.0)
RANK = "bm25({})".format(", ".join(f"{w:.1f}" for w in WEIGHTS))

# The same statements create the index in migration 0002 and in new vaults; keep them literal.
DDL: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE journal_fts USING fts5(title, body, answers, tags, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO journal_fts(journal_fts, rank) VALUES ('secure-delete', 1)",
    "CREATE TABLE journal_fts_entry ("
    "id INTEGER NOT NULL PRIMARY KEY, "
    "entry_id VARCHAR(32) NOT NULL UNIQUE, "
    "created_at INTEGER NOT NULL, "
    "updated_at INTEGER NOT NULL, "
    "kind VARCHAR(20) NOT NULL, "
    "title VARCHAR(300) NOT NULL, "
    "session_id VARCHAR(32), "
    "mood INTEGER, "
    "shared BOOLEAN NOT NULL, "
    "word_count INTEGER NOT NULL, "
    "preview TEXT NOT NULL)",
    "CREATE INDEX ix_journal_fts_entry_created_at ON journal_fts_entry (created_at)",
    # Search's filters: the set of matching rowids from an index, not a scan of every row.
    # The kind's index also holds the instant: the list sorted by kind reads each kind's rows
    # in time order from it (migration 0008; 0006 made it on the kind alone).
    "CREATE INDEX ix_journal_fts_entry_kind ON journal_fts_entry (kind, created_at)",
    # Sharing and kind together (the list's "shared reflections"): counted from the index
    # alone, not by reading every row of the kind (58 ms at 50,000 entries; migration 0008).
    "CREATE INDEX ix_journal_fts_entry_shared ON journal_fts_entry (shared, kind)",
    "CREATE INDEX ix_journal_fts_entry_session_id ON journal_fts_entry (session_id)",
    # The Reflections list sorted by mood or by sharing: a page read in order from an index
    # (the expression is the list's own sort value), not every row sorted (migration 0007).
    "CREATE INDEX ix_journal_fts_entry_order_mood ON journal_fts_entry "
    "(coalesce(mood, -1), created_at)",
    "CREATE INDEX ix_journal_fts_entry_order_shared ON journal_fts_entry (shared, created_at)",
)
FILTER_INDEXES = ("ix_journal_fts_entry_kind", "ix_journal_fts_entry_shared",
                  "ix_journal_fts_entry_session_id")  # fmt: skip
SORT_INDEXES = ("ix_journal_fts_entry_order_mood", "ix_journal_fts_entry_order_shared")
_INSERT_DOCUMENT = (
    "INSERT INTO journal_fts (rowid, title, body, answers, tags) "
    "VALUES (:rowid, :title, :body, :answers, :tags)"
)
_INSERT_DOCUMENTS = (  # the same, with positional values (index_entries' tuples)
    "INSERT INTO journal_fts (rowid, title, body, answers, tags) VALUES (?, ?, ?, ?, ?)"
)
_INSERT_ROW = (
    "INSERT INTO journal_fts_entry (id, entry_id, created_at, updated_at, kind, title, "
    "session_id, mood, shared, word_count, preview) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_DELETE_DOCUMENT = "DELETE FROM journal_fts WHERE rowid = :rowid"
DROP: tuple[str, ...] = (
    "DROP TABLE IF EXISTS journal_fts_entry",
    "DROP TABLE IF EXISTS journal_fts",
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_micros(value: datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; attach a timezone")
    return (value - _EPOCH) // timedelta(microseconds=1)


class EpochMicros(TypeDecorator[datetime]):
    """Aware datetimes as integer microseconds since 1970 UTC: ordered like the instants and
    read back ten times faster than text dates, which matters for 10,000-row lists."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        return None if value is None else epoch_micros(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return _EPOCH + timedelta(microseconds=int(value))


# The read model as a Core table (its own MetaData: not part of Base, never create_all'ed).
_metadata = MetaData()
entry_index = Table(
    ENTRY_TABLE,
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", String(32), nullable=False, unique=True),
    Column("created_at", EpochMicros(), nullable=False),
    Column("updated_at", EpochMicros(), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("title", String(300), nullable=False),
    Column("session_id", String(32)),
    Column("mood", Integer),
    Column("shared", Boolean, nullable=False),
    Column("word_count", Integer, nullable=False),
    Column("preview", Text, nullable=False),
)


def is_search_table(name: str | None) -> bool:
    """True for the index's tables (and FTS5's shadow tables), which the models do not declare."""
    return name is not None and (name == PREFIX or name.startswith(PREFIX + "_"))


def include_name(name: str | None, type_: str, _parent_names: Mapping[str, Any]) -> bool:
    """Alembic's ``include_name`` hook: leaves the index out of schema comparisons, e.g.
    ``MigrationContext.configure(connection, opts={"include_name": fts.include_name})``."""
    if type_ == "table":
        return not is_search_table(name)
    if type_ == "index":
        return not (name or "").startswith("ix_" + ENTRY_TABLE)
    return True


def fts_exists(connection: Connection) -> bool:
    found = connection.execute(
        text("SELECT count(*) FROM sqlite_master WHERE name IN (:fts, :entries)"),
        {"fts": FTS_TABLE, "entries": ENTRY_TABLE},
    ).scalar_one()
    return int(found) == 2


def add_indexes(connection: Connection, names: tuple[str, ...]) -> None:
    """Creates the read model's indexes called ``names`` from ``DDL`` where missing (a
    migration adding them to an existing vault); without the index at all, builds it whole."""
    if not fts_exists(connection):
        rebuild(connection)  # creates everything, these indexes included
        return
    for statement in DDL:
        if any(f"INDEX {name} " in statement for name in names):
            connection.exec_driver_sql(
                statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS")
            )


def ensure_fts(connection: Connection) -> bool:
    """Creates the index and its read model when missing. True when it created them.

    Idempotent and cheap when they exist (one query), so it can run on every unlock.
    """
    if fts_exists(connection):
        return False
    for statement in DROP:  # a half-made index from an interrupted attempt
        connection.exec_driver_sql(statement)
    for statement in DDL:
        connection.exec_driver_sql(statement)
    return True


def drop_fts(connection: Connection) -> None:
    for statement in DROP:
        connection.exec_driver_sql(statement)


# --------------------------------------------------------------------------------------------
# Writing


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    """One entry as the index needs it."""

    entry_id: str
    created_at: datetime
    updated_at: datetime
    kind: str
    session_id: str | None
    mood: int | None
    shared: bool
    document: SearchDocument


def remove_entries(connection: Connection, entry_ids: Sequence[str]) -> int:
    """Removes entries from the index and the read model (secure-delete: terms too)."""
    removed = 0
    for chunk in _chunks(list(entry_ids), 500):
        rowids = list(
            connection.execute(
                select(entry_index.c.id).where(entry_index.c.entry_id.in_(chunk))
            ).scalars()
        )
        if not rowids:
            continue
        connection.execute(text(_DELETE_DOCUMENT), [{"rowid": r} for r in rowids])
        connection.execute(delete(entry_index).where(entry_index.c.id.in_(rowids)))
        removed += len(rowids)
    return removed


def index_entries(connection: Connection, entries: Sequence[IndexedEntry]) -> None:
    """Adds or replaces entries in the index and the read model, in the caller's transaction."""
    if not entries:
        return
    remove_entries(connection, [e.entry_id for e in entries])
    start = int(
        connection.execute(select(func.coalesce(func.max(entry_index.c.id), 0))).scalar_one()
    )
    # Plain tuples through the driver: the same values the Core table would bind (EpochMicros,
    # booleans as 0/1), without SQLAlchemy's per-row parameter work (an import writes 10,000s).
    rows = []
    documents = []
    for rowid, entry in enumerate(entries, start=start + 1):
        doc = entry.document
        rows.append(
            (
                rowid,
                entry.entry_id,
                epoch_micros(entry.created_at),
                epoch_micros(entry.updated_at),
                entry.kind,
                doc.title,
                entry.session_id,
                entry.mood,
                int(entry.shared),
                doc.word_count,
                doc.preview,
            )
        )
        documents.append((rowid, doc.title, doc.body, doc.answers, doc.tags))
    connection.exec_driver_sql(_INSERT_ROW, rows)
    connection.exec_driver_sql(_INSERT_DOCUMENTS, documents)


def update_flags(
    connection: Connection, entry_id: str, *, shared: bool, updated_at: datetime
) -> None:
    """Fields of the read model that are not in the text (no re-indexing needed)."""
    connection.execute(
        entry_index.update()
        .where(entry_index.c.entry_id == entry_id)
        .values(shared=shared, updated_at=updated_at)
    )


def reset(connection: Connection) -> None:
    """Drops and recreates the index and the read model, empty. Dropping is much faster than
    deleting row by row, and with ``PRAGMA secure_delete`` the freed pages are zeroed."""
    drop_fts(connection)
    for statement in DDL:
        connection.exec_driver_sql(statement)


# --------------------------------------------------------------------------------------------
# Reading entries into index form (shared by the journal service, reindex and the demo)


def load_indexed(
    connection: Connection, entry_ids: Sequence[str] | None = None
) -> list[IndexedEntry]:
    """Builds index rows from the stored entries (all of them when ``entry_ids`` is None)."""
    e = JournalEntryRow.__table__
    a = JournalAnswerRow.__table__
    et = EntryTagRow.__table__
    t = TagRow.__table__
    result: list[IndexedEntry] = []
    chunks: Iterable[list[str] | None] = (
        [None] if entry_ids is None else _chunks(list(entry_ids), 500)
    )
    for chunk in chunks:
        entry_query = select(
            e.c.id,
            e.c.created_at,
            e.c.updated_at,
            e.c.kind,
            e.c.session_id,
            e.c.mood,
            e.c.shared_with_provider,
            e.c.title,
            e.c.body,
        )
        answer_query = select(a.c.entry_id, a.c.answer).order_by(a.c.entry_id, a.c.position)
        tag_query = (
            select(et.c.entry_id, t.c.name).join(t, t.c.id == et.c.tag_id).order_by(t.c.name)
        )
        if chunk is not None:
            entry_query = entry_query.where(e.c.id.in_(chunk))
            answer_query = answer_query.where(a.c.entry_id.in_(chunk))
            tag_query = tag_query.where(et.c.entry_id.in_(chunk))
        answers: dict[str, list[str]] = {}
        for entry_id, answer in connection.execute(answer_query):
            answers.setdefault(entry_id, []).append(answer)
        tags: dict[str, list[str]] = {}
        for entry_id, name in connection.execute(tag_query):
            tags.setdefault(entry_id, []).append(name)
        for row in connection.execute(entry_query):
            result.append(
                IndexedEntry(
                    entry_id=row.id,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    kind=row.kind,
                    session_id=row.session_id,
                    mood=row.mood,
                    shared=bool(row.shared_with_provider),
                    document=search_document(
                        row.title, row.body, answers.get(row.id, []), tags.get(row.id, [])
                    ),
                )
            )
    return result


def rebuild(connection: Connection, batch: int = 500) -> int:
    """Recreates the index and the read model from every entry. Returns the entry count."""
    reset(connection)
    ids = list(connection.execute(select(JournalEntryRow.__table__.c.id)).scalars())
    for chunk in _chunks(ids, batch):
        index_entries(connection, load_indexed(connection, chunk))
    return len(ids)


def missing_and_orphans(connection: Connection) -> tuple[list[str], list[str]]:
    """(entries with no index row, index rows with no entry): two id scans, no text read."""
    entry_ids = set(connection.execute(select(JournalEntryRow.__table__.c.id)).scalars())
    indexed = set(connection.execute(select(entry_index.c.entry_id)).scalars())
    return sorted(entry_ids - indexed), sorted(indexed - entry_ids)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
