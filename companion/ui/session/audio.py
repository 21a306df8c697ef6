"""Which engine plays a session's sounds, and the prompts the patient hears.

Players are made by an ``AudioFactory`` handed down from the window, so tests choose a silent
libvlc output and the app the real one. Which music plays is in ``music_choice``.

``SessionAudio`` is the session page's one handle on everything it says aloud: it turns due
timeline events into cues and spoken lines (``companion.audio.prompts.PromptDelivery`` decides
what and when), plays them on their own players with their own volumes, ducks the music under
speech, holds prompts back while Help is open and repeats them until acknowledged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from companion.audio.player import BasePlayer
from companion.audio.prompts import (
    ENDING_LINE,
    Action,
    AssetError,
    CueKind,
    CueSound,
    DuckMusic,
    PlayCue,
    PromptDelivery,
    RecordingLibrary,
    RestoreMusic,
    ShowText,
    Speak,
    StopSpeech,
    VoiceChoice,
    VoiceMode,
    load_cues,
)
from companion.domain.clock import Clock
from companion.domain.protocol import Cue, PhaseId
from companion.domain.timeline import DueEvent, EventKind, TimelineState
from companion.i18n import _
from companion.settings import (
    CUE_VOLUME,
    LIVE_VOICE,
    LIVE_VOICE_RATE,
    SPOKEN_PROMPTS,
    VOICE_VOLUME,
    Settings,
)

if TYPE_CHECKING:
    from companion.audio.factory import PlayerFactory
    from companion.ui.session.music import MusicConductor
    from companion.ui.session.voice import Voice

log = logging.getLogger(__name__)

AudioFactory = Callable[[float], BasePlayer]  # volume (0..100) -> a new player


class _AppAudio:
    """The app's players (``companion.audio.factory.PlayerFactory``: VLC when libvlc starts,
    Qt Multimedia otherwise), its module imported at the first use, not at start-up."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._factory: PlayerFactory | None = None

    def _made(self) -> PlayerFactory:
        if self._factory is None:
            from companion.audio.factory import PlayerFactory

            self._factory = PlayerFactory(self._clock)
        return self._factory

    def prepare(self) -> None:
        self._made().prepare()

    def __call__(self, volume: float) -> BasePlayer:
        return self._made()(volume)


def default_audio_factory(clock: Clock) -> AudioFactory:
    """Real players, sharing one libvlc started on a thread (see ``prepare_audio``)."""
    return _AppAudio(clock)


def prepare_audio(factory: AudioFactory) -> None:
    """Starts the factory's engine ahead of need, off the GUI thread, when the factory can
    (``PlayerFactory.prepare``: libvlc loads its plugins on a thread of its own)."""
    prepare = getattr(factory, "prepare", None)
    if callable(prepare):
        prepare()


AUDIBLE_FLOOR = 40.0  # cue and voice volumes never go below this (perceptual 0..100)
REPEAT_QUIETER = 8.0  # a gentle repeat's cue, this much lower (still above the floor)
MIN_TIMER_MS = 10


def audible(volume: float) -> float:
    return max(AUDIBLE_FLOOR, min(100.0, float(volume)))


def load_cue_sounds() -> dict[CueKind, CueSound]:
    try:
        return load_cues()
    except AssetError:
        log.warning("session.cues_missing")
        return {}


