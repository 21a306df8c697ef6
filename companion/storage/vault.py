"""The vault on disk: header file + encrypted database, created, opened, re-keyed and checked.

This module knows files and keys; it knows nothing of the UI. ``services.vault`` wraps it with
the state (locked or unlocked) and the policy (passphrase strength).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
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
from companion.paths import DataPaths
from companion.storage import migrate
from companion.storage.engine import open_engine, translate_error
from companion.storage.models import ALL_TABLES


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


def open_database(paths: DataPaths, dek: SecretKey) -> Engine:
    """Opens the database with the unwrapped key and brings its schema up to date."""
    if not paths.database.exists():
        raise DatabaseCorruptError(
            "The vault's database file is missing, so the vault was not opened. "
            "Restore it from a backup."
        )
    engine = open_engine(paths.database, dek)
    try:
        migrate.upgrade_to_head(engine)
    except (SQLAlchemyError, DBAPIError) as exc:
        engine.dispose()
        raise translate_error(exc) from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def verify(engine: Engine, header: hdr.VaultHeader, dek: SecretKey) -> VerifyReport:
    """Full check: header MAC, every page's HMAC, SQLite's integrity and foreign keys."""
    problems: list[str] = []
    try:
        header.verify_mac(dek)
    except HeaderTamperedError:
        problems.append("header: the key file's authentication code does not match")
    counts: dict[str, int] = {}
    revision: str | None = None
    try:
        with engine.connect() as connection:
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
        revision = migrate.current_revision(engine)
        if revision != migrate.head_revision():
            problems.append(f"schema: at {revision}, expected {migrate.head_revision()}")
    except SQLAlchemyError as exc:
        problems.append(f"database: {type(translate_error(exc)).__name__}")
    return VerifyReport(not problems, tuple(problems), counts, revision)


def _checkpoint(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _database_files(paths: DataPaths) -> list[Path]:
    base = paths.database
    return [base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")]


def new_data_key() -> SecretKey:
    return SecretKey(secrets.token_bytes(hdr.DEK_BYTES))
