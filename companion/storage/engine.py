"""The SQLCipher engine: the raw data key first, then the pragmas that make writes durable.

The vault file is only ever opened through ``sqlcipher3`` (never the standard ``sqlite3``
module), with a single pooled connection owned by the database worker thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool, StaticPool

from companion.crypto.secret import SecretKey
from companion.errors import (
    CompanionError,
    DatabaseCorruptError,
    ReadOnlyStorageError,
    StorageFullError,
    VaultBusyError,
)
from companion.i18n import N_

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
)
WRITE_INTENT = "companion_write_intent"
READ_ONLY_PRAGMAS = ("PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY")


def route_cipher_log(log_file: Path | None) -> None:
    """Sends SQLCipher's own diagnostics (page numbers and error codes, never data) to the app's
    log folder instead of stderr, where they printed three lines of "ERROR CORE" before the
    one calm sentence a damaged vault deserves. The setting is process-wide in SQLCipher.
    ``None`` (or a folder nobody can write to) turns them off: ``verify`` reports the same
    damage page by page anyway."""
    connection = sqlcipher.connect(":memory:")
    try:
        target = None
        if log_file is not None:
            try:
                log_file.parent.mkdir(parents=True, exist_ok=True)
                with log_file.open("a"):
                    pass
                target = str(log_file)
            except OSError:
                target = None
        if target is None:
            connection.execute("PRAGMA cipher_log_level = NONE")
        else:
            connection.execute("PRAGMA cipher_log = '{}'".format(target.replace("'", "''")))
            connection.execute("PRAGMA cipher_log_level = WARN")
    finally:
        connection.close()


def open_engine(path: Path, key: SecretKey, read_only: bool = False) -> Engine:
    """An engine for the vault at ``path``. The key is read when the connection opens.

    ``read_only`` is for a data folder nobody can write to (a read-only mount, a locked-down
    copy): SQLite opens the file read-only, as ``immutable`` when no WAL is beside it (it cannot
    create the shared-memory file there), and nothing is ever written.
    """
    url = f"sqlite+pysqlite:///{path}"
    if read_only:
        wal = path.with_name(path.name + "-wal")
        flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
        url = f"sqlite+pysqlite:///file:{quote(str(path))}?{flags}&uri=true"
    engine = create_engine(
        url,
        module=sqlcipher,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=30,
        connect_args={"check_same_thread": False, "timeout": 30},
        hide_parameters=True,  # parameters may hold journal text; keep them out of errors
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's implicit transactions are switched off; SQLAlchemy's "begin" below
        # issues BEGIN itself, so every unit of work is one real transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            # Touch the first page: with a wrong key or a damaged file this fails here.
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
            for pragma in READ_ONLY_PRAGMAS if read_only else PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A unit of work asks for IMMEDIATE (execution option ``write_intent``): it takes the
        # write lock up front, so a writer in another window makes it wait for the busy timeout
        # (30 s) instead of failing at once when a read transaction cannot be upgraded
        # (SQLITE_BUSY_SNAPSHOT gets no busy wait). Other connections begin deferred.
        immediate = connection.get_execution_options().get(WRITE_INTENT) and not read_only
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_memory_engine() -> Engine:
    """A database that lives only in memory (a rehearsal's): the same SQLite build and
    transaction handling as the vault's, no file, no key. One connection, kept for the engine's
    life (the data is gone when it is disposed)."""
    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher,
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in READ_ONLY_PRAGMAS:  # foreign keys on, temporary data in memory
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


# SQLite result codes (https://sqlite.org/rescode.html), primary code = extended & 0xFF.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_IOERR_READ = 266
_SQLITE_IOERR_SHORT_READ = 522


def translate_error(exc: BaseException) -> CompanionError:
    """Maps a driver error to the sentence a person should see; the original stays chained."""
    original = getattr(exc, "orig", exc)
    code = getattr(original, "sqlite_errorcode", None)
    text = str(original).lower()
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or code in (
            _SQLITE_IOERR_READ,
            _SQLITE_IOERR_SHORT_READ,
        ):
            return DatabaseCorruptError()
        if primary in (_SQLITE_FULL, _SQLITE_IOERR):
            # Writes that fail (no space, file too large, a failing disk) land here.
            return StorageFullError()
        if primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            return ReadOnlyStorageError()
        if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return VaultBusyError()
    if "not a database" in text or "malformed" in text or "hmac" in text:
        return DatabaseCorruptError()
    if "disk is full" in text or "disk i/o error" in text or "too large" in text:
        return StorageFullError()
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return ReadOnlyStorageError()
    if "database is locked" in text:
        return VaultBusyError()
    return CompanionError(
        N_("The vault could not be read or written. Nothing was changed."), vault_unchanged=True
    )
