"""UI fixtures: real services and real vault files (from tests/conftest.py), a real window."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.app import demo_factory
from companion.domain.profile import Profile
from companion.paths import DataPaths
from companion.services.container import Services
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.main_window import MainWindow, never_in_session
from companion.ui.shell import Shell
from companion.ui.theme import apply_theme
from tests.support.gui import (
    FAST_POLL_MS,
    PROFILE_CANARY,
    WindowFactory,
    show_window,
    unlock,
    visible_texts,
)
from tests.support.vault import PASSPHRASE


@pytest.fixture
def settings(data_paths: DataPaths) -> Settings:
    return Settings(data_paths.preferences)


@pytest.fixture
def themed_app(qapp: QApplication, settings: Settings) -> Iterator[QApplication]:
    apply_theme(qapp, settings.get(THEME), settings.get(TEXT_SCALE))
    yield qapp
    apply_theme(qapp, "dark", 100)


@pytest.fixture
def make_window(
    qtbot: QtBot, themed_app: QApplication, services: Services, settings: Settings
) -> Iterator[WindowFactory]:
    windows: list[MainWindow] = []

    def make(
        session_running: Callable[[], bool] = never_in_session,
        ask_before_losing_key: bool = False,
        size: tuple[int, int] = (1120, 800),
    ) -> MainWindow:
        window = MainWindow(
            services,
            settings,
            session_running=session_running,
            autolock_poll_ms=FAST_POLL_MS,
            ask_before_losing_key=ask_before_losing_key,
            demo=demo_factory(),
        )
        show_window(qtbot, window, size)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.prepare_to_quit()
        window.autolock.stop()
    qtbot.waitUntil(lambda: all(w.ctx.tasks.pending == 0 for w in windows), timeout=15_000)


@pytest.fixture
def private_bus() -> Iterator[str]:
    """A D-Bus session bus of the test's own (tools/env.sh installs dbus-daemon)."""
    daemon = shutil.which("dbus-daemon")
    assert daemon is not None, "dbus-daemon is missing: tools/env.sh installs it"
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1", "--nopidfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    try:
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def opened(
    qtbot: QtBot, make_window: WindowFactory, unlocked_services: Services
) -> Iterator[tuple[MainWindow, Shell]]:
    services = unlocked_services
    services.profile.save(
        Profile(
            name=PROFILE_CANARY,
            provider_name=PROFILE_CANARY,
            provider_contact="555 0100",
            monitor_name=PROFILE_CANARY,
        )
    )
    services.vault.lock()
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: PROFILE_CANARY in " ".join(visible_texts(window)))
    yield window, shell
