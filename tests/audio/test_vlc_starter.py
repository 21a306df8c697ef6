"""libvlc started on a thread (``VlcStarter``), shared by the players of a ``PlayerFactory``.

libvlc_new loads VLC's plugins (50-80 ms, far more on a cold disk): it must never run on the GUI
thread when Begin is pressed. A player made before libvlc is there is usable at once; what it was
asked meanwhile is done when libvlc arrives, and a start begins as far into the track as the
(injected) clock says it waited. Real libvlc, rendering to its silent ``dummy`` output.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from companion.audio.factory import PlayerFactory, VlcUnavailableError
from companion.audio.player import PlayerState
from companion.audio.qt_player import QtMultimediaPlayer
from companion.audio.vlc_player import VlcPlayer
from companion.domain.clock import ManualClock
from tests.support.session_walk import SILENT_VLC

WAIT_MS = 10_000


class HeldLoader:
    """Loads python-vlc when the test lets it: the starter's thread waits until ``release``."""

    def __init__(self, vlc: Any) -> None:
        self._vlc = vlc
        self._go = threading.Event()

    def __call__(self) -> Any:
        assert self._go.wait(10)
        return self._vlc

    def release(self) -> None:
        self._go.set()


def test_a_start_asked_before_libvlc_is_there_plays_as_far_in_as_it_waited(
    qtbot: QtBot, vlc: Any, music_dir: Path
) -> None:
    clock = ManualClock()
    loader = HeldLoader(vlc)
    factory = PlayerFactory(clock, vlc_loader=loader, vlc_args=SILENT_VLC)
    player = factory(60.0)
    try:
        assert isinstance(player, VlcPlayer)
        player.load([music_dir / "gentle-waves.ogg"])
        player.play_at(0, 10.0)
        assert player.state() is PlayerState.PLAYING  # usable at once: nothing waited
        clock.advance(5.0)  # libvlc took 5 s to load its plugins
        loader.release()
        starter = factory.starter
        assert starter is not None
        qtbot.waitUntil(lambda: starter.done, timeout=WAIT_MS)
        assert starter.made_on != threading.main_thread().ident  # libvlc_new ran on its thread
        assert player.engine_name.startswith("VLC 3.")
        qtbot.waitUntil(lambda: player.position() > 0, timeout=WAIT_MS)
        assert player.position() == pytest.approx(15.0, abs=1.5)  # 10 s in, and the 5 s waited
        assert player.volume() == 60.0
    finally:
        player.close()
        factory.close()


def _missing_library() -> Any:
    raise VlcUnavailableError("libvlc could not be loaded (libvlc.so.5: not found)")


def _binding_broken() -> Any:  # an error nobody planned for, on the starter's thread
    raise AttributeError("libvlc.so.5 has no libvlc_new")


@pytest.mark.parametrize("no_vlc", [_missing_library, _binding_broken])
def test_a_player_whose_libvlc_cannot_start_says_so_and_the_next_is_qt_multimedia(
    qtbot: QtBot, music_dir: Path, no_vlc: Any
) -> None:

    factory = PlayerFactory(ManualClock(), vlc_loader=no_vlc)
    waiting = factory(50.0)
    errors: list[str] = []
    waiting.error.connect(errors.append)
    try:
        waiting.load([music_dir / "gentle-waves.ogg"])
        waiting.play()
        factory.prepare()
        qtbot.waitUntil(lambda: waiting.state() is PlayerState.STOPPED, timeout=WAIT_MS)
        assert errors and "libvlc" in errors[0]
        fallback = factory(50.0)
        try:
            assert isinstance(fallback, QtMultimediaPlayer)
            assert "libvlc" in fallback.engine_name  # Settings can say why
        finally:
            fallback.close()
    finally:
        waiting.close()
        factory.close()
