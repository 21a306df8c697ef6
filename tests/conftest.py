"""Shared fixtures: every test builds its own services on a temporary data folder.

Vaults made here use ``KdfParams.for_tests()`` through the explicit ``kdf`` parameter so the
suite stays fast; tests/storage/test_calibration.py checks that real vaults never do.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.i18n import set_language
from companion.paths import DataPaths
from companion.pdf import QtPdfRenderer
from companion.services.container import Services, build_services
from tests.support.language import TEST_LANGUAGE
from tests.support.vault import PASSPHRASE

# The screen the tests see is the small laptop screen Companion is laid out for (1366x768);
# Qt's offscreen default (800x800) is a screen no patient has.
SCREEN = Path(__file__).with_name("offscreen-1366x768.json")
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={SCREEN}")


@pytest.fixture(autouse=True)
def collected_again_after_the_test() -> Iterator[None]:
    """What a test's windows kept out of the cyclic collector (``heap.keep_long_lived``: the
    pages built after unlock, a session's views) is collected normally again once the test is
    over: the app lets go of it when the vault locks, and a test's window may never lock."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def test_language() -> Iterator[str]:
    """Every test starts, and ends, in the test language (a test may change it)."""
    set_language(TEST_LANGUAGE)
    yield TEST_LANGUAGE
    set_language(TEST_LANGUAGE)


@pytest.fixture
def fast_kdf() -> KdfParams:
    return KdfParams.for_tests()


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture
def manual_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def services(
    data_paths: DataPaths, fast_kdf: KdfParams, manual_clock: ManualClock
) -> Iterator[Services]:
    built = build_services(data_paths, manual_clock, kdf=fast_kdf, pdf=QtPdfRenderer())
    yield built
    built.worker.shutdown()
    built.vault.lock()


@pytest.fixture
def unlocked_services(services: Services) -> Services:
    services.vault.create(PASSPHRASE)
    return services
