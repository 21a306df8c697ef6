"""The Qt Multimedia engine: the fallback when libvlc cannot be loaded.

QMediaPlayer plays one source at a time; the playlist, looping, volume and fades come from
``BasePlayer``. QAudioOutput's volume is a linear gain, so the perceptual 0..100 volume is
converted with the same cube law VLC uses, and both engines sound alike at the same setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QtAudio

from companion.audio.player import DEFAULT_VOLUME, BasePlayer
from companion.audio.playlist import is_url
from companion.domain.clock import Clock

PROBE_TIMEOUT_MS = 5000  # per file, for probe_durations


class QtMultimediaPlayer(BasePlayer):
    def __init__(
        self,
        clock: Clock,
        *,
        volume: float = DEFAULT_VOLUME,
        fallback_reason: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(clock, volume=volume, parent=parent)
        self._fallback_reason = fallback_reason
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._pending_offset_ms = 0
        # Each source started gets a new generation. End and failure are handled a moment
        # later (never inside QMediaPlayer's own signal) and only for the generation they
        # belong to, so one failure reported twice (error and status) moves on only once.
        self._generation = 0
        self._failed_generation = -1
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        # probe_durations: a second, silent QMediaPlayer loads one file after the other.
        self._prober: QMediaPlayer | None = None
        self._probe_id = 0
        self._probe_url = QUrl()
        self._probe_queue: list[str] = []
        self._probe_results: list[float] = []
        self._probe_timer = QTimer(self)
        self._probe_timer.setSingleShot(True)
        self._probe_timer.setInterval(PROBE_TIMEOUT_MS)
        self._probe_timer.timeout.connect(lambda: self._probe_next(self._probe_id, 0.0))

    @property
    def engine_name(self) -> str:
        if self._fallback_reason:
            return f"Qt Multimedia (VLC unavailable: {self._fallback_reason})"
        return "Qt Multimedia"

    @property
    def fallback_reason(self) -> str | None:
        return self._fallback_reason

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        statuses = QMediaPlayer.MediaStatus
        if status in (statuses.LoadedMedia, statuses.BufferedMedia):
            if self._pending_offset_ms:
                self._player.setPosition(self._pending_offset_ms)
                self._pending_offset_ms = 0
            if status is statuses.BufferedMedia:
                self._entry_started()
        elif status is statuses.EndOfMedia:
            generation = self._generation
            QTimer.singleShot(0, self, lambda: self._ended(generation))
        elif status is statuses.InvalidMedia:
            self._fail(self._player.errorString() or "not a playable file")

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error is not QMediaPlayer.Error.NoError:
            self._fail(message or error.name)

    def _fail(self, message: str) -> None:
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._failed(generation, message))

    def _ended(self, generation: int) -> None:
        if generation == self._generation:
            self._entry_ended()

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation and generation != self._failed_generation:
            self._failed_generation = generation
            self._entry_failed(message)

    def _engine_start(self, location: str, offset_seconds: float) -> None:
        url = QUrl(location) if is_url(location) else QUrl.fromLocalFile(location)
        self._pending_offset_ms = round(offset_seconds * 1000)
        self._generation += 1
        self._player.setSource(url)
        self._player.play()

    def _engine_pause(self) -> None:
        self._player.pause()

    def _engine_resume(self) -> None:
        self._player.play()

    def _engine_stop(self) -> None:
        self._generation += 1
        self._player.stop()
        self._pending_offset_ms = 0

    def _engine_set_volume(self, volume: float) -> None:
        self._output.setVolume(
            QtAudio.convertVolume(
                volume / 100.0,
                QtAudio.VolumeScale.CubicVolumeScale,
                QtAudio.VolumeScale.LinearVolumeScale,
            )
        )

    def output_gain(self) -> float:
        """The linear gain QAudioOutput applies now (for tests and diagnostics)."""
        return self._output.volume()

    def _engine_position(self) -> float:
        return self._player.position() / 1000.0

    def _engine_duration(self) -> float:
        return max(0, self._player.duration()) / 1000.0

    def _engine_close(self) -> None:
        self._player.stop()
        self._player.setSource(QUrl())
        self._probe_timer.stop()
        self._probe_queue = []
        if self._prober is not None:
            self._prober.setSource(QUrl())

    def probe_durations(self, locations: Sequence[str | Path]) -> None:
        self._check_open()
        if self._prober is None:
            self._prober = QMediaPlayer(self)
            self._prober.mediaStatusChanged.connect(self._on_probe_status)
        self._probe_id += 1
        probe_id = self._probe_id
        self._probe_queue = [str(location) for location in locations]
        self._probe_results = []
        self._probe_timer.stop()
        QTimer.singleShot(0, self, lambda: self._probe_load_head(probe_id))

    def _probe_load_head(self, probe_id: int) -> None:
        if self._prober is None or self._closed or probe_id != self._probe_id:
            return
        if len(self._probe_results) >= len(self._probe_queue):
            results, self._probe_queue = list(self._probe_results), []
            self._probe_url = QUrl()
            self._prober.setSource(self._probe_url)
            self.durations_probed.emit(results)
            return
        location = self._probe_queue[len(self._probe_results)]
        self._probe_url = QUrl(location) if is_url(location) else QUrl.fromLocalFile(location)
        self._probe_timer.start()
        self._prober.setSource(self._probe_url)

    def _on_probe_status(self, status: QMediaPlayer.MediaStatus) -> None:
        prober = self._prober
        if prober is None or not self._probe_timer.isActive():
            return
        if prober.source() != self._probe_url:
            return  # a late answer about a file of an earlier probe
        statuses = QMediaPlayer.MediaStatus
        if status is statuses.LoadedMedia:
            self._probe_next(self._probe_id, max(0, prober.duration()) / 1000.0)
        elif status is statuses.InvalidMedia:
            self._probe_next(self._probe_id, 0.0)

    def _probe_next(self, probe_id: int, seconds: float) -> None:
        if probe_id != self._probe_id:
            return
        self._probe_timer.stop()
        self._probe_results.append(seconds)
        QTimer.singleShot(0, self, lambda: self._probe_load_head(probe_id))
