"""The commit counter: committed changes that silently disappear are detected.

Why: SQLite in WAL mode keeps recent commits in ``vault.sqlcipher-wal`` until a checkpoint.
If that file is deleted, truncated or damaged (a crash followed by a careless clean-up, a sync
tool that copies the database but not its WAL), or the database is replaced by an older copy
of itself, SQLite opens the older state without a word: every page still authenticates.

How: every write transaction the app makes adds one to a counter kept inside the database
(``PRAGMA user_version``: four bytes in page 1, part of the same transaction, so it commits
or rolls back with the data). The header file beside the database mirrors the counter inside
its MAC (HMAC under a key derived from the data key, so nobody without the key can forge it).
A commit numbered ``n`` runs in three steps, all while this process holds the writer lock:

1. the header is rewritten (atomically) with ``n`` marked *pending*;
2. the database commits (``synchronous=FULL``: on disk when it returns);
3. the header is rewritten with ``n`` *confirmed*.

A crash can stop anywhere, so at rest the pair (header, database) is one of
``(n-1 confirmed, n-1)``, ``(n pending, n-1)``, ``(n pending, n)`` or ``(n confirmed, n)``.
``check`` therefore accepts: a confirmed header equal to the database, or a pending header
equal to the database or one ahead of it. Anything else means committed changes are missing
(the database is behind) or the key file is older than the database (it is ahead), and the
vault is not opened silently.

Residual limits (documented in docs/security.md): the one commit that was in flight when a
crash happened cannot be told apart from a lost one (that is the *pending* window); and
putting back *both* files from the same earlier moment is a consistent older vault that no
file inside the folder can reveal; that needs an anchor outside the folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from companion.crypto import header as hdr
from companion.errors import CompanionError, VaultBusyError
from companion.i18n import N_

MAX_COUNT = 2**31 - 1
LOCK_WAIT_SECONDS = 30.0  # the same as SQLite's busy timeout
_POLL_SECONDS = 0.05


class RollbackDetectedError(CompanionError):
    message = N_(
        "Some changes that were saved are missing from the vault (a file in the data folder "
        "was lost, damaged or replaced by an older copy), so it was not opened. Restore your "
        "latest backup, or open what is left if there is no backup."
    )


def lock_path(root: Path) -> Path:
    return root / ".vault.lock"


_held = threading.local()


@contextlib.contextmanager
def writer_lock(root: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[bool]:
    """The vault's writer lock (``fcntl.flock`` on ``.vault.lock``), held for the block.

    Waits up to ``wait_seconds`` for another window (or process) to finish, then raises
    VaultBusyError. Re-entrant within a thread (an unlock that migrates commits inside it).
    Yields False (and locks nothing) where the folder cannot be written: nobody can write
    there, so reading needs no lock.
    """
    depth: dict[Path, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(root, 0):
        depth[root] += 1
        try:
            yield True
        finally:
            depth[root] -= 1
        return
    try:
        fd = os.open(lock_path(root), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            yield False
            return
        raise
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise VaultBusyError() from None
                time.sleep(_POLL_SECONDS)
        depth[root] = 1
        try:
            yield True
        finally:
            depth[root] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def read_count(dbapi_connection: Any) -> int:
    cursor = dbapi_connection.cursor()
    try:
        return int(cursor.execute("PRAGMA user_version").fetchone()[0])
    finally:
        cursor.close()


def check(header: hdr.VaultHeader, db_count: int) -> None:
    """Raises RollbackDetectedError unless the pair is one a crash can leave (see above)."""
    mark = header.commits
    if mark is None:
        return  # a header from before the counter existed; the next unlock adds it
    if db_count == mark.count or (mark.pending and db_count == mark.count - 1):
        return
    raise RollbackDetectedError()


def settled(header: hdr.VaultHeader, db_count: int) -> bool:
    """True if the header already says exactly what the database holds."""
    return header.commits == hdr.CommitMark(db_count)


HeaderWriter = Callable[[hdr.CommitMark], None]


class CommitGuard:
    """Numbers each write transaction on ``engine`` and mirrors the number in the header.

    ``write_mark`` seals and writes the header with a new mark (the vault service owns the
    header and the key). Installed on an open engine; transactions that change nothing (reads)
    cost nothing.
    """

    def __init__(self, root: Path, write_mark: HeaderWriter) -> None:
        self._root = root
        self._write_mark = write_mark

    def install(self, engine: Engine) -> None:
        event.listen(engine, "begin", self._on_begin)
        event.listen(engine, "commit", self._on_commit)

    def _on_begin(self, connection: Any) -> None:
        dbapi = connection.connection.driver_connection
        connection.info["companion_changes"] = dbapi.total_changes

    def _on_commit(self, connection: Any) -> None:
        dbapi = connection.connection.driver_connection
        if dbapi.in_transaction is False:
            return
        if dbapi.total_changes == connection.info.get("companion_changes"):
            return  # nothing written: a read, or an empty unit of work
        with writer_lock(self._root):
            count = read_count(dbapi) + 1
            if count > MAX_COUNT:
                raise CompanionError(N_("The vault has reached its limit of saved changes."))
            cursor = dbapi.cursor()
            try:
                cursor.execute(f"PRAGMA user_version = {count:d}")
                self._write_mark(hdr.CommitMark(count, pending=True))
                # Commit here, inside the lock, so the confirmed mark below cannot overtake a
                # later writer's pending one; the driver's own commit then finds nothing to do.
                cursor.execute("COMMIT")
            finally:
                cursor.close()
            self._write_mark(hdr.CommitMark(count))
