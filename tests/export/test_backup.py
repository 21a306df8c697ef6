"""Backups with SQLite's online backup API and verified restores that never lose the vault."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.crypto import header as hdr
from companion.crypto import recovery
from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.errors import CompanionError, WrongPassphraseError
from companion.paths import DataPaths
from companion.services.backup import RestoreFailedError
from companion.services.backup_archive import BackupInvalidError
from companion.services.container import Services, build_services
from companion.services.journal_model import EntryInput
from companion.storage.engine import open_engine
from tests.support.cli import read_only_folder
from tests.support.export import table_counts, vault_files
from tests.support.vault import PASSPHRASE


@pytest.fixture
def fresh(tmp_path: Path, fast_kdf: KdfParams, manual_clock: ManualClock) -> Iterator[Services]:
    """Services on an empty folder (a new computer)."""
    built = build_services(DataPaths(tmp_path / "new-computer"), manual_clock, kdf=fast_kdf)
    yield built
    built.worker.shutdown()
    built.vault.lock()


def _rezip(source: Path, target: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            new.writestr(name, change.get(name, old.read(name)))


def test_backup_is_a_complete_vault_that_opens_with_the_recovery_key_too(
    services: Services, tmp_path: Path
) -> None:
    recovery_key = services.vault.create(PASSPHRASE)
    services.journal.create(EntryInput(title="in the WAL, not yet checkpointed", body="x"))
    out = tmp_path / "b.companion-backup"
    info = services.backup.backup_to(out)
    assert info.size == out.stat().st_size and not info.automatic
    assert services.backup.verify_backup(out, PASSPHRASE)["journal_entry"] == 1
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == [
            "companion-backup.json",
            "vault.header",
            "vault.sqlcipher",
        ]
        header = hdr.VaultHeader.from_bytes(archive.read("vault.header"))
        (tmp_path / "copy.db").write_bytes(archive.read("vault.sqlcipher"))
    secret = recovery.parse(recovery_key)
    dek = hdr.unwrap_with_recovery(header, secret)
    engine = open_engine(tmp_path / "copy.db", dek)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall() == []
            titles = connection.exec_driver_sql("SELECT title FROM journal_entry").fetchall()
        assert titles == [("in the WAL, not yet checkpointed",)]
    finally:
        engine.dispose()


def test_restore_on_a_new_computer(filled: Services, fresh: Services, tmp_path: Path) -> None:
    out = tmp_path / "move.companion-backup"
    filled.backup.backup_to(out)
    report = fresh.backup.restore(out, PASSPHRASE)
    assert report.previous_vault is None
    assert fresh.vault.is_unlocked
    assert table_counts(fresh) == table_counts(filled)
    assert fresh.search.search("private")


def test_restore_keeps_the_replaced_vault_aside(filled: Services, tmp_path: Path) -> None:
    out = tmp_path / "b.companion-backup"
    filled.backup.backup_to(out)
    counts = table_counts(filled)
    filled.journal.create(EntryInput(title="written after the backup", body="y"))
    report = filled.backup.restore(out, PASSPHRASE)
    assert table_counts(filled) == counts
    assert report.previous_vault is not None
    assert sorted(p.name for p in report.previous_vault.iterdir())[:2] == [
        "vault.header",
        "vault.sqlcipher",
    ]


def test_unverifiable_backups_are_refused_and_nothing_changes(
    filled: Services, tmp_path: Path
) -> None:
    good = tmp_path / "good.companion-backup"
    filled.backup.backup_to(good)
    with zipfile.ZipFile(good) as archive:
        database = bytearray(archive.read("vault.sqlcipher"))
        header = archive.read("vault.header")
    flipped = bytearray(database)
    flipped[4096 * 3 + 100] ^= 0x01
    bad_page = tmp_path / "page.companion-backup"
    _rezip(good, bad_page, {"vault.sqlcipher": bytes(flipped)})
    bad_header = tmp_path / "header.companion-backup"
    _rezip(good, bad_header, {"vault.header": header.replace(b'"format":1', b'"format":2')})
    truncated = tmp_path / "cut.companion-backup"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    not_a_zip = tmp_path / "notes.companion-backup"
    not_a_zip.write_text("hello")
    filled.vault.lock()
    filled.vault.unlock(PASSPHRASE)
    before = vault_files(filled)
    for path in (bad_page, bad_header, truncated, not_a_zip):
        with pytest.raises(BackupInvalidError):
            filled.backup.restore(path, PASSPHRASE)
        assert filled.vault.is_unlocked
        assert vault_files(filled) == before
    with pytest.raises(WrongPassphraseError):
        filled.backup.restore(good, "not the passphrase at all")
    assert vault_files(filled) == before
    assert not [p for p in filled.paths.root.iterdir() if p.name.startswith("previous-vault")]


def test_a_restore_that_fails_late_puts_the_vault_back(
    filled: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "good.companion-backup"
    filled.backup.backup_to(good)
    filled.journal.create(EntryInput(title="only in the current vault", body="z"))
    counts = table_counts(filled)
    filled.vault.lock()
    before = {
        name: data for name, data in _files(filled.paths.root).items() if not name.endswith("-shm")
    }
    filled.vault.unlock(PASSPHRASE)

    def broken_unlock(_passphrase: str) -> None:
        raise CompanionError("simulated failure while opening the restored vault")

    monkeypatch.setattr(filled.vault, "unlock", broken_unlock)
    with pytest.raises(RestoreFailedError, match="put back"):
        filled.backup.restore(good, PASSPHRASE)
    monkeypatch.undo()
    after = {n: d for n, d in _files(filled.paths.root).items() if not n.endswith("-shm")}
    assert after == before
    filled.vault.unlock(PASSPHRASE)
    assert table_counts(filled) == counts


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}


def test_automatic_backups_after_sessions_keep_the_last_n(
    filled: Services, tmp_path: Path, manual_clock: ManualClock
) -> None:
    stick = tmp_path / "usb-stick"
    filled.backup.configure(stick, keep=3)
    made = []
    for _ in range(5):
        outcome = filled.backup.after_session()
        assert outcome.error is None and outcome.backup is not None
        made.append(outcome.backup.path.name)
        manual_clock.advance(3600)
    names = sorted(p.name for p in stick.iterdir())
    assert names == sorted(made[-3:])
    listed = filled.backup.list_backups()
    assert [b.path.name for b in listed] == sorted(made[-3:], reverse=True)
    (stick / "mine.companion-backup").write_bytes(b"kept: not an automatic one")
    filled.backup.after_session()
    assert (stick / "mine.companion-backup").exists()


def test_after_session_reports_a_plain_error_instead_of_failing(
    filled: Services, tmp_path: Path
) -> None:
    with read_only_folder(tmp_path / "ro") as folder:
        filled.backup.configure(folder / "backups")
        outcome = filled.backup.after_session()
    assert outcome.backup is None and outcome.error and "cannot be written" in outcome.error
