"""The sound check before the dose: the real cue, a spoken line and a few seconds of music
through the chosen output, then "Did you hear all three?".

Self-contained and embeddable: a card with a ``result(bool)`` signal. It plays through the
session's ``SessionAudio`` (the same players, volumes and voice a session uses) and says which
voice will speak the prompts: Companion's recording, this computer's voice, or none (then a
soft sound plays and the words stay large on the screen). When the system has no sound device
at all, it says so first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSlider, QWidget

from companion.audio.devices import NO_DEVICE_TEXT, output_devices
from companion.audio.player import BasePlayer
from companion.audio.prompt_assets import (
    SOUND_CHECK_LINE,
    CueKind,
    VoiceMode,
)
from companion.audio.prompts import (
    CUE_LEAD_SECONDS,
    Speak,
    estimated_live_seconds,
)
from companion.i18n import N_, _
from companion.settings import (
    CUE_VOLUME,
    MUSIC_VOLUME,
    SPOKEN_PROMPTS,
    VOICE_VOLUME,
    Option,
    Settings,
)
from companion.ui.session.audio import AudioFactory, SessionAudio
from companion.ui.session.music_choice import bundled_playlist
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import button_row
from companion.ui.widgets.setting_slider import setting_slider
from companion.ui.widgets.text import button, label

log = logging.getLogger(__name__)

MUSIC_SECONDS = 4.0
MUSIC_FADE_SECONDS = 0.6
MIN_MUSIC_VOLUME = 40.0  # the check must be audible even if the music is set very low

VOICE_TEXT = {
    VoiceMode.RECORDED: N_("The prompts will be spoken by Companion's recorded voice."),
    VoiceMode.SYSTEM: N_("The prompts will be spoken by this computer's voice."),
    VoiceMode.TEXT_ONLY: (
        N_(
            "No voice will speak the prompts. A soft sound will play, and the words will stay "
            "large on the screen until you or your monitor press a key."
        )
    ),
}
CHECKING_VOICE_TEXT = N_("Checking whether this computer has a voice of its own…")
NO_SYSTEM_VOICE_TEXT = N_(
    "This computer has no voice of its own, so Companion's recordings and soft sounds will be used."
)
VOICE_OFF_TEXT = N_("Speaking the prompts is turned off in Settings.")
ENGINE_NAMES = {"speechd": "speech-dispatcher", "mock": N_("a silent test voice")}
SOUND_FAILED_TEXT = N_(
    "Companion could not play its sounds on this computer. During the session the words of "
    "each prompt will stay large on the screen, and your monitor will be told."
)
HEARD_TEXT = N_("Good. Your sound is ready.")
NOT_HEARD_TEXT = N_(
    "Check that the sound is on and loud enough, and that the right speakers or headphones are "
    "connected. Then play it again. The volumes are just above, and in Settings."
)


class SoundCheck(Card):
    result = Signal(bool)  # the patient's answer to "Did you hear all three?"

    def __init__(
        self,
        audio: SessionAudio,
        settings: Settings,
        factory: AudioFactory,
        spoken_texts: Sequence[str],
        *,
        devices: Callable[[], list[str]] = output_devices,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Sound check"),
            _(
                "Put on what you will listen with. You will hear a soft sound, a spoken line and a "
                "little music."
            ),
            parent,
        )
        self._audio = audio
        self._settings = settings
        self._factory = factory
        self._music: BasePlayer | None = None
        self.steps: list[str] = []  # what was played, in order (for tests)
        self.mode = audio.voice_mode(list(spoken_texts))
        self.no_device = not devices()
        self.device_note: QLabel = label(_(NO_DEVICE_TEXT), "error")
        # Into the layout before it is shown: a parentless widget shown becomes a window of its
        # own and takes the activation from the session's (then F1 and M stop working).
        self.body.addWidget(self.device_note)
        self.device_note.setVisible(self.no_device)
        self.voice_note: QLabel = label(_(VOICE_TEXT[self.mode]))
        self.body.addWidget(self.voice_note)
        self.engine_note: QLabel = label("", "muted")
        self.body.addWidget(self.engine_note)
        self._spoken_texts = list(spoken_texts)
        self._build_volumes_and_play()
        self._build_question()
        self._timers: list[QTimer] = []
        self.play_button.clicked.connect(self.play)
        self.yes_button.clicked.connect(lambda: self._answered(True))
        self.no_button.clicked.connect(lambda: self._answered(False))
        audio.voice.ready.connect(self._voice_known)
        audio.sound_unavailable.connect(self._sound_unavailable)
        if audio.sound_failed:
            self._sound_unavailable()
        self._voice_known()

    def _build_volumes_and_play(self) -> None:
        self.voice_volume = self._slider(VOICE_VOLUME, _("Voice volume"))
        self.cue_volume = self._slider(
            CUE_VOLUME, _("Sound volume (the soft sounds before prompts)")
        )
        self.music_volume = self._slider(MUSIC_VOLUME, _("Music volume"))
        self.music_volume.valueChanged.connect(self._music_volume_changed)
        self.play_button: QPushButton = button(
            _("Play the sound check"), accessible_name=_("Play the sound check")
        )
        self.body.addLayout(button_row(self.play_button))

    def _build_question(self) -> None:
        self.question: QLabel = label(
            _("Did you hear all three: the sound, the voice and the music?")
        )
        self.yes_button: QPushButton = button(_("Yes, I heard all three"), accessible_name=_("Yes"))
        self.no_button: QPushButton = button(
            _("No"), accessible_name=_("No, I did not hear all three")
        )
        self.body.addWidget(self.question)
        self.body.addLayout(button_row(self.yes_button, leading=(self.no_button,)))
        self.answer: QLabel = label("", "muted")
        self.body.addWidget(self.answer)
        for widget in (self.question, self.yes_button, self.no_button, self.answer):
            widget.hide()

    def _slider(self, option: Option[int], name: str) -> QSlider:
        return setting_slider(self._settings, option, name, self.body)

    def _music_volume_changed(self, value: int) -> None:
        if self._music is not None:
            self._music.set_volume(float(value))  # heard at once while the check plays

    def _sound_unavailable(self) -> None:
        self.device_note.setText(_(SOUND_FAILED_TEXT))
        self.device_note.show()
        self._voice_known()

    def _voice_known(self, _available: bool = False) -> None:
        """Says which voice speaks; again when the system voice's probe answers."""
        self.mode = self._audio.voice_mode(self._spoken_texts)
        self.voice_note.setText(_(VOICE_TEXT[self.mode]))
        voice = self._audio.voice
        if not self._settings.get(SPOKEN_PROMPTS):
            text = _(VOICE_OFF_TEXT)
        elif voice.pending:
            text = _(CHECKING_VOICE_TEXT)
        elif voice.available:
            engine = _(ENGINE_NAMES.get(voice.engine_name, voice.engine_name))
            text = _(
                "This computer's own voice ({engine}) is ready for any words Companion has no "
                "recording of."
            ).format(engine=engine)
        else:
            text = _(NO_SYSTEM_VOICE_TEXT)
        self.engine_note.setText(text)

    def play(self) -> None:
        self.stop()
        self.steps = []
        self.answer.hide()
        self._audio.play_cue(CueKind.PROMPT)
        self.steps.append("cue")
        line_ms = round(CUE_LEAD_SECONDS * 1000)
        self._later(line_ms, self._speak)

    def _speak(self) -> None:
        line = _(SOUND_CHECK_LINE)  # the recording of the patient's language is found by it
        self.mode = self._audio.voice_mode([line])
        seconds = 0.0
        if self.mode is not VoiceMode.TEXT_ONLY:
            recording = self._audio.library.find(line)
            if self.mode is VoiceMode.RECORDED and recording is not None:
                seconds = recording.duration_seconds
            else:
                seconds = estimated_live_seconds(line)
            self._audio.speak(Speak("sound-check", line, self.mode, recording if seconds else None))
            self.steps.append(f"voice:{self.mode.value}")
        self._later(round((seconds + 0.4) * 1000), self._play_music)

    def _play_music(self) -> None:
        tracks = bundled_playlist().locations
        if tracks:
            try:
                player = self._factory(0.0)
            except (RuntimeError, OSError):
                log.warning("session.sound_check_no_player")
                player = None
            if player is not None:
                self._music = player
                player.setParent(self)  # goes with the widget if the view closes mid-check
                player.error.connect(lambda _message: self._sound_unavailable())
                player.load([tracks[0]], loop=False)
                player.play_at(0, 30.0)  # past the track's own fade-in
                volume = max(MIN_MUSIC_VOLUME, float(self._settings.get(MUSIC_VOLUME)))
                player.fade_to(volume, MUSIC_FADE_SECONDS)
                self.steps.append("music")
        self._later(round(MUSIC_SECONDS * 1000), self._ask)

    def _ask(self) -> None:
        self._stop_music()
        self.question.show()
        self.yes_button.show()
        self.no_button.show()
        self.play_button.setText(_("Play it again"))
        self.play_button.setAccessibleName(_("Play the sound check again"))
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            self.yes_button.setFocus()  # never pulled out of the patient's typing elsewhere

    def _answered(self, heard: bool) -> None:
        self.answer.setText(_(HEARD_TEXT) if heard else _(NOT_HEARD_TEXT))
        self.answer.show()
        log.info("session.sound_check_heard" if heard else "session.sound_check_not_heard")
        self.result.emit(heard)

    def _later(self, ms: int, then: Callable[[], None]) -> None:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(then)
        timer.start(max(0, ms))
        self._timers.append(timer)

    def _stop_music(self) -> None:
        if self._music is not None:
            self._music.close()
            self._music = None

    def hideEvent(self, event: QHideEvent) -> None:
        """Help covers it, or the dose step replaces it: the check stops (music and all)."""
        self.stop()
        super().hideEvent(event)

    def stop(self) -> None:
        for timer in self._timers:
            timer.stop()
            timer.deleteLater()
        self._timers = []
        self._stop_music()
