"""Settings for sessions' sound: the music (and which engine plays it), and the prompts: voice
on or off, voice and cue volumes (never below an audible floor), and this computer's voice and
speed where it has one. Every change is saved and used at once. The protocol's settings are in
``settings_protocol``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from companion.audio.devices import NO_DEVICE_TEXT, no_output_device
from companion.audio.player import BasePlayer
from companion.audio.prompts import RecordingLibrary
from companion.i18n import _, n_
from companion.settings import (
    CUE_VOLUME,
    LIVE_VOICE,
    LIVE_VOICE_RATE,
    MUSIC_VOLUME,
    SPOKEN_PROMPTS,
    VOICE_VOLUME,
    Option,
)
from companion.ui.context import UiContext
from companion.ui.session.audio import AudioFactory
from companion.ui.session.music_choice import (
    SOURCE_NAMES,
    MusicChoice,
    music_choice,
    playlist_for,
    save_music_choice,
)
from companion.ui.session.voice import Voice
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import button_row
from companion.ui.widgets.setting_slider import setting_slider
from companion.ui.widgets.text import button, label, set_role, subtitle
from companion.ui.widgets.wrap import WrapCheckBox

PREVIEW_MS = 20_000
PREVIEW_FADE_S = 2.0


class MusicSection(Card):
    volume_changed = Signal(int)

    def __init__(self, ctx: UiContext, audio: AudioFactory, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Music"),
            _("Companion's own calm tracks, or your own: a folder, some files or an M3U playlist."),
            parent,
        )
        self._ctx = ctx
        self._audio = audio
        self._player: BasePlayer | None = None
        choice = music_choice(ctx.settings)
        self._build_music(choice)
        self.body.addWidget(subtitle(_("Prompts and voice")))
        self._build_voice()
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self._stopper = QTimer(self)
        self._stopper.setSingleShot(True)
        self._stopper.setInterval(PREVIEW_MS)
        self._stopper.timeout.connect(self.stop_preview)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.choose_button.clicked.connect(self.choose)
        self.preview_button.clicked.connect(self.toggle_preview)
        self.volume.valueChanged.connect(self._volume_changed)
        self.spoken.toggled.connect(self._spoken_toggled)
        self.live_voice.currentIndexChanged.connect(self._live_voice_chosen)
        self.live_rate.valueChanged.connect(lambda v: ctx.settings.set(LIVE_VOICE_RATE, v))
        self._voice: Voice | None = None
        self._update_choose()

    def _build_music(self, choice: MusicChoice) -> None:
        settings = self._ctx.settings
        self.source = QComboBox()
        for key, text in SOURCE_NAMES.items():
            self.source.addItem(_(text), key)
        self.source.setCurrentIndex(max(0, self.source.findData(choice.source)))
        self.body.addWidget(FormField(_("Play during the journey"), self.source))
        self.chosen: QLabel = label(choice.describe(), "muted")
        self.body.addWidget(self.chosen)
        self.choose_button: QPushButton = button(
            _("Choose…"), accessible_name=_("Choose your music")
        )
        self.preview_button: QPushButton = button(
            _("Play a short preview"), accessible_name=_("Play a short preview")
        )
        self.body.addLayout(button_row(self.preview_button, leading=(self.choose_button,)))
        self.volume_label: QLabel = label(
            _("Volume: {volume}").format(volume=settings.get(MUSIC_VOLUME)), wrap=False
        )
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setPageStep(5)
        self.volume.setValue(settings.get(MUSIC_VOLUME))
        self.volume.setAccessibleName(_("Music volume"))
        self.volume_label.setBuddy(self.volume)
        self.body.addWidget(self.volume_label)
        self.body.addWidget(self.volume)
        self.engine: QLabel = label(_("Music plays with: checking…"), "muted")
        self.body.addWidget(self.engine)
        self.no_device: QLabel = label(_(NO_DEVICE_TEXT), "error")
        self.no_device.hide()
        self.body.addWidget(self.no_device)

    def _build_voice(self) -> None:
        settings = self._ctx.settings
        self.spoken = WrapCheckBox(_("Speak the prompts aloud"))
        self.spoken.setAccessibleName(_("Speak the prompts aloud"))
        self.spoken.setAccessibleDescription(
            _("When off, a soft sound plays and the words stay large on the screen.")
        )
        self.spoken.setChecked(settings.get(SPOKEN_PROMPTS))
        self.body.addWidget(self.spoken)
        self.voice_volume = self._slider(VOICE_VOLUME, _("Voice volume"))
        self.cue_volume = self._slider(
            CUE_VOLUME, _("Sound volume (the soft sounds before prompts)")
        )
        self.live_voice = QComboBox()
        self.live_voice.setAccessibleName(_("This computer's voice"))
        self.live_rate = QSlider(Qt.Orientation.Horizontal)
        self.live_rate.setRange(LIVE_VOICE_RATE.minimum or -10, LIVE_VOICE_RATE.maximum or 10)
        self.live_rate.setValue(settings.get(LIVE_VOICE_RATE))
        self.live_rate.setAccessibleName(_("Speed of this computer's voice"))
        self.live_box = QWidget()
        live = QVBoxLayout(self.live_box)
        live.setContentsMargins(0, 0, 0, 0)
        live.addWidget(
            FormField(_("This computer's voice (for words without a recording)"), self.live_voice)
        )
        live.addWidget(FormField(_("Its speed: slower to the left"), self.live_rate))
        self.body.addWidget(self.live_box)
        self.live_box.hide()
        self.voice_status: QLabel = label("", "muted")
        self.body.addWidget(self.voice_status)

    def _slider(self, option: Option[int], name: str) -> QSlider:
        return setting_slider(self._ctx.settings, option, name, self.body)

    def _spoken_toggled(self, on: bool) -> None:
        self._ctx.settings.set(SPOKEN_PROMPTS, on)
        self._show_voice_status()

    def _live_voice_chosen(self) -> None:
        name = self.live_voice.currentData()
        if isinstance(name, str):
            self._ctx.settings.set(LIVE_VOICE, name)

    def _show_voice_status(self) -> None:
        if not self._ctx.settings.get(SPOKEN_PROMPTS):
            text = _("Prompts are not spoken: a soft sound plays and the words stay large.")
        elif len(RecordingLibrary.load()):
            text = _("Companion's recorded voice speaks the prompts.")
            if self._voice is not None and self._voice.available:
                text += _(" This computer's voice speaks any words without a recording.")
        elif self._voice is not None and self._voice.available:
            text = _("This computer's voice speaks the prompts.")
        else:
            text = _("No voice is available: a soft sound plays and the words stay large.")
        self.voice_status.setText(text)

    def use_voice(self, voice: Voice) -> None:
        """The session page's live voice, to list its voices here. Never created here: a
        speech engine can take seconds to connect, and the window must not wait for it: its
        voices are listed once it is known."""
        self._voice = voice
        voice.ready.connect(lambda _there: self._find_voice())
        self._find_voice()

    def _find_voice(self) -> None:
        names = self._voice.voice_names() if self._voice is not None else []
        self.live_box.setVisible(bool(names))
        if names and self.live_voice.count() == 0:
            self.live_voice.blockSignals(True)
            self.live_voice.addItem(_("Its usual voice"), "")
            for name in names:
                self.live_voice.addItem(name, name)
            chosen = self.live_voice.findData(self._ctx.settings.get(LIVE_VOICE))
            self.live_voice.setCurrentIndex(max(0, chosen))
            self.live_voice.blockSignals(False)
        self._show_voice_status()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The sound check on the Before step sets these volumes too: show what is saved.
        for slider, option in (
            (self.volume, MUSIC_VOLUME),
            (self.voice_volume, VOICE_VOLUME),
            (self.cue_volume, CUE_VOLUME),
        ):
            if slider.value() != self._ctx.settings.get(option):
                slider.setValue(self._ctx.settings.get(option))
        if self.engine.text() == _("Music plays with: checking…"):
            player = self._make_player(0.0)
            if player is not None:
                self.engine.setText(
                    _("Music plays with: {engine}").format(engine=player.engine_name)
                )
                player.close()
            self.no_device.setVisible(no_output_device())
            self._find_voice()

    def _make_player(self, volume: float) -> BasePlayer | None:
        try:
            return self._audio(volume)
        except (RuntimeError, OSError) as exc:
            self.engine.setText(_("No music engine could start ({reason}).").format(reason=exc))
            return None

    def _update_choose(self) -> None:
        self.choose_button.setEnabled(self.source.currentData() != "bundled")

    def _source_changed(self) -> None:
        source = str(self.source.currentData())
        self._update_choose()
        if source == "bundled":
            self._save(MusicChoice("bundled", ()))
        else:
            self.chosen.setText(_("Choose your music with “Choose…”."))

    def choose_paths(self, source: str) -> list[str]:
        """Asks for a folder, files or a playlist (tests replace this)."""
        home = str(Path.home())
        if source == "folder":
            folder = QFileDialog.getExistingDirectory(self, _("Choose a folder of music"), home)
            return [folder] if folder else []
        if source == "m3u":
            name, _f = QFileDialog.getOpenFileName(
                self, _("Choose a playlist"), home, _("Playlists (*.m3u *.m3u8)")
            )
            return [name] if name else []
        names, _f = QFileDialog.getOpenFileNames(self, _("Choose music files"), home)
        return list(names)

    def choose(self) -> None:
        source = str(self.source.currentData())
        paths = self.choose_paths(source)
        if paths:
            self._save(MusicChoice(source, tuple(paths)))

    def _save(self, choice: MusicChoice) -> None:
        save_music_choice(self._ctx.settings, choice)
        playlist = playlist_for(choice)
        self.chosen.setText(choice.describe())
        note = playlist.note or n_(
            "Saved: {n} track.", "Saved: {n} tracks.", len(playlist.locations)
        )
        self._show_status(note, "error" if playlist.note else "success")

    def _volume_changed(self, value: int) -> None:
        self._ctx.settings.set(MUSIC_VOLUME, value)
        self.volume_label.setText(_("Volume: {volume}").format(volume=value))
        if self._player is not None:
            self._player.set_volume(float(value))
        self.volume_changed.emit(value)

    def toggle_preview(self) -> None:
        if self._player is not None:
            self.stop_preview()
            return
        playlist = playlist_for(music_choice(self._ctx.settings))
        player = self._make_player(0.0)
        if player is None or not playlist.locations:
            return
        self._player = player
        player.load(list(playlist.locations), loop=True)
        player.play()
        player.fade_to(float(self.volume.value()), PREVIEW_FADE_S)
        self.engine.setText(_("Music plays with: {engine}").format(engine=player.engine_name))
        self.preview_button.setText(_("Stop the preview"))
        self.preview_button.setAccessibleName(_("Stop the preview"))
        self._stopper.start()

    def stop_preview(self) -> None:
        self._stopper.stop()
        if self._player is not None:
            self._player.close()
            self._player = None
        self.preview_button.setText(_("Play a short preview"))
        self.preview_button.setAccessibleName(_("Play a short preview"))

    def _show_status(self, text: str, role: str) -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.show()
