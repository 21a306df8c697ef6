"""The session's music follows the timeline, and Help lowers it to a whisper.

``follow(state)`` is called on every tick: during the journey the player plays at the point
the timeline says (the right track and offset when a session is resumed) and its volume is the
patient's volume times the timeline's fade envelope. Help fades it down to a whisper and back;
the per-tick volume waits while such a fade runs. Cues and speech play on their own players
(``companion.ui.session.audio.SessionAudio``), so a cue never interrupts the music; the music
ducks about 12 dB under a spoken line.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from companion.audio.player import BasePlayer, PlayerState
from companion.audio.playlist import MusicPlan, plan_session
from companion.domain.protocol import PhaseId, ProtocolTimeline
from companion.domain.timeline import TimelineState
from companion.ui.session.audio import AudioFactory
from companion.ui.session.music_choice import Playlist

log = logging.getLogger(__name__)

WHISPER_FACTOR = 0.35  # on the perceptual 0..100 scale: about 30 dB quieter at 70
SPEECH_DUCK_FACTOR = 10 ** (-12 / 60)  # -12 dB under speech: the cube law, so dB / 3 / 20
DUCK_FADE_SECONDS = 0.4
UNDUCK_FADE_SECONDS = 1.2
HELP_FADE_SECONDS = 1.5
RESTORE_FADE_SECONDS = 3.0
STEP = 0.2  # smaller volume changes are not worth a call


class MusicConductor(QObject):
    def __init__(
        self,
        factory: AudioFactory,
        playlist: Playlist,
        timeline: ProtocolTimeline,
        volume: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = factory
        self._volume = float(volume)
        self._journey_seconds = timeline.phase(PhaseId.JOURNEY).seconds
        self._fade_in = timeline.music.fade_in_seconds
        self._fade_out = timeline.music.fade_out_seconds
        self.player: BasePlayer = factory(0.0)
        self.player.load(list(playlist.locations), loop=True)
        self.player.durations_probed.connect(self._on_probed)
        self._plan: MusicPlan | None = None
        if playlist.durations is not None:
            self._plan = self._make_plan(list(playlist.durations))
        elif playlist.locations:
            self.player.probe_durations(list(playlist.locations))
        self.ducked = False
        self.speech_ducked = False
        self._closed = False

    @property
    def engine_name(self) -> str:
        return self.player.engine_name

    @property
    def user_volume(self) -> float:
        return self._volume

    def whisper_volume(self) -> float:
        return self._volume * WHISPER_FACTOR

    def set_user_volume(self, volume: float) -> None:
        self._volume = float(volume)

    def _make_plan(self, durations: list[float]) -> MusicPlan | None:
        try:
            return plan_session(
                durations,
                self._journey_seconds,
                fade_in_seconds=self._fade_in,
                fade_out_seconds=self._fade_out,
            )
        except ValueError:
            return None

    def _on_probed(self, durations: list[float]) -> None:
        self._plan = self._make_plan(durations)

    def target(self, state: TimelineState) -> float:
        if self.ducked:
            return self.whisper_volume()
        volume = self._volume * state.music_volume
        return volume * SPEECH_DUCK_FACTOR if self.speech_ducked else volume

    def follow(self, state: TimelineState) -> None:
        if self._closed:
            return
        player = self.player
        playing_phase = state.phase is PhaseId.JOURNEY and state.music_position_seconds is not None
        if not playing_phase:
            if player.state() is not PlayerState.STOPPED:
                player.stop()
            return
        if state.paused:
            player.pause()
            return
        if player.state() is PlayerState.STOPPED:
            self._start_at(state.music_position_seconds or 0.0, self.target(state))
        elif player.state() is PlayerState.PAUSED:
            player.play()
        if not player.is_fading():
            wanted = self.target(state)
            if abs(player.volume() - wanted) >= STEP or (wanted == 0 and player.volume() > 0):
                player.set_volume(wanted)

    def _start_at(self, position: float, volume: float) -> None:
        player = self.player
        if not player.playlist():
            return
        player.set_volume(volume)
        where = self._plan.position_at(position) if self._plan is not None else None
        if where is not None and where.track < len(player.playlist()):
            player.play_at(where.track, where.offset)
        else:
            player.play_at(0, 0.0)
        log.info("session.music_started")

    # -- Help ----------------------------------------------------------------------------------

    def duck(self) -> None:
        """Help opened: down to a whisper, gently."""
        self.ducked = True
        if self.player.state() is PlayerState.PLAYING:
            self.player.fade_to(self.whisper_volume(), HELP_FADE_SECONDS)

    def restore(self, state: TimelineState | None) -> None:
        """Help closed: back to where the timeline wants the volume."""
        self.ducked = False
        if state is not None and self.player.state() is PlayerState.PLAYING:
            self.player.fade_to(self.target(state), RESTORE_FADE_SECONDS)

    # -- speech --------------------------------------------------------------------------------

    def speech_duck(self, on: bool, state: TimelineState | None) -> None:
        """A spoken line starts (about -12 dB, quickly) or has ended (back, gently)."""
        if on == self.speech_ducked or self._closed:
            return
        self.speech_ducked = on
        if state is not None and self.player.state() is PlayerState.PLAYING:
            seconds = DUCK_FADE_SECONDS if on else UNDUCK_FADE_SECONDS
            self.player.fade_to(self.target(state), seconds)

    def stop(self) -> None:
        self.player.stop()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.player.close()