class SessionAudio(QObject):
    """Cues and spoken prompts for one page. Integration surface for the session page:

    - ``attach_music(conductor)`` when the journey's music exists (``None`` when it closes);
    - ``event_due(due)`` for each fresh due timeline event (phase events are ignored);
    - ``prompt(key, kind, text, cue=, speak=)`` for anything else to be said;
    - ``follow(state)`` on every tick (prompts no longer pending stop repeating);
    - ``acknowledge(key)`` when the patient or the monitor acknowledges a prompt;
    - ``help_opened()`` / ``help_closed()``;
    - ``clear()`` when the run ends or the window locks.

    Settings (voice on/off, voice and cue volume, live voice and rate) are read at each use,
    so a change takes effect at once. ``show_text(key, text)`` asks the page to keep a prompt's
    words large on screen: there is no voice for it.

    When this computer cannot play Companion's sounds (no player can be made, or a player says
    it could not play a cue or a recording), ``sound_failed`` becomes True and
    ``sound_unavailable`` is emitted once: the recordings are no longer used, a line that failed
    is said by the live voice or shown as text, and the page tells the monitor.
    """

    show_text = Signal(str, str)
    sound_unavailable = Signal()

    def __init__(
        self,
        settings: Settings,
        factory: AudioFactory,
        clock: Clock,
        voice: Voice,
        *,
        library: RecordingLibrary | None = None,
        cues: dict[CueKind, CueSound] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._factory = factory
        self._clock = clock
        self._voice = voice
        self._library = library if library is not None else RecordingLibrary.load()
        self._cues = cues if cues is not None else load_cue_sounds()
        self.delivery = PromptDelivery(VoiceChoice(library=self._library))
        self._cue_player: BasePlayer | None = None
        self._speech_player: BasePlayer | None = None
        self._music: MusicConductor | None = None
        self._state: TimelineState | None = None
        self.history: list[tuple[float, str, str]] = []  # (monotonic, action, key): no text
        self.sound_failed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.pump)
        voice.finished.connect(self._on_voice_finished)

    # -- the integration surface ---------------------------------------------------------------

    def attach_music(self, conductor: MusicConductor | None) -> None:
        self._music = conductor

    def event_due(self, due: DueEvent) -> None:
        event = due.event
        if due.stale:
            return
        if event.kind is EventKind.CHECKIN:
            self.prompt(event.id, CueKind.CHECKIN, event.text, cue=True, speak=True)
        elif event.kind is EventKind.END:
            self.prompt(event.id, CueKind.ENDING, _(ENDING_LINE), cue=True, speak=True)
        elif event.kind is EventKind.PROMPT and event.cue is not Cue.NONE:
            kind = CueKind.ENDING if event.phase is PhaseId.RETURN else CueKind.PROMPT
            self.prompt(
                event.id,
                kind,
                event.text,
                cue=event.cue in (Cue.CHIME, Cue.CHIME_AND_VOICE),
                speak=event.cue in (Cue.VOICE, Cue.CHIME_AND_VOICE),
            )

    def prompt(self, key: str, kind: CueKind, text: str, *, cue: bool, speak: bool) -> None:
        self._refresh_voice()
        now = self._clock.monotonic()
        self._run(self.delivery.offer(key, kind, text, now, cue=cue, speak=speak))

    def follow(self, state: TimelineState) -> None:
        self._state = state
        now = self._clock.monotonic()
        self._run(self.delivery.retain((e.id for e in state.pending), now))

    def acknowledge(self, key: str) -> None:
        self._run(self.delivery.acknowledge(key, self._clock.monotonic()))

    def help_opened(self) -> None:
        self._run(self.delivery.help_opened(self._clock.monotonic()))

    def help_closed(self) -> None:
        self._run(self.delivery.help_closed(self._clock.monotonic()))

    def clear(self) -> None:
        self._run(self.delivery.clear())
        self._timer.stop()
        self._music = None
        for player in (self._cue_player, self._speech_player):
            if player is not None:
                player.stop()

    def close(self) -> None:
        self.clear()
        for player in (self._cue_player, self._speech_player):
            if player is not None:
                player.close()
        self._cue_player = self._speech_player = None

    @property
    def library(self) -> RecordingLibrary:
        return self._library

    @property
    def voice(self) -> Voice:
        return self._voice

    def voice_mode(self, texts: list[str]) -> VoiceMode:
        """Which voice will speak these texts: recorded, system voice or text only."""
        self._refresh_voice()
        return self.delivery.voice.general_mode(texts)

    # -- playing -------------------------------------------------------------------------------

    def pump(self) -> None:
        self._refresh_voice()
        self._run(self.delivery.tick(self._clock.monotonic()))

    def play_cue(self, kind: CueKind, *, quieter: bool = False, louder: bool = False) -> bool:
        """``louder``: full volume, for a check-in nobody has answered (an escalation)."""
        sound = self._cues.get(kind)
        if sound is None:
            return False
        volume = self._settings.get(CUE_VOLUME) - (REPEAT_QUIETER if quieter else 0.0)
        if louder:
            volume = 100.0
        player = self._cue_player = self._cue_player or self._make_player(audible(volume), False)
        if player is None:
            return False
        player.set_volume(audible(volume))
        player.load([str(sound.path)], loop=False)
        player.play()
        return True

    def speak(self, action: Speak) -> None:
        if action.recording is not None:
            volume = audible(self._settings.get(VOICE_VOLUME))
            player = self._speech_player or self._make_player(volume, True)
            self._speech_player = player
            if player is None:
                QTimer.singleShot(0, self, self._speech_could_not_play)
                return
            player.set_volume(volume)
            player.load([str(action.recording.path)], loop=False)
            player.play()
            return
        self._voice.configure(
            volume=audible(self._settings.get(VOICE_VOLUME)),
            rate_tenths=self._settings.get(LIVE_VOICE_RATE),
            voice_name=self._settings.get(LIVE_VOICE),
        )
        self._voice.say(action.text)

    def _run(self, actions: list[Action]) -> None:
        now = self._clock.monotonic()
        for action in actions:
            self.history.append((now, type(action).__name__, getattr(action, "key", "")))
            if isinstance(action, PlayCue):
                self.play_cue(action.kind, quieter=action.repeat)
            elif isinstance(action, Speak):
                self.speak(action)
            elif isinstance(action, ShowText):
                self.show_text.emit(action.key, action.text)
            elif isinstance(action, StopSpeech):
                if self._speech_player is not None:
                    self._speech_player.stop()
                self._voice.stop()
            elif isinstance(action, DuckMusic | RestoreMusic) and self._music is not None:
                self._music.speech_duck(isinstance(action, DuckMusic), self._state)
        self._schedule(now)

    def _schedule(self, now: float) -> None:
        moment = self.delivery.next_change(now)
        if moment is None:
            self._timer.stop()
            return
        self._timer.start(max(MIN_TIMER_MS, round((moment - now) * 1000)))

    def _refresh_voice(self) -> None:
        choice = self.delivery.voice
        choice.enabled = self._settings.get(SPOKEN_PROMPTS)
        choice.live_available = self._voice.available

    def _make_player(self, volume: float, speech: bool) -> BasePlayer | None:
        try:
            player = self._factory(volume)
        except (RuntimeError, OSError):
            self._sound_failed()
            return None
        # The message names the file: it is not logged (the event name is enough).
        failed = self._speech_could_not_play if speech else self._sound_failed
        player.error.connect(lambda _message: failed())
        return player

    def _sound_failed(self) -> None:
        self.delivery.voice.recordings_play = False
        if not self.sound_failed:
            self.sound_failed = True
            log.warning("session.sound_failed")
            self.sound_unavailable.emit()

    def _speech_could_not_play(self) -> None:
        self._sound_failed()
        self._refresh_voice()
        self._run(self.delivery.speech_failed(self._clock.monotonic()))

    def _on_voice_finished(self) -> None:
        self._run(self.delivery.speech_finished(self._clock.monotonic()))
