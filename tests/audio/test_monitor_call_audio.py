"""The "Call my monitor" alarm, rendered by real VLC (``amem``) next to the music.

Two real ``VlcPlayer``s, each captured on its own: the session's music (gentle waves, the
bundled track) at the patient's volume, and the alarm on the player ``MonitorCall`` makes for
itself. The alarm must stand far above the music at every music volume setting, even the
loudest (100, before Help lowers it), and its level must not move when the music's does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtWidgets import QWidget

from companion.audio.player import BasePlayer, PlayerState
from companion.audio.vlc_player import VlcPlayer
from companion.domain.clock import SystemClock
from companion.domain.profile import Profile
from companion.ui.session.call_monitor import ALARM_PATH, ALARM_VOLUME, MonitorCall
from tests.support.audio import RATE, AmemCapture, FloatArray, dbfs, rms

WAIT_MS = 15_000
SETTLED = 2.6  # amem renders its first ~1.1 s before a volume applies (see the VLC tests)
MARGIN_DB = 10.0  # the alarm's quietest moment-to-moment level still above the music's loudest


def loudest(samples: FloatArray, window: float = 0.4) -> float:
    """The loudest RMS (dBFS) over sliding windows (the music's peaks, not its average)."""
    step = round(window * RATE)
    return max(dbfs(rms(samples[i : i + step])) for i in range(0, len(samples) - step, step // 4))


def cycle_level(samples: FloatArray) -> float:
    """The alarm's level over whole cycles (tones and rest), as it is heard looping."""
    return dbfs(rms(samples))


@pytest.fixture
def alarm_capture(vlc: Any) -> AmemCapture:
    return AmemCapture(vlc)


def test_tools_make_alarm_rebuilds_the_same_file(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, str(root / "tools" / "make_alarm.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / ALARM_PATH.name).read_bytes() == ALARM_PATH.read_bytes()
    manifest = json.loads((ALARM_PATH.parent / "manifest.json").read_text(encoding="utf-8"))
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == manifest
    (entry,) = manifest["files"]
    assert entry["file"] == ALARM_PATH.name and entry["loop"] is True
    assert entry["licence"].startswith("CC0-1.0")


def test_the_alarm_file_is_a_short_loud_pattern() -> None:
    data, rate = sf.read(ALARM_PATH, dtype="float64", always_2d=True)
    assert rate == RATE and data.shape[1] == 2
    assert 1.5 < len(data) / rate < 3.0  # a short cycle, looped
    assert np.max(np.abs(data)) < 10 ** (-1 / 20), "peak below -1 dBFS: no clipping"
    tones = np.abs(data[:, 0]) > 0.01
    assert 0.3 < tones.mean() < 0.8, "tones and a rest, so it is a pattern, not a drone"


@pytest.mark.parametrize("music_volume", [100.0, 40.0])
def test_the_alarm_is_heard_over_the_music_at_any_volume(
    qtbot: Any,
    vlc: Any,
    capture: AmemCapture,
    alarm_capture: AmemCapture,
    music_dir: Path,
    music_volume: float,
) -> None:
    clock = SystemClock()
    music = VlcPlayer(clock, vlc, configure_media_player=capture.install, volume=music_volume)
    made: list[BasePlayer] = []

    def alarm_factory(volume: float) -> BasePlayer:
        player = VlcPlayer(clock, vlc, configure_media_player=alarm_capture.install, volume=volume)
        made.append(player)
        return player

    host = QWidget()
    qtbot.addWidget(host)
    call = MonitorCall(alarm_factory, host)
    try:
        music.load([music_dir / "gentle-waves.ogg"])
        music.play_at(0, 240.0)
        qtbot.waitUntil(lambda: capture.seconds >= SETTLED, timeout=WAIT_MS)
        call.start(Profile(name="Sam"))
        assert call.ringing and made and made[0].volume() == ALARM_VOLUME
        qtbot.waitUntil(lambda: alarm_capture.seconds >= SETTLED + 4.5, timeout=WAIT_MS)
        music_samples = capture.samples()[round(SETTLED * RATE) :]
        alarm_samples = alarm_capture.samples()
        cycle = round(2.23 * RATE)
        first = alarm_samples[round(SETTLED * RATE) - cycle : round(SETTLED * RATE)]
        second = alarm_samples[round(SETTLED * RATE) : round(SETTLED * RATE) + cycle]

        music_peak = loudest(music_samples)
        assert music_peak > -70.0, "the music really played (silence is -90 dBFS and below)"
        alarm_level = min(cycle_level(first), cycle_level(second))
        assert alarm_level > music_peak + MARGIN_DB, (alarm_level, music_peak)

        # The music's volume moves; the alarm's level does not (its own player, its own volume).
        changed_at = alarm_capture.seconds
        music.set_volume(100.0 if music_volume < 100 else 10.0)
        assert made[0].volume() == ALARM_VOLUME
        qtbot.waitUntil(lambda: alarm_capture.seconds >= changed_at + 2.5, timeout=WAIT_MS)
        later = alarm_capture.samples()[-cycle:]
        assert cycle_level(later) == pytest.approx(cycle_level(second), abs=1.0)

        call.silence()  # any key, or the monitor
        assert made[0].state() is PlayerState.STOPPED
    finally:
        call.close()
        music.close()
