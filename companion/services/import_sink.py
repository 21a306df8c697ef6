"""The import's second pass: checked records go into the vault in the import's one transaction,
a chunk at a time, in whatever order the file lists its kinds (foreign keys are checked at
commit), and new journal entries are indexed for search as they arrive.

What the first pass kept (``import_scan.Survey``) is enough to index an entry from its own
record: its tags' names. An entry with answers in the file, and an entry already in the vault
that gains answers or tags, is indexed at the end from what was written (``fts.load_indexed``).
Records already in the vault (same key) are kept as they are and counted as skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, literal, select, tuple_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from companion.domain.journal import search_document
from companion.export.progress import Progress
from companion.export.tables import KINDS, Kind
from companion.i18n import N_, Text
from companion.services.import_checks import record_key, refuse
from companion.services.import_scan import Survey, pointer
from companion.storage import fts
from companion.storage.models import Base

CHUNK = 500  # records per insert
INDEX_CHUNK = 500  # entries per FTS5 batch insert (their search text is held until then)
# FTS5 holds new terms in memory up to its 'hashsize' (1 MiB by default), then writes them out
# as a segment, and its merges rewrite the segments again and again. At 64 MiB, for the
# import's transaction only, a 10k import writes a few large segments (~1.5 s less CPU).
IMPORT_HASH_SIZE = 64 << 20
_DEFAULT_HASH_SIZE = 1 << 20  # FTS5_DEFAULT_HASHSIZE
_SET_HASH_SIZE = "INSERT INTO journal_fts(journal_fts, rank) VALUES ('hashsize', ?)"
_DROP_HASH_SIZE = "DELETE FROM journal_fts_config WHERE k = 'hashsize'"  # FTS5's settings table


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def tag_map(connection: Connection, tags: Mapping[str, str]) -> dict[str, str]:
    """The file's tag id -> the id of the vault's tag with the same name (names are unique)."""
    by_name: dict[str, str] = {}
    names = sorted(tags.values())
    tbl = table("tag")
    for start in range(0, len(names), CHUNK):
        for tag_id, name in connection.execute(
            select(tbl.c.id, tbl.c.name).where(tbl.c.name.in_(names[start : start + CHUNK]))
        ):
            by_name[name] = tag_id
    return {tag_id: by_name[name] for tag_id, name in tags.items() if name in by_name}


def check_references(connection: Connection, survey: Survey, tags: Mapping[str, str]) -> None:
    """Every reference to a record not in the file names one already in the vault."""
    missing = []
    mapped = set(tags.values())
    for target, wanted in survey.wanted().items():
        keys = sorted(k for k in wanted if not (target == "tag" and k in mapped))
        tbl = table(target)
        present: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            present.update(
                connection.execute(
                    select(tbl.c.id).where(tbl.c.id.in_(keys[start : start + CHUNK]))
                ).scalars()
            )
        missing += [(wanted[k], target) for k in keys if k not in present]
    if missing:
        where, target = min(missing)
        raise refuse(
            Text(
                N_("it refers to a {replace} that is neither in the file nor in this vault"),
                {"replace": target.replace("_", " ")},
            ),
            pointer(where),
        )


class Sink:
    """Takes typed records kind by kind (any order of kinds) and writes them."""

    def __init__(
        self, connection: Connection, survey: Survey, tags: Mapping[str, str], steps: Progress
    ) -> None:
        self._db = connection
        self._survey = survey
        self._tags = dict(tags)
        self._mapped = set(tags.values())
        self._steps = steps
        self._pending: dict[str, list[dict[str, Any]]] = {k.name: [] for k in KINDS}
        self._seen: dict[str, set[tuple[Any, ...]]] = {"tag": set(), "entry_tag": set()}
        self.added = {k.name: 0 for k in KINDS}
        self.skipped = {k.name: 0 for k in KINDS}
        self._done = 0
        self._later: set[str] = set()  # entries indexed at the end, from the vault
        self._indexed: set[str] = set()
        self._batch: list[fts.IndexedEntry] = []
        self._large = False  # FTS5's hash set to IMPORT_HASH_SIZE
        # Tables with no row when the import began: nothing to look up before inserting (the
        # file's own keys are unique, pass one made sure), as in a first import.
        self._empty = {k.name for k in KINDS if _is_empty(connection, table(k.name))}
        self._names = {self._tags.get(t, t): name for t, name in survey.tag_names.items()}
        wanted = {self._tags.get(t, t) for ids in survey.links.values() for t in ids}
        self._tag_names(wanted - self._names.keys())

    def _tag_names(self, ids: set[str]) -> None:
        tbl = table("tag")
        keys = sorted(ids)
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            self._names.update(
                self._db.execute(select(tbl.c.id, tbl.c.name).where(tbl.c.id.in_(chunk))).all()
            )

    def add(self, kind: Kind, row: dict[str, Any]) -> None:
        if kind.name == "entry_tag" and row["tag_id"] in self._tags:
            row["tag_id"] = self._tags[row["tag_id"]]
        elif kind.name == "tag" and row["id"] in self._tags:
            row["id"] = self._tags[row["id"]]
        pending = self._pending[kind.name]
        pending.append(row)
        if len(pending) >= CHUNK:
            self._flush(kind)

    def _flush(self, kind: Kind) -> None:
        rows, self._pending[kind.name] = self._pending[kind.name], []
        if not rows:
            return
        if kind.name in self._empty:
            new = rows
        else:
            existing = _existing_keys(self._db, kind, rows)
            new = [r for r in rows if record_key(kind, r) not in existing]
        if kind.name == "tag":
            new = [r for r in new if r["id"] not in self._mapped]
        seen = self._seen.get(kind.name)
        if seen is not None:
            kept = []
            for row in new:
                key = record_key(kind, row)
                if key not in seen:
                    seen.add(key)
                    kept.append(row)
            new = kept
        if new:
            self._db.execute(sqlite_insert(table(kind.name)).on_conflict_do_nothing(), new)
        self.added[kind.name] += len(new)
        self.skipped[kind.name] += len(rows) - len(new)
        if kind.name == "journal_entry":
            self._index_new(new)
        elif kind.name in ("journal_answer", "entry_tag"):
            self._later.update(r["entry_id"] for r in new)
        self._done += len(rows)
        self._steps.step(0.3 + 0.6 * self._done / max(1, self._survey.total), "insert")

    def _index_new(self, rows: Sequence[Mapping[str, Any]]) -> None:
        links = self._survey.links
        for row in rows:
            entry_id = row["id"]
            if entry_id in self._survey.answered:
                self._later.add(entry_id)
                continue
            self._indexed.add(entry_id)
            tag_ids = {self._tags.get(t, t) for t in links.get(entry_id, ())}
            names = sorted(self._names[t] for t in tag_ids)
            self._batch.append(
                fts.IndexedEntry(
                    entry_id=entry_id,
                    created_at=row["created_at"],
                    updated_at=row["updated_at"],
                    kind=row["kind"],
                    session_id=row["session_id"],
                    mood=row["mood"],
                    shared=bool(row["shared_with_provider"]),
                    document=search_document(row["title"], row["body"], [], names),
                )
            )
        if len(self._batch) >= INDEX_CHUNK:
            self._index(self._batch)
            self._batch = []

    def _index(self, entries: Sequence[fts.IndexedEntry]) -> None:
        """``fts.index_entries``, with FTS5's larger hash from the first entry on (an import that
        adds nothing to the index leaves it untouched)."""
        if entries and not self._large:
            self._db.exec_driver_sql(_SET_HASH_SIZE, (IMPORT_HASH_SIZE,))
            self._large = True
        fts.index_entries(self._db, entries)

    def finish(self) -> None:
        """The last chunks, then the entries indexed from what was written."""
        for kind in KINDS:
            self._flush(kind)
        self._index(self._batch)
        self._batch = []
        later = sorted(self._later - self._indexed)
        for start in range(0, len(later), CHUNK):
            self._steps.step(0.9 + 0.05 * start / len(later), "insert")
            chunk = later[start : start + CHUNK]
            self._index(fts.load_indexed(self._db, chunk))
        if self._large:
            # FTS5's default again (this flushes the terms), and its row out of the config
            # table: the vault's settings are as before. A rollback restores the table instead,
            # and FTS5 reloads its settings from it.
            self._db.exec_driver_sql(_SET_HASH_SIZE, (_DEFAULT_HASH_SIZE,))
            self._db.exec_driver_sql(_DROP_HASH_SIZE)


def _is_empty(connection: Connection, tbl: Table) -> bool:
    return connection.execute(select(literal(1)).select_from(tbl).limit(1)).first() is None


def _existing_keys(
    connection: Connection, kind: Kind, rows: Sequence[Mapping[str, Any]]
) -> set[tuple[Any, ...]]:
    tbl = table(kind.name)
    keys = [record_key(kind, r) for r in rows]
    columns = [tbl.c[name] for name in kind.primary_key]
    if len(columns) == 1:
        condition = columns[0].in_([k[0] for k in keys])
    else:
        condition = tuple_(*columns).in_(keys)
    return {tuple(r) for r in connection.execute(select(*columns).where(condition))}
