"""Damage or tampering is reported as such: never a crash, never wrong data."""

from __future__ import annotations

import base64
import hashlib
import json
import random

import pytest

from companion.crypto.header import MAGIC
from companion.domain.profile import Profile
from companion.errors import (
    DatabaseCorruptError,
    HeaderTamperedError,
    WrongPassphraseError,
)
from companion.services.container import Services
from tests.support.vault import PASSPHRASE

PROFILE = Profile(provider_name="Dr. Lane", provider_contact="555 0100", name="Kim")


@pytest.fixture
def locked(unlocked_services: Services) -> Services:
    unlocked_services.profile.save(PROFILE)
    unlocked_services.vault.lock()
    return unlocked_services


def test_every_single_byte_flip_in_the_header_is_tampering(locked: Services) -> None:
    original = locked.paths.header.read_bytes()
    for offset in range(len(original)):
        damaged = bytearray(original)
        damaged[offset] ^= 0x01
        locked.paths.header.write_bytes(bytes(damaged))
        with pytest.raises(HeaderTamperedError):
            locked.vault.unlock(PASSPHRASE)
    locked.paths.header.write_bytes(original)
    locked.vault.unlock(PASSPHRASE)


def test_truncated_or_empty_header(locked: Services) -> None:
    original = locked.paths.header.read_bytes()
    for cut in (0, 1, len(MAGIC), len(original) // 2, len(original) - 1):
        locked.paths.header.write_bytes(original[:cut])
        with pytest.raises(HeaderTamperedError):
            locked.vault.unlock(PASSPHRASE)


def _forge(header_bytes: bytes, change: object) -> bytes:
    """Rewrites the body and recomputes the plain checksum, as a deliberate attacker would."""
    body = json.loads(header_bytes[len(MAGIC) :].split(b"\nsha256:")[0])
    change(body)  # type: ignore[operator]
    payload = MAGIC + json.dumps(body, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    return payload + b"sha256:" + hashlib.sha256(payload).hexdigest().encode() + b"\n"


def test_forged_recovery_slot_is_caught_by_the_header_mac(locked: Services) -> None:
    def swap_recovery_nonce(body: dict) -> None:  # type: ignore[type-arg]
        slot = next(s for s in body["slots"] if s["kind"] == "recovery")
        slot["nonce"] = base64.b64encode(b"\x00" * 12).decode()

    locked.paths.header.write_bytes(_forge(locked.paths.header.read_bytes(), swap_recovery_nonce))
    with pytest.raises(HeaderTamperedError):
        locked.vault.unlock(PASSPHRASE)


def test_forged_kdf_parameters_cannot_unwrap(locked: Services) -> None:
    def weaken(body: dict) -> None:  # type: ignore[type-arg]
        slot = next(s for s in body["slots"] if s["kind"] == "passphrase")
        slot["kdf"]["iterations"] = 2

    locked.paths.header.write_bytes(_forge(locked.paths.header.read_bytes(), weaken))
    # The parameters are in the slot's AAD: the unwrap fails, the data key never appears.
    with pytest.raises(WrongPassphraseError):
        locked.vault.unlock(PASSPHRASE)


def test_damaged_first_page_refuses_to_open(locked: Services) -> None:
    path = locked.paths.database
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorruptError):
        locked.vault.unlock(PASSPHRASE)
    assert not locked.vault.is_unlocked


def test_random_flips_anywhere_in_the_database_are_detected(locked: Services) -> None:
    path = locked.paths.database
    original = path.read_bytes()
    rng = random.Random(1234)
    page = 4096
    for _round in range(12):
        data = bytearray(original)
        offset = rng.randrange(len(data))
        data[offset] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        try:
            locked.vault.unlock(PASSPHRASE)
        except DatabaseCorruptError:
            continue  # detected on open
        try:
            # Opened (the flip is past the first page): the full check must find it, since
            # every page, used or free, carries its own HMAC.
            report = locked.vault.verify()
            assert not report.ok, f"flip at page {offset // page} went unnoticed"
            assert any(p.startswith(("cipher", "database")) for p in report.problems)
        finally:
            locked.vault.lock()
    path.write_bytes(original)
    locked.vault.unlock(PASSPHRASE)
    assert locked.profile.load() == PROFILE


def test_missing_database_with_header(locked: Services) -> None:
    locked.paths.database.unlink()
    with pytest.raises(DatabaseCorruptError, match="missing"):
        locked.vault.unlock(PASSPHRASE)


def test_a_database_from_another_vault_is_refused(locked: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import ManualClock
    from companion.paths import DataPaths
    from companion.services.container import build_services

    other = build_services(DataPaths(tmp_path / "other"), ManualClock(), KdfParams.for_tests())
    other.vault.create(PASSPHRASE)
    other.vault.lock()
    locked.paths.database.write_bytes(other.paths.database.read_bytes())
    with pytest.raises(DatabaseCorruptError):
        locked.vault.unlock(PASSPHRASE)
    other.worker.shutdown()
