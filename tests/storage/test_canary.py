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
from tests.support.vault import PASSPHRASE, assert_absent

CANARY = "CANARY-7f3a-the-river-remembers-blue"


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
    assert_absent([services.paths.root, temp_dir], [CANARY, PASSPHRASE])
    services.vault.lock()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert_absent([services.paths.root, temp_dir], [CANARY, PASSPHRASE])
    assert "(message withheld)" in services.paths.log_file.read_text()
