"""The bundled music, decoded with soundfile and measured: manifest, mastering, length, variety.

The measurements here are independent of tools/make_music.py's own report: plain RMS levels
(both channels' mean square summed) over 100 ms steps, momentary windows of 400 ms and
short-term windows of 3 s, and a coarse spectral fingerprint per second.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

from companion.audio.library import BundledAudio, bundled_tracks, load_manifest

FloatArray = npt.NDArray[np.float64]
STEP = 4410  # 100 ms at 44.1 kHz
FRAME = 44100  # fingerprint frames of 1 s, one every half second
BANDS = np.geomspace(80.0, 12000.0, 17)  # 16 bands
EDGE = 150  # 15 s (in 100 ms steps) left out at each end when judging the body of a track
LOOP_THRESHOLD_DB = 1.5  # below this, two stretches of a track count as the same music


@dataclass(frozen=True)
class Analysis:
    seconds: float
    rate: int
    channels: int
    peak: float
    clipped: int
    powers: FloatArray  # mean square per 100 ms
    fingerprint: FloatArray  # (half seconds, 16) band levels in dB

    def levels(self, window_steps: int) -> FloatArray:
        """dBFS of sliding windows of ``window_steps`` x 100 ms, one per 100 ms."""
        csum = np.concatenate([[0.0], np.cumsum(self.powers)])
        mean = (csum[window_steps:] - csum[:-window_steps]) / window_steps
        levels: FloatArray = 10.0 * np.log10(np.maximum(mean, 1e-14))
        return levels

    @property
    def short_term(self) -> FloatArray:
        return self.levels(30)

    @property
    def momentary(self) -> FloatArray:
        return self.levels(4)

    @property
    def body_median(self) -> float:
        return float(np.median(self.short_term[EDGE:-EDGE]))


def analyse(path: Path) -> Analysis:
    with sf.SoundFile(path) as f:
        blocks = f.blocks(blocksize=44100, dtype="float64", always_2d=True)
        return analyse_blocks(blocks, f.samplerate, f.channels, f.frames)


def analyse_blocks(blocks: Iterable[FloatArray], rate: int, channels: int, frames: int) -> Analysis:
    """Streams blocks: levels every 100 ms, and a spectrum (Hann-windowed 1 s frames every
    half second, 16 bands) for the fingerprint."""
    peak, clipped = 0.0, 0
    powers: list[FloatArray] = []
    prints: list[FloatArray] = []
    freqs = np.fft.rfftfreq(FRAME, 1.0 / 44100)
    band_of = np.digitize(freqs, BANDS) - 1
    valid = (band_of >= 0) & (band_of < len(BANDS) - 1)
    window = np.hanning(FRAME)
    pending = np.zeros(0)
    for block in blocks:
        peak = max(peak, float(np.max(np.abs(block))))
        clipped += int(np.count_nonzero(np.abs(block) >= 0.999))
        whole = len(block) // STEP * STEP
        powers.append(np.sum(block[:whole] ** 2, axis=1).reshape(-1, STEP).mean(axis=1))
        pending = np.concatenate([pending, block.mean(axis=1)])
        while len(pending) >= FRAME:
            spectrum = np.abs(np.fft.rfft(pending[:FRAME] * window)) ** 2
            energy = np.bincount(band_of[valid], spectrum[valid], minlength=len(BANDS) - 1)
            prints.append(10.0 * np.log10(energy + 1e-9))
            pending = pending[FRAME // 2 :]
    fingerprint = np.array(prints)
    # Bands far below the music (Vorbis noise in near-silence) would only add noise to the
    # comparisons: floor everything 50 dB under the track's loud bands.
    fingerprint = np.maximum(fingerprint, np.percentile(fingerprint, 95) - 50.0)
    return Analysis(
        seconds=frames / rate,
        rate=rate,
        channels=channels,
        peak=peak,
        clipped=clipped,
        powers=np.concatenate(powers),
        fingerprint=fingerprint,
    )


def self_distances(fingerprint: FloatArray, shortest_lag: int = 10) -> FloatArray:
    """Mean absolute difference (dB) between the half-second spectra and themselves shifted
    by each lag from ``shortest_lag`` halves (5 s) to half the length. A loop has a lag where
    this is near 0."""
    return np.array(
        [
            float(np.mean(np.abs(fingerprint[lag:] - fingerprint[:-lag])))
            for lag in range(shortest_lag, len(fingerprint) // 2)
        ]
    )


@pytest.fixture(scope="module")
def tracks(music_dir: Path) -> list[BundledAudio]:
    return bundled_tracks(music_dir)


@pytest.fixture(scope="module")
def analyses(tracks: list[BundledAudio]) -> dict[str, Analysis]:
    return {track.slug: analyse(track.path) for track in tracks}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_manifest_matches_the_files(music_dir: Path) -> None:
    items = load_manifest(music_dir)
    assert {item.path.name for item in items} == {p.name for p in music_dir.glob("*.ogg")}
    assert len({item.sha256 for item in items}) == len(items)  # no file is another's copy
    for item in items:
        info = sf.info(str(item.path))
        assert (info.format, info.subtype) == ("OGG", "VORBIS")
        assert item.duration_seconds == pytest.approx(info.frames / info.samplerate, abs=0.01)
        assert item.sha256 == sha256(item.path), f"{item.path.name} changed after the manifest"
        assert item.licence == "CC0-1.0, generated by tools/make_music.py"
        assert item.title
    licence = (music_dir / "LICENSE").read_text(encoding="utf-8")
    assert "CC0 1.0" in licence and "tools/make_music.py" in licence


def test_there_are_at_least_three_tracks_together_over_thirty_minutes(
    tracks: list[BundledAudio], analyses: dict[str, Analysis]
) -> None:
    assert len(tracks) >= 3
    assert sum(a.seconds for a in analyses.values()) >= 30 * 60
    for track in tracks:
        analysis = analyses[track.slug]
        assert (analysis.rate, analysis.channels) == (44100, 2)
        assert analysis.seconds >= 8 * 60, f"{track.title} is a track, not a clip"


def test_no_clipping_and_peaks_at_most_minus_one_dbfs(analyses: dict[str, Analysis]) -> None:
    for slug, analysis in analyses.items():
        assert analysis.clipped == 0, slug
        assert 20 * np.log10(analysis.peak) <= -1.0, slug


def test_tracks_fade_in_and_out(analyses: dict[str, Analysis]) -> None:
    for slug, analysis in analyses.items():
        body = analysis.body_median
        momentary = analysis.momentary
        # The first and last half second are near silence next to the body of the track...
        assert momentary[0] < body - 30.0, slug
        assert momentary[-1] < body - 30.0, slug
        # ...the level climbs steadily over the first five seconds, and in the last eight it
        # only falls (down to silence: a track may go quiet before its very end).
        seconds = np.maximum(analysis.levels(10)[::10], -100.0)  # 1 s windows, floored
        rising, falling = seconds[:6], seconds[-8:]
        assert np.all(np.diff(rising) > 0), (slug, rising)
        assert np.all(np.diff(falling) <= 0.5), (slug, falling)
        assert falling[0] - falling[-1] > 25.0, (slug, falling)
        # By 15 s in (and until 15 s before the end) the music is there.
        assert analysis.short_term[EDGE] > body - 10.0, slug
        assert analysis.short_term[-EDGE] > body - 12.0, slug


def test_no_sudden_loud_moments(analyses: dict[str, Analysis]) -> None:
    levels = {}
    for slug, analysis in analyses.items():
        body = analysis.body_median
        short = analysis.short_term[EDGE:-EDGE]
        momentary = analysis.momentary[EDGE:-EDGE]
        assert np.max(short) <= body + 6.0, slug  # no loud passage
        assert np.max(momentary) <= body + 9.0, slug  # no loud instant
        heard = momentary[:-4] > body - 15.0
        rises = momentary[4:] - momentary[:-4]  # how much louder 400 ms later
        assert np.max(rises[heard]) <= 6.0, slug
        levels[slug] = body
    # The tracks sit at similar levels, so moving from one to the next does not jump.
    assert max(levels.values()) - min(levels.values()) <= 6.0, levels


def test_the_tracks_are_distinct_and_none_is_a_loop(analyses: dict[str, Analysis]) -> None:
    prints = {slug: a.fingerprint[40:-40] for slug, a in analyses.items()}
    # No track repeats itself: for every shift of 5 s or more, the per-second spectra differ.
    for slug, fingerprint in prints.items():
        assert np.min(self_distances(fingerprint)) > LOOP_THRESHOLD_DB, slug
    # And the tracks are not alike: their average spectra differ clearly.
    slugs = sorted(prints)
    for i, a in enumerate(slugs):
        for b in slugs[i + 1 :]:
            mean_a, mean_b = prints[a].mean(axis=0), prints[b].mean(axis=0)
            assert float(np.mean(np.abs(mean_a - mean_b))) > 3.0, (a, b)


@pytest.mark.parametrize("clip_seconds", [30.0, 47.3, 61.7])
def test_the_loop_check_would_catch_a_looped_clip(music_dir: Path, clip_seconds: float) -> None:
    """The measure above is not blind: a stretch of the same music, repeated, fails it."""
    with sf.SoundFile(music_dir / "gentle-waves.ogg") as f:
        f.seek(100 * 44100)
        clip = f.read(round(clip_seconds * 44100), dtype="float64", always_2d=True)
    looped = np.tile(clip, (5, 1))
    blocks = (looped[i : i + 44100] for i in range(0, len(looped), 44100))
    analysis = analyse_blocks(blocks, 44100, 2, len(looped))
    assert np.min(self_distances(analysis.fingerprint)) < LOOP_THRESHOLD_DB
