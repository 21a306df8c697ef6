"""The music player contract, and the part both engines share: playlist, volume and fades.

``Player`` is what the session and the UI use. Two engines implement it: ``VlcPlayer``
(python-vlc, the primary) and ``QtMultimediaPlayer`` (the fallback when libvlc is missing).
Both derive from ``BasePlayer``, which owns everything engine-independent:

- the playlist (a list of locations, looping or not) and which entry plays;
- the volume on a perceptual 0..100 scale, remembered across tracks and engines;
- fades: a ``fades.Fade`` anchored at the injected ``Clock``'s monotonic time, re-evaluated by
  one ``QTimer`` at 50 Hz that only asks "what volume now?". Nothing counts ticks.

Signals are emitted on the GUI thread only. Nothing here imports QtWidgets.
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance

from companion.audio.fades import TICKS_PER_SECOND, Fade, FadeCurve, clamp_volume
from companion.domain.clock import Clock

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 70.0


class PlayerState(StrEnum):
    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"


class Player(Protocol):
    """A music player with a playlist, a 0..100 volume and clock-driven fades.

    Signals: ``finished()`` when a non-looping playlist has played to its end;
    ``error(str)`` when an entry cannot be played (the player moves on to the next one);
    ``track_changed(int)`` when a playlist entry starts; ``state_changed(str)`` with a
    ``PlayerState`` value; ``volume_changed(float)``; ``fade_finished()`` when a fade reaches
    its target; ``durations_probed(list)`` answering ``probe_durations``.
    """

    @property
    def finished(self) -> SignalInstance: ...
    @property
    def error(self) -> SignalInstance: ...
    @property
    def track_changed(self) -> SignalInstance: ...
    @property
    def state_changed(self) -> SignalInstance: ...
    @property
    def volume_changed(self) -> SignalInstance: ...
    @property
    def fade_finished(self) -> SignalInstance: ...
    @property
    def durations_probed(self) -> SignalInstance: ...

    @property
    def engine_name(self) -> str:
        """Which engine plays, for Settings ("VLC 3.0.21", "Qt Multimedia (...)")."""
        ...

    def load(self, locations: Sequence[str | Path], *, loop: bool = True) -> None:
        """Replaces the playlist (files or URLs) and stops; ``play`` starts it."""
        ...

    def playlist(self) -> list[str]: ...
    def play(self) -> None:
        """Starts the playlist at its first entry, or resumes after ``pause``."""
        ...

    def play_at(self, index: int, offset_seconds: float = 0.0) -> None:
        """Starts playlist entry ``index`` at ``offset_seconds`` (used to resume a session)."""
        ...

    def pause(self) -> None: ...
    def stop(self) -> None: ...
    def state(self) -> PlayerState: ...
    def current_index(self) -> int:
        """The playlist entry playing or paused, -1 when stopped."""
        ...

    def position(self) -> float:
        """Seconds into the current entry (0 when unknown)."""
        ...

    def duration(self) -> float:
        """Length of the current entry in seconds (0 when unknown)."""
        ...

    def set_volume(self, volume: float) -> None:
        """Sets the volume at once (0..100, clamped); cancels a running fade."""
        ...

    def volume(self) -> float: ...
    def fade_to(self, target: float, seconds: float, curve: FadeCurve = FadeCurve.SMOOTH) -> None:
        """Moves the volume from where it is to ``target`` over ``seconds``."""
        ...

    def is_fading(self) -> bool: ...
    def probe_durations(self, locations: Sequence[str | Path]) -> None:
        """Finds each location's length without playing it; answers once, asynchronously,
        with ``durations_probed(list[float])`` in the same order (0.0 = unknown or
        unplayable). A newer probe replaces one still running. For ``plan_session``."""
        ...

    def close(self) -> None:
        """Stops and frees the engine; the player cannot be used afterwards."""
        ...


class BasePlayer(QObject):
    """Playlist, volume and fades for both engines; subclasses implement the ``_engine_*``
    methods and call ``_entry_started``, ``_entry_ended`` and ``_entry_failed``."""

    finished = Signal()
    error = Signal(str)
    track_changed = Signal(int)
    state_changed = Signal(str)
    volume_changed = Signal(float)
    fade_finished = Signal()
    durations_probed = Signal(list)

    def __init__(
        self, clock: Clock, *, volume: float = DEFAULT_VOLUME, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._playlist: list[str] = []
        self._loop = True
        self._index = -1
        self._state = PlayerState.STOPPED
        self._volume = clamp_volume(volume)
        self._fade: Fade | None = None
        self._failures_in_a_row = 0
        self._closed = False
        self._fade_timer = QTimer(self)
        self._fade_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._fade_timer.setInterval(1000 // TICKS_PER_SECOND)
        self._fade_timer.timeout.connect(self._on_fade_tick)

    # -- what each engine provides (VlcPlayer, QtMultimediaPlayer) ---------------------------
    # Declared, not defined: BasePlayer is never used on its own, and mypy checks each engine's
    # methods against these types.
    probe_durations: Callable[[Sequence[str | Path]], None]

    if TYPE_CHECKING:  # for the type checker only: each engine defines it as a property

        @property
        @abstractmethod
        def engine_name(self) -> str:
            """What Settings shows, e.g. "VLC 3.0.24"."""

    _engine_start: Callable[[str, float], None]
    _engine_pause: Callable[[], None]
    _engine_resume: Callable[[], None]
    _engine_stop: Callable[[], None]
    _engine_set_volume: Callable[[float], None]
    _engine_position: Callable[[], float]
    _engine_duration: Callable[[], float]
    _engine_close: Callable[[], None]

    # -- playlist ------------------------------------------------------------------------------

    def load(self, locations: Sequence[str | Path], *, loop: bool = True) -> None:
        self.stop()
        self._playlist = [str(location) for location in locations]
        self._loop = loop

    def playlist(self) -> list[str]:
        return list(self._playlist)

    def play(self) -> None:
        self._check_open()
        if self._state is PlayerState.PAUSED:
            self._engine_resume()
            self._set_state(PlayerState.PLAYING)
        elif self._state is PlayerState.STOPPED and self._playlist:
            self._failures_in_a_row = 0
            self._start(0, 0.0)

    def play_at(self, index: int, offset_seconds: float = 0.0) -> None:
        self._check_open()
        if not 0 <= index < len(self._playlist):
            raise IndexError(f"no playlist entry {index} (the playlist has {len(self._playlist)})")
        self._failures_in_a_row = 0
        self._start(index, max(0.0, offset_seconds))

    def pause(self) -> None:
        if self._state is PlayerState.PLAYING:
            self._engine_pause()
            self._set_state(PlayerState.PAUSED)

    def stop(self) -> None:
        if self._state is not PlayerState.STOPPED:
            self._engine_stop()
        self._index = -1
        self._set_state(PlayerState.STOPPED)

    def state(self) -> PlayerState:
        return self._state

    def current_index(self) -> int:
        return self._index

    def position(self) -> float:
        return self._engine_position() if self._state is not PlayerState.STOPPED else 0.0

    def duration(self) -> float:
        return self._engine_duration() if self._state is not PlayerState.STOPPED else 0.0

    def _start(self, index: int, offset: float) -> None:
        self._index = index
        self._engine_set_volume(self._volume)
        self._engine_start(self._playlist[index], offset)
        self._set_state(PlayerState.PLAYING)
        self.track_changed.emit(index)

    def _entry_started(self) -> None:
        """The engine reports that audio really started: apply the volume again (VLC can
        forget a volume set before its audio output existed)."""
        self._failures_in_a_row = 0
        self._engine_set_volume(self._volume)

    def _entry_ended(self) -> None:
        if self._state is PlayerState.STOPPED:
            return
        self._advance()

    def _entry_failed(self, message: str) -> None:
        if self._state is PlayerState.STOPPED:
            return
        location = self._playlist[self._index] if 0 <= self._index < len(self._playlist) else ""
        log.warning("audio.entry_failed")
        self.error.emit(f"{location}: {message}" if location else message)
        self._failures_in_a_row += 1
        if self._failures_in_a_row >= len(self._playlist):
            self._engine_stop()  # nothing in the playlist plays: do not spin
            self._index = -1
            self._set_state(PlayerState.STOPPED)
            self.finished.emit()
            return
        self._advance()

    def _advance(self) -> None:
        following = self._index + 1
        if following >= len(self._playlist):
            if not self._loop or not self._playlist:
                self._engine_stop()
                self._index = -1
                self._set_state(PlayerState.STOPPED)
                self.finished.emit()
                return
            following = 0
        self._start(following, 0.0)

    def _set_state(self, state: PlayerState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)

    # -- volume and fades ----------------------------------------------------------------------

    def volume(self) -> float:
        return self._volume

    def set_volume(self, volume: float) -> None:
        self._fade = None
        self._fade_timer.stop()
        self._apply_volume(clamp_volume(volume))

    def fade_to(self, target: float, seconds: float, curve: FadeCurve = FadeCurve.SMOOTH) -> None:
        fade = Fade(self._volume, target, self._clock.monotonic(), max(0.0, seconds), curve)
        if fade.seconds == 0:
            self._fade = None
            self._fade_timer.stop()
            self._apply_volume(fade.target_volume)
            self.fade_finished.emit()
            return
        self._fade = fade
        self._fade_timer.start()

    def is_fading(self) -> bool:
        """True while a fade runs. A fade whose end the clock has passed is finished here and
        now (its target applied), without waiting for the next timer tick."""
        fade = self._fade
        if fade is not None and fade.is_done(self._clock.monotonic()):
            self._on_fade_tick()
        return self._fade is not None

    def _on_fade_tick(self) -> None:
        fade = self._fade
        if fade is None:
            self._fade_timer.stop()
            return
        now = self._clock.monotonic()
        self._apply_volume(fade.volume_at(now))
        if fade.is_done(now):
            self._fade = None
            self._fade_timer.stop()
            self.fade_finished.emit()

    def _apply_volume(self, volume: float) -> None:
        if volume == self._volume:
            return
        self._volume = volume
        if not self._closed:
            self._engine_set_volume(volume)
        self.volume_changed.emit(volume)

    # -- lifetime ------------------------------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        self._fade = None
        self._fade_timer.stop()
        self.stop()
        self._closed = True
        self._engine_close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the player is closed")


if TYPE_CHECKING:

    def _conforms(player: BasePlayer) -> Player:  # mypy proves BasePlayer satisfies Player
        return player
