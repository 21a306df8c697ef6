"""Real VLC rendering: the samples libvlc produced (captured through ``amem``) are measured.

Nothing of the subject is mocked: ``VlcPlayer`` drives a real libvlc instance decoding the
bundled Ogg Vorbis files; only the final audio output is swapped for memory
(``libvlc_audio_set_callbacks``). VLC renders in real time and hands samples over about a
second ahead of the wall clock, so a volume change shows up in the capture right where the
capture stood when the change was made. Each test plays a few seconds and waits for the samples
it needs (never sleeps).

Where the rendered music is compared with the file, the capture is first located in the file
(normalised cross-correlation against a soundfile decode), so gains are exact ratios of the
very same samples. "Gentle waves" is used for that: noise-like, it matches at one place only.

One property of ``amem`` itself: when a new stream starts, amem renders VLC's first ~1.1 s of
audio before a volume can be applied to it (VLC's outputs for real devices re-apply their volume
when a stream starts). So the tests measure volumes from 2.6 s of capture on.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from companion.audio.fades import FadeCurve, gain_to_volume, volume_to_gain
from companion.audio.player import PlayerState
from tests.support.audio import (
    RATE,
    AmemCapture,
    FloatArray,
    dbfs,
    locate,
    read_segment,
    rms,
    write_tone,
)

WAVES = "gentle-waves.ogg"
WAIT_MS = 15_000
SETTLED = 2.6  # seconds of capture after which the player's volume is surely in effect


def wait_for_seconds(qtbot: Any, capture: AmemCapture, seconds: float) -> None:
    qtbot.waitUntil(lambda: capture.seconds >= seconds, timeout=WAIT_MS)


def span(samples: FloatArray, start: float, end: float) -> FloatArray:
    return samples[round(start * RATE) : round(end * RATE)]


class Rendered:
    """Captured samples located in the source file they came from."""

    def __init__(self, samples: FloatArray, source: Path, asked_at: float) -> None:
        self.samples = samples
        self.source = source
        found, self.match = locate(span(samples, 0.4, 0.9)[:, 0], source, asked_at + 0.4)
        self.media_start = found - 0.4  # where in the file the capture begins

    def gain(self, start: float, end: float) -> float:
        """Rendered RMS / file RMS over capture seconds [start, end)."""
        played = span(self.samples, start, end)
        reference = read_segment(self.source, self.media_start + start, end - start)
        return rms(played) / rms(reference[: len(played)])


def start_waves(qtbot: Any, player: Any, capture: AmemCapture, music_dir: Path, at: float) -> None:
    player.load([music_dir / WAVES])
    player.play_at(0, at)
    wait_for_seconds(qtbot, capture, SETTLED)


def test_bundled_music_is_audible_through_vlc(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, music_dir: Path
) -> None:
    player = make_vlc_player(volume=100)
    assert player.engine_name.startswith("VLC 3")
    with qtbot.waitSignal(player.track_changed, timeout=WAIT_MS) as started:
        start_waves(qtbot, player, capture, music_dir, at=120.0)
    assert started.args == [0]
    assert player.state() is PlayerState.PLAYING

    rendered = Rendered(capture.samples(), music_dir / WAVES, asked_at=120.0)
    assert rendered.match > 0.99, "what VLC rendered is the bundled track"
    assert rendered.media_start == pytest.approx(120.0, abs=0.3), "and from where it was asked"
    played = span(rendered.samples, 0.2, SETTLED)
    assert dbfs(rms(played)) > -35.0, "clearly audible, far above silence (-90 dBFS and below)"
    assert np.max(np.abs(played)) < 0.95  # not clipped on the way
    assert dbfs(rendered.gain(0.2, SETTLED)) == pytest.approx(0.0, abs=0.3)  # unity at 100
    qtbot.waitUntil(lambda: player.position() > 120.0, timeout=WAIT_MS)
    assert player.duration() == pytest.approx(600.0, abs=1.0)


def test_help_lowers_the_rendered_music_by_the_expected_ratio(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, music_dir: Path
) -> None:
    player = make_vlc_player(volume=80)
    start_waves(qtbot, player, capture, music_dir, at=200.0)

    changed_at = capture.seconds
    whisper = 20.0
    player.set_volume(whisper)  # what Help does (it may then fade further down)
    wait_for_seconds(qtbot, capture, changed_at + 0.9)
    rendered = Rendered(capture.samples(), music_dir / WAVES, asked_at=200.0)
    assert rendered.match > 0.99

    loud = rendered.gain(changed_at - 0.45, changed_at - 0.1)
    quiet = rendered.gain(changed_at + 0.25, changed_at + 0.85)
    assert loud == pytest.approx(volume_to_gain(80), rel=0.05)  # 0.512
    assert quiet == pytest.approx(volume_to_gain(whisper), rel=0.08)  # 0.008
    expected = dbfs(volume_to_gain(whisper) / volume_to_gain(80))  # -36.1 dB
    assert dbfs(quiet / loud) == pytest.approx(expected, abs=0.6)
    assert player.volume() == whisper


def test_fade_out_reaches_silence(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, music_dir: Path
) -> None:
    player = make_vlc_player(volume=90)
    start_waves(qtbot, player, capture, music_dir, at=300.0)

    fade_from = capture.seconds
    with qtbot.waitSignal(player.fade_finished, timeout=WAIT_MS):
        player.fade_to(0.0, 1.0)
    faded_at = capture.seconds
    assert player.volume() == 0.0
    wait_for_seconds(qtbot, capture, faded_at + 0.7)
    rendered = Rendered(capture.samples(), music_dir / WAVES, asked_at=300.0)
    assert rendered.match > 0.99

    assert rendered.gain(fade_from - 0.4, fade_from - 0.1) == pytest.approx(
        volume_to_gain(90), rel=0.05
    )
    gains = [rendered.gain(t, t + 0.1) for t in np.arange(fade_from, faded_at - 0.1, 0.1)]
    assert all(b <= a * 1.05 for a, b in itertools.pairwise(gains)), gains
    tail = span(rendered.samples, faded_at + 0.2, faded_at + 0.7)
    assert len(tail) > 0.4 * RATE
    assert np.max(np.abs(tail)) == 0.0, "at volume 0 VLC renders exact digital silence"
    assert player.state() is PlayerState.PLAYING  # a fade alone does not stop the player


def test_a_fade_is_smooth_in_what_vlc_renders(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, tmp_path: Path
) -> None:
    """A steady tone faded 100 -> 0 over 1.5 s. The player sends VLC a new volume at least
    20 times a second, each a small step; what VLC rendered falls monotonically through many
    levels to silence. (With a software volume VLC applies a gain per decoded block as it
    decodes, in bursts about a second ahead, so the rendered staircase is VLC's, not ours.)"""
    tone = write_tone(tmp_path / "tone.wav", 10.0, amplitude=0.5)
    player = make_vlc_player(volume=100)
    player.load([tone])
    player.play()
    wait_for_seconds(qtbot, capture, SETTLED)
    sent: list[float] = []
    player.volume_changed.connect(sent.append)
    fade_from = capture.seconds
    with qtbot.waitSignal(player.fade_finished, timeout=WAIT_MS):
        player.fade_to(0.0, 1.5, FadeCurve.SMOOTH)
    faded_at = capture.seconds
    wait_for_seconds(qtbot, capture, faded_at + 0.4)

    assert len(sent) >= 30, "at least 20 updates per second over 1.5 s"
    assert sent == sorted(sent, reverse=True) and sent[-1] == 0.0
    assert max(a - b for a, b in itertools.pairwise(sent)) < 12.0

    left = capture.samples()[:, 0]
    step = RATE // 20  # 50 ms windows, one decoded WAV block each
    starts = range(round((fade_from - 0.2) * RATE), round((faded_at + 0.3) * RATE), step)
    rendered = np.array(
        [gain_to_volume(rms(left[i : i + step]) * np.sqrt(2) / 0.5) for i in starts]
    )
    assert rendered[0] == pytest.approx(100.0, abs=0.5)
    assert rendered[-1] == 0.0
    assert np.all(np.diff(rendered) <= 0.5), "the rendered level only goes down"
    levels_between = {round(v) for v in rendered if 1.0 < v < 99.0}
    assert len(levels_between) >= 10, f"a fade, not a few jumps: {sorted(levels_between)}"


def test_the_volume_holds_on_the_next_track_and_a_playlist_ends(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, tmp_path: Path
) -> None:
    first = write_tone(tmp_path / "first.wav", 3.0, freq=330.0, amplitude=0.5)
    second = write_tone(tmp_path / "second.wav", 3.0, freq=550.0, amplitude=0.5)
    player = make_vlc_player(volume=50)
    player.load([first, second], loop=False)
    changes: list[int] = []
    player.track_changed.connect(changes.append)
    with qtbot.waitSignal(player.finished, timeout=WAIT_MS):
        player.play()
    assert changes == [0, 1]
    assert player.state() is PlayerState.STOPPED
    assert player.current_index() == -1
    left = capture.samples()[:, 0]
    assert len(left) >= 5.9 * RATE
    expected = 0.5 / np.sqrt(2) * volume_to_gain(50)  # 50 -> 1/8 of full scale
    assert rms(span(left, 1.5, 2.8)) == pytest.approx(expected, rel=0.03)
    # VLC (amem) starts the second stream at unity gain; the player re-applies its volume.
    assert rms(span(left, 4.5, 5.8)) == pytest.approx(expected, rel=0.03)


def test_unplayable_entries_report_errors_and_the_playlist_goes_on(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"this is not audio at all" * 100)
    missing = tmp_path / "missing.ogg"
    tone = write_tone(tmp_path / "tone.wav", 1.0)
    player = make_vlc_player(volume=100)
    player.load([missing, broken, tone], loop=False)
    errors: list[str] = []
    player.error.connect(errors.append)
    with qtbot.waitSignal(player.finished, timeout=WAIT_MS):
        player.play()
    assert len(errors) == 2
    assert "missing.ogg" in errors[0] and "broken.ogg" in errors[1]
    assert capture.seconds >= 0.95  # the tone after them was rendered


def test_a_playlist_of_nothing_playable_stops_instead_of_spinning(
    qtbot: Any, make_vlc_player: Any, tmp_path: Path
) -> None:
    player = make_vlc_player()
    player.load([tmp_path / "gone.ogg", tmp_path / "also-gone.ogg"], loop=True)
    errors: list[str] = []
    player.error.connect(errors.append)
    with qtbot.waitSignal(player.finished, timeout=WAIT_MS):
        player.play()
    assert len(errors) == 2
    assert player.state() is PlayerState.STOPPED


def test_a_looping_playlist_starts_again(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, tmp_path: Path
) -> None:
    tone = write_tone(tmp_path / "short.wav", 0.4)
    player = make_vlc_player()
    player.load([tone], loop=True)
    starts: list[int] = []
    player.track_changed.connect(starts.append)
    player.play()
    qtbot.waitUntil(lambda: len(starts) >= 3, timeout=WAIT_MS)
    assert starts[:3] == [0, 0, 0]
    assert player.state() is PlayerState.PLAYING
    wait_for_seconds(qtbot, capture, 1.0)
    assert rms(capture.samples()) > 0.1  # the loop keeps sounding


def test_pause_resume_and_stop(
    qtbot: Any, make_vlc_player: Any, capture: AmemCapture, tmp_path: Path
) -> None:
    tone = write_tone(tmp_path / "tone.wav", 6.0)
    player = make_vlc_player()
    player.load([tone])
    states: list[str] = []
    player.state_changed.connect(states.append)
    player.play()
    qtbot.waitUntil(lambda: player.position() > 0.2, timeout=WAIT_MS)
    player.pause()
    assert player.state() is PlayerState.PAUSED
    player.play()  # resumes where it was
    assert player.state() is PlayerState.PLAYING
    assert player.current_index() == 0
    player.stop()
    assert player.state() is PlayerState.STOPPED
    assert (player.position(), player.duration(), player.current_index()) == (0.0, 0.0, -1)
    assert states == ["playing", "paused", "playing", "stopped"]
