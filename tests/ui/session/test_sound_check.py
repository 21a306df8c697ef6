"""The sound check card (real VLC to its silent output, real widgets offscreen) and the
session page's audio wiring that a patient relies on with eyes covered."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.audio.player import BasePlayer
from companion.audio.prompt_assets import (
    CueKind,
    Recording,
    RecordingLibrary,
    VoiceMode,
    spoken_lines,
)
from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.protocol_files import default_protocol
from companion.settings import (
    CUE_VOLUME,
    MUSIC_VOLUME,
    SPOKEN_PROMPTS,
    TEXT_SCALE,
    THEME,
    VOICE_VOLUME,
    Settings,
)
from companion.ui.session.audio import AUDIBLE_FLOOR, SessionAudio
from companion.ui.session.sound_check import (
    NO_SYSTEM_VOICE_TEXT,
    NOT_HEARD_TEXT,
    VOICE_OFF_TEXT,
    VOICE_TEXT,
    SoundCheck,
)
from companion.ui.session.voice import TEST_ENGINE, Voice
from companion.ui.theme import apply_theme
from tests.support.gui import click
from tests.support.screen import layout_problems
from tests.support.session_walk import SessionWindow, settle

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


def test_the_sound_check_names_the_engine_of_this_computers_voice(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    silent_audio: AudioMaker,
    manual_clock: ManualClock,
) -> None:
    _audio, check = make_check(settings, silent_audio, manual_clock, voice=Voice(TEST_ENGINE))
    qtbot.addWidget(check)
    assert check.mode is VoiceMode.RECORDED  # every text has a recording: they come first
    assert "a silent test voice" in check.engine_note.text()
    _audio, check = make_check(settings, silent_audio, manual_clock)
    qtbot.addWidget(check)
    assert check.engine_note.text() == NO_SYSTEM_VOICE_TEXT
    settings.set(SPOKEN_PROMPTS, False)
    _audio, check = make_check(settings, silent_audio, manual_clock)
    qtbot.addWidget(check)
    assert check.engine_note.text() == VOICE_OFF_TEXT


def test_the_sound_check_never_takes_the_windows_activation(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    silent_audio: AudioMaker,
    manual_clock: ManualClock,
) -> None:
    """The no-device note was once shown before it had a parent: for a moment a window of its
    own, which took the activation from the session's, and F1 and M stopped working."""
    host = QWidget()
    qtbot.addWidget(host)
    with qtbot.waitExposed(host):
        host.show()
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    _audio, check = make_check(settings, silent_audio, manual_clock, devices=[])
    qtbot.addWidget(check)
    assert check.no_device
    assert {w for w in QApplication.topLevelWidgets() if w.isVisible()} == before
    assert QApplication.activeWindow() is host


def test_the_sound_check_volumes_are_the_sessions_own_and_apply_at_once(
    qtbot: QtBot,
    themed_app: QApplication,
    settings: Settings,
    silent_audio: AudioMaker,
    manual_clock: ManualClock,
) -> None:
    _audio, check = make_check(settings, silent_audio, manual_clock)
    qtbot.addWidget(check)
    check.show()
    check.voice_volume.setValue(55)
    check.cue_volume.setValue(60)
    assert settings.get(VOICE_VOLUME) == 55 and settings.get(CUE_VOLUME) == 60
    assert check.voice_volume.minimum() == AUDIBLE_FLOOR  # never below the audible floor
    check.play_button.click()
    qtbot.waitUntil(lambda: "music" in check.steps, timeout=20_000)
    music = check._music
    assert music is not None
    check.music_volume.setValue(25)
    assert settings.get(MUSIC_VOLUME) == 25
    assert music.volume() == pytest.approx(25.0, abs=0.5)  # heard while the check plays
    check.stop()


def test_the_before_step_holds_the_sound_check_and_f1_still_opens_help(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window((1366, 768))
    shell.show_page(1)
    click(qtbot, page.start_view.start_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None and before.sound_check is not None
    check = before.sound_check
    assert isinstance(check, SoundCheck) and check.isVisibleTo(before)
    assert QApplication.activeWindow() is window
    # The patient writes an intention while the check plays: the question does not take the
    # keyboard from them.
    click(qtbot, check.play_button)
    before.intention.intention.setFocus()
    qtbot.waitUntil(lambda: check.question.isVisible(), timeout=20_000)
    assert QApplication.focusWidget() is before.intention.intention
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert page.showing_help
    click(qtbot, page.help_view.back_button)
    assert not page.showing_help
    click(qtbot, check.yes_button)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert page.showing_help
    click(qtbot, page.help_view.back_button)


@pytest.mark.parametrize(
    ("scale", "theme"), [(100, "light"), (200, "light"), (100, "dark"), (200, "dark")]
)
def test_the_sound_check_on_the_before_step_fits_a_small_screen(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    settings: Settings,
    themed_app: QApplication,
    scale: int,
    theme: str,
) -> None:
    settings.set(TEXT_SCALE, scale)
    settings.set(THEME, theme)
    apply_theme(themed_app, theme, scale)
    window, shell, page = session_window((1366, 768))
    shell.show_page(1)
    click(qtbot, page.start_view.start_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None and isinstance(before.sound_check, SoundCheck)
    check = before.sound_check
    check._ask()  # the question and its answers showing too
    check._answered(False)
    qtbot.wait(300)
    before.ensureWidgetVisible(check.answer)
    shots = os.environ.get("COMPANION_SHOTS")
    if shots:
        window.grab().save(str(Path(shots) / f"before_sound_check_{scale}_{theme}.png"))
        before.ensureWidgetVisible(check.voice_volume)
        qtbot.wait(50)
        window.grab().save(str(Path(shots) / f"before_sound_check_{scale}_{theme}_top.png"))
    # The card itself: nothing in it clipped or cut, and as wide as the page at most. (The rest
    # of the Before step is checked by the screen walk.)
    assert [str(p) for p in layout_problems(check)] == []
    viewport = before.viewport()
    left = check.mapTo(viewport, check.rect().topLeft()).x()
    assert left >= 0 and left + check.width() <= viewport.width()
