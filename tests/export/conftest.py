"""Fixtures for the export tests: a small vault with sessions, questionnaires, vitals, shared
and private entries (the private one carries a canary), and helpers to read the results."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.paths import DataPaths
from companion.pdf import QtPdfRenderer
from companion.services.container import Services, build_services
from companion.services.demo import DemoOptions
from companion.services.journal_model import Answer, EntryInput
from tests.support.export import CANARY, PRIVATE_TITLE, SHARED_TEXT, SHARED_TITLE
from tests.support.vault import PASSPHRASE


@pytest.fixture(autouse=True)
def _qt_application(qapp: object) -> None:
    """The PDF writer needs a Qt application; pytest-qt's QApplication, so that later UI
    tests in the same run do not meet a bare QGuiApplication."""


@pytest.fixture
def filled(unlocked_services: Services) -> Services:
    services = unlocked_services
    services.demo.generate(DemoOptions(sessions=6, entries=16, seed=3, min_words=20, max_words=60))
    services.journal.create(
        EntryInput(
            kind="free",
            title=PRIVATE_TITLE,
            body=f"Something private: {CANARY}",
            tags=("private",),
        ),
        created_at=datetime(2025, 12, 30, 20, 0, tzinfo=UTC),
    )
    services.journal.create(
        EntryInput(
            kind="integration",
            title=SHARED_TITLE,
            body=SHARED_TEXT,
            answers=(Answer("felt", "What did you feel?", "Calm, then tired."),),
            mood=7,
            tags=("integration", "music"),
            shared_with_provider=True,
        ),
        created_at=datetime(2025, 12, 31, 20, 0, tzinfo=UTC),
    )
    return services


@pytest.fixture
def second(tmp_path: Path, fast_kdf: KdfParams, manual_clock: ManualClock) -> Iterator[Services]:
    paths = DataPaths(tmp_path / "second")
    paths.ensure()
    built = build_services(paths, manual_clock, kdf=fast_kdf, pdf=QtPdfRenderer())
    built.vault.create(PASSPHRASE)
    yield built
    built.worker.shutdown()
    built.vault.lock()
