"""Fixtures for the export tests: a small vault with sessions, questionnaires, vitals, shared
and private entries (the private one carries a canary), and helpers to read the results."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from companion.domain.export_selection import Selection
from companion.services.container import Services
from companion.services.demo import DemoOptions
from companion.services.export import ExportFormat, ExportRequest, Protection
from companion.services.journal import Answer, EntryInput
from companion.storage.models import Base

CANARY = "CANARY-5e1d-quiet-harbour-lantern"
SHARED_TITLE = "What I want my provider to know"
SHARED_TEXT = "The colours were vivid and the music helped me stay with the feeling."
PRIVATE_TITLE = "Only for me"


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


def export_bytes(
    services: Services,
    tmp_path: Path,
    fmt: ExportFormat = ExportFormat.JSON,
    selection: Selection | None = None,
    name: str = "out",
) -> bytes:
    out = tmp_path / f"{name}{fmt.extension}"
    services.export.export(
        ExportRequest(selection or Selection(), fmt, Protection.plaintext(confirmed=True)), out
    )
    return out.read_bytes()


def table_counts(services: Services) -> dict[str, int]:
    with services.vault.unit_of_work() as db:
        return {
            name: int(db.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in Base.metadata.tables.items()
        }


def vault_files(services: Services) -> dict[str, bytes]:
    """The vault's bytes after a checkpoint (the shared-memory index excluded: readers touch it)."""
    with services.vault.engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    root = services.paths.root
    return {
        p.name: p.read_bytes()
        for p in sorted(root.iterdir())
        if p.is_file() and not p.name.endswith("-shm")
    }
