"""Putting an index written before migration 0006 into date order (``fts.rowid_floor``)."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from companion.storage.fts import DDL, DROP, entry_index, rowid_floor


def renumber(connection: Connection) -> int:
    """Gives every indexed entry its date-ordered rowid (migration 0006, for vaults indexed
    with rowids in writing order). The indexed text is copied inside SQLite into a new index
    that then takes the old one's place: no entry is read back or parsed again, and a failure
    leaves the old index whole (one transaction). Returns the number of entries."""
    pairs = connection.execute(
        select(entry_index.c.id, entry_index.c.created_at).order_by(
            entry_index.c.created_at, entry_index.c.id
        )
    ).all()
    mapping = []
    last = None
    for old, created_at in pairs:  # in date order: each takes the next slot of its minute
        base = rowid_floor(created_at)
        last = base if last is None or last < base else last + 1
        mapping.append({"old": old, "new": last})
    for statement in _RENUMBER_SETUP:
        connection.exec_driver_sql(statement)
    if mapping:
        connection.execute(
            text("INSERT INTO temp.journal_fts_renumber VALUES (:new, :old)"), mapping
        )
    for statement in _RENUMBER_COPY:
        connection.exec_driver_sql(statement)
    return len(mapping)


_NEXT = "journal_fts_next"
_RENUMBER_SETUP: tuple[str, ...] = (
    "DROP TABLE IF EXISTS temp.journal_fts_renumber",
    "CREATE TEMP TABLE journal_fts_renumber (new INTEGER PRIMARY KEY, old INTEGER NOT NULL)",
    f"DROP TABLE IF EXISTS {_NEXT}",
    f"DROP TABLE IF EXISTS {_NEXT}_entry",
    DDL[0].replace("journal_fts USING", f"{_NEXT} USING"),
    DDL[1].replace("journal_fts(journal_fts,", f"{_NEXT}({_NEXT},"),
    DDL[2].replace("journal_fts_entry (", f"{_NEXT}_entry ("),
)
_RENUMBER_COPY: tuple[str, ...] = (
    "INSERT INTO journal_fts_next_entry SELECT r.new, e.entry_id, e.created_at, e.updated_at, "
    "e.kind, e.title, e.session_id, e.mood, e.shared, e.word_count, e.preview "
    "FROM temp.journal_fts_renumber r JOIN journal_fts_entry e ON e.id = r.old ORDER BY r.new",
    # In ascending rowid order: FTS5 flushes its pending terms whenever a rowid goes down.
    "INSERT INTO journal_fts_next (rowid, title, body, answers, tags) "
    "SELECT r.new, f.title, f.body, f.answers, f.tags "
    "FROM temp.journal_fts_renumber r JOIN journal_fts f ON f.rowid = r.old ORDER BY r.new",
    *DROP,
    f"ALTER TABLE {_NEXT} RENAME TO journal_fts",
    f"ALTER TABLE {_NEXT}_entry RENAME TO journal_fts_entry",
    *DDL[3:],
    "DROP TABLE temp.journal_fts_renumber",
)


def in_date_order(connection: Connection) -> bool:
    """True when every rowid is at least its minute's floor and rowid order is minute order
    (within a minute, slots are taken as entries come)."""
    rows = connection.execute(
        select(entry_index.c.id, entry_index.c.created_at).order_by(entry_index.c.id)
    ).all()
    floors = [rowid_floor(at) for _, at in rows]
    at_least = all(rowid >= floor for (rowid, _), floor in zip(rows, floors, strict=True))
    return at_least and all(a <= b for a, b in pairwise(floors))
