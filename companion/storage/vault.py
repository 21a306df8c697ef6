"""The vault on disk: header file + encrypted database, created, opened, re-keyed and checked.

This module knows files and keys; it knows nothing of the UI. ``services.vault`` wraps it with
the state (locked or unlocked) and the policy (passphrase strength).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import DateTime, Table, Text, func, or_, select, text, type_coerce
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from companion.crypto import header as hdr
from companion.crypto.secret import SecretKey
from companion.errors import (
    DatabaseCorruptError,
    HeaderTamperedError,
    NoVaultError,
    VaultExistsError,
)
from companion.fsutil import atomic_write, fsync_dir, storage_error
from companion.i18n import N_
from companion.paths import DataPaths
from companion.storage import commits, migrate
from companion.storage.engine import open_engine, translate_error
from companion.storage.models import ALL_TABLES
from companion.storage.types import UTCDateTime

DATE_MIN_YEAR_TEXT = "1900"
DATE_MAX_YEAR_TEXT = "2199"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    problems: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    schema_revision: str | None = None


def read_header(paths: DataPaths) -> hdr.VaultHeader:
    try:
        data = paths.header.read_bytes()
    except FileNotFoundError as exc:
        raise NoVaultError() from exc
    except OSError as exc:
        raise storage_error(exc) from exc
    return hdr.VaultHeader.from_bytes(data)


def write_header(paths: DataPaths, header: hdr.VaultHeader) -> None:
    atomic_write(paths.header, header.to_bytes())


def vault_exists(paths: DataPaths) -> bool:
    return paths.has_vault()


def create(paths: DataPaths, header: hdr.VaultHeader, dek: SecretKey) -> Engine:
    """Writes a new database at the newest schema, then the header that unlocks it.

    The header goes last and atomically. If anything fails on the way (a full disk, a
    read-only folder), the files this call made are removed, so nothing half-made remains and
    a later attempt starts clean. An existing database is never overwritten, even without its
    header: it may be someone's data whose key file went missing.
    """
    if vault_exists(paths):
        raise VaultExistsError()
    try:
        paths.ensure()
    except OSError as exc:
        raise storage_error(exc) from exc
    engine = open_engine(paths.database, dek)
    try:
        migrate.create_at_head(engine)
        _checkpoint(engine)
        if os.name == "posix":
            paths.database.chmod(0o600)
        fsync_dir(paths.root)
        write_header(paths, header)
    except BaseException as exc:
        engine.dispose()
        for made in _database_files(paths):
            made.unlink(missing_ok=True)
        if isinstance(exc, SQLAlchemyError):
            raise translate_error(exc) from exc
        if isinstance(exc, OSError):
            raise storage_error(exc) from exc
        raise
    return engine


def open_database(
    paths: DataPaths,
    dek: SecretKey,
    before_migrate: Callable[[Engine], None] | None = None,
    read_only: bool = False,
) -> Engine:
    """Opens the database with the unwrapped key and brings its schema up to date.

    ``before_migrate`` runs on the open engine first (the commit-counter check), so a vault
    that fails it is never changed.
    """
    if not paths.database.exists():
        raise DatabaseCorruptError(
            N_(
                "The vault's database file is missing, so the vault was not opened. "
                "Restore it from a backup."
            )
        )
    engine = open_engine(paths.database, dek, read_only)
    try:
        if before_migrate is not None:
            before_migrate(engine)
        migrate.upgrade_to_head(engine)
    except (SQLAlchemyError, DBAPIError) as exc:
        engine.dispose()
        raise translate_error(exc) from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def commit_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())


def verify(engine: Engine, header: hdr.VaultHeader, dek: SecretKey) -> VerifyReport:
    """Full check: header MAC, the commit counter against the header on disk, every page's
    HMAC, SQLite's integrity and foreign keys, and dates outside the range the app handles."""
    problems: list[str] = []
    try:
        header.verify_mac(dek)
    except HeaderTamperedError:
        problems.append("header: the key file's authentication code does not match")
    counts: dict[str, int] = {}
    revision: str | None = None
    try:
        with engine.connect() as connection:
            db_count = int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
            problems.extend(_commit_problems(header, db_count))
            for (row,) in connection.execute(text("PRAGMA cipher_integrity_check")):
                problems.append(f"cipher: {row}")
            integrity = [row for (row,) in connection.execute(text("PRAGMA integrity_check"))]
            if integrity != ["ok"]:
                problems.extend(f"integrity: {row}" for row in integrity)
            for row in connection.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"foreign key: {row[0]} row {row[1]}")
            for table in ALL_TABLES:
                counts[table.name] = connection.execute(
                    select(func.count()).select_from(table)
                ).scalar_one()
                problems.extend(_date_problems(connection, table))
        revision = migrate.current_revision(engine)
        if revision != migrate.head_revision():
            problems.append(f"schema: at {revision}, expected {migrate.head_revision()}")
    except SQLAlchemyError as exc:
        problems.append(f"database: {translate_error(exc)}")  # the sentence, not a class name
    return VerifyReport(not problems, tuple(problems), counts, revision)


def _commit_problems(header: hdr.VaultHeader, db_count: int) -> list[str]:
    try:
        commits.check(header, db_count)
    except commits.RollbackDetectedError:
        mark = header.commits
        assert mark is not None
        if db_count < mark.count:
            return [
                f"commits: the database holds {db_count} saved changes but its key file "
                f"recorded {mark.count}: saved changes are missing (restore the latest backup)"
            ]
        return [
            f"commits: the key file recorded {mark.count} saved changes but the database holds "
            f"{db_count}: the key file was replaced by an older copy"
        ]
    return []


