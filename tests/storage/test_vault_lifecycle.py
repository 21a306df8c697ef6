"""Create, lock, unlock, change passphrase, recover: on real SQLCipher files."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from companion.crypto.header import PASSPHRASE, VaultHeader
from companion.domain.profile import Prescription, Profile
from companion.errors import (
    NoVaultError,
    VaultExistsError,
    VaultLockedError,
    WeakPassphraseError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from companion.services.container import Services
from tests.support.vault import PASSPHRASE as GOOD
from tests.support.vault import snapshot

NEW = "a brand new passphrase for spring"

PROFILE = Profile(
    name="Robin",
    provider_name="Dr. Ada Lane",
    provider_contact="+1 555 0100",
    monitor_name="Sam",
    monitor_phone="+1 555 0111",
    prescription=Prescription(dose_text="as written on the label", hold_minutes=12),
)


def test_create_lock_unlock_round_trip(services: Services) -> None:
    assert not services.vault.exists()
    recovery_key = services.vault.create(GOOD)
    assert len(recovery_key.split("-")) == 8
    services.profile.save(PROFILE)
    services.vault.lock()
    assert not services.vault.is_unlocked
    with pytest.raises(VaultLockedError):
        services.profile.load()
    services.vault.unlock(GOOD)
    assert services.profile.load() == PROFILE


def test_database_is_sqlcipher_not_plain_sqlite(unlocked_services: Services) -> None:
    path = unlocked_services.paths.database
    unlocked_services.vault.lock()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    # In a separate process-free check: the standard module cannot read it. (A fresh
    # sqlite3 connection in this process never touches the vault's own connections.)
    plain = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchall()
    plain.close()


def test_pragmas_are_in_force(unlocked_services: Services) -> None:
    with unlocked_services.vault.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.execute(text(f"PRAGMA {name}")).scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("secure_delete") == 1
        assert pragma("temp_store") == 2  # MEMORY
        assert str(pragma("cipher_version")).startswith("4.")


def test_wrong_passphrase_changes_nothing_on_disk(unlocked_services: Services) -> None:
    services = unlocked_services
    services.profile.save(PROFILE)
    services.vault.lock()
    before = snapshot(services.paths.root)
    with pytest.raises(WrongPassphraseError):
        services.vault.unlock("not the right passphrase at all")
    assert snapshot(services.paths.root) == before
    assert not services.vault.is_unlocked


def test_passphrase_change_rewraps_only(unlocked_services: Services) -> None:
    services = unlocked_services
    services.profile.save(PROFILE)
    services.vault.lock()
    db_before = services.paths.database.read_bytes()
    header_before = VaultHeader.from_bytes(services.paths.header.read_bytes())

    services.vault.change_passphrase(GOOD, NEW)

    assert services.paths.database.read_bytes() == db_before
    header_after = VaultHeader.from_bytes(services.paths.header.read_bytes())
    assert header_after.slot(PASSPHRASE).salt != header_before.slot(PASSPHRASE).salt
    with pytest.raises(WrongPassphraseError):
        services.vault.unlock(GOOD)
    services.vault.unlock(NEW)
    assert services.profile.load() == PROFILE


def test_passphrase_change_needs_the_current_one_and_a_strong_new_one(
    unlocked_services: Services,
) -> None:
    header = unlocked_services.paths.header.read_bytes()
    with pytest.raises(WrongPassphraseError):
        unlocked_services.vault.change_passphrase("wrong wrong wrong wrong", NEW)
    with pytest.raises(WeakPassphraseError):
        unlocked_services.vault.change_passphrase(GOOD, "password1")
    assert unlocked_services.paths.header.read_bytes() == header


def test_recovery_key_unlocks_and_sets_a_new_passphrase(services: Services) -> None:
    recovery_key = services.vault.create(GOOD)
    services.profile.save(PROFILE)
    services.vault.lock()
    with pytest.raises(WrongRecoveryKeyError):
        services.vault.unlock_with_recovery("AAAAA-" * 7 + "AAAAA", NEW)
    services.vault.unlock_with_recovery(recovery_key.lower(), NEW)
    assert services.profile.load() == PROFILE
    services.vault.lock()
    with pytest.raises(WrongPassphraseError):
        services.vault.unlock(GOOD)
    services.vault.unlock(NEW)
    services.vault.lock()
    # The recovery key keeps working after it was used.
    services.vault.unlock_with_recovery(recovery_key, GOOD)


def test_weak_passphrase_is_refused_and_nothing_is_created(services: Services) -> None:
    with pytest.raises(WeakPassphraseError, match="at least"):
        services.vault.create("short")
    assert not services.vault.exists()


def test_second_create_is_refused(unlocked_services: Services) -> None:
    unlocked_services.vault.lock()
    with pytest.raises(VaultExistsError):
        unlocked_services.vault.create(NEW)


def test_unlock_without_vault(services: Services) -> None:
    with pytest.raises(NoVaultError):
        services.vault.unlock(GOOD)


def test_lock_wipes_the_key_and_closes_the_engine(unlocked_services: Services) -> None:
    vault = unlocked_services.vault
    key = vault._dek  # the one long-lived copy
    assert key is not None and not key.wiped
    vault.lock()
    assert key.wiped
    with pytest.raises(VaultLockedError):
        _ = vault.engine
    vault.lock()  # idempotent


def test_prescription_history_is_kept(unlocked_services: Services) -> None:
    services = unlocked_services
    services.profile.save(PROFILE)
    changed = PROFILE.with_prescription(dose_text="new instructions from the provider")
    services.profile.save(changed)
    services.profile.save(changed)  # unchanged: no new record
    assert services.profile.load() == changed
    counts = services.vault.verify().counts
    assert counts["prescription"] == 2
