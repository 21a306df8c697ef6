"""Importing the JSON export format (plain or age-encrypted) into the unlocked vault.

Order of checks, each refusing the file with a message that names the first problem and
leaving the vault untouched:

1. decryption (age: passphrase or identity file), size, UTF-8, JSON syntax;
2. the JSON Schema (``companion.export.schema``), first problem by JSON pointer;
3. meaning the schema cannot express: real dates, no record twice, every reference resolves
   to a record in the file or already in the vault.

Then everything is inserted in ONE transaction, the search index of the imported journal
entries included. Records are matched by their stable ids: a record already in the vault is
kept as it is (never overwritten), so importing the same file twice adds nothing the second
time. New entries are indexed from the file's own records (no reading back of what was just
written); entries already in the vault that gain answers or tags are re-read and re-indexed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, tuple_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from companion.domain.journal import search_document
from companion.domain.localtime import local_zone
from companion.export import age
from companion.export.jsondoc import DocumentError, records_from_document
from companion.export.progress import CancelToken, Progress, ProgressFn
from companion.export.tables import KINDS, Kind
from companion.fsutil import (
    FileRefusedError,
    read_regular_file,
    storage_error,
)
from companion.i18n import N_, Text
from companion.services import import_formats
from companion.services.import_checks import (
    ImportRefusedError,
    check_duplicates,
    check_ranges,
    describe_error,
    first_schema_error,
    load_json,
    pointer_of,
    pointer_order,
    record_key,
    refuse,
)
from companion.services.journal import JournalService
from companion.services.vault import VaultService
from companion.storage import fts, models_export
from companion.storage.models import Base

log = logging.getLogger(__name__)
__all__ = ["MAX_IMPORT_BYTES", "ImportRefusedError", "ImportReport", "ImportService"]

MAX_IMPORT_BYTES = 1024 * 1024 * 1024  # 1 GiB
_CHUNK = 500
_INDEX_CHUNK = 2_000  # entries per FTS5 batch insert


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: dict[str, int]
    skipped: dict[str, int]  # already in the vault (same id)
    encrypted: bool

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


class ImportService:
    def __init__(
        self, vault: VaultService, now: Callable[[], datetime], journal: JournalService
    ) -> None:
        self._vault = vault
        self._now = now
        self._journal = journal

    # --- reading and checking (no vault needed) -----------------------------------------------
    def read_file(
        self,
        path: Path,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
    ) -> tuple[dict[str, list[dict[str, Any]]], bool]:
        try:
            data = read_regular_file(Path(path), MAX_IMPORT_BYTES)
        except FileRefusedError as exc:
            raise refuse(exc.reason) from None
        except FileNotFoundError:
            raise ImportRefusedError(
                N_("There is no file at that path. Nothing was imported.")
            ) from None
        except IsADirectoryError:
            raise ImportRefusedError(
                N_("That is a folder, not a file. Nothing was imported.")
            ) from None
        except OSError as exc:
            raise storage_error(exc) from exc
        return self.parse(data, passphrase=passphrase, identity_text=identity_text)

    def parse(
        self,
        data: bytes,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
    ) -> tuple[dict[str, list[dict[str, Any]]], bool]:
        """Typed records from the file's bytes, or ``ImportRefusedError`` (or a decryption
        error, a ``CompanionError`` too). Pure: the vault is not touched."""
        if len(data) > MAX_IMPORT_BYTES:
            raise refuse(Text(N_("the file is larger than 1 GiB")))
        encrypted = age.is_age(data)
        if encrypted:
            identities = age.parse_identities(identity_text) if identity_text else []
            data = age.decrypt(data, passphrase=passphrase, identities=identities)
        # Journals from other apps (jrnl, Day One) become the same kind of document.
        foreign = import_formats.read_foreign(data, local_zone())
        document = import_formats.to_document(foreign, self._now()) if foreign else load_json(data)
        error = first_schema_error(document)
        if error is not None:
            raise refuse(describe_error(error), pointer_of(error.absolute_path))
        try:
            records = records_from_document(document)
        except DocumentError as exc:
            raise refuse(exc.problem, exc.pointer) from None  # a Text
        check_ranges(records)
        check_duplicates(records)
        return records, encrypted

    # --- importing ----------------------------------------------------------------------------
    def import_file(
        self,
        path: Path,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        records, encrypted = self.read_file(
            path, passphrase=passphrase, identity_text=identity_text
        )
        return self.import_records(records, encrypted=encrypted, progress=progress, cancel=cancel)

    def import_bytes(
        self,
        data: bytes,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        records, encrypted = self.parse(data, passphrase=passphrase, identity_text=identity_text)
        return self.import_records(records, encrypted=encrypted, progress=progress, cancel=cancel)

    def import_records(
        self,
        records: Mapping[str, Sequence[Mapping[str, Any]]],
        *,
        encrypted: bool = False,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        steps = Progress(progress, cancel)
        check_ranges(records)  # records may come from another importer, not only parse()
        self._journal.ensure_index()
        added: dict[str, int] = {}
        skipped: dict[str, int] = {}
        with self._vault.unit_of_work() as db:
            connection = db.connection()
            models_export.ExportProfileRow.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]
            steps.step(0.05, "check")
            tag_map = _tag_map(connection, records.get("tag", ()))
            remapped = {
                kind.name: [_remap(kind, row, tag_map) for row in records.get(kind.name, ())]
                for kind in KINDS
            }
            existing = {
                kind.name: _existing_keys(connection, kind, remapped[kind.name]) for kind in KINDS
            }
            _check_references(connection, remapped, tag_map)
            new_by_kind: dict[str, list[dict[str, Any]]] = {}
            for index, kind in enumerate(KINDS):
                steps.step(0.1 + 0.3 * index / len(KINDS), "insert")
                new_rows = [
                    row
                    for row in remapped[kind.name]
                    if record_key(kind, row) not in existing[kind.name]
                ]
                if kind.name == "tag":
                    new_rows = [r for r in new_rows if r["id"] not in tag_map.values()]
                new_rows = _dedupe(kind, new_rows)
                statement = sqlite_insert(_table(kind.name)).on_conflict_do_nothing()
                for start in range(0, len(new_rows), _CHUNK):
                    connection.execute(statement, new_rows[start : start + _CHUNK])
                added[kind.name] = len(new_rows)
                skipped[kind.name] = len(remapped[kind.name]) - len(new_rows)
                new_by_kind[kind.name] = new_rows
            # The search index, in the same transaction: an import is in the vault and
            # findable, or not there at all.
            self._index(connection, remapped, new_by_kind, steps)
            steps.check()  # last chance to cancel: the transaction rolls back
        if sum(added.values()):
            self._journal.checkpoint()
        steps.report(1.0, "done")
        log.info("import.done")
        return ImportReport(added, skipped, encrypted)

    def _index(
        self,
        connection: Connection,
        records: Mapping[str, Sequence[Mapping[str, Any]]],
        new: Mapping[str, Sequence[Mapping[str, Any]]],
        steps: Progress,
    ) -> None:
        entries = new.get("journal_entry", ())
        fresh = {row["id"] for row in entries}
        answers: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for row in new.get("journal_answer", ()):
            answers[row["entry_id"]].append((row["position"], row["answer"]))
        links: dict[str, list[str]] = defaultdict(list)
        for row in new.get("entry_tag", ()):
            links[row["entry_id"]].append(row["tag_id"])
        older = sorted({*answers, *links} - fresh)  # entries in the vault that gained some
        tag_names = {row["id"]: row["name"] for row in records.get("tag", ())}
        wanted = {t for ids in links.values() for t in ids} - tag_names.keys()
        if wanted:
            tbl = _table("tag")
            tag_names.update(
                connection.execute(select(tbl.c.id, tbl.c.name).where(tbl.c.id.in_(wanted))).all()
            )
        total = len(entries) + len(older)
        for start in range(0, len(entries), _INDEX_CHUNK):
            steps.step(0.4 + 0.55 * start / total, "insert")
            batch = [
                fts.IndexedEntry(
                    entry_id=row["id"],
                    created_at=row["created_at"],
                    updated_at=row["updated_at"],
                    kind=row["kind"],
                    session_id=row["session_id"],
                    mood=row["mood"],
                    shared=bool(row["shared_with_provider"]),
                    document=search_document(
                        row["title"],
                        row["body"],
                        [text for _, text in sorted(answers.get(row["id"], ()))],
                        sorted(tag_names[t] for t in links.get(row["id"], ())),
                    ),
                )
                for row in entries[start : start + _INDEX_CHUNK]
            ]
            fts.index_entries(connection, batch)
        for start in range(0, len(older), _CHUNK):
            steps.step(0.4 + 0.55 * (len(entries) + start) / total, "insert")
            fts.index_entries(
                connection, fts.load_indexed(connection, older[start : start + _CHUNK])
            )


# --------------------------------------------------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _existing_keys(
    connection: Connection, kind: Kind, rows: Sequence[Mapping[str, Any]]
) -> set[tuple[Any, ...]]:
    if not rows:
        return set()
    tbl = _table(kind.name)
    keys = [record_key(kind, r) for r in rows]
    found: set[tuple[Any, ...]] = set()
    columns = [tbl.c[name] for name in kind.primary_key]
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        if len(columns) == 1:
            condition = columns[0].in_([k[0] for k in chunk])
        else:
            condition = tuple_(*columns).in_(chunk)
        found.update(tuple(r) for r in connection.execute(select(*columns).where(condition)))
    return found


def _tag_map(connection: Connection, tags: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Imported tag id -> the id of the vault's tag with the same name (names are unique)."""
    if not tags:
        return {}
    tbl = _table("tag")
    by_name: dict[str, str] = {}
    names = [t["name"] for t in tags]
    for start in range(0, len(names), _CHUNK):
        for tag_id, name in connection.execute(
            select(tbl.c.id, tbl.c.name).where(tbl.c.name.in_(names[start : start + _CHUNK]))
        ):
            by_name[name] = tag_id
    return {t["id"]: by_name[t["name"]] for t in tags if t["name"] in by_name}


