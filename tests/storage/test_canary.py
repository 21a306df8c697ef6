"""Private text written to the vault appears nowhere on disk in plaintext."""

from __future__ import annotations

import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.domain.profile import Profile
from companion.logsetup import configure_logging
from companion.services.container import Services
from companion.storage.models import JournalEntryRow
from tests.conftest import PASSPHRASE

CANARY = "CANARY-7f3a-the-river-remembers-blue"


def _forms(secret: str) -> list[bytes]:
    return [secret.encode("utf-8"), secret.encode("utf-16-le"), secret.encode("utf-16-be")]


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def _assert_absent(folders: list[Path], secrets: list[str]) -> None:
    for folder in folders:
        for path in _files_under(folder):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for secret in secrets:
                for form in _forms(secret):
                    assert form not in data, f"plaintext found in {path}"


def test_canary_is_nowhere_in_plaintext(
    unlocked_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_dir))
    services = unlocked_services
    configure_logging(services.paths)
    services.profile.save(
        Profile(name=CANARY, provider_name="Dr. Lane", provider_contact="555 0100")
    )
    now = datetime.now(UTC)
    with services.vault.unit_of_work() as session:
        session.add(
            JournalEntryRow(
                kind="free", title=CANARY, body=CANARY * 50, created_at=now, updated_at=now
            )
        )
    logging.getLogger("companion.test").info("saving %s", CANARY)  # a careless call is withheld
    # Checked while unlocked (WAL in use) and again after locking (checkpointed, closed).
    _assert_absent([services.paths.root, temp_dir], [CANARY, PASSPHRASE])
    services.vault.lock()
    for handler in logging.getLogger().handlers:
        handler.flush()
    _assert_absent([services.paths.root, temp_dir], [CANARY, PASSPHRASE])
    assert "(message withheld)" in services.paths.log_file.read_text()
