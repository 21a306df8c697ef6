"""Fixtures for the audio tests: the bundled music folder, real libvlc, and a capture of what
VLC really renders (the ``amem`` audio output, via ``libvlc_audio_set_callbacks``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from companion.audio.factory import VlcUnavailableError, load_vlc
from companion.audio.vlc_player import VlcPlayer
from companion.domain.clock import Clock, SystemClock
from companion.paths import MUSIC_DIR
from tests.support.audio import AmemCapture, vlc_missing


@pytest.fixture(scope="session")
def music_dir() -> Path:
    return MUSIC_DIR


@pytest.fixture(scope="session")
def vlc() -> Any:
    try:
        return load_vlc()
    except VlcUnavailableError as exc:  # pragma: no cover - the dev environment has libvlc
        vlc_missing(f"libvlc is needed for the real-rendering tests: {exc}")


@pytest.fixture
def capture(vlc: Any) -> AmemCapture:
    return AmemCapture(vlc)


PlayerFactory = Callable[..., VlcPlayer]


@pytest.fixture
def make_vlc_player(qtbot: Any, vlc: Any, capture: AmemCapture) -> Iterator[PlayerFactory]:
    """Builds VlcPlayers whose output goes to ``capture``; closes them after the test."""
    made: list[VlcPlayer] = []

    def make(clock: Clock | None = None, volume: float = 100.0) -> VlcPlayer:
        player = VlcPlayer(
            clock or SystemClock(), vlc, configure_media_player=capture.install, volume=volume
        )
        made.append(player)
        return player

    yield make
    for player in made:
        player.close()