def _remap(kind: Kind, row: Mapping[str, Any], tag_map: Mapping[str, str]) -> dict[str, Any]:
    out = dict(row)
    if kind.name == "entry_tag" and out["tag_id"] in tag_map:
        out["tag_id"] = tag_map[out["tag_id"]]
    if kind.name == "tag" and out["id"] in tag_map:
        out["id"] = tag_map[out["id"]]
    return out


def _dedupe(kind: Kind, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        key = record_key(kind, row)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _check_references(
    connection: Connection,
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    tag_map: Mapping[str, str],
) -> None:
    in_file = {
        kind.name: {row["id"] for row in records.get(kind.name, ())}
        for kind in KINDS
        if kind.primary_key == ("id",)
    }
    wanted: dict[str, dict[str, str]] = defaultdict(dict)  # target -> id -> first pointer
    for kind in KINDS:
        for field in kind.references:
            target = field.references
            assert target is not None
            for index, row in enumerate(records.get(kind.name, ())):
                value = row[field.name]
                if value is None or value in in_file.get(target, set()):
                    continue
                if target == "tag" and value in tag_map.values():
                    continue
                wanted[target].setdefault(value, f"/records/{kind.name}/{index}/{field.name}")
    for target, ids in wanted.items():
        tbl = _table(target)
        keys = sorted(ids)
        present: set[str] = set()
        for start in range(0, len(keys), _CHUNK):
            present.update(
                connection.execute(
                    select(tbl.c.id).where(tbl.c.id.in_(keys[start : start + _CHUNK]))
                ).scalars()
            )
        missing = [k for k in keys if k not in present]
        if missing:
            pointer = min((ids[k] for k in missing), key=pointer_order)
            raise refuse(
                Text(
                    N_("it refers to a {replace} that is neither in the file nor in this vault"),
                    {"replace": target.replace("_", " ")},
                ),
                pointer,
            )
