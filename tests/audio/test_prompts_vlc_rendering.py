"""A rehearsal of the default protocol's prompts, rendered by real VLC and measured.

Everything is real: the default protocol's timeline (``SessionTimeline`` at 60x), the session's
``MusicConductor`` and ``SessionAudio`` with their own ``VlcPlayer`` each (music, cues, speech),
the bundled cue and speech recordings. Only each player's audio output is swapped for memory
(``amem``); every block VLC hands over carries its presentation time on libvlc's clock, so the
three outputs are mixed on one time line exactly as a sound card would play them.

The injected clock follows libvlc's clock, and jumps over the silent stretches between prompts
(the "high speed"); each prompt is acknowledged once it has been said, as a patient would. The
mixed recording is written to ``$COMPANION_REHEARSAL_WAV`` when that is set (for ``sox stats``).
"""

from __future__ import annotations

import ctypes
import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QObject

from companion.audio.player import BasePlayer
from companion.audio.prompt_assets import (
    ENDING_LINE,
    RecordingLibrary,
)
from companion.audio.prompts import (
    CUE_LEAD_SECONDS,
)
from companion.audio.vlc_player import VlcPlayer
from companion.domain.timeline import SessionTimeline
from companion.services.protocol_files import default_protocol
from companion.settings import CUE_VOLUME, VOICE_VOLUME, Settings
from companion.ui.session.audio import SessionAudio
from companion.ui.session.music import SPEECH_DUCK_FACTOR, MusicConductor
from companion.ui.session.music_choice import Playlist
from companion.ui.session.voice import Voice
from tests.support.audio import RATE, FloatArray, dbfs, locate, read_segment, rms

SPEED = 60.0
# Wall seconds of quiet around check-in 1 before the clock jumps: amem takes blocks up to
# ~1.5 s ahead of their presentation time, so a volume change is heard that much later.
IDLE_BEFORE_SKIP = 4.4
LAND_BEFORE = 0.6  # the jump lands this long before the next event
MUSIC_VOLUME = 70.0
TOLERANCE = 0.25
ONSET_DBFS = -45.0
WAVES = "gentle-waves.ogg"


class StampedCapture:
    """One player's rendered audio, each block with VLC's presentation time (microseconds on
    libvlc's clock)."""

    def __init__(self, vlc: Any) -> None:
        self._vlc = vlc
        self._lock = threading.Lock()
        self.blocks: list[tuple[int, np.ndarray]] = []
        self.leads: list[int] = []  # how far ahead of its presentation each block came
        d = vlc.CallbackDecorators
        self._cbs = (
            d.AudioPlayCb(self._on_play),
            d.AudioPauseCb(lambda _d, _p: None),
            d.AudioResumeCb(lambda _d, _p: None),
            d.AudioFlushCb(lambda _d, _p: None),
            d.AudioDrainCb(lambda _d: None),
        )

    def install(self, media_player: Any) -> None:
        media_player.audio_set_callbacks(*self._cbs, None)
        media_player.audio_set_format("S16N", RATE, 2)

    def _on_play(self, _data: int, samples: int, count: int, pts: int) -> None:
        raw = ctypes.string_at(samples, count * 4)
        chunk = np.frombuffer(raw, dtype=np.int16).reshape(-1, 2).copy()
        lead = pts - int(self._vlc.libvlc_clock())
        with self._lock:
            self.blocks.append((pts, chunk))
            self.leads.append(lead)

    def on_timeline(self, origin_us: int, frames: int) -> FloatArray:
        out = np.zeros((frames, 2))
        with self._lock:
            blocks = list(self.blocks)
        for pts, chunk in blocks:
            start = round((pts - origin_us) * RATE / 1e6)
            if start < 0 or start >= frames:
                continue
            end = min(frames, start + len(chunk))
            out[start:end] += chunk[: end - start] / 32768.0
        return out

    def continuous(self) -> tuple[int, FloatArray]:
        """(first pts, all samples in order) for a stream played without a break."""
        with self._lock:
            blocks = list(self.blocks)
        return blocks[0][0], np.concatenate([c for _p, c in blocks]).astype(np.float64) / 32768.0


class VlcFollowingClock:
    """The injected clock: libvlc's own clock (what the captures are stamped with), plus the
    jumps the test makes over silence."""

    def __init__(self, vlc: Any) -> None:
        self._vlc = vlc
        self.offset = 0.0

    def wall(self) -> float:
        return float(self._vlc.libvlc_clock()) / 1e6

    def monotonic(self) -> float:
        return self.wall() + self.offset

    def now(self) -> datetime:
        return datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(seconds=self.monotonic())

    def skip(self, seconds: float) -> None:
        self.offset += max(0.0, seconds)


def window(samples: FloatArray, start: float, end: float) -> FloatArray:
    return samples[max(0, round(start * RATE)) : max(0, round(end * RATE))]


