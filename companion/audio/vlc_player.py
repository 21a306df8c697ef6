"""The VLC engine (python-vlc over libvlc 3).

libvlc calls its event callbacks on its own threads, and a callback must not call back into
libvlc. So the callbacks here do one thing: emit a signal of ``_VlcEvents``, a QObject living on
the GUI thread; Qt queues the emission, and the player reacts on the GUI thread. Nothing in this
module touches widgets.

The ``vlc`` module is handed in (see ``companion.audio.factory.load_vlc``), so importing this
file never loads libvlc. Given a ``VlcStarter`` instead, a player makes no libvlc instance of its
own: it shares the one the starter makes on its thread, and until that is there it keeps what it
was asked (a start, with the moment it was asked; a pause; a probe) and does it then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from companion.audio.devices import quiet_alsa, quiet_libvlc
from companion.audio.player import DEFAULT_VOLUME, BasePlayer
from companion.audio.playlist import is_url
from companion.audio.vlc_instance import NOT_STARTED, VlcStarter
from companion.domain.clock import Clock

log = logging.getLogger(__name__)

# After an entry starts, the volume is applied again every 100 ms for this long: libvlc ignores
# a volume set before its audio output exists (and some outputs start a new stream at unity
# gain), and there is no event for "the output is ready now".
VOLUME_SETTLE_SECONDS = 2.5
PROBE_TIMEOUT_MS = 5000  # per file, for probe_durations

# No video, no interface, no on-screen title; quiet logs (and the log that remains is routed
# to ours, see ``devices.quiet_libvlc``). An app can add "--aout=..." etc.
DEFAULT_VLC_ARGS: tuple[str, ...] = (
    "--no-video",
    "--no-video-title-show",
    "--no-xlib",
    "--quiet",
    "--no-stats",
    "--no-media-library",
)


class _VlcEvents(QObject):
    """Carries libvlc events from VLC's threads to the GUI thread (queued signals)."""

    playing = Signal(int)
    audio_found = Signal(int)
    end_reached = Signal(int)
    failed = Signal(int)
    parsed = Signal(int, int)  # probe id, index


@dataclass
class _Waiting:
    """What was asked of a player while its libvlc was being started."""

    start: tuple[str, float, float] | None = None  # location, offset, monotonic when asked
    paused: bool = False
    probe: list[str] | None = None


