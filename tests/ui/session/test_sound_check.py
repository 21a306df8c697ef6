"""The sound check card (real VLC to its silent output, real widgets offscreen) and the
session page's audio wiring that a patient relies on with eyes covered."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.audio.player import BasePlayer
from companion.audio.prompts import (
    CueKind,
    Recording,
    RecordingLibrary,
    VoiceMode,
    spoken_lines,
)
from companion.domain.clock import ManualClock
from companion.services.protocol_files import default_protocol
from companion.settings import CUE_VOLUME, SPOKEN_PROMPTS, VOICE_VOLUME, Settings
from companion.ui.session.audio import AUDIBLE_FLOOR, SessionAudio
from companion.ui.session.sound_check import NOT_HEARD_TEXT, VOICE_TEXT, SoundCheck
from companion.ui.session.voice import TEST_ENGINE, Voice

AudioMaker = Callable[[float], BasePlayer]
TEXTS = [text for _key, text in spoken_lines(default_protocol())]


def make_check(
    settings: Settings,
    audio_maker: AudioMaker,
    clock: ManualClock,
    *,
    voice: Voice | None = None,
    library: RecordingLibrary | None = None,
    devices: list[str] | None = None,
) -> tuple[SessionAudio, SoundCheck]:
    voice = voice or Voice(enabled=False)
    audio = SessionAudio(settings, audio_maker, clock, voice, library=library)
    found = ["Speakers"] if devices is None else devices
    check = SoundCheck(audio, settings, audio_maker, TEXTS, devices=lambda: found)
    return audio, check


def test_the_sound_check_plays_cue_voice_and_music_then_asks(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    silent_audio: AudioMaker,
    manual_clock: ManualClock,
) -> None:
    audio, check = make_check(settings, silent_audio, manual_clock)
    qtbot.addWidget(check)
    check.resize(700, 500)
    check.show()
    assert check.mode is VoiceMode.RECORDED
    assert check.voice_note.text() == VOICE_TEXT[VoiceMode.RECORDED]
    assert not check.device_note.isVisible()
    assert not check.question.isVisible()
    check.play_button.click()
    qtbot.waitUntil(lambda: check.question.isVisible(), timeout=20_000)
    assert check.steps == ["cue", "voice:recorded", "music"]
    shots = os.environ.get("COMPANION_SHOTS")
    if shots:
        check.grab().save(str(Path(shots) / "sound_check.png"))
    with qtbot.waitSignal(check.result) as answer:
        check.no_button.click()
    assert answer.args == [False]
    assert check.answer.text() == NOT_HEARD_TEXT
    with qtbot.waitSignal(check.result) as answer:
        check.yes_button.click()
    assert answer.args == [True]
    audio.close()


def test_the_sound_check_says_when_there_is_no_sound_device(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    silent_audio: AudioMaker,
    manual_clock: ManualClock,
) -> None:
    _audio, check = make_check(settings, silent_audio, manual_clock, devices=[])
    qtbot.addWidget(check)
    check.show()
    assert check.no_device and check.device_note.isVisible()
    assert "No sound device was found" in check.device_note.text()


def test_the_sound_check_names_the_system_voice_when_a_recording_is_missing(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    silent_audio: AudioMaker,
    manual_clock: ManualClock,
) -> None:
    voice = Voice(TEST_ENGINE)
    assert voice.available
    _audio, check = make_check(
        settings, silent_audio, manual_clock, voice=voice, library=RecordingLibrary()
    )
    qtbot.addWidget(check)
    assert check.mode is VoiceMode.SYSTEM
    assert check.voice_note.text() == VOICE_TEXT[VoiceMode.SYSTEM]


def test_the_sound_check_says_text_only_when_the_voice_is_off(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    silent_audio: AudioMaker,
    manual_clock: ManualClock,
) -> None:
    settings.set(SPOKEN_PROMPTS, False)
    _audio, check = make_check(settings, silent_audio, manual_clock)
    qtbot.addWidget(check)
    assert check.mode is VoiceMode.TEXT_ONLY
    assert "stay large on the screen" in check.voice_note.text()


def test_cue_and_voice_volumes_never_go_below_the_audible_floor(
    settings: Settings, silent_audio: AudioMaker, manual_clock: ManualClock, qtbot: QtBot
) -> None:
    made: list[BasePlayer] = []

    def maker(volume: float) -> BasePlayer:
        player = silent_audio(volume)
        made.append(player)
        return player

    settings.set(CUE_VOLUME, 40)
    settings.set(VOICE_VOLUME, 40)
    text = "Slowly remove your eye mask."
    library = RecordingLibrary(
        [Recording("r", text, RecordingLibrary.load().find(TEXTS[0]).path, 2.0)]  # type: ignore[union-attr]
    )
    audio = SessionAudio(settings, maker, manual_clock, Voice(enabled=False), library=library)
    audio.prompt("k", CueKind.PROMPT, text, cue=True, speak=False)
    manual_clock.advance(120.0)
    audio.pump()  # a gentle repeat: quieter, but not below the floor
    assert made and made[0].volume() >= AUDIBLE_FLOOR
    audio.close()


def test_a_voice_change_in_settings_takes_effect_at_once(
    settings: Settings, silent_audio: AudioMaker, manual_clock: ManualClock
) -> None:
    text = TEXTS[2]
    audio = SessionAudio(settings, silent_audio, manual_clock, Voice(enabled=False))
    assert audio.voice_mode([text]) is VoiceMode.RECORDED
    settings.set(SPOKEN_PROMPTS, False)
    assert audio.voice_mode([text]) is VoiceMode.TEXT_ONLY
    audio.close()