def onset(samples: FloatArray, after: float, search: float = 1.5) -> float | None:
    """First 10 ms frame at or after ``after`` whose level is above ``ONSET_DBFS`` and 10 dB
    above the level just before ``after`` (the tail of an earlier sound is not an onset)."""
    step = RATE // 100
    first = max(0, round(after * RATE))
    floor = max(ONSET_DBFS, dbfs(rms(samples[max(0, first - 3 * step) : first])) + 10.0)
    for i in range(first, min(len(samples), first + round(search * RATE)), step):
        if dbfs(rms(samples[i : i + step])) > floor:
            return i / RATE
    return None


def test_a_rehearsal_of_the_default_prompts_is_heard_through_vlc(
    qtbot: Any, vlc: Any, music_dir: Path, tmp_path: Path
) -> None:
    clock = VlcFollowingClock(vlc)
    settings = Settings(tmp_path / "preferences.json")
    captures: dict[int, StampedCapture] = {}
    players: list[BasePlayer] = []

    def factory(volume: float) -> BasePlayer:
        capture = StampedCapture(vlc)
        player = VlcPlayer(clock, vlc, configure_media_player=capture.install, volume=volume)
        captures[id(player)] = capture
        players.append(player)
        return player

    protocol = default_protocol()
    pt = protocol.timeline
    owner = QObject()
    library = RecordingLibrary.load()
    conductor = MusicConductor(
        factory, Playlist((str(music_dir / WAVES),), (600.0,)), pt, MUSIC_VOLUME, owner
    )
    audio = SessionAudio(
        settings,
        factory,
        clock,
        Voice(enabled=False, parent=owner),
        library=library,
        parent=owner,
    )
    audio.attach_music(conductor)
    origin_us = int(vlc.libvlc_clock())
    origin = origin_us / 1e6
    timeline = SessionTimeline(pt, clock.monotonic(), speed=SPEED)
    wall_of: list[tuple[int, float]] = [(0, clock.offset)]  # history index -> clock offset
    done = {"end": False}
    quiet_since = [clock.wall()]
    music_zero_after = "checkin:2"

    def step() -> bool:
        now = clock.monotonic()
        for due in timeline.poll(now):
            if due.event.id == "prompt:ready_to_take":
                timeline.dose_taken(now)
            audio.event_due(due)
        state = timeline.state(now)
        conductor.follow(state)
        audio.follow(state)
        delivery = audio.delivery
        played = {key for _t, what, key in audio.history if what == "PlayCue"}
        for key in delivery.waiting():
            if key != delivery.current_key() and key in played:
                audio.acknowledge(key)  # said once: the patient presses a key
                timeline.acknowledge(key)
                if key == music_zero_after:
                    conductor.set_user_volume(0.0)  # Settings: music at 0 from here on
        busy = delivery.current_key() is not None or bool(delivery.waiting())
        done["end"] = "end" in played and not busy
        # Quiet long enough to hear the music come back after check-in 1; briefly elsewhere.
        # and long enough for a cue without speech to ring out (the jump skips the clock's wait).
        last = next((k for _t, w, k in reversed(audio.history) if w == "PlayCue"), "")
        idle = {
            "prompt:eye_mask": IDLE_BEFORE_SKIP,
            "checkin:1": IDLE_BEFORE_SKIP,
            "checkin:2": IDLE_BEFORE_SKIP,  # the music has gone to 0 before check-in 3
            "prompt:ready_to_take": 2.8,  # cues without speech: let them ring out
            "prompt:water": 2.8,
        }.get(last, 0.8)
        if busy:
            quiet_since[0] = clock.wall()
        elif clock.wall() - quiet_since[0] >= idle and not done["end"]:
            until = timeline.seconds_until_next_event(now)
            if until is not None and until > LAND_BEFORE:
                clock.skip(until - LAND_BEFORE)
                wall_of.append((len(audio.history), clock.offset))
                quiet_since[0] = clock.wall()
        return done["end"] and not busy and clock.wall() - quiet_since[0] > 2.5

    try:
        qtbot.waitUntil(step, timeout=200_000)
        end_wall = clock.wall() + 1.0
        qtbot.waitUntil(lambda: clock.wall() >= end_wall, timeout=5_000)
        cue_player, speech_player = audio._cue_player, audio._speech_player
        assert cue_player is not None and speech_player is not None
        frames = round((clock.wall() - origin) * RATE)
        cue = captures[id(cue_player)].on_timeline(origin_us, frames)
        speech = captures[id(speech_player)].on_timeline(origin_us, frames)
        music = captures[id(conductor.player)].on_timeline(origin_us, frames)
        music_start_us, music_stream = captures[id(conductor.player)].continuous()
        music_lead = float(np.median(captures[id(conductor.player)].leads)) / 1e6
    finally:
        audio.close()
        conductor.close()
        for player in players:
            player.close()

    unclipped = cue + speech + music
    mix = np.clip(unclipped, -1.0, 1.0)
    out = Path(os.environ.get("COMPANION_REHEARSAL_WAV", str(tmp_path / "rehearsal.wav")))
    sf.write(out, mix, RATE, subtype="PCM_16")

    def wall(index: int, mono: float) -> float:
        offset = next(o for i, o in reversed(wall_of) if i <= index)
        return mono - offset - origin

    cues: dict[str, float] = {}
    spoken: dict[str, float] = {}
    restored: dict[str, float] = {}
    for index, (mono, what, key) in enumerate(audio.history):
        if what == "PlayCue" and key not in cues:
            cues[key] = wall(index, mono)
        elif what == "Speak" and key not in spoken:
            spoken[key] = wall(index, mono)
        elif what == "RestoreMusic" and key == "" and spoken and key not in restored:
            last = list(spoken)[-1]
            restored.setdefault(last, wall(index, mono))

    if "COMPANION_REHEARSAL_WAV" in os.environ:  # the moments, for measuring the file with sox
        marks = {"cues": cues, "spoken": spoken, "restored": restored}
        out.with_suffix(".json").write_text(json.dumps(marks, indent=1), encoding="utf-8")
    expected = [
        "prompt:ready_to_take",
        "prompt:eye_mask",
        "checkin:1",
        "checkin:2",
        "checkin:3",
        "prompt:return",
        "prompt:water",
        "end",
    ]
    assert list(cues) == expected
    assert list(spoken) == [
        "prompt:eye_mask",
        "checkin:1",
        "checkin:2",
        "checkin:3",
        "prompt:return",
        "end",
    ]
    figures: list[str] = []
    for key, at in cues.items():
        heard = onset(cue, at - TOLERANCE)
        assert heard is not None and abs(heard - at) <= TOLERANCE, (key, at, heard)
        figures.append(f"{key}: cue {1000 * (heard - at):+.0f} ms")
    texts = {e.id: e.text for e in timeline.events()}
    for key, at in spoken.items():
        assert at - cues[key] == pytest.approx(CUE_LEAD_SECONDS, abs=0.05)
        heard = onset(speech, at - TOLERANCE)
        assert heard is not None and abs(heard - at) <= TOLERANCE, (key, at, heard)
        recording = library.find(ENDING_LINE if key == "end" else texts[key])
        assert recording is not None
        seconds = recording.duration_seconds
        level = dbfs(rms(window(speech, at + 0.3, at + seconds - 0.3)))
        assert level > -40.0, (key, level)  # speech energy where the prompt is due
        figures.append(f"{key}: speech {1000 * (heard - at):+.0f} ms, {level:.1f} dBFS")

    # Music ducked about 12 dB under check-in 1's line, and back afterwards: gains measured
    # against the very same samples of the file (the capture located in it).
    stream_start = (music_start_us - origin_us) / 1e6
    found, match = locate(window(music_stream, 3.0, 3.5)[:, 0], music_dir / WAVES, 3.0, search=3.0)
    assert match > 0.9
    media_start = found - 3.0

    def gain(start: float, end: float) -> float:
        played = window(music_stream, start - stream_start, end - stream_start)
        reference = read_segment(music_dir / WAVES, media_start + start - stream_start, end - start)
        return rms(played) / rms(reference[: len(played)])

    # A volume change applies to the blocks VLC hands over after it, which amem takes this far
    # ahead of their presentation time (a sound card's buffer does the same, shorter).
    lead = music_lead
    cue_at, at, back = (
        cues["checkin:1"] + lead,
        spoken["checkin:1"] + lead,
        restored["checkin:1"] + lead,
    )
    before = gain(cue_at - 1.5, cue_at - 0.1)
    under = gain(at + 0.2, at + 3.5)
    after = gain(back + 1.4, back + 2.6)
    duck_db = dbfs(under / before)
    assert duck_db == pytest.approx(dbfs(SPEECH_DUCK_FACTOR**3), abs=1.5)
    assert dbfs(after / before) == pytest.approx(0.0, abs=1.0)
    figures.append(
        f"music under speech {duck_db:.1f} dB, restored {dbfs(after / before):+.1f} dB"
        f" (amem lead {1000 * lead:.0f} ms)"
    )

    # The mix as a sound card plays it: never clipped, and each line said over the music is
    # clearly louder than the music alone just before its cue.
    peak = float(np.max(np.abs(unclipped)))
    assert dbfs(peak) <= -1.0, dbfs(peak)
    for key in ("checkin:1", "checkin:2"):
        alone = dbfs(rms(window(unclipped, cues[key] - 2.2, cues[key] - 0.2)))
        said = dbfs(rms(window(unclipped, spoken[key] + 0.3, spoken[key] + 3.3)))
        assert said - alone >= 6.0, (key, said, alone)
        figures.append(f"{key}: said {said:.1f} dBFS over music alone {alone:.1f} dBFS")
    figures.append(f"peak of the whole mix {dbfs(peak):.1f} dBFS")

    # With the music at 0, every cue is still clearly audible.
    for key in ("checkin:3", "prompt:return", "prompt:water", "end"):
        c = cues[key]
        assert dbfs(rms(window(music, c - 0.5, c + 1.0))) < -70.0
        level = dbfs(rms(window(cue, c, c + 1.0)))
        assert level > -40.0, (key, level)
        figures.append(f"{key}: cue with music at 0: {level:.1f} dBFS")
    assert settings.get(CUE_VOLUME) >= 40 and settings.get(VOICE_VOLUME) >= 40
    print("\n".join(figures))
