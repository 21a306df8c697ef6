"""A restore proves the backup is a copy of this vault, says what it holds first, and meets any
damage to the zip with one plain message and the vault byte-identical."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.errors import CompanionError, StorageFullError
from companion.paths import DataPaths
from companion.services.backup_archive import DB_NAME, MANIFEST, BackupInvalidError
from companion.services.container import Services, build_services
from companion.storage.models import JournalEntryRow
from tests.support.export import vault_files
from tests.support.vault import PASSPHRASE


@pytest.fixture
def other(tmp_path: Path, fast_kdf: KdfParams, manual_clock: ManualClock) -> Iterator[Services]:
    built = build_services(DataPaths(tmp_path / "other"), manual_clock, kdf=fast_kdf)
    built.vault.create(PASSPHRASE)
    yield built
    built.worker.shutdown()
    built.vault.lock()


def _rebuild(
    source: Path, target: Path, db: bytes | None = None, header: bytes | None = None
) -> None:
    """A backup with parts swapped and the manifest recomputed, as a deliberate forger would."""
    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read(MANIFEST))
        parts = {name: old.read(name) for name in old.namelist()}
    if db is not None:
        parts[DB_NAME] = db
        manifest["database_sha256"] = hashlib.sha256(db).hexdigest()
    if header is not None:
        parts["vault.header"] = header
        manifest["header_sha256"] = hashlib.sha256(header).hexdigest()
    parts[MANIFEST] = json.dumps(manifest, sort_keys=True, indent=1).encode()
    with zipfile.ZipFile(target, "w") as new:
        for name, data in parts.items():
            new.writestr(name, data)


def _checkpointed_db(services: Services) -> bytes:
    with services.vault.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return services.paths.database.read_bytes()


def test_describe_backup_shows_counts_and_dates_before_anything_changes(
    filled: Services, tmp_path: Path
) -> None:
    backup = filled.backup.backup_to(tmp_path / "b.companion-backup")
    before = vault_files(filled)
    contents = filled.backup.describe_backup(backup.path, PASSPHRASE)
    with filled.vault.unit_of_work() as session:
        entries = session.query(JournalEntryRow).count()
    assert contents.counts["journal_entry"] == entries
    assert contents.first_entry is not None and contents.last_entry is not None
    assert contents.first_entry <= contents.last_entry
    assert f"{entries} journal entries" in contents.summary()
    assert vault_files(filled) == before


def test_backup_of_a_different_vault_is_refused(
    filled: Services, other: Services, tmp_path: Path
) -> None:
    foreign = other.backup.backup_to(tmp_path / "foreign.companion-backup")
    before = vault_files(filled)
    with pytest.raises(BackupInvalidError, match="different Companion vault"):
        filled.backup.restore(foreign.path, PASSPHRASE)
    filled.vault.unlock(PASSPHRASE)
    assert vault_files(filled) == before


def test_crafted_empty_database_with_recomputed_manifest_is_refused(
    filled: Services, other: Services, tmp_path: Path
) -> None:
    good = filled.backup.backup_to(tmp_path / "good.companion-backup")
    empty_db = _checkpointed_db(other)  # an empty vault's database, keyed with another key
    crafted = tmp_path / "crafted.companion-backup"
    _rebuild(good.path, crafted, db=empty_db)
    before = vault_files(filled)
    with pytest.raises(BackupInvalidError):
        filled.backup.restore(crafted, PASSPHRASE)
    # the same with the other vault's own key file: it is not this vault
    crafted2 = tmp_path / "crafted2.companion-backup"
    _rebuild(good.path, crafted2, db=empty_db, header=other.paths.header.read_bytes())
    with pytest.raises(BackupInvalidError):
        filled.backup.restore(crafted2, PASSPHRASE)
    filled.vault.unlock(PASSPHRASE)
    assert vault_files(filled) == before


def test_older_copy_of_this_vault_inside_a_newer_backup_is_refused(
    filled: Services, tmp_path: Path
) -> None:
    older_db = _checkpointed_db(filled)
    with filled.vault.unit_of_work() as session:
        session.query(JournalEntryRow).limit(1).one().title = "changed after"
    newer = filled.backup.backup_to(tmp_path / "newer.companion-backup")
    crafted = tmp_path / "crafted.companion-backup"
    _rebuild(newer.path, crafted, db=older_db)
    before = vault_files(filled)
    with pytest.raises(BackupInvalidError):
        filled.backup.restore(crafted, PASSPHRASE)
    filled.vault.unlock(PASSPHRASE)
    assert vault_files(filled) == before


def test_flipped_bytes_in_the_zip_directory_are_a_plain_refusal(
    filled: Services, tmp_path: Path
) -> None:
    good = filled.backup.backup_to(tmp_path / "good.companion-backup")
    data = good.path.read_bytes()
    directory = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x01\x02") + 1)
    first = data.find(b"PK\x01\x02")
    start = min(first, directory) if first >= 0 else len(data) - 300
    before = vault_files(filled)
    damaged = tmp_path / "damaged.companion-backup"
    refused = 0
    for offset in range(start, len(data), 3):
        flipped = bytearray(data)
        flipped[offset] ^= 0xFF
        damaged.write_bytes(bytes(flipped))
        try:
            filled.backup.describe_backup(damaged, PASSPHRASE)
        except CompanionError:
            refused += 1
    assert refused > 0
    filled.vault.unlock(PASSPHRASE)
    assert vault_files(filled) == before


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_backup_to_a_full_disk_is_a_clear_message_and_leaves_nothing(
    filled: Services, tiny_disk: Path
) -> None:
    with pytest.raises(StorageFullError):
        filled.backup.backup_to(tiny_disk / "b.companion-backup")
    assert list(tiny_disk.iterdir()) == []
    assert filled.vault.verify().ok


def test_a_good_backup_still_restores_after_these_checks(filled: Services, tmp_path: Path) -> None:
    backup = filled.backup.backup_to(tmp_path / "good.companion-backup")
    shutil.copy2(backup.path, tmp_path / "copy.companion-backup")
    report = filled.backup.restore(tmp_path / "copy.companion-backup", PASSPHRASE)
    assert report.counts["journal_entry"] > 0
    assert filled.vault.verify().ok
