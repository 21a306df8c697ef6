"""Settings for the prompts: voice on/off, voice and cue volumes with an audible floor, the
live voice; a missing sound device is said plainly; the bundled music is named once and its
chimes are not counted as tracks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.audio.playlist import scan_folder
from companion.paths import MUSIC_DIR
from companion.services.container import Services
from companion.settings import (
    CUE_VOLUME,
    LIVE_VOICE,
    MUSIC_VOLUME,
    SPOKEN_PROMPTS,
    VOICE_VOLUME,
    Settings,
)
from companion.ui.session.music_choice import SOURCE_NAMES
from companion.ui.shell_pages import PAGE_NAMES
from tests.support.gui import visible_texts
from tests.support.session_walk import SessionWindow, settle, tick


@pytest.mark.parametrize("missing", [True, False])
def test_voice_settings_save_at_once_and_a_missing_sound_device_is_said(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    missing: bool,
) -> None:
    monkeypatch.setattr("companion.ui.pages.settings_session.no_output_device", lambda: missing)
    window, shell, _page = session_window()
    shell.show_page(PAGE_NAMES.index("Settings"))
    music = shell.settings_page.music
    qtbot.waitUntil(lambda: "VLC" in music.engine.text(), timeout=10_000)
    assert music.no_device.isVisible() is missing
    assert "recorded voice" in music.voice_status.text()
    # The bundled music is named once (in the drop-down), not twice.
    texts = visible_texts(music)
    assert sum(t == SOURCE_NAMES["bundled"] for t in texts) <= 1
    assert music.chosen.text().startswith("3 calm tracks")
    # Volumes: saved at once, and the sliders cannot go below the audible floor.
    assert music.voice_volume.minimum() == VOICE_VOLUME.minimum == 40
    assert music.cue_volume.minimum() == CUE_VOLUME.minimum == 40
    music.voice_volume.setValue(60)
    music.cue_volume.setValue(0)
    assert settings.get(VOICE_VOLUME) == 60 and settings.get(CUE_VOLUME) == 40
    tick(qtbot, music.spoken)
    assert settings.get(SPOKEN_PROMPTS) is False
    assert "not spoken" in music.voice_status.text()
    # The sound check before a dose sets the same volumes: Settings shows them when it opens.
    shell.show_page(PAGE_NAMES.index("Home"))
    settings.set(VOICE_VOLUME, 77)
    settings.set(MUSIC_VOLUME, 33)
    shell.show_page(PAGE_NAMES.index("Settings"))
    assert music.voice_volume.value() == 77 and music.volume.value() == 33
    assert "Voice volume: 77" in visible_texts(music)
    shots = os.environ.get("COMPANION_SHOTS")
    if shots:
        settle(qtbot, window)
        music.grab().save(str(Path(shots) / f"settings_voice_{int(missing)}.png"))


def test_chimes_are_never_counted_as_music_tracks() -> None:
    assert len(scan_folder(MUSIC_DIR)) == 3
    assert all("chime" not in Path(p).name for p in scan_folder(MUSIC_DIR.parent))


def test_settings_lists_the_computers_voices_from_the_session_pages_voice(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, settings: Settings
) -> None:
    """Settings never starts a speech engine itself: the Session page's live voice is handed in,
    and its voices are listed to choose from (Qt's "mock" engine here)."""
    _window, shell, page = session_window()
    names = page.voice.voice_names()
    assert names  # the mock engine has voices
    shell.show_page(PAGE_NAMES.index("Settings"))
    music = shell.settings_page.music
    qtbot.waitUntil(music.live_box.isVisible, timeout=10_000)
    listed = [music.live_voice.itemData(i) for i in range(music.live_voice.count())]
    assert listed == ["", *names]  # "its usual voice" first
    assert "This computer's voice speaks any words without a recording" in (
        music.voice_status.text()
    )
    music.live_voice.setCurrentIndex(1)
    assert settings.get(LIVE_VOICE) == names[0]
