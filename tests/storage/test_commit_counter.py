"""Committed changes that disappear (a lost or damaged WAL, an older database copy) are detected.

A "crash state" is taken by copying the data folder while the vault is open: the WAL then still
holds the recent commits, exactly as after a kill -9 (tests/storage/test_torture.py does the
same with real kill -9 rounds).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.crypto import header as hdr
from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.errors import HeaderTamperedError
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.storage import commits
from companion.storage import vault as store
from companion.storage.models import JournalEntryRow
from tests.support.vault import PASSPHRASE


def _add_entries(services: Services, n: int, start: int = 0) -> None:
    now = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    for i in range(start, start + n):
        with services.vault.unit_of_work() as session:
            session.add(
                JournalEntryRow(
                    kind="free", title=f"t{i}", body="b" * 50, created_at=now, updated_at=now
                )
            )


def _crash_copy(services: Services, target: Path) -> DataPaths:
    """The data folder as a kill -9 would leave it: copied while the vault is open."""
    shutil.copytree(services.paths.root, target)
    return DataPaths(target)


def _open_copy(paths: DataPaths) -> Services:
    return build_services(paths, ManualClock(), kdf=KdfParams.for_tests())


def _wal(paths: DataPaths) -> Path:
    return paths.database.with_name(paths.database.name + "-wal")


def _count_entries(services: Services) -> int:
    with services.vault.unit_of_work() as session:
        return session.query(JournalEntryRow).count()


def test_each_write_transaction_advances_the_counter_and_the_header_mirrors_it(
    unlocked_services: Services,
) -> None:
    services = unlocked_services
    before = store.commit_count(services.vault.engine)
    _add_entries(services, 3)
    with services.vault.unit_of_work() as session:  # a read commits nothing
        session.query(JournalEntryRow).count()
    after = store.commit_count(services.vault.engine)
    assert after == before + 3
    assert store.read_header(services.paths).commits == hdr.CommitMark(after)


def test_deleted_wal_after_a_crash_is_detected(unlocked_services: Services, tmp_path: Path) -> None:
    _add_entries(unlocked_services, 12)
    crashed = _crash_copy(unlocked_services, tmp_path / "crash")
    assert _wal(crashed).stat().st_size > 0
    _wal(crashed).unlink()
    copy = _open_copy(crashed)
    with pytest.raises(commits.RollbackDetectedError, match="missing"):
        copy.vault.unlock(PASSPHRASE)
    assert not copy.vault.is_unlocked


def test_intact_crash_copy_opens_with_everything(
    unlocked_services: Services, tmp_path: Path
) -> None:
    _add_entries(unlocked_services, 12)
    crashed = _crash_copy(unlocked_services, tmp_path / "crash")
    copy = _open_copy(crashed)
    copy.vault.unlock(PASSPHRASE)
    assert _count_entries(copy) == 12
    assert copy.vault.verify().ok
    copy.vault.lock()


@pytest.mark.parametrize("keep", [0, 32, 4096])
def test_truncated_wal_after_a_crash_is_detected(
    unlocked_services: Services, tmp_path: Path, keep: int
) -> None:
    _add_entries(unlocked_services, 12)
    crashed = _crash_copy(unlocked_services, tmp_path / "crash")
    wal = _wal(crashed)
    wal.write_bytes(wal.read_bytes()[:keep])
    copy = _open_copy(crashed)
    with pytest.raises(commits.RollbackDetectedError):
        copy.vault.unlock(PASSPHRASE)


def test_flipped_byte_in_the_wal_is_detected(unlocked_services: Services, tmp_path: Path) -> None:
    _add_entries(unlocked_services, 12)
    crashed = _crash_copy(unlocked_services, tmp_path / "crash")
    wal = _wal(crashed)
    data = bytearray(wal.read_bytes())
    data[len(data) // 3] ^= 0x40
    wal.write_bytes(bytes(data))
    copy = _open_copy(crashed)
    with pytest.raises(commits.RollbackDetectedError):
        copy.vault.unlock(PASSPHRASE)


def test_database_replaced_by_an_older_copy_is_detected(
    unlocked_services: Services, tmp_path: Path
) -> None:
    services = unlocked_services
    _add_entries(services, 5)
    services.vault.lock()
    older = tmp_path / "older.sqlcipher"
    shutil.copy2(services.paths.database, older)
    services.vault.unlock(PASSPHRASE)
    _add_entries(services, 5, start=5)
    services.vault.lock()
    shutil.copy2(older, services.paths.database)
    with pytest.raises(commits.RollbackDetectedError):
        services.vault.unlock(PASSPHRASE)


def test_older_key_file_with_a_newer_database_is_detected(
    unlocked_services: Services, tmp_path: Path
) -> None:
    services = unlocked_services
    services.vault.lock()
    old_header = services.paths.header.read_bytes()
    services.vault.unlock(PASSPHRASE)
    _add_entries(services, 2)
    services.vault.lock()
    services.paths.header.write_bytes(old_header)
    with pytest.raises(commits.RollbackDetectedError):
        services.vault.unlock(PASSPHRASE)


def test_rollback_message_offers_the_newest_backup(
    unlocked_services: Services, tmp_path: Path
) -> None:
    services = unlocked_services
    _add_entries(services, 3)
    backup = services.backup.backup_now()
    crashed = _crash_copy(services, tmp_path / "crash")
    _add_entries(services, 3, start=3)
    crashed = _crash_copy(services, tmp_path / "crash2")
    _wal(crashed).unlink()
    shutil.copytree(services.paths.backups, crashed.backups, dirs_exist_ok=True)
    copy = _open_copy(crashed)
    with pytest.raises(commits.RollbackDetectedError) as caught:
        copy.vault.unlock(PASSPHRASE)
    assert backup.path.name in str(caught.value)


def test_accept_missing_opens_what_is_left_and_settles_the_header(
    unlocked_services: Services, tmp_path: Path
) -> None:
    _add_entries(unlocked_services, 12)
    crashed = _crash_copy(unlocked_services, tmp_path / "crash")
    _wal(crashed).unlink()
    copy = _open_copy(crashed)
    copy.vault.unlock(PASSPHRASE, accept_missing=True)
    assert _count_entries(copy) < 12
    assert copy.vault.verify().ok
    copy.vault.lock()
    copy.vault.unlock(PASSPHRASE)  # settled: a plain unlock works again
    copy.vault.lock()


def test_pending_mark_left_by_a_crash_before_the_commit_is_accepted(
    unlocked_services: Services,
) -> None:
    services = unlocked_services
    _add_entries(services, 2)
    count = store.commit_count(services.vault.engine)
    with services.vault.borrowed_key() as dek:
        header = store.read_header(services.paths)
        pending = header.with_commits(hdr.CommitMark(count + 1, pending=True), dek)
    services.vault.lock()
    store.write_header(services.paths, pending)  # the crash came between steps 1 and 2
    services.vault.unlock(PASSPHRASE)
    assert store.read_header(services.paths).commits == hdr.CommitMark(count)
    assert services.vault.verify().ok


def test_pending_mark_left_by_a_crash_after_the_commit_is_accepted(
    unlocked_services: Services,
) -> None:
    services = unlocked_services
    _add_entries(services, 2)
    count = store.commit_count(services.vault.engine)
    with services.vault.borrowed_key() as dek:
        header = store.read_header(services.paths)
        pending = header.with_commits(hdr.CommitMark(count, pending=True), dek)
    services.vault.lock()
    store.write_header(services.paths, pending)  # the crash came between steps 2 and 3
    services.vault.unlock(PASSPHRASE)
    assert store.read_header(services.paths).commits == hdr.CommitMark(count)


def test_forged_commit_mark_without_the_key_is_tampering(unlocked_services: Services) -> None:
    services = unlocked_services
    _add_entries(services, 2)
    services.vault.lock()
    text = services.paths.header.read_bytes()
    body_line = text.split(b"\n")[1]
    import hashlib
    import json

    body = json.loads(body_line)
    body["commits"]["count"] -= 1
    forged_line = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    payload = hdr.MAGIC + forged_line + b"\n"
    services.paths.header.write_bytes(
        payload + b"sha256:" + hashlib.sha256(payload).hexdigest().encode() + b"\n"
    )
    with pytest.raises(HeaderTamperedError):
        services.vault.unlock(PASSPHRASE)


def test_stray_temp_headers_are_removed_at_unlock(unlocked_services: Services) -> None:
    services = unlocked_services
    services.vault.lock()
    stray = services.paths.root / ".vault.header.abc123.tmp"
    stray.write_bytes(services.paths.header.read_bytes())
    services.vault.unlock(PASSPHRASE)
    assert not stray.exists()
    assert not list(services.paths.root.glob(".vault.header.*.tmp"))
