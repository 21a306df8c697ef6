"""Fixtures for the service tests: real vault files, a manual clock, UTC as the local zone.

``restart`` plays a process restart: lock, throw the service objects away, build new ones on
the same folder and unlock (only the files carry over).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

import pytest

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.paths import DataPaths
from companion.pdf import QtPdfRenderer
from companion.services.container import Services, build_services
from tests.support.services import Restart, make_profile
from tests.support.vault import PASSPHRASE


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


@pytest.fixture
def with_profile(app: Services) -> Services:
    app.profile.save(make_profile())
    return app
