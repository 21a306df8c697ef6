"""Session UI fixtures: a real window on real vault files, a manual clock, silent real audio.

Audio goes through the app's player factory (one libvlc started on a thread, shared by the
players); libvlc renders to its ``dummy`` output, so tracks really play (positions move) without
a sound card. Spoken prompts use Qt's ``mock`` engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.audio.player import BasePlayer
from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.settings import Settings
from companion.ui.main_window import MainWindow
from companion.ui.session.page import SessionPage
from companion.ui.shell import Shell
from tests.support.gui import FAST_POLL_MS, show_window, unlock
from tests.support.services import make_profile
from tests.support.session_walk import RecordingFactory, SessionWindow
from tests.support.vault import PASSPHRASE


@pytest.fixture
def players(manual_clock: ManualClock) -> Iterator[list[BasePlayer]]:
    made: list[BasePlayer] = []
    yield made
    for player in made:
        player.close()


@pytest.fixture
def silent_audio(
    manual_clock: ManualClock, players: list[BasePlayer]
) -> Iterator[RecordingFactory]:
    factory = RecordingFactory(manual_clock, players)
    yield factory
    factory.close()


@pytest.fixture
def prepared(services: Services) -> Services:
    """A vault with a complete profile, locked (the window opens on the unlock screen)."""
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.vault.lock()
    return services


@pytest.fixture
def session_window(
    qtbot: QtBot,
    themed_app: QApplication,
    services: Services,
    settings: Settings,
    silent_audio: Callable[[float], BasePlayer],
) -> Iterator[SessionWindow]:
    windows: list[MainWindow] = []

    def make(
        size: tuple[int, int] = (1120, 800), voice_engine: str = "mock"
    ) -> tuple[MainWindow, Shell, SessionPage]:
        window = MainWindow(
            services,
            settings,
            autolock_poll_ms=FAST_POLL_MS,
            ask_before_losing_key=False,
            audio=silent_audio,
            voice_engine=voice_engine,
        )
        show_window(qtbot, window, size)
        windows.append(window)
        shell = unlock(qtbot, window, PASSPHRASE)
        return window, shell, shell.session_page

    yield make
    for window in windows:
        if window.shell is not None:
            window.shell.session_page.clear()
        window.prepare_to_quit()
        window.autolock.stop()
    # Every call settles (delivered, or dropped with its deleted window) and the worker is
    # idle before the vault closes; pytest-qt has already closed and deleted the windows.
    qtbot.waitUntil(
        lambda: all(w.ctx.tasks.pending == 0 and w.ctx.tasks.idle() for w in windows),
        timeout=15_000,
    )
