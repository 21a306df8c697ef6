"""Durable, atomic file writes: a temp file in the same folder, fsync, rename, fsync the folder.

A reader (or a crash) sees either the old file or the new one, never a partial one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from companion.errors import CompanionError, ReadOnlyStorageError, StorageFullError
from companion.i18n import N_, Text, format_number, n_


def storage_error(exc: OSError) -> CompanionError:
    """Maps an OS error to the plain message a person should see."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        return StorageFullError()
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyStorageError()
    return CompanionError(
        N_("The file could not be written ({strerror})."), strerror=os.strerror(exc.errno or 0)
    )


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
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


# --- reading files someone handed us ---------------------------------------------------------
class FileRefusedError(CompanionError):
    """A file that is not read at all: not a regular file, or larger than ``limit`` bytes.
    ``reason`` is the same refusal as a clause ("it is larger than 1 GiB") for a caller whose
    own sentence says what was not done."""

    message = N_(
        "That file is not a regular file (it is a device, pipe or socket), so it was not read. "
        "Nothing was changed."
    )
    vault_unchanged = True

    def __init__(self, limit: int | None = None) -> None:
        if limit is None:
            super().__init__()
            self.reason = Text(N_("it is not a regular file (it is a device, pipe or socket)"))
        else:
            size = _size_text(limit)
            super().__init__(
                N_("That file is larger than {size}, so it was not read. Nothing was changed."),
                size=size,
            )
            self.reason = Text(N_("it is larger than {size}"), {"size": size})


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    Opened without blocking (a FIFO would otherwise wait forever for a writer) and checked
    with ``fstat`` on the open descriptor (no race with a rename); devices such as
    ``/dev/zero``, FIFOs, sockets and folders are refused at once, and a file that grows past
    the cap while being read is refused without reading further. OSErrors (missing file,
    permissions) propagate for the caller to word.
    """
    with open_regular_file(path, max_bytes) as handle:
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = handle.read(min(1024 * 1024, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise FileRefusedError(max_bytes)
        return b"".join(chunks)


def open_regular_file(path: Path, max_bytes: int) -> BinaryIO:
    """``path`` opened for reading (unbuffered) after ``read_regular_file``'s checks; a
    reader that reads it bit by bit must refuse it past ``max_bytes`` itself."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise FileRefusedError()
        if info.st_size > max_bytes:
            raise FileRefusedError(max_bytes)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def read_head(path: Path, count: int) -> bytes:
    """The first ``count`` bytes of a regular file (refused like ``read_regular_file``)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise FileRefusedError()
        return os.read(fd, count)
    finally:
        os.close(fd)


def _size_text(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{format_number(round(size / factor, 2))} {unit}"
    return n_("{n} byte", "{n} bytes", size)


MAX_NESTING = 48


def nesting_depth(text: str, language: str, limit: int = MAX_NESTING) -> int:
    """How deeply ``[``/``{`` nest in JSON or TOML text, skipping strings and comments; stops
    counting as soon as ``limit`` is passed (so a hostile file costs one linear scan, and the
    parser, which recurses, is never handed it)."""
    if language == "json":
        return _json_nesting_depth(text, limit)
    depth = deepest = 0
    i, n = 0, len(text)
    toml = language == "toml"
    while i < n:
        ch = text[i]
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == '"' or (toml and ch == "'"):
            i = _skip_string(text, i, toml)
            continue
        elif toml and ch == "#":
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
            continue
        i += 1
    return deepest


# A JSON string (escapes included; an unterminated one runs to the end of the text), or a run
# of text holding no quote or bracket. Matching these in the regex engine keeps a 100 MB export
# one C-speed pass: the character loop below took 10-40 s on it (issue 16).
_JSON_SKIP = re.compile(r'"(?:[^"\\]++|\\[\s\S])*+(?:"|\\?\Z)|[^"\[\]{}]++')


def _json_nesting_depth(text: str, limit: int) -> int:
    """``nesting_depth`` for JSON: the same count as the character loop."""
    depth = deepest = 0
    for ch in _JSON_SKIP.sub("", text):
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth = max(0, depth - 1)
    return deepest


def _skip_string(text: str, i: int, toml: bool) -> int:
    quote = text[i]
    if toml and text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        if quote == '"':
            while end >= 0 and _escaped(text, end):
                end = text.find(quote * 3, end + 1)
        return len(text) if end < 0 else end + 3
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch == "\\" and quote == '"':
            j += 2
            continue
        if ch == quote or (toml and ch == "\n"):
            return j + 1
        j += 1
    return j


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def first_unencodable(value: object, pointer: str = "") -> str | None:
    """The JSON pointer of the first string (value or key) holding a lone surrogate, which no
    UTF-8 file or database can store; None if every string is valid Unicode."""
    if _all_encodable(value):  # the usual answer, found without building any pointer
        return None
    stack: list[tuple[object, str]] = [(value, pointer)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                return where or "/"
        elif isinstance(item, dict):
            for key, child in item.items():
                escaped = str(key).replace("~", "~0").replace("/", "~1")
                if isinstance(key, str) and not _encodable(key):
                    return where or "/"
                stack.append((child, f"{where}/{escaped}"))
        elif isinstance(item, (list, tuple)):
            stack.extend((child, f"{where}/{index}") for index, child in enumerate(item))
    return None


def _all_encodable(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                return False
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and not _encodable(key):
                    return False
                stack.append(child)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return True


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> bool:
    # Any surrogate code point left in a str is a lone one (json pairs them up); searching
    # for one copies nothing, unlike encoding a long text to see whether it fails.
    return text.isascii() or _SURROGATE.search(text) is None
