"""The steps of a key rotation (``VaultService.rotate_key``): the recovery key kept or made
anew, the database copied into a new file under a fresh data key and checked table by table
beside its new key file, and a rotation cut short by a crash finished or dropped at the next
unlock. Swapping the files in and reopening the vault stay with the service, which holds the
unlocked state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from companion.crypto import header as hdr
from companion.crypto import recovery
from companion.crypto.kdf import KdfParams
from companion.crypto.secret import SecretKey
from companion.errors import VaultBusyError
from companion.fsutil import atomic_write, fsync_file
from companion.paths import DataPaths
from companion.storage import commits
from companion.storage import vault as store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """What the new key file is made of: the new passphrase, the recovery secret, the
    passphrase slot's Argon2id parameters (kept) and the fresh data key."""

    passphrase: str
    recovery_secret: SecretKey
    params: KdfParams
    dek: SecretKey


def recovery_for(
    header: hdr.VaultHeader, recovery_key: str | None, old_dek: SecretKey
) -> tuple[str | None, SecretKey]:
    """The recovery secret the new key file wraps: the key given (it must open this vault) or,
    without one, a new one, returned as text too (to show once). On a refusal both the
    secret and ``old_dek`` are wiped."""
    if recovery_key is None:
        return recovery.generate()
    secret = recovery.parse(recovery_key)
    try:
        hdr.unwrap_with_recovery(header, secret).wipe()  # it must be this vault's
    except BaseException:
        secret.wipe()
        old_dek.wipe()
        raise
    return None, secret


def write_rekeyed(
    paths: DataPaths,
    engine: Engine,
    header: hdr.VaultHeader,
    rekeyed: Rekeyed,
    report: Callable[[float, str], None],
) -> None:
    """With the writer lock held: the database copied under the new key beside the vault,
    checked, fsynced, and its key file written; nothing is swapped in yet. A passphrase
    changed meanwhile (in another window) refuses with ``VaultBusyError``; a failure removes
    the half-made files."""
    now = store.read_header(paths)
    if now.slot(hdr.PASSPHRASE) != header.slot(hdr.PASSPHRASE):
        raise VaultBusyError()
    counts = store.table_counts(engine)
    report(0.15, "copy")
    target = store.rotating_database(paths)
    try:
        count = store.export_rekeyed(engine, target, rekeyed.dek)
        report(0.6, "check")
        store.check_rekeyed(target, rekeyed.dek, counts, count)
        fsync_file(target)
        rotated = hdr.new_header(
            rekeyed.passphrase,
            rekeyed.recovery_secret,
            rekeyed.params,
            rekeyed.dek,
            vault_id=header.vault_id,
            commits=hdr.CommitMark(count),
        )
        atomic_write(store.rotating_header(paths), rotated.to_bytes())
    except BaseException:
        store.finish_interrupted_rotation(paths)
        raise


def recover_interrupted(paths: DataPaths) -> None:
    """A key rotation cut short by a crash is finished or dropped before anything reads."""
    if not (store.rotating_database(paths).exists() or store.rotating_header(paths).exists()):
        return
    with commits.writer_lock(paths.root) as writable:
        if writable:
            store.finish_interrupted_rotation(paths)
            log.warning("vault.rotation_recovered")
