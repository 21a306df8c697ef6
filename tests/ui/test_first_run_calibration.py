"""Creating a real vault calibrates Argon2id on this machine: seconds of hashing that need no
database. The window runs them on the task runner's second executor, not on the database
worker (issue 14); a vault with fixed parameters (tests, the demo) skips them."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.settings import Settings
from companion.ui.main_window import MainWindow
from tests.support.gui import STRONG, click, type_text


@pytest.fixture
def calibrating(data_paths: DataPaths, manual_clock: ManualClock) -> Iterator[Services]:
    built = build_services(data_paths, manual_clock, kdf=None)  # as the real app: calibrates
    yield built
    built.worker.shutdown()


def test_a_new_vault_is_calibrated_off_the_database_worker(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    calibrating: Services,
    fast_kdf: KdfParams,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []

    def calibrate() -> KdfParams:  # where it runs is the subject; the search is tested in crypto
        threads.append(threading.current_thread().name)
        return fast_kdf

    monkeypatch.setattr("companion.crypto.kdf.calibrate", calibrate)
    window = MainWindow(calibrating, settings, ask_before_losing_key=False)
    qtbot.addWidget(window)
    window.show()
    flow = window.first_run
    assert flow is not None
    click(qtbot, flow.welcome.continue_button)
    type_text(qtbot, flow.passphrase.passphrase.edit, STRONG)
    type_text(qtbot, flow.passphrase.confirm.edit, STRONG)
    click(qtbot, flow.passphrase.continue_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.recovery, timeout=15_000)
    assert len(threads) == 1 and threads[0].startswith("companion-files")
    assert calibrating.vault.is_unlocked
    window.prepare_to_quit()
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)