def _date_problems(connection: Connection, table: Table) -> list[str]:
    """Dates the app cannot handle (before 1900, after 2199, or not a date at all)."""
    problems = []
    for column in table.columns:
        if not isinstance(column.type, (UTCDateTime, DateTime)):
            continue
        raw = type_coerce(column, Text)
        bad = connection.execute(
            select(func.count())
            .select_from(table)
            .where(
                column.is_not(None),
                or_(
                    func.typeof(raw) != "text",
                    func.substr(raw, 1, 4) < DATE_MIN_YEAR_TEXT,
                    func.substr(raw, 1, 4) > DATE_MAX_YEAR_TEXT,
                    func.datetime(raw).is_(None),
                ),
            )
        ).scalar_one()
        if bad:
            problems.append(
                f"dates: {bad} value(s) in {table.name}.{column.name} are outside 1900-2199 "
                "or not dates"
            )
    return problems


def remove_stray_temp_headers(paths: DataPaths) -> int:
    """Deletes ``.vault.header.*.tmp`` files a killed header write left behind (each holds an
    older copy of the wrapped key). Call with the writer lock held. Returns how many went."""
    removed = 0
    for stray in paths.root.glob(f".{paths.header.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stray.unlink()
            removed += 1
    if removed:
        with contextlib.suppress(OSError):
            fsync_dir(paths.root)
    return removed


# --- key rotation ---------------------------------------------------------------------------
def folder_writable(paths: DataPaths) -> bool:
    """False for a read-only mount or a folder without write permission."""
    return os.access(paths.root, os.W_OK)


def rotating_database(paths: DataPaths) -> Path:
    return paths.database.with_name(paths.database.name + ".rotating")


def rotating_header(paths: DataPaths) -> Path:
    return paths.header.with_name(paths.header.name + ".rotating")


def export_rekeyed(engine: Engine, target: Path, new_key: SecretKey) -> int:
    """Copies the whole database into ``target`` encrypted under ``new_key`` (SQLCipher's
    ``sqlcipher_export``), in one read transaction holding the write lock so nothing changes
    meanwhile. Returns the commit count copied (set explicitly: it must match the header)."""
    target.unlink(missing_ok=True)
    try:
        return _export_rekeyed(engine, target, new_key)
    except sqlcipher.Error as exc:
        raise translate_error(exc) from exc


def _export_rekeyed(engine: Engine, target: Path, new_key: SecretKey) -> int:
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        cursor = raw.cursor()
        try:
            # ATTACH is not allowed inside a transaction: attach, then hold the write lock.
            cursor.execute(
                f"ATTACH DATABASE ? AS rekeyed KEY \"x'{new_key.hex()}'\"", (str(target),)
            )
            try:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    count = int(cursor.execute("PRAGMA main.user_version").fetchone()[0])
                    cursor.execute("SELECT sqlcipher_export('rekeyed')")
                    cursor.execute(f"PRAGMA rekeyed.user_version = {count:d}")
                    cursor.execute("COMMIT")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
            finally:
                cursor.execute("DETACH DATABASE rekeyed")
        finally:
            cursor.close()
    return count


def check_rekeyed(path: Path, key: SecretKey, expected: dict[str, int], count: int) -> None:
    """The new file opens with the new key, every page authenticates, it is intact, and every
    table holds exactly as many rows as the vault did. Raises DatabaseCorruptError if not."""
    engine = open_engine(path, key)
    try:
        with engine.connect() as connection:
            if list(connection.execute(text("PRAGMA cipher_integrity_check"))):
                raise DatabaseCorruptError()
            if [r for (r,) in connection.execute(text("PRAGMA integrity_check"))] != ["ok"]:
                raise DatabaseCorruptError()
            got = int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
            counts = {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in ALL_TABLES
            }
        if got != count or counts != expected:
            raise DatabaseCorruptError()
    except SQLAlchemyError as exc:
        raise translate_error(exc) from exc
    finally:
        engine.dispose()


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in ALL_TABLES
        }


def swap_rotated(paths: DataPaths) -> None:
    """Puts the re-keyed database and its header in place; crash-safe with
    ``finish_interrupted_rotation``: renaming the database is the commit point."""
    for leftover in _database_files(paths)[1:]:
        leftover.unlink(missing_ok=True)  # the old key's WAL must never meet the new file
    os.replace(rotating_database(paths), paths.database)
    fsync_dir(paths.root)
    os.replace(rotating_header(paths), paths.header)
    fsync_dir(paths.root)


def finish_interrupted_rotation(paths: DataPaths) -> None:
    """After a crash during a key rotation (call with the writer lock held): if the database
    was not yet swapped, the rotation is dropped (the old pair is intact); if it was, its
    header is put in place too."""
    new_db, new_header = rotating_database(paths), rotating_header(paths)
    try:
        if new_db.exists():
            new_db.unlink()
            for extra in (new_db.with_name(new_db.name + s) for s in ("-wal", "-shm", "-journal")):
                extra.unlink(missing_ok=True)
            new_header.unlink(missing_ok=True)
            fsync_dir(paths.root)
        elif new_header.exists():
            os.replace(new_header, paths.header)
            fsync_dir(paths.root)
    except OSError as exc:
        raise storage_error(exc) from exc


def _checkpoint(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _database_files(paths: DataPaths) -> list[Path]:
    base = paths.database
    return [base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")]


def new_data_key() -> SecretKey:
    return SecretKey(secrets.token_bytes(hdr.DEK_BYTES))
