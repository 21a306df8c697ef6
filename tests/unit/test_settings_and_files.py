"""Preferences are typed and forgiving; file writes are atomic."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from companion.errors import StorageFullError
from companion.fsutil import atomic_write
from companion.i18n import language_from_environment
from companion.settings import (
    ALL_OPTIONS,
    AUTOLOCK_MINUTES,
    LANGUAGE,
    MUSIC_VOLUME,
    TEXT_SCALE,
    THEME,
    UPGRADES,
    VERSION_KEY,
    Settings,
)

NEVER = 3600.0  # a write delay no test waits for: only flush() writes


def test_defaults_then_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    settings = Settings(path)
    assert settings.get(THEME) == "dark"
    assert settings.get(AUTOLOCK_MINUTES) == 10
    settings.set(THEME, "light")
    settings.set(TEXT_SCALE, 200)
    assert settings.flush()
    again = Settings(path)
    assert again.get(THEME) == "light" and again.get(TEXT_SCALE) == 200


def test_invalid_values_are_refused_and_bad_files_fall_back(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    settings = Settings(path)
    with pytest.raises(ValueError):
        settings.set(TEXT_SCALE, 130)
    with pytest.raises(ValueError):
        settings.set(AUTOLOCK_MINUTES, 0)
    path.write_text(json.dumps({"theme": "neon", "autolock_minutes": True, "other": 1}))
    assert Settings(path).get(THEME) == "dark"
    assert Settings(path).get(AUTOLOCK_MINUTES) == 10
    path.write_text("{ not json")
    assert Settings(path).get(THEME) == "dark"


def test_atomic_write_replaces_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "file.bin"
    atomic_write(target, b"first")
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file.bin"
    atomic_write(target, b"precious")

    def no_space(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StorageFullError):
        atomic_write(target, b"x" * 1000)
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]


class Writes:
    """An atomic writer that counts its calls and notes the thread it ran on."""

    def __init__(self) -> None:
        self.threads: list[str] = []
        self.fail = False

    def __call__(self, path: Path, data: bytes) -> None:
        if self.fail:
            raise StorageFullError()
        self.threads.append(threading.current_thread().name)
        atomic_write(path, data)


def read(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_renamed_key_is_carried_over_by_an_upgrade_not_reset(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({VERSION_KEY: 1, "volume": 35, "theme": "light"}))

    def rename_volume(values: dict[str, object]) -> None:  # what version 2 would have changed
        values["music_volume"] = values.pop("volume")

    settings = Settings(path, upgrades=(*UPGRADES, rename_volume), delay_s=NEVER)
    assert settings.get(MUSIC_VOLUME) == 35  # not the default 70
    assert settings.get(THEME) == "light"
    assert settings.pending  # the upgraded file is written once
    assert settings.flush()
    on_disk = read(path)
    assert on_disk[VERSION_KEY] == len(UPGRADES) + 1 and on_disk["music_volume"] == 35
    assert "volume" not in on_disk


def test_an_unversioned_file_of_an_older_companion_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({"theme": "light", "autolock_minutes": 30}))
    settings = Settings(path, delay_s=NEVER)
    assert settings.get(THEME) == "light" and settings.get(AUTOLOCK_MINUTES) == 30
    assert settings.flush()
    assert read(path) == {
        VERSION_KEY: len(UPGRADES),
        "theme": "light",
        "autolock_minutes": 30,
        "language": language_from_environment(),
    }


def test_a_file_from_before_the_language_setting_speaks_the_systems_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({VERSION_KEY: 1, "theme": "light"}))
    assert Settings(path, delay_s=NEVER).get(LANGUAGE) == "es"
    chosen = tmp_path / "chosen.json"  # a language already chosen is never replaced
    chosen.write_text(json.dumps({VERSION_KEY: 1, "language": "en"}))
    assert Settings(chosen, delay_s=NEVER).get(LANGUAGE) == "en"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # not a language Companion has: English
    assert Settings(tmp_path / "new.json", delay_s=NEVER).get(LANGUAGE) == "en"


def test_a_file_of_a_newer_companion_is_read_and_keeps_what_this_one_does_not_know(
    tmp_path: Path,
) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({VERSION_KEY: 99, "theme": "light", "from_the_future": [1]}))
    settings = Settings(path, delay_s=NEVER)
    assert settings.get(THEME) == "light" and not settings.pending
    settings.set(TEXT_SCALE, 150)
    assert settings.flush()
    on_disk = read(path)
    assert on_disk[VERSION_KEY] == 99 and on_disk["from_the_future"] == [1]
    assert on_disk["text_scale_percent"] == 150


def test_a_slider_dragged_across_its_range_is_one_write(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    writes = Writes()
    settings = Settings(path, delay_s=NEVER, write=writes)
    for volume in range(101):
        settings.set(MUSIC_VOLUME, volume)
    assert writes.threads == [] and not path.exists()  # nothing written while dragging
    assert settings.get(MUSIC_VOLUME) == 100  # yet every reader sees the value at once
    assert settings.flush()  # what quitting (or closing the demo window) does
    assert len(writes.threads) == 1 and read(path)["music_volume"] == 100
    assert settings.flush() and len(writes.threads) == 1  # nothing pending: no second write


def test_a_change_is_written_soon_off_the_calling_thread(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    writes = Writes()
    settings = Settings(path, delay_s=0.05, write=writes)
    settings.set(THEME, "light")
    deadline = time.monotonic() + 10
    while settings.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not settings.pending
    assert read(path)["theme"] == "light"
    assert writes.threads and threading.current_thread().name not in writes.threads


def test_a_refused_write_stays_pending_and_is_retried(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    writes = Writes()
    settings = Settings(path, delay_s=NEVER, write=writes)
    settings.set(THEME, "light")
    writes.fail = True
    assert not settings.flush()  # the disk is full: logged, nothing raised at the caller
    assert settings.pending and not path.exists()
    writes.fail = False
    assert settings.flush()
    assert read(path)["theme"] == "light" and not settings.pending


def test_every_option_is_declared_once_and_none_is_named_like_the_version() -> None:
    keys = [option.key for option in ALL_OPTIONS]
    assert len(keys) == len(set(keys))
    assert VERSION_KEY not in keys