class VlcPlayer(BasePlayer):
    """``Player`` on libvlc. ``configure_media_player`` is called once with the underlying
    ``vlc.MediaPlayer`` before anything plays: tests use it to route the audio to memory
    (``audio_set_callbacks``) and check what VLC really rendered.

    With ``starter`` (the app's players, ``factory.PlayerFactory``), libvlc_new never runs on
    the calling thread: the player is usable at once and plays when the starter has settled;
    a start asked for meanwhile begins as far into the entry as the time waited."""

    def __init__(
        self,
        clock: Clock,
        vlc: Any = None,
        *,
        vlc_args: Sequence[str] = DEFAULT_VLC_ARGS,
        configure_media_player: Callable[[Any], None] | None = None,
        volume: float = DEFAULT_VOLUME,
        starter: VlcStarter | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(clock, volume=volume, parent=parent)
        self._vlc = vlc
        self._configure = configure_media_player
        self._instance: Any = None
        self._mp: Any = None  # None until libvlc is there (``starter``)
        self._media: Any = None
        self._generation = 0
        self._entry_has_audio = False  # VLC "plays" a file it cannot demux: nothing, then end
        self._version = ""
        self._waiting: _Waiting | None = None
        self._starter = starter
        self._probe_id = 0
        self._probe_media: list[Any] = []
        self._probe_results: list[float] = []
        self._probe_pending = 0
        self._events = _VlcEvents(self)
        self._events.playing.connect(self._on_playing)
        self._events.audio_found.connect(self._on_audio_found)
        self._events.end_reached.connect(self._on_end_reached)
        self._events.failed.connect(self._on_failed)
        self._events.parsed.connect(self._on_parsed)
        self._settle_until = 0.0
        self._settle_timer = QTimer(self)
        self._settle_timer.setInterval(100)
        self._settle_timer.timeout.connect(self._on_settle_tick)
        if starter is None:  # made here and now (tests, tools): libvlc_new on this thread
            quiet_alsa()
            instance = vlc.Instance(list(vlc_args))
            if instance is None:
                raise RuntimeError(NOT_STARTED)
            quiet_libvlc(vlc, instance)  # libvlc's own log goes to ours, not to stderr
            self._attach(vlc, instance)
        else:  # the starter's libvlc, shared: this player plays once it is there
            self._waiting = _Waiting()
            if starter.done:
                self._on_started()
            else:
                starter.settled.connect(self._on_started)
                starter.start()

    def _attach(self, vlc: Any, instance: Any) -> None:
        self._vlc = vlc
        self._instance = instance
        self._mp = instance.media_player_new()
        version = vlc.libvlc_get_version()
        self._version = version.decode() if isinstance(version, bytes) else str(version)
        self._event_manager = self._mp.event_manager()
        types = vlc.EventType
        self._attached = (
            (types.MediaPlayerPlaying, self._vlc_playing),
            (types.MediaPlayerESAdded, self._vlc_es_added),
            (types.MediaPlayerEndReached, self._vlc_end_reached),
            (types.MediaPlayerEncounteredError, self._vlc_failed),
        )
        for event_type, callback in self._attached:
            self._event_manager.event_attach(event_type, callback)
        if self._configure is not None:
            self._configure(self._mp)

    def _on_started(self) -> None:
        """The starter has settled (on the GUI thread): take its instance and do what was asked
        meanwhile; a start asked for earlier begins as far in as the time waited."""
        starter, waiting = self._starter, self._waiting
        if starter is None or waiting is None or self._closed:
            return
        self._waiting = None
        instance = starter.instance
        if instance is None:
            self._not_started(waiting, starter.failure or NOT_STARTED)
            return
        instance.retain()  # this player's own hold; released in _engine_close
        self._attach(starter.vlc, instance)
        self._engine_set_volume(self.volume())
        if waiting.probe is not None:
            self.probe_durations(waiting.probe)
        if waiting.start is not None:
            location, offset, asked_at = waiting.start
            waited = max(0.0, self._clock.monotonic() - asked_at)
            self._play(location, offset + waited)
            if waiting.paused:
                self._mp.set_pause(1)

    def _not_started(self, waiting: _Waiting, failure: str) -> None:
        log.warning("audio.vlc_unavailable")
        if waiting.probe is not None:
            self.durations_probed.emit([0.0] * len(waiting.probe))
        if waiting.start is not None:
            self._entry_failed(failure)

    @property
    def engine_name(self) -> str:
        return f"VLC {self._version.split(' ')[0]}" if self._version else "VLC"

    # -- called on VLC's threads: emit and return, nothing else --------------------------------

    def _vlc_playing(self, _event: Any) -> None:
        self._events.playing.emit(self._generation)

    def _vlc_es_added(self, _event: Any) -> None:
        self._events.audio_found.emit(self._generation)

    def _vlc_parsed(self, _event: Any, probe_id: int, index: int) -> None:
        self._events.parsed.emit(probe_id, index)

    def _vlc_end_reached(self, _event: Any) -> None:
        self._events.end_reached.emit(self._generation)

    def _vlc_failed(self, _event: Any) -> None:
        self._events.failed.emit(self._generation)

    # -- on the GUI thread ---------------------------------------------------------------------

    def _on_playing(self, generation: int) -> None:
        if generation == self._generation:
            self._entry_started()

    def _on_audio_found(self, generation: int) -> None:
        if generation == self._generation:
            self._entry_has_audio = True

    def _on_parsed(self, probe_id: int, index: int) -> None:
        if probe_id != self._probe_id or not 0 <= index < len(self._probe_media):
            return
        ms = self._probe_media[index].get_duration()
        self._probe_results[index] = ms / 1000.0 if ms and ms > 0 else 0.0
        self._probe_done_one()

    def _probe_done_one(self) -> None:
        self._probe_pending -= 1
        if self._probe_pending == 0:
            results = list(self._probe_results)
            self._release_probe()
            self.durations_probed.emit(results)

    def _release_probe(self) -> None:
        for media in self._probe_media:
            media.event_manager().event_detach(self._vlc.EventType.MediaParsedChanged)
            media.release()
        self._probe_media = []

    def probe_durations(self, locations: Sequence[str | Path]) -> None:
        self._check_open()
        items = [str(location) for location in locations]
        if self._waiting is not None:  # asked again once libvlc is there
            self._waiting.probe = items
            return
        self._release_probe()
        self._probe_id += 1
        probe_id = self._probe_id
        self._probe_results = [0.0] * len(items)
        self._probe_pending = len(items)
        if not items or self._mp is None:  # nothing to probe, or libvlc could not start
            QTimer.singleShot(0, self, lambda: self._emit_empty_probe(probe_id, len(items)))
            return
        flags = self._vlc.MediaParseFlag.local
        for location in items:
            if is_url(location):
                media = self._instance.media_new(location)
            else:
                media = self._instance.media_new_path(location)
            self._probe_media.append(media)
        for index, media in enumerate(list(self._probe_media)):
            media.event_manager().event_attach(
                self._vlc.EventType.MediaParsedChanged, self._vlc_parsed, probe_id, index
            )
            if media.parse_with_options(flags, PROBE_TIMEOUT_MS) == -1:
                QTimer.singleShot(0, self, lambda: self._on_parse_refused(probe_id))

    def _on_parse_refused(self, probe_id: int) -> None:
        if probe_id == self._probe_id:
            self._probe_done_one()

    def _emit_empty_probe(self, probe_id: int, count: int) -> None:
        if probe_id == self._probe_id:
            self.durations_probed.emit([0.0] * count)

    def _on_end_reached(self, generation: int) -> None:
        if generation != self._generation:
            return
        if self._entry_has_audio:
            self._entry_ended()
        else:
            self._entry_failed("no playable audio in this file")

    def _on_failed(self, generation: int) -> None:
        if generation == self._generation:
            self._entry_failed("VLC could not play this")

    def _on_settle_tick(self) -> None:
        if self._clock.monotonic() >= self._settle_until:
            self._settle_timer.stop()
            return
        self._engine_set_volume(self.volume())

    def _engine_start(self, location: str, offset_seconds: float) -> None:
        self._generation += 1
        self._entry_has_audio = False
        if self._waiting is not None:  # played once libvlc is there, as far in as it waited
            self._waiting.start = (location, offset_seconds, self._clock.monotonic())
            self._waiting.paused = False
            return
        if self._mp is None:  # libvlc could not start: reported after this call returns
            generation = self._generation
            QTimer.singleShot(0, self, lambda: self._on_failed(generation))
            return
        self._play(location, offset_seconds)

    def _play(self, location: str, offset_seconds: float) -> None:
        if is_url(location):
            media = self._instance.media_new(location)
        else:
            media = self._instance.media_new_path(location)
        if offset_seconds > 0:
            media.add_option(f"start-time={offset_seconds:.3f}")
        self._mp.set_media(media)
        if self._media is not None:
            self._media.release()
        self._media = media
        self._settle_until = self._clock.monotonic() + VOLUME_SETTLE_SECONDS
        self._settle_timer.start()
        if self._mp.play() == -1:  # reported like VLC's own errors: after this call returns
            generation = self._generation
            QTimer.singleShot(0, self, lambda: self._on_failed(generation))

    def _engine_pause(self) -> None:
        if self._waiting is not None:
            self._waiting.paused = True
        elif self._mp is not None:
            self._mp.set_pause(1)

    def _engine_resume(self) -> None:
        if self._waiting is not None:
            self._waiting.paused = False
        elif self._mp is not None:
            self._mp.set_pause(0)

    def _engine_stop(self) -> None:
        self._generation += 1
        self._settle_timer.stop()
        if self._waiting is not None:
            self._waiting.start = None
        elif self._mp is not None:
            self._mp.stop()

    def _engine_set_volume(self, volume: float) -> None:
        # libvlc takes whole percent; 100 is unity gain and VLC applies the cube law itself.
        # While libvlc starts, the volume is kept (BasePlayer) and applied once it is there.
        if self._mp is not None:
            self._mp.audio_set_volume(round(volume))

    def _engine_position(self) -> float:
        ms = self._mp.get_time() if self._mp is not None else 0
        return ms / 1000.0 if ms and ms > 0 else 0.0

    def _engine_duration(self) -> float:
        ms = self._mp.get_length() if self._mp is not None else 0
        return ms / 1000.0 if ms and ms > 0 else 0.0

    def _engine_close(self) -> None:
        self._settle_timer.stop()
        self._probe_id += 1
        self._waiting = None  # a starter that settles later is not taken
        if self._mp is None:
            return
        self._release_probe()
        for event_type, _callback in self._attached:
            self._event_manager.event_detach(event_type)
        self._mp.stop()
        self._mp.release()
        if self._media is not None:
            self._media.release()
            self._media = None
        self._instance.release()
