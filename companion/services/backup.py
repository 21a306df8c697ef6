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

The service is here; the file format is ``backup_archive``, the checks of the database inside
``backup_check``, and moving the current vault aside and back ``backup_aside``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from companion.crypto import header as hdr
from companion.errors import CompanionError, HeaderTamperedError, NoVaultError
from companion.export.progress import CancelToken, Progress, ProgressFn
from companion.fsutil import fsync_dir, storage_error
from companion.i18n import N_
from companion.services.backup_archive import (
    BACKUP_FORMAT,
    SUFFIX,
    BackupInvalidError,
    extract,
    read_checked,
    sha256_file,
    temp_in,
    write_zip,
)
from companion.services.backup_aside import move_aside, put_back
from companion.services.backup_check import (
    BackupContents,
    check_database,
    open_raw,
    read_contents,
    refuse_newer,
)
from companion.services.vault import VaultService
from companion.storage import migrate
from companion.storage.engine import translate_error

log = logging.getLogger(__name__)

AUTO_PREFIX = "companion-"
DEFAULT_KEEP = 10
_AUTO_NAME = re.compile(r"^companion-\d{8}-\d{6}(-\d+)?\.companion-backup$")


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
        with temp_in(out.parent, out.name, ".db.tmp") as db_copy:
            with self._vault.borrowed_key() as key:
                try:
                    with engine.connect() as connection:
                        source: Any = connection.connection.driver_connection
                        target = open_raw(db_copy, key)
                        try:
                            source.backup(target, pages=4096, progress=_backup_progress(steps))
                            count = int(target.execute("PRAGMA user_version").fetchone()[0])
                        finally:
                            target.close()
                except sqlcipher.Error as exc:
                    raise translate_error(exc) from exc
                steps.step(0.6, "check")
                check_database(db_copy, key)
                # The copied header carries the copy's own commit count, sealed with the key,
                # so a restore can tell this database from any other copy of the vault.
                header.verify_mac(key)
                header_bytes = header.with_commits(hdr.CommitMark(count), key).to_bytes()
            revision = migrate.current_revision(engine)
            manifest = {
                "format": BACKUP_FORMAT,
                "vault_id": header.vault_id,
                "schema_revision": revision,
                "database_sha256": sha256_file(db_copy),
                "header_sha256": hashlib.sha256(header_bytes).hexdigest(),
            }
            steps.step(0.8, "write")
            write_zip(out, manifest, header_bytes, db_copy)
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
        checked = read_checked(Path(path))
        self._check_same_vault(checked.header)
        dek = hdr.unwrap_with_passphrase(checked.header, passphrase)
        try:
            with temp_in(self._vault.paths.root, "verify", ".db.tmp") as db_copy:
                extract(Path(path), db_copy, checked.manifest)
                return read_contents(db_copy, dek, checked.header)
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
        checked = read_checked(Path(path))
        self._check_same_vault(checked.header)
        dek = hdr.unwrap_with_passphrase(checked.header, passphrase)  # wrong one: refused here
        steps.step(0.2, "check")
        with temp_in(paths.root, "restore", ".db.tmp") as db_copy:
            try:
                extract(Path(path), db_copy, checked.manifest)
                steps.step(0.4, "check")
                read_contents(db_copy, dek, checked.header)
            finally:
                dek.wipe()
            revision = checked.manifest.get("schema_revision")
            refuse_newer(revision)
            steps.check()  # the last moment a cancel leaves everything as it was
            self._vault.lock()
            aside = move_aside(paths.root, self._now())
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
                put_back(paths.root, aside)
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


def _backup_progress(steps: Progress) -> Callable[[int, int, int], None]:
    def report(_status: int, remaining: int, total: int) -> None:
        if total:
            steps.step(0.05 + 0.55 * (total - remaining) / total, "copy")

    return report


def _write_file(path: Path, data: bytes) -> None:
    from companion.fsutil import atomic_write

    atomic_write(path, data)


def _is_auto(name: str) -> bool:
    return bool(_AUTO_NAME.match(name))
