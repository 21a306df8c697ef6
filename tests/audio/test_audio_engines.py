"""Choosing the engine, the Qt Multimedia fallback, and clock-driven fades."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from companion.audio.factory import VlcUnavailableError, create_player, load_vlc
from companion.audio.fades import FadeCurve, fade_volume, volume_to_gain
from companion.audio.player import PlayerState
from companion.audio.qt_player import QtMultimediaPlayer
from companion.audio.vlc_player import VlcPlayer
from companion.domain.clock import ManualClock, SystemClock
from tests.support.audio import write_tone

WAIT_MS = 10_000


@pytest.fixture
def qt_player(qtbot: Any) -> Any:
    player = QtMultimediaPlayer(ManualClock(), volume=80)
    yield player
    player.close()


def test_the_factory_picks_vlc_when_libvlc_loads(qtbot: Any) -> None:
    player = create_player(SystemClock())
    try:
        assert isinstance(player, VlcPlayer)
        assert player.engine_name.startswith("VLC 3.")
    finally:
        player.close()


def test_the_factory_falls_back_to_qt_multimedia_when_vlc_cannot_load(qtbot: Any) -> None:
    def no_vlc() -> Any:
        raise VlcUnavailableError("libvlc could not be loaded (libvlc.so.5: not found)")

    player = create_player(SystemClock(), vlc_loader=no_vlc, volume=35)
    try:
        assert isinstance(player, QtMultimediaPlayer)
        assert player.engine_name.startswith("Qt Multimedia (VLC unavailable:")
        assert "libvlc.so.5" in player.engine_name  # Settings can say why
        assert player.volume() == 35
    finally:
        player.close()


def test_the_factory_falls_back_when_libvlc_starts_without_plugins(qtbot: Any) -> None:
    class BrokenVlc:
        @staticmethod
        def Instance(_args: object) -> None:
            return None  # what python-vlc returns when libvlc_new fails

        @staticmethod
        def libvlc_get_version() -> bytes:
            return b"3.0.21"

    player = create_player(SystemClock(), vlc_loader=lambda: BrokenVlc)
    try:
        assert isinstance(player, QtMultimediaPlayer)
        assert "plugins" in player.engine_name
    finally:
        player.close()


def test_qt_can_be_asked_for_directly(qtbot: Any) -> None:
    player = create_player(SystemClock(), prefer="qt")
    try:
        assert player.engine_name == "Qt Multimedia"
    finally:
        player.close()
    with pytest.raises(ValueError):
        create_player(SystemClock(), prefer="gstreamer")


def test_load_vlc_reports_a_missing_python_vlc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vlc", None)  # makes "import vlc" raise ImportError
    with pytest.raises(VlcUnavailableError, match="python-vlc"):
        load_vlc()


def test_the_qt_fallback_really_plays_a_playlist_to_its_end(
    qtbot: Any, qt_player: QtMultimediaPlayer, tmp_path: Path
) -> None:
    first = write_tone(tmp_path / "a.wav", 0.6)
    second = write_tone(tmp_path / "b.wav", 0.6, freq=660.0)
    qt_player.load([first, second], loop=False)
    changes: list[int] = []
    qt_player.track_changed.connect(changes.append)
    with qtbot.waitSignal(qt_player.finished, timeout=WAIT_MS):
        qt_player.play()
    assert changes == [0, 1]
    assert qt_player.state() is PlayerState.STOPPED


def test_the_qt_fallback_reports_a_broken_entry_once_and_moves_on(
    qtbot: Any, qt_player: QtMultimediaPlayer, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"not audio" * 50)
    tone = write_tone(tmp_path / "tone.wav", 0.5)
    qt_player.load([broken, tone], loop=False)
    errors: list[str] = []
    qt_player.error.connect(errors.append)
    with qtbot.waitSignal(qt_player.finished, timeout=WAIT_MS):
        qt_player.play()
    assert len(errors) == 1 and "broken.ogg" in errors[0]


def test_the_qt_fallback_uses_the_same_volume_law_as_vlc(
    qtbot: Any, qt_player: QtMultimediaPlayer
) -> None:
    for volume in (100.0, 50.0, 20.0, 0.0):
        qt_player.set_volume(volume)
        assert qt_player.output_gain() == pytest.approx(volume_to_gain(volume), abs=1e-6)
    qt_player.set_volume(150)
    assert qt_player.volume() == 100.0


def test_a_fade_follows_the_clock_not_the_timer_ticks(
    qtbot: Any, qt_player: QtMultimediaPlayer
) -> None:
    clock = qt_player._clock
    assert isinstance(clock, ManualClock)
    finished: list[bool] = []
    qt_player.fade_finished.connect(lambda: finished.append(True))

    qt_player.fade_to(20.0, 10.0, FadeCurve.SMOOTH)
    assert qt_player.is_fading()
    qtbot.waitUntil(lambda: qt_player.volume() == 80.0, timeout=WAIT_MS)  # no time has passed
    clock.advance(2.5)
    expected = fade_volume(80.0, 20.0, 0.25, FadeCurve.SMOOTH)
    qtbot.waitUntil(lambda: qt_player.volume() == pytest.approx(expected), timeout=WAIT_MS)
    assert qt_player.output_gain() == pytest.approx(volume_to_gain(expected), abs=1e-6)
    clock.advance(60.0)  # a late tick lands exactly on the target, not beyond it
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert qt_player.volume() == 20.0
    assert not qt_player.is_fading()


def test_setting_the_volume_cancels_a_fade(qtbot: Any, qt_player: QtMultimediaPlayer) -> None:
    clock = qt_player._clock
    assert isinstance(clock, ManualClock)
    qt_player.fade_to(0.0, 5.0)
    qt_player.set_volume(55.0)
    clock.advance(5.0)
    with qtbot.assertNotEmitted(qt_player.fade_finished, wait=100):
        pass
    assert qt_player.volume() == 55.0
    with qtbot.waitSignal(qt_player.fade_finished, timeout=WAIT_MS):
        qt_player.fade_to(10.0, 0.0)  # zero length: at once
    assert qt_player.volume() == 10.0


def test_a_real_time_fade_is_updated_at_least_20_times_a_second(qtbot: Any) -> None:
    player = QtMultimediaPlayer(SystemClock(), volume=100)
    try:
        values: list[float] = []
        player.volume_changed.connect(values.append)
        with qtbot.waitSignal(player.fade_finished, timeout=WAIT_MS):
            player.fade_to(0.0, 0.5)
        assert len(values) >= 10  # 0.5 s at >= 20 updates/s
        assert values == sorted(values, reverse=True)
        assert values[-1] == 0.0
    finally:
        player.close()


def test_a_closed_player_refuses_to_play(qtbot: Any, tmp_path: Path) -> None:
    player = QtMultimediaPlayer(SystemClock())
    player.load([write_tone(tmp_path / "t.wav", 0.2)])
    player.close()
    player.close()  # twice is fine
    with pytest.raises(RuntimeError):
        player.play()
    with pytest.raises(IndexError):
        QtMultimediaPlayer(SystemClock()).play_at(3)


@pytest.mark.parametrize("engine", ["vlc", "qt"])
def test_probing_durations_without_playing(
    qtbot: Any, engine: str, music_dir: Path, tmp_path: Path
) -> None:
    tone = write_tone(tmp_path / "tone.wav", 2.5)
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"not audio" * 50)
    player = create_player(SystemClock(), prefer=engine)
    try:
        locations = [music_dir / "soft-bells.ogg", tone, broken, tmp_path / "missing.mp3"]
        with qtbot.waitSignal(player.durations_probed, timeout=WAIT_MS) as probed:
            player.probe_durations(locations)
        durations = probed.args[0]
        assert durations[0] == pytest.approx(600.0, abs=0.1)
        assert durations[1] == pytest.approx(2.5, abs=0.05)
        assert durations[2:] == [0.0, 0.0]  # unplayable and missing: unknown
        assert player.state() is PlayerState.STOPPED  # nothing was played
        with qtbot.waitSignal(player.durations_probed, timeout=WAIT_MS) as probed:
            player.probe_durations([])
        assert probed.args[0] == []
    finally:
        player.close()
