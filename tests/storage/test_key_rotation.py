"""A passphrase change that rotates the data key: old key files and the old passphrase open
nothing written afterwards; the recovery key keeps working; a crash at any step loses nothing."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.crypto import header as hdr
from companion.crypto import recovery
from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.errors import DatabaseCorruptError, WrongPassphraseError, WrongRecoveryKeyError
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.storage import vault as store
from companion.storage.engine import open_engine
from companion.storage.models import JournalEntryRow
from tests.support.vault import PASSPHRASE

NEW = "lantern meadow quietly 93 oak"


@pytest.fixture
def vault(services: Services) -> tuple[Services, str]:
    key = services.vault.create(PASSPHRASE)
    now = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
    for i in range(20):
        with services.vault.unit_of_work() as session:
            session.add(
                JournalEntryRow(
                    kind="free", title=f"t{i}", body="x" * 3000, created_at=now, updated_at=now
                )
            )
    return services, key


def _titles(services: Services) -> list[str]:
    with services.vault.unit_of_work() as session:
        return sorted(
            session.scalars(
                JournalEntryRow.__table__.select().with_only_columns(JournalEntryRow.title)
            )
        )


def _reopen(root: Path) -> Services:
    return build_services(DataPaths(root), ManualClock(), kdf=KdfParams.for_tests())


def test_rotation_changes_the_data_key_and_keeps_every_record(
    vault: tuple[Services, str],
) -> None:
    services, key = vault
    before = _titles(services)
    with services.vault.borrowed_key() as old:
        old_key = old.reveal()
    steps: list[float] = []
    assert services.vault.rotate_key(PASSPHRASE, NEW, key, lambda f, _s: steps.append(f)) is None
    assert steps == sorted(steps) and steps[-1] == 1.0
    assert _titles(services) == before
    with services.vault.borrowed_key() as new:
        assert new.reveal() != old_key
    assert services.vault.verify().ok
    services.vault.lock()
    with pytest.raises(WrongPassphraseError):
        services.vault.unlock(PASSPHRASE)
    services.vault.unlock(NEW)
    assert _titles(services) == before


def test_old_header_and_old_passphrase_cannot_read_what_is_written_after_rotation(
    vault: tuple[Services, str], tmp_path: Path
) -> None:
    services, key = vault
    services.vault.lock()
    old_header = store.read_header(services.paths)
    services.vault.unlock(PASSPHRASE)
    services.vault.rotate_key(PASSPHRASE, NEW, key)
    now = datetime(2026, 3, 5, tzinfo=UTC)
    with services.vault.unit_of_work() as session:
        session.add(
            JournalEntryRow(
                kind="free", title="after", body="secret", created_at=now, updated_at=now
            )
        )
    services.vault.lock()
    old_dek = hdr.unwrap_with_passphrase(old_header, PASSPHRASE)  # the attacker's view
    engine = open_engine(services.paths.database, old_dek)
    with pytest.raises(Exception), engine.connect() as connection:  # noqa: B017 (any failure)
        connection.exec_driver_sql("SELECT count(*) FROM journal_entry").scalar_one()
    engine.dispose()
    # and the old key file in place of the new one is refused, never silently used
    services.paths.header.write_bytes(old_header.to_bytes())
    with pytest.raises((DatabaseCorruptError, WrongPassphraseError)):
        services.vault.unlock(PASSPHRASE)


def test_recovery_key_still_works_after_rotation(vault: tuple[Services, str]) -> None:
    services, key = vault
    services.vault.rotate_key(PASSPHRASE, NEW, key)
    services.vault.lock()
    services.vault.unlock_with_recovery(key, "third quiet river 55 stone")
    assert len(_titles(services)) == 20


def test_rotation_without_the_recovery_key_issues_a_new_one(vault: tuple[Services, str]) -> None:
    services, old_key = vault
    fresh = services.vault.rotate_key(PASSPHRASE, NEW)
    assert fresh is not None and fresh != old_key
    services.vault.lock()
    with pytest.raises(WrongRecoveryKeyError):
        services.vault.unlock_with_recovery(old_key, "third quiet river 55 stone")
    services.vault.unlock_with_recovery(fresh, "third quiet river 55 stone")


def test_wrong_recovery_key_for_rotation_changes_nothing(vault: tuple[Services, str]) -> None:
    services, _key = vault
    wrong = recovery.generate()[0]
    services.vault.lock()
    before = services.paths.header.read_bytes()
    with pytest.raises(WrongRecoveryKeyError):
        services.vault.rotate_key(PASSPHRASE, NEW, wrong)
    assert services.paths.header.read_bytes() == before


@pytest.mark.parametrize("stage", ["copied", "header_written", "database_swapped"])
def test_crash_at_each_rotation_step_loses_nothing(
    vault: tuple[Services, str], tmp_path: Path, stage: str
) -> None:
    """The files as a crash at each step leaves them, then a plain unlock."""
    services, key = vault
    before = _titles(services)
    paths = services.paths
    services.vault.lock()
    snapshot = tmp_path / "snap"
    shutil.copytree(paths.root, snapshot)
    services.vault.unlock(PASSPHRASE)
    services.vault.rotate_key(PASSPHRASE, NEW, key)
    services.vault.lock()
    rotated_db = paths.database.read_bytes()
    rotated_header = paths.header.read_bytes()
    crash = DataPaths(tmp_path / "crash")
    shutil.copytree(snapshot, crash.root)
    if stage in ("copied", "header_written"):
        store.rotating_database(crash).write_bytes(rotated_db)
    if stage == "header_written":
        store.rotating_header(crash).write_bytes(rotated_header)
    if stage == "database_swapped":
        crash.database.write_bytes(rotated_db)
        store.rotating_header(crash).write_bytes(rotated_header)
    reopened = _reopen(crash.root)
    passphrase = NEW if stage == "database_swapped" else PASSPHRASE
    reopened.vault.unlock(passphrase)
    assert _titles(reopened) == before
    assert reopened.vault.verify().ok
    assert not store.rotating_database(crash).exists()
    assert not store.rotating_header(crash).exists()
    reopened.vault.lock()
