"""Preferences are typed and forgiving; file writes are atomic."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from companion.errors import StorageFullError
from companion.fsutil import atomic_write
from companion.settings import AUTOLOCK_MINUTES, TEXT_SCALE, THEME, Settings


def test_defaults_then_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    settings = Settings(path)
    assert settings.get(THEME) == "dark"
    assert settings.get(AUTOLOCK_MINUTES) == 10
    settings.set(THEME, "light")
    settings.set(TEXT_SCALE, 200)
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
