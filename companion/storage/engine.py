"""The SQLCipher engine: the raw data key first, then the pragmas that make writes durable.

The vault file is only ever opened through ``sqlcipher3`` (never the standard ``sqlite3``
module), with a single pooled connection owned by the database worker thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from companion.crypto.secret import SecretKey
from companion.errors import (
    CompanionError,
    DatabaseCorruptError,
    ReadOnlyStorageError,
    StorageFullError,
)

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
)


def open_engine(path: Path, key: SecretKey) -> Engine:
    """An engine for the vault at ``path``. The key is read when the connection opens."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
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
            for pragma in PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


# SQLite result codes (https://sqlite.org/rescode.html), primary code = extended & 0xFF.
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
    if "not a database" in text or "malformed" in text or "hmac" in text:
        return DatabaseCorruptError()
    if "disk is full" in text or "disk i/o error" in text or "too large" in text:
        return StorageFullError()
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return ReadOnlyStorageError()
    return CompanionError("The vault could not be read or written. Nothing was changed.")
