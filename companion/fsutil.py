"""Durable, atomic file writes: a temp file in the same folder, fsync, rename, fsync the folder.

A reader (or a crash) sees either the old file or the new one, never a partial one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from companion.errors import CompanionError, ReadOnlyStorageError, StorageFullError


def storage_error(exc: OSError) -> CompanionError:
    """Maps an OS error to the plain message a person should see."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        return StorageFullError()
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyStorageError()
    return CompanionError(f"The file could not be written ({os.strerror(exc.errno or 0)}).")


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Writes ``data`` to ``path`` atomically and durably, or raises leaving ``path`` as it was."""
    folder = path.parent
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if os.name == "posix":
                os.chmod(tmp_name, mode)
            os.replace(tmp_name, path)
            tmp_name = ""
        finally:
            if tmp_name:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
        fsync_dir(folder)
    except OSError as exc:
        raise storage_error(exc) from exc
