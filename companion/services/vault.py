"""Creating, unlocking, locking and re-keying the vault: the state the rest of the app needs."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from companion.crypto import header as hdr
from companion.crypto import recovery
from companion.crypto.kdf import KdfParams, calibrate
from companion.crypto.secret import SecretKey
from companion.domain.passphrase import assess
from companion.errors import (
    CompanionError,
    DamagedDataError,
    DatabaseCorruptError,
    HeaderTamperedError,
    VaultBusyError,
    VaultLockedError,
    WeakPassphraseError,
)
from companion.i18n import N_
from companion.paths import DataPaths
from companion.services import vault_rotation as rotation
from companion.storage import commits
from companion.storage import vault as store
from companion.storage.engine import WRITE_INTENT, translate_error
from companion.storage.vault import VerifyReport

log = logging.getLogger(__name__)

LockListener = Callable[[], None]
PASSWD_WAIT_SECONDS = 2.0  # a commit holds the writer lock for milliseconds; passwd, longer


def _require_strong(passphrase: str) -> None:
    strength = assess(passphrase)
    if not strength.acceptable:
        raise WeakPassphraseError(f"{WeakPassphraseError.message} {strength.reason}".strip())


class VaultService:
    """Holds the unlocked state. All methods but ``exists`` belong on the database worker."""

    def __init__(self, paths: DataPaths, kdf: KdfParams | None = None) -> None:
        self._paths = paths
        self._kdf = kdf  # None: calibrate on this machine at creation (real vaults)
        self._lock = threading.RLock()
        self._engine: Engine | None = None
        self._dek: SecretKey | None = None
        self._header: hdr.VaultHeader | None = None
        # The key being opened with, while ``_open`` runs: a migration on unlock commits (and
        # so writes a commit mark) before the vault is entered.
        self._opening: SecretKey | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._listeners: list[LockListener] = []

    # --- state --------------------------------------------------------------------------------
    @property
    def paths(self) -> DataPaths:
        return self._paths

    def exists(self) -> bool:
        return store.vault_exists(self._paths)

    @property
    def is_unlocked(self) -> bool:
        return self._engine is not None

    def add_lock_listener(self, listener: LockListener) -> None:
        """Called (on the worker) after every lock, so services can drop cached private data."""
        self._listeners.append(listener)

    # --- create / unlock / lock ---------------------------------------------------------------
    @property
    def calibrates(self) -> bool:
        """True when ``create`` needs Argon2id calibrated on this machine (real vaults; tests
        and the demo fix the parameters). The window calibrates off the database worker."""
        return self._kdf is None

    def create(self, passphrase: str, calibrated: KdfParams | None = None) -> str:
        """Creates the vault, leaves it unlocked and returns the recovery key to show once.
        ``calibrated``: parameters already calibrated on this machine (``crypto.kdf``)."""
        _require_strong(passphrase)
        with self._lock:
            params = self._kdf or calibrated or calibrate()
            recovery_text, recovery_secret = recovery.generate()
            dek = store.new_data_key()
            header = hdr.new_header(passphrase, recovery_secret, params, dek)
            recovery_secret.wipe()
            engine = store.create(self._paths, header, dek)
            commits.CommitGuard(self._paths.root, self._write_mark).install(engine)
            self._enter(engine, dek, header)
            log.info("vault.created")
            return recovery_text

    def unlock(self, passphrase: str, accept_missing: bool = False) -> None:
        """Opens the vault. Refuses (RollbackDetectedError) when saved changes are missing,
        unless ``accept_missing``: the patient chose to open what is left (no backup)."""
        with self._lock:
            if self.is_unlocked:
                return
            rotation.recover_interrupted(self._paths)
            header = store.read_header(self._paths)
            dek = hdr.unwrap_with_passphrase(header, passphrase)
            self._open(dek, accept_missing)
            log.info("vault.unlocked")

    def unlock_with_recovery(self, recovery_key: str, new_passphrase: str) -> None:
        """The "forgot passphrase" path: the recovery key opens the vault and sets a new one."""
        _require_strong(new_passphrase)
        with self._lock:
            if not self.is_unlocked:
                rotation.recover_interrupted(self._paths)
            header = store.read_header(self._paths)
            secret = recovery.parse(recovery_key)
            try:
                dek = hdr.unwrap_with_recovery(header, secret)
            finally:
                secret.wipe()
            params = header.slot(hdr.PASSPHRASE).params
            assert params is not None
            slot = hdr.passphrase_slot(header.vault_id, new_passphrase, params, dek)
            if self.is_unlocked:
                dek.wipe()  # the vault already holds its own copy of the key
            else:
                self._open(dek, accept_missing=False)  # it must open before the header changes
            assert self._dek is not None
            self._replace_slot(header, slot, self._dek)
            log.info("vault.recovered")

    def change_passphrase(self, current: str, new: str) -> None:
        """Re-wraps the data key only; the database file is not touched.

        The slow key derivations run first; the header is then re-read under the writer lock,
        and if another window changed the passphrase meanwhile this one says the vault is busy
        rather than silently undoing that change."""
        _require_strong(new)
        with self._lock:
            header = store.read_header(self._paths)
            dek = hdr.unwrap_with_passphrase(header, current)
            try:
                params = header.slot(hdr.PASSPHRASE).params
                assert params is not None
                slot = hdr.passphrase_slot(header.vault_id, new, params, dek)
                self._replace_slot(header, slot, dek)
            finally:
                if self._dek is None or not dek.equals(self._dek):
                    dek.wipe()
            log.info("vault.passphrase_changed")

    def rotate_key(
        self,
        current: str,
        new: str,
        recovery_key: str | None = None,
        progress: Callable[[float, str], None] | None = None,
    ) -> str | None:
        """A passphrase change that also replaces the data key: the database is copied into a
        new file encrypted under a fresh key, checked table by table, and swapped in, so an
        old key file (a backup, a synced copy) plus the old passphrase opens nothing written
        from now on. The recovery key given is wrapped again and keeps working; without one a
        new recovery key is made and returned (to show once). The vault ends unlocked."""
        report = progress or (lambda _f, _s: None)
        _require_strong(new)
        with self._lock:
            paths = self._paths
            header = store.read_header(paths)
            old_dek = hdr.unwrap_with_passphrase(header, current)
            recovery_text, secret = rotation.recovery_for(header, recovery_key, old_dek)
            new_dek = store.new_data_key()
            handed_over = False
            try:
                params = header.slot(hdr.PASSPHRASE).params
                assert params is not None
                report(0.05, "prepare")
                if not self.is_unlocked:
                    self._open(SecretKey(old_dek.reveal()), accept_missing=False)
                with commits.writer_lock(paths.root, PASSWD_WAIT_SECONDS):
                    rekeyed = rotation.Rekeyed(new, secret, params, new_dek)
                    rotation.write_rekeyed(paths, self.engine, header, rekeyed, report)
                    report(0.8, "swap")
                    self.lock()
                    store.swap_rotated(paths)
                    handed_over = True  # _open owns the key now (and wipes it on failure)
                    self._open(new_dek, accept_missing=False)
            finally:
                secret.wipe()
                old_dek.wipe()
                if not handed_over:
                    new_dek.wipe()
            report(1.0, "done")
            log.info("vault.key_rotated")
            return recovery_text

    def _replace_slot(self, read: hdr.VaultHeader, slot: hdr.Slot, dek: SecretKey) -> None:
        with commits.writer_lock(self._paths.root, PASSWD_WAIT_SECONDS):
            now = store.read_header(self._paths)
            if now.slot(slot.kind) != read.slot(slot.kind):
                raise VaultBusyError()
            now.verify_mac(dek)
            new_header = now.with_slot(slot).sealed(dek)
            store.write_header(self._paths, new_header)
            if self.is_unlocked:
                self._header = new_header

    def lock(self) -> None:
        """Closes the database and overwrites the key. Safe to call at any time, repeatedly."""
        with self._lock:
            was_unlocked = self.is_unlocked
            if self._engine is not None:
                self._engine.dispose()
            if self._dek is not None:
                self._dek.wipe()
            self._engine = self._dek = self._header = self._sessions = None
        if was_unlocked:
            for listener in self._listeners:
                listener()
            log.info("vault.locked")

    # --- use ----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed (and fsynced, synchronous=FULL) at the end, or rolled back."""
        if self._sessions is None:
            raise VaultLockedError()
        session = self._sessions()
        connection = None
        try:
            connection = session.connection(execution_options={WRITE_INTENT: True})
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            error = translate_error(exc)
            if type(error) is DatabaseCorruptError:  # an open vault: one part is damaged
                error = DamagedDataError()
            if isinstance(error, DatabaseCorruptError):
                _discard(connection)
            with contextlib.suppress(SQLAlchemyError):
                session.rollback()
            raise error from exc
        except BaseException as exc:
            if isinstance(exc, DatabaseCorruptError):
                _discard(connection)
            with contextlib.suppress(SQLAlchemyError):
                session.rollback()
            raise
        finally:
            with contextlib.suppress(SQLAlchemyError):
                session.close()

    def verify(self) -> VerifyReport:
        """The full check, against the header as it is on disk now."""
        with self._lock:
            if self._engine is None or self._dek is None or self._header is None:
                raise VaultLockedError()
            try:
                header = store.read_header(self._paths)
            except HeaderTamperedError:
                header = self._header
            return store.verify(self._engine, header, self._dek)

    @contextlib.contextmanager
    def borrowed_key(self) -> Iterator[SecretKey]:
        """A copy of the data key for keying a second SQLCipher file with it (a backup); the
        copy is overwritten when the block ends, whatever happens inside it."""
        with self._lock:
            if self._dek is None:
                raise VaultLockedError()
            copy = SecretKey(self._dek.reveal())
        try:
            yield copy
        finally:
            copy.wipe()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VaultLockedError()
        return self._engine

    # --- internals ----------------------------------------------------------------------------
    def _open(self, dek: SecretKey, accept_missing: bool) -> None:
        """Opens the database under the writer lock: the commit counter is checked against the
        header (re-read under the lock) before anything, including a migration, writes."""
        paths = self._paths
        try:
            with commits.writer_lock(paths.root) as writable:
                header = store.read_header(paths)
                header.verify_mac(dek)
                opened: list[hdr.VaultHeader] = [header]

                def check(engine: Engine) -> None:
                    count = store.commit_count(engine)
                    try:
                        commits.check(header, count)
                    except commits.RollbackDetectedError:
                        if not accept_missing:
                            log.warning("vault.rollback_detected")
                            raise self._rollback_error() from None
                        log.warning("vault.rollback_accepted")
                    if writable and store.folder_writable(paths):
                        store.remove_stray_temp_headers(paths)
                        if not commits.settled(header, count):
                            settled = header.with_commits(hdr.CommitMark(count), dek)
                            store.write_header(paths, settled)
                            opened[0] = settled
                    commits.CommitGuard(paths.root, self._write_mark).install(engine)

                read_only = not (writable and store.folder_writable(paths))
                if read_only:
                    log.info("vault.read_only")
                self._opening = dek
                try:
                    engine = store.open_database(paths, dek, check, read_only=read_only)
                finally:
                    self._opening = None
                if self._header is not None and self._header is not opened[0]:
                    opened[0] = self._header  # a migration moved the commit mark on
        except CompanionError:
            dek.wipe()
            raise
        self._enter(engine, dek, opened[0])

    def _write_mark(self, mark: hdr.CommitMark) -> None:
        """Called by the commit guard (writer lock held): the header on disk, re-read so a
        passphrase change made in another window is kept, with the new commit mark."""
        dek = self._dek if self._dek is not None else self._opening
        if dek is None:
            raise VaultLockedError()
        current = store.read_header(self._paths)
        current.verify_mac(dek)
        updated = current.with_commits(mark, dek)
        store.write_header(self._paths, updated)
        self._header = updated

    def _rollback_error(self) -> commits.RollbackDetectedError:
        """The rollback refusal, naming the newest backup when there is one."""
        newest = self._latest_backup()
        if newest is None:
            return commits.RollbackDetectedError()
        return commits.RollbackDetectedError(
            N_(
                "Some changes that were saved are missing from the vault (a file in the data "
                "folder was lost, damaged or replaced by an older copy), so it was not opened. "
                "Restore your latest backup, or open what is left if there is no backup. Your "
                "newest backup is {backup} in {folder}."
            ),
            backup=newest,
            folder=str(self._paths.backups),
        )

    def _latest_backup(self) -> str | None:
        newest: tuple[float, str] | None = None
        with contextlib.suppress(OSError):
            for path in self._paths.backups.iterdir():
                if path.name.endswith(".companion-backup") and path.is_file():
                    stamp = (path.stat().st_mtime, path.name)
                    newest = max(newest, stamp) if newest else stamp
        return None if newest is None else newest[1]

    def _enter(self, engine: Engine, dek: SecretKey, header: hdr.VaultHeader) -> None:
        _disable_core_dumps()
        self._engine, self._dek, self._header = engine, dek, header
        self._sessions = sessionmaker(engine, expire_on_commit=False)


def _disable_core_dumps() -> None:
    """A core dump of an unlocked process would hold the key and decrypted pages."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass


def _discard(connection: Connection | None) -> None:
    """After a damaged page SQLCipher keeps the connection in an error state ("deferred error
    condition"): every later read on it failed too, so one bad page made the whole vault look
    damaged until it was locked. The pool opens a fresh connection for the next unit of work."""
    if connection is not None:
        with contextlib.suppress(SQLAlchemyError):
            connection.invalidate()
