"""Colliding writers wait their turn; a read-only data folder can still be verified, searched
and exported."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.domain.export_selection import Selection
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.services.export import ExportFormat, ExportRequest, Protection
from companion.services.journal_model import EntryInput
from companion.storage.models import JournalEntryRow
from tests.support.vault import PASSPHRASE

NOW = datetime(2026, 2, 3, 4, 5, tzinfo=UTC)


def _entry(title: str) -> JournalEntryRow:
    return JournalEntryRow(kind="free", title=title, body="b", created_at=NOW, updated_at=NOW)


def _second(paths: DataPaths) -> Services:
    other = build_services(paths, ManualClock(), kdf=KdfParams.for_tests())
    other.vault.unlock(PASSPHRASE)
    return other


def test_colliding_writers_wait_for_the_busy_timeout_instead_of_failing(
    unlocked_services: Services,
) -> None:
    first = unlocked_services
    second = _second(first.paths)
    outcome: dict[str, object] = {}
    started = threading.Event()

    def other_window() -> None:
        started.set()
        try:
            with second.vault.unit_of_work() as session:
                seen = session.query(JournalEntryRow).count()  # read first, then write
                session.add(_entry("second"))
            outcome["seen"] = seen
        except Exception as exc:  # the test reports whatever happened
            outcome["error"] = exc

    try:
        with first.vault.unit_of_work() as session:
            session.add(_entry("first"))
            session.flush()
            worker = threading.Thread(target=other_window)
            worker.start()
            assert started.wait(10)
            worker.join(0.3)  # give it every chance to begin before this commit
            assert worker.is_alive(), "the second writer should be waiting for the first"
        worker.join(30)
        assert "error" not in outcome, outcome.get("error")
        assert outcome["seen"] == 1  # it began after the first writer committed
        with first.vault.unit_of_work() as session:
            assert session.query(JournalEntryRow).count() == 2
        assert first.vault.verify().ok
    finally:
        second.vault.lock()
        second.worker.shutdown()


@pytest.fixture
def read_only_vault(services: Services, tmp_path: Path) -> Iterator[Services]:
    mount = tmp_path / "mount"
    mount.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True
    ).returncode:
        pytest.skip("mounting a tmpfs needs root")
    try:
        paths = DataPaths(mount / "data")
        paths.ensure()
        maker = build_services(paths, ManualClock(), kdf=KdfParams.for_tests())
        maker.vault.create(PASSPHRASE)
        maker.journal.create(EntryInput(kind="free", title="Lake", body="The quiet lake at dawn"))
        maker.vault.lock()
        maker.worker.shutdown()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        reader = build_services(paths, ManualClock(), kdf=KdfParams.for_tests())
        yield reader
        reader.vault.lock()
        reader.worker.shutdown()
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_read_only_data_folder_still_allows_verify_search_and_export(
    read_only_vault: Services, tmp_path: Path
) -> None:
    services = read_only_vault
    services.vault.unlock(PASSPHRASE)
    assert services.vault.verify().ok
    assert services.search.search("lake")
    out = tmp_path / "out.json"
    services.export.export(
        ExportRequest(
            Selection.whole_vault(), ExportFormat.JSON, Protection.plaintext(confirmed=True)
        ),
        out,
    )
    assert b"quiet lake" in out.read_bytes()
