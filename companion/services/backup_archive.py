"""The backup file: a zip (stored, not compressed: the content is ciphertext) of the database
copy, the key file and a manifest with their SHA-256, written atomically beside its target and
read back with every damage a zip can carry refused as ``BackupInvalidError``.

``BackupService`` (``companion.services.backup``) makes and restores them; checking the
database inside is ``backup_check``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.crypto import header as hdr
from companion.errors import CompanionError, HeaderTamperedError
from companion.fsutil import fsync_dir, storage_error
from companion.i18n import N_

SUFFIX = ".companion-backup"
MANIFEST = "companion-backup.json"
DB_NAME = "vault.sqlcipher"
HEADER_NAME = "vault.header"
BACKUP_FORMAT = 1
_COPY_BLOCK = 1024 * 1024
# What a damaged zip directory can make zipfile raise (one flipped byte: a bad method number,
# a name that is not UTF-8, a size that overflows, "encrypted" flags, a broken deflate stream).
_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OverflowError,
    struct.error,
    zlib.error,
)


class BackupInvalidError(CompanionError):
    message = N_(
        "This backup could not be verified (it is damaged, incomplete or not a Companion "
        "backup), so it was not restored. Your current vault is unchanged."
    )
    vault_unchanged = True


@dataclass(frozen=True, slots=True)
class CheckedBackup:
    header: hdr.VaultHeader
    header_bytes: bytes
    manifest: dict[str, Any]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_COPY_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def temp_in(folder: Path, name: str, suffix: str) -> Iterator[Path]:
    """A temp file beside the target (never in /tmp), removed on the way out."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=folder)
        os.close(fd)
    except OSError as exc:
        raise storage_error(exc) from exc
    temp = Path(tmp)
    try:
        yield temp
    except OSError as exc:
        raise storage_error(exc) from exc
    finally:
        for leftover in (
            temp,
            temp.with_name(temp.name + "-journal"),
            temp.with_name(temp.name + "-wal"),
            temp.with_name(temp.name + "-shm"),
        ):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_zip(out: Path, manifest: dict[str, Any], header_bytes: bytes, db_file: Path) -> None:
    with temp_in(out.parent, out.name, ".tmp") as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, sort_keys=True, indent=1))
            archive.writestr(HEADER_NAME, header_bytes)
            archive.write(db_file, DB_NAME)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        if os.name == "posix":
            tmp.chmod(0o600)
        os.replace(tmp, out)
    fsync_dir(out.parent)


def read_checked(path: Path) -> CheckedBackup:
    """Zip, manifest and header checked; the database is not read yet."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise BackupInvalidError()
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {MANIFEST, HEADER_NAME, DB_NAME} <= names:
                raise BackupInvalidError()
            for small in (MANIFEST, HEADER_NAME):
                if archive.getinfo(small).file_size > hdr.MAX_HEADER_BYTES:
                    raise BackupInvalidError()
            manifest = json.loads(archive.read(MANIFEST))
            header_bytes = archive.read(HEADER_NAME)
    except FileNotFoundError:
        raise CompanionError(N_("There is no backup file at that path.")) from None
    except _ZIP_DAMAGE as exc:
        raise BackupInvalidError() from exc
    except OSError as exc:
        raise storage_error(exc) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise BackupInvalidError()
    if hashlib.sha256(header_bytes).hexdigest() != manifest.get("header_sha256"):
        raise BackupInvalidError()
    try:
        header = hdr.VaultHeader.from_bytes(header_bytes)
    except HeaderTamperedError as exc:
        raise BackupInvalidError() from exc
    return CheckedBackup(header, header_bytes, manifest)


def extract(path: Path, target: Path, manifest: dict[str, Any]) -> None:
    digest = hashlib.sha256()
    try:
        with (
            zipfile.ZipFile(path) as archive,
            archive.open(DB_NAME) as source,
            target.open("wb") as sink,
        ):
            for block in iter(lambda: source.read(_COPY_BLOCK), b""):
                digest.update(block)
                sink.write(block)
            sink.flush()
            os.fsync(sink.fileno())
    except _ZIP_DAMAGE as exc:
        raise BackupInvalidError() from exc
    except OSError as exc:
        raise storage_error(exc) from exc
    if digest.hexdigest() != manifest.get("database_sha256"):
        raise BackupInvalidError()
