"""The patient's music folder is read once per track and never on the GUI thread at Begin
(issue 16: a 1,000-track folder froze Begin for seconds)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.audio import playlist as audio_playlist
from companion.services.container import Services
from companion.settings import Settings
from companion.ui.session import music_choice as music_module
from companion.ui.session import page as session_page
from companion.ui.session.music_choice import (
    MusicChoice,
    music_choice,
    playlist_for,
    save_music_choice,
)
from tests.support.gui import click
from tests.support.session_walk import SessionWindow, settle

TRACKS = 1_000


def music_folder(root: Path, tracks: int) -> Path:
    folder = root / "music"
    folder.mkdir()
    sample = Path(playlist_for(MusicChoice("bundled", ())).locations[0]).read_bytes()
    for number in range(1, tracks + 1):
        (folder / f"{number} calm.ogg").write_bytes(sample[:64])
    return folder


def test_a_thousand_track_folder_is_checked_for_missing_files_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = music_folder(tmp_path, TRACKS)
    calls: list[int] = []
    real_missing = audio_playlist.missing  # what the session page imported

    def counting_missing(locations: list[str]) -> list[str]:
        calls.append(len(locations))
        return real_missing(locations)

    monkeypatch.setattr(music_module, "missing", counting_missing)
    playlist = playlist_for(MusicChoice("folder", (str(folder),)))
    assert calls == [TRACKS]  # one pass over the tracks, not one per track
    assert len(playlist.locations) == TRACKS
    names = [Path(location).name for location in playlist.locations]
    assert names[:3] == ["1 calm.ogg", "2 calm.ogg", "3 calm.ogg"]  # natural order kept
    assert names[-1] == f"{TRACKS} calm.ogg"


def test_a_missing_track_is_left_out_and_the_rest_kept(tmp_path: Path) -> None:
    folder = music_folder(tmp_path, 3)
    gone = folder / "2 calm.ogg"
    playlist_file = tmp_path / "list.m3u"
    playlist_file.write_text(
        "\n".join(str(folder / f"{n} calm.ogg") for n in (1, 2, 3)), encoding="utf-8"
    )
    gone.unlink()
    playlist = playlist_for(MusicChoice("files", (str(playlist_file),)))
    assert [Path(p).name for p in playlist.locations] == ["1 calm.ogg", "3 calm.ogg"]
    assert not playlist.note  # no fallback to the bundled music


def test_begin_reads_the_music_folder_on_the_worker_not_the_gui_thread(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = music_folder(tmp_path, 50)
    save_music_choice(settings, MusicChoice("folder", (str(folder),)))
    threads: list[str] = []
    real_playlist_for = music_module.playlist_for  # what the page imported

    def watched(choice: MusicChoice) -> music_module.Playlist:
        threads.append(threading.current_thread().name)
        return real_playlist_for(choice)

    monkeypatch.setattr(session_page, "playlist_for", watched)
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    click(qtbot, page.start_view.rehearse_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    assert page.before is not None
    click(qtbot, page.before.begin_button)
    qtbot.waitUntil(lambda: page.conductor is not None, timeout=10_000)
    assert threads and threading.main_thread().name not in threads
    assert music_choice(settings).paths == (str(folder),)
    page.abort("Not today")
    settle(qtbot, window)
