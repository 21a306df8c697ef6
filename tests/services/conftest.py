"""Fixtures for the service tests: real vault files, a manual clock, UTC as the local zone.

``restart`` plays a process restart: lock, throw the service objects away, build new ones on
the same folder and unlock (only the files carry over).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC

import pytest
from sqlalchemy import func, select

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.domain.profile import Prescription, Profile
from companion.paths import DataPaths
from companion.pdf import QtPdfRenderer
from companion.services.container import Services, build_services
from companion.storage.models import ALL_TABLES
from tests.conftest import PASSPHRASE

Restart = Callable[..., Services]
DOSE_TEXT = "As prescribed: one 100 mg RDT under the tongue"


def make_profile(dose_text: str = DOSE_TEXT, hold_minutes: int = 15) -> Profile:
    return Profile(
        name="Sam",
        provider_name="Dr. Rivera",
        provider_contact="+1 555 0100",
        monitor_name="Alex",
        monitor_phone="+1 555 0101",
        prescription=Prescription(
            medicine="Ketamine",
            form="rapid-dissolving tablet (RDT)",
            dose_text=dose_text,
            hold_minutes=hold_minutes,
            instructions="Spit after the hold.",
        ),
    )


@pytest.fixture
def app(
    data_paths: DataPaths, fast_kdf: KdfParams, manual_clock: ManualClock
) -> Iterator[Services]:
    built = build_services(data_paths, manual_clock, kdf=fast_kdf, zone=UTC, pdf=QtPdfRenderer())
    built.vault.create(PASSPHRASE)
    yield built
    built.worker.shutdown()
    built.vault.lock()


@pytest.fixture
def restart(
    data_paths: DataPaths, fast_kdf: KdfParams, manual_clock: ManualClock
) -> Iterator[Restart]:
    made: list[Services] = []

    def again(old: Services, clock: ManualClock | None = None) -> Services:
        """``clock``: the new process's clock (another monotonic origin, same wall time)."""
        old.vault.lock()
        fresh = build_services(
            data_paths, clock or manual_clock, kdf=fast_kdf, zone=UTC, pdf=QtPdfRenderer()
        )
        fresh.vault.unlock(PASSPHRASE)
        made.append(fresh)
        return fresh

    yield again
    for services in made:
        services.worker.shutdown()
        services.vault.lock()


def row_counts(services: Services) -> dict[str, int]:
    with services.vault.unit_of_work() as db:
        return {
            table.name: int(db.scalar(select(func.count()).select_from(table)) or 0)
            for table in ALL_TABLES
        }


@pytest.fixture
def with_profile(app: Services) -> Services:
    app.profile.save(make_profile())
    return app
