"""Helpers for the audio tests: capturing what VLC renders, measuring levels, test tones."""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

RATE = 44100
FloatArray = npt.NDArray[np.float64]
REQUIRE_VLC = "COMPANION_REQUIRE_VLC"  # tools/test.sh sets it on CI (CI=true), .ci/run always


def vlc_missing(reason: str) -> NoReturn:
    """Skips a test that needs libvlc on a machine without it, or fails it where
    ``COMPANION_REQUIRE_VLC=1``: on CI a skipped real-audio test would pass unseen."""
    if os.environ.get(REQUIRE_VLC) == "1":
        pytest.fail(f"{REQUIRE_VLC}=1, and {reason}", pytrace=False)
    pytest.skip(reason)


class AmemCapture:
    """Receives the decoded, volume-scaled samples VLC would send to the sound card.

    VLC calls ``play`` on its own audio thread; the samples are copied under a lock. The
    ctypes callbacks are kept as attributes so they live as long as the player does.
    """

    def __init__(self, vlc: Any) -> None:
        self._lock = threading.Lock()
        self._chunks: list[npt.NDArray[np.int16]] = []
        self._frames = 0
        decorators = vlc.CallbackDecorators
        self._play = decorators.AudioPlayCb(self._on_play)
        self._pause = decorators.AudioPauseCb(lambda _data, _pts: None)
        self._resume = decorators.AudioResumeCb(lambda _data, _pts: None)
        self._flush = decorators.AudioFlushCb(lambda _data, _pts: None)
        self._drain = decorators.AudioDrainCb(lambda _data: None)

    def install(self, media_player: Any) -> None:
        media_player.audio_set_callbacks(
            self._play, self._pause, self._resume, self._flush, self._drain, None
        )
        media_player.audio_set_format("S16N", RATE, 2)

    def _on_play(self, _data: int, samples: int, count: int, _pts: int) -> None:
        raw = ctypes.string_at(samples, count * 4)  # count frames of 2 x int16
        chunk = np.frombuffer(raw, dtype=np.int16).reshape(-1, 2).copy()
        with self._lock:
            self._chunks.append(chunk)
            self._frames += count

    @property
    def frames(self) -> int:
        with self._lock:
            return self._frames

    @property
    def seconds(self) -> float:
        return self.frames / RATE

    def samples(self) -> FloatArray:
        """Everything captured so far, as floats in -1..1, shape (frames, 2)."""
        with self._lock:
            chunks = list(self._chunks)
        if not chunks:
            return np.zeros((0, 2))
        return np.concatenate(chunks).astype(np.float64) / 32768.0


def rms(samples: FloatArray) -> float:
    return float(np.sqrt(np.mean(np.square(samples)))) if samples.size else 0.0


def dbfs(value: float) -> float:
    return 20.0 * float(np.log10(max(value, 1e-12)))


def read_segment(path: Path, start: float, seconds: float) -> FloatArray:
    """Decoded samples of ``path`` from ``start`` for ``seconds`` (soundfile, float64)."""
    with sf.SoundFile(path) as f:
        f.seek(round(start * f.samplerate))
        data: FloatArray = f.read(round(seconds * f.samplerate), dtype="float64", always_2d=True)
    return data


def write_tone(path: Path, seconds: float, *, freq: float = 440.0, amplitude: float = 0.5) -> Path:
    """A steady stereo sine (a known level to measure gains against)."""
    t = np.arange(round(seconds * RATE)) / RATE
    tone = amplitude * np.sin(2.0 * np.pi * freq * t)
    sf.write(path, np.stack([tone, tone], axis=1), RATE, subtype="PCM_16")
    return path


def locate(
    snippet: FloatArray, source: Path, around: float, search: float = 4.0
) -> tuple[float, float]:
    """Where the mono ``snippet`` occurs in ``source`` (seconds), searching ``around`` +-
    ``search``, and how well it matches there (normalised correlation, 1.0 = identical)."""
    start = max(0.0, around - search)
    reference = read_segment(source, start, 2 * search + len(snippet) / RATE)[:, 0]
    size = 1 << int(np.ceil(np.log2(len(reference) + len(snippet))))
    spectrum = np.fft.rfft(reference, size) * np.conj(np.fft.rfft(snippet, size))
    lags = len(reference) - len(snippet) + 1
    correlation = np.fft.irfft(spectrum, size)[:lags]
    energy = np.concatenate([[0.0], np.cumsum(reference**2)])
    local = np.sqrt(np.maximum(energy[len(snippet) :] - energy[:lags], 1e-20))
    score = correlation / (local * np.sqrt(np.sum(snippet**2)))
    best = int(np.argmax(score))
    return start + best / RATE, float(score[best])
