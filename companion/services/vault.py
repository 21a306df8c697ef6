"""Creating, unlocking, locking and re-keying the vault: the state the rest of the app needs."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from companion.crypto import header as hdr
from companion.crypto import recovery
from companion.crypto.kdf import KdfParams, calibrate
from companion.crypto.secret import SecretKey
from companion.domain.passphrase import assess
from companion.errors import CompanionError, VaultLockedError, WeakPassphraseError
from companion.paths import DataPaths
from companion.storage import vault as store
from companion.storage.engine import translate_error
from companion.storage.vault import VerifyReport

log = logging.getLogger(__name__)

LockListener = Callable[[], None]


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
    def create(self, passphrase: str) -> str:
        """Creates the vault, leaves it unlocked and returns the recovery key to show once."""
        _require_strong(passphrase)
        with self._lock:
            params = self._kdf or calibrate()
            recovery_text, recovery_secret = recovery.generate()
            dek = store.new_data_key()
            header = hdr.new_header(passphrase, recovery_secret, params, dek)
            recovery_secret.wipe()
            engine = store.create(self._paths, header, dek)
            self._enter(engine, dek, header)
            log.info("vault.created")
            return recovery_text

    def unlock(self, passphrase: str) -> None:
        with self._lock:
            if self.is_unlocked:
                return
            header = store.read_header(self._paths)
            dek = hdr.unwrap_with_passphrase(header, passphrase)
            self._open(header, dek)
            log.info("vault.unlocked")

    def unlock_with_recovery(self, recovery_key: str, new_passphrase: str) -> None:
        """The "forgot passphrase" path: the recovery key opens the vault and sets a new one."""
        _require_strong(new_passphrase)
        with self._lock:
            header = store.read_header(self._paths)
            secret = recovery.parse(recovery_key)
            try:
                dek = hdr.unwrap_with_recovery(header, secret)
            finally:
                secret.wipe()
            new_header = hdr.rewrap_passphrase(header, dek, new_passphrase)
            if self.is_unlocked:
                dek.wipe()  # the vault already holds its own copy of the key
            else:
                self._open(header, dek)  # the database must open before the header changes
            store.write_header(self._paths, new_header)
            self._header = new_header
            log.info("vault.recovered")

    def change_passphrase(self, current: str, new: str) -> None:
        """Re-wraps the data key only; the database file is not touched."""
        _require_strong(new)
        with self._lock:
            header = store.read_header(self._paths)
            dek = hdr.unwrap_with_passphrase(header, current)
            try:
                new_header = hdr.rewrap_passphrase(header, dek, new)
                store.write_header(self._paths, new_header)
            finally:
                if self._dek is None or not dek.equals(self._dek):
                    dek.wipe()
            if self.is_unlocked:
                self._header = new_header
            log.info("vault.passphrase_changed")

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
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise translate_error(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def verify(self) -> VerifyReport:
        with self._lock:
            if self._engine is None or self._dek is None or self._header is None:
                raise VaultLockedError()
            return store.verify(self._engine, self._header, self._dek)

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
    def _open(self, header: hdr.VaultHeader, dek: SecretKey) -> None:
        try:
            engine = store.open_database(self._paths, dek)
        except CompanionError:
            dek.wipe()
            raise
        self._enter(engine, dek, header)

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
