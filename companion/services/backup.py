"""Backups and restore: whole encrypted vaults, made with SQLite's online backup API.

A backup file (``*.companion-backup``) is a zip (stored, not compressed: the content is
ciphertext) holding

* ``vault.sqlcipher``: a page-by-page copy of the database made with the online backup API
  into a new file keyed with the same data key (so it stays encrypted; the vault stays usable
  while it runs), checked with ``cipher_integrity_check`` before it is packed;
* ``vault.header``: the key file as it was, so the backup opens with the passphrase or the
  recovery key that opened the vault then;
* ``companion-backup.json``: format, schema revision and SHA-256 of both files (no private
  data), to tell accidental damage apart from a wrong passphrase.

The file is written like every export: temp files in the target folder, fsync, rename.
Automatic backups (``after_session``) go to a folder the patient can change (a USB stick) and
only the newest ``keep`` (default 10) automatic ones are kept.

Restore refuses a backup it cannot verify (zip, checksums, header, the passphrase unwrapping
the key, the header MAC, every page's HMAC, integrity), then moves the current vault aside
(``previous-vault-<time>/`` in the data folder), puts the backup in place and unlocks and
verifies it; if anything fails the current vault is put back exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from companion.crypto import header as hdr
from companion.crypto.secret import SecretKey
from companion.errors import CompanionError, HeaderTamperedError, NoVaultError
from companion.export.progress import CancelToken, Progress, ProgressFn
from companion.fsutil import fsync_dir, storage_error
from companion.i18n import N_, _, format_date, n_
from companion.services.vault import VaultService
from companion.storage import migrate
from companion.storage.engine import translate_error

log = logging.getLogger(__name__)

SUFFIX = ".companion-backup"
AUTO_PREFIX = "companion-"
MANIFEST = "companion-backup.json"
DB_NAME = "vault.sqlcipher"
HEADER_NAME = "vault.header"
BACKUP_FORMAT = 1
DEFAULT_KEEP = 10
_AUTO_NAME = re.compile(r"^companion-\d{8}-\d{6}(-\d+)?\.companion-backup$")
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


class RestoreFailedError(CompanionError):
    message = N_(
        "The restored vault did not verify, so your previous vault was put back unchanged."
    )
    vault_unchanged = True


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created_at: datetime
    size: int
    automatic: bool


@dataclass(frozen=True, slots=True)
class BackupOutcome:
    """What ``after_session`` did: a backup, or the plain reason it could not make one."""

    backup: BackupInfo | None
    error: str | None


@dataclass(frozen=True, slots=True)
class RestoreReport:
    restored_from: Path
    previous_vault: Path | None  # where the replaced vault was kept (encrypted, as it was)
    schema_revision: str | None
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class BackupContents:
    """What a verified backup holds (no private text): table sizes and the span of dates."""

    counts: dict[str, int]
    first_entry: datetime | None
    last_entry: datetime | None
    last_session: datetime | None
    schema_revision: str | None

    def summary(self) -> str:
        entries = self.counts.get("journal_entry", 0)
        sessions = self.counts.get("session", 0)
        lines = [
            n_(
                "This backup holds {n} journal entry.",
                "This backup holds {n} journal entries.",
                entries,
            )
        ]
        if self.first_entry and self.last_entry:
            lines.append(
                _("They were written from {first} to {last}.").format(
                    first=format_date(self.first_entry.date()),
                    last=format_date(self.last_entry.date()),
                )
            )
        lines.append(n_("It holds {n} session.", "It holds {n} sessions.", sessions))
        return " ".join(lines)


@dataclass(frozen=True, slots=True)
class _Checked:
    header: hdr.VaultHeader
    header_bytes: bytes
    manifest: dict[str, Any]


class BackupService:
    def __init__(
        self,
        vault: VaultService,
        now: Callable[[], datetime],
        folder: Path | None = None,
        keep: int = DEFAULT_KEEP,
    ) -> None:
        self._vault = vault
        self._now = now
        self._folder = folder
        self._keep = keep

    # --- where ---------------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        """Where automatic backups go: the patient's choice, else ``<data>/backups``."""
        return self._folder or self._vault.paths.backups

    @property
    def keep(self) -> int:
        return self._keep

    def configure(self, folder: Path | None, keep: int = DEFAULT_KEEP) -> None:
        """Set from the preferences (``None``: the default folder)."""
        if keep < 1:
            raise ValueError("keep at least one backup")
        self._folder = folder
        self._keep = keep

    # --- making backups ------------------------------------------------------------------------
    def backup_to(
        self,
        out: Path,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> BackupInfo:
        """A backup of the unlocked vault into the file ``out`` (replaced atomically)."""
        steps = Progress(progress, cancel)
        out = Path(out)
        if not out.parent.is_dir():
            raise CompanionError(
                N_(
                    "The folder for the backup does not exist. Choose another place; nothing was "
                    "written."
                )
            )
        paths = self._vault.paths
        engine = self._vault.engine  # raises VaultLockedError when locked
        try:
            header = hdr.VaultHeader.from_bytes(paths.header.read_bytes())
        except FileNotFoundError as exc:
            raise NoVaultError() from exc
        except OSError as exc:
            raise storage_error(exc) from exc
        steps.step(0.05, "copy")
        with _temp_in(out.parent, out.name, ".db.tmp") as db_copy:
            with self._vault.borrowed_key() as key:
                try:
                    with engine.connect() as connection:
                        source: Any = connection.connection.driver_connection
                        target = _open_raw(db_copy, key)
                        try:
                            source.backup(target, pages=4096, progress=_backup_progress(steps))
                            count = int(target.execute("PRAGMA user_version").fetchone()[0])
                        finally:
                            target.close()
                except sqlcipher.Error as exc:
                    raise translate_error(exc) from exc
                steps.step(0.6, "check")
                _check_database(db_copy, key)
                # The copied header carries the copy's own commit count, sealed with the key,
                # so a restore can tell this database from any other copy of the vault.
                header.verify_mac(key)
                header_bytes = header.with_commits(hdr.CommitMark(count), key).to_bytes()
            revision = migrate.current_revision(engine)
            manifest = {
                "format": BACKUP_FORMAT,
                "vault_id": header.vault_id,
                "schema_revision": revision,
                "database_sha256": _sha256_file(db_copy),
                "header_sha256": hashlib.sha256(header_bytes).hexdigest(),
            }
            steps.step(0.8, "write")
            _write_zip(out, manifest, header_bytes, db_copy)
        steps.step(1.0, "done")
        log.info("backup.written")
        return BackupInfo(out, self._now(), out.stat().st_size, _is_auto(out.name))

    def backup_now(
        self, progress: ProgressFn | None = None, cancel: CancelToken | None = None
    ) -> BackupInfo:
        """A backup into the backup folder, named by time; then older automatic ones go."""
        folder = self.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc) from exc
        stamp = self._now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        out = folder / f"{AUTO_PREFIX}{stamp}{SUFFIX}"
        n = 1
        while out.exists():
            n += 1
            out = folder / f"{AUTO_PREFIX}{stamp}-{n}{SUFFIX}"
        info = self.backup_to(out, progress, cancel)
        self.prune()
        return info

    def after_session(self) -> BackupOutcome:
        """The hook the session UI calls after each completed session (on the worker)."""
        try:
            return BackupOutcome(self.backup_now(), None)
        except CompanionError as exc:
            log.warning("backup.after_session_failed")
            return BackupOutcome(None, str(exc))

    def list_backups(self, folder: Path | None = None) -> list[BackupInfo]:
        """Backup files in the folder, newest first."""
        where = folder or self.folder
        found = []
        with contextlib.suppress(OSError):
            for path in where.iterdir():
                if path.name.endswith(SUFFIX) and path.is_file():
                    stat = path.stat()
                    found.append(
                        BackupInfo(
                            path,
                            datetime.fromtimestamp(stat.st_mtime, UTC),
                            stat.st_size,
                            _is_auto(path.name),
                        )
                    )
        found.sort(key=lambda b: (b.path.name if b.automatic else "", b.created_at), reverse=True)
        return found

    def prune(self) -> int:
        """Deletes automatic backups beyond the newest ``keep``. Returns how many went."""
        automatic = sorted(
            (b for b in self.list_backups() if b.automatic), key=lambda b: b.path.name, reverse=True
        )
        removed = 0
        for old in automatic[self._keep :]:
            with contextlib.suppress(OSError):
                old.path.unlink()
                removed += 1
        return removed

    # --- checking and restoring ----------------------------------------------------------------
    def verify_backup(self, path: Path, passphrase: str) -> dict[str, int]:
        """Checks a backup completely without touching the vault; returns its table sizes."""
        return dict(self.describe_backup(path, passphrase).counts)

    def describe_backup(self, path: Path, passphrase: str) -> BackupContents:
        """Checks a backup completely (as ``restore`` would) without touching the vault, and
        says what it holds, so the patient sees it before anything is replaced."""
        checked = _read_checked(Path(path))
        self._check_same_vault(checked.header)
        dek = hdr.unwrap_with_passphrase(checked.header, passphrase)
        try:
            with _temp_in(self._vault.paths.root, "verify", ".db.tmp") as db_copy:
                _extract(Path(path), db_copy, checked.manifest)
                return _contents(db_copy, dek, checked.header)
        finally:
            dek.wipe()

    def _check_same_vault(self, backup_header: hdr.VaultHeader) -> None:
        """A backup replaces this vault only if it is a copy of this vault (same vault id; the
        id is covered by the header MAC under the backup's data key, checked at unwrap). With no
        vault in the folder (a new computer) any Companion backup may be restored."""
        try:
            current = hdr.VaultHeader.from_bytes(self._vault.paths.header.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, HeaderTamperedError):
            return  # a damaged current key file must not block the way out
        if current.vault_id != backup_header.vault_id:
            raise BackupInvalidError(
                N_(
                    "This backup belongs to a different Companion vault, so it was not restored. "
                    "Your current vault is unchanged."
                )
            )

    def restore(
        self,
        path: Path,
        passphrase: str,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> RestoreReport:
        """Replaces the vault with the backup (opened with the backup's passphrase), leaves it
        unlocked, and keeps the replaced vault aside in the data folder."""
        steps = Progress(progress, cancel)
        paths = self._vault.paths
        try:
            paths.ensure()
        except OSError as exc:
            raise storage_error(exc) from exc
        checked = _read_checked(Path(path))
        self._check_same_vault(checked.header)
        dek = hdr.unwrap_with_passphrase(checked.header, passphrase)  # wrong one: refused here
        steps.step(0.2, "check")
        with _temp_in(paths.root, "restore", ".db.tmp") as db_copy:
            try:
                _extract(Path(path), db_copy, checked.manifest)
                steps.step(0.4, "check")
                _contents(db_copy, dek, checked.header)
            finally:
                dek.wipe()
            revision = checked.manifest.get("schema_revision")
            _refuse_newer(revision)
            steps.check()  # the last moment a cancel leaves everything as it was
            self._vault.lock()
            aside = _move_aside(paths.root, self._now())
            try:
                os.replace(db_copy, paths.database)
                _write_file(paths.header, checked.header_bytes)
                fsync_dir(paths.root)
                steps.step(0.7, "open")
                self._vault.unlock(passphrase)
                report = self._vault.verify()
                if not report.ok:
                    raise RestoreFailedError()
            except BaseException as exc:
                self._vault.lock()
                _put_back(paths.root, aside)
                log.warning("backup.restore_rolled_back")
                if isinstance(exc, CompanionError) and not isinstance(exc, RestoreFailedError):
                    raise RestoreFailedError(
                        N_(
                            "The restored vault did not verify, so your previous vault was put "
                            "back unchanged. ({reason})"
                        ),
                        reason=exc,
                    ) from exc
                raise
        steps.step(1.0, "done")
        log.info("backup.restored")
        return RestoreReport(Path(path), aside, report.schema_revision, dict(report.counts))


# --------------------------------------------------------------------------------------------


def _open_raw(path: Path, key: SecretKey) -> Any:
    connection = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def _backup_progress(steps: Progress) -> Callable[[int, int, int], None]:
    def report(_status: int, remaining: int, total: int) -> None:
        if total:
            steps.step(0.05 + 0.55 * (total - remaining) / total, "copy")

    return report


def _check_database(path: Path, key: SecretKey) -> dict[str, int]:
    """Every page's HMAC, SQLite's integrity check; returns row counts of the main tables."""
    try:
        connection = _open_raw(path, key)
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    try:
        problems = [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if problems or integrity != ["ok"]:
            raise BackupInvalidError()
        counts = {}
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'journal_fts%' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
        ):
            counts[name] = int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # noqa: S608 (names from sqlite_master)
        return counts
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    finally:
        connection.close()


def _contents(path: Path, key: SecretKey, header: hdr.VaultHeader) -> BackupContents:
    """The full check of an extracted backup database, then what it holds.

    Besides page HMACs and integrity, the database's commit count must be the one sealed into
    the backup's header: a database swapped for another copy of the same vault (with a
    recomputed manifest) is refused."""
    counts = _check_database(path, key)
    try:
        connection = _open_raw(path, key)
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    try:
        count = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if header.commits is not None and header.commits.count != count:
            raise BackupInvalidError()
        first, last = _span(connection, "journal_entry", "created_at")
        _unused, last_session = _span(connection, "session", "started_at")
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    finally:
        connection.close()
    return BackupContents(counts, first, last, last_session, None)


def _span(connection: Any, table: str, column: str) -> tuple[datetime | None, datetime | None]:
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if not exists:
        return None, None
    row = connection.execute(f'SELECT min("{column}"), max("{column}") FROM "{table}"').fetchone()  # noqa: S608 (fixed names)
    return _as_time(row[0]), _as_time(row[1])


def _as_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_COPY_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _temp_in(folder: Path, name: str, suffix: str) -> Iterator[Path]:
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


def _write_zip(out: Path, manifest: dict[str, Any], header_bytes: bytes, db_file: Path) -> None:
    with _temp_in(out.parent, out.name, ".tmp") as tmp:
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


def _write_file(path: Path, data: bytes) -> None:
    from companion.fsutil import atomic_write

    atomic_write(path, data)


def _is_auto(name: str) -> bool:
    return bool(_AUTO_NAME.match(name))


def _read_checked(path: Path) -> _Checked:
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
    return _Checked(header, header_bytes, manifest)


def _extract(path: Path, target: Path, manifest: dict[str, Any]) -> None:
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


def _refuse_newer(revision: object) -> None:
    if revision is None:
        return
    head = migrate.head_revision()
    if not isinstance(revision, str) or revision > head:
        raise BackupInvalidError(
            N_(
                "This backup was made by a newer Companion; update Companion, then restore it. "
                "Your current vault is unchanged."
            )
        )


def _vault_files(root: Path) -> list[Path]:
    return [
        root / HEADER_NAME,
        root / DB_NAME,
        root / f"{DB_NAME}-wal",
        root / f"{DB_NAME}-shm",
    ]


def _move_aside(root: Path, now: datetime) -> Path | None:
    present = [p for p in _vault_files(root) if p.exists()]
    if not present:
        return None
    aside = root / f"previous-vault-{now.astimezone(UTC).strftime('%Y%m%d-%H%M%S')}"
    n = 1
    while aside.exists():
        n += 1
        aside = root / f"previous-vault-{now.astimezone(UTC).strftime('%Y%m%d-%H%M%S')}-{n}"
    try:
        aside.mkdir(mode=0o700)
        for file in present:
            os.replace(file, aside / file.name)
        fsync_dir(aside)
        fsync_dir(root)
    except OSError as exc:
        _put_back(root, aside)
        raise storage_error(exc) from exc
    return aside


def _put_back(root: Path, aside: Path | None) -> None:
    """Removes whatever the restore put in place and moves the previous vault back."""
    for file in _vault_files(root):
        with contextlib.suppress(OSError):
            file.unlink()
    if aside is None or not aside.exists():
        return
    for file in aside.iterdir():
        os.replace(file, root / file.name)
    shutil.rmtree(aside, ignore_errors=True)
    fsync_dir(root)
