"""Every preference declared once: key, type, default and allowed values.

Preferences are not private (theme, text size, auto-lock delay, window geometry), so they live
in a small JSON file beside the vault, written atomically. Anything personal belongs in the vault.
Unknown keys and invalid values in the file fall back to their defaults; nothing crashes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from companion.fsutil import atomic_write

T = TypeVar("T", int, str, bool)


@dataclass(frozen=True, slots=True)
class Option(Generic[T]):
    key: str
    type: type[T]
    default: T
    choices: tuple[T, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    private_ui_state: bool = False  # geometry and the like: not shown in Settings

    def coerce(self, value: object) -> T:
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            return self.default
        if self.choices and value not in self.choices:
            return self.default
        if isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                return self.default
            if self.maximum is not None and value > self.maximum:
                return self.default
        return value


THEME = Option("theme", str, "dark", choices=("dark", "light"))
TEXT_SCALE = Option("text_scale_percent", int, 100, choices=(100, 125, 150, 175, 200))
AUTOLOCK_MINUTES = Option("autolock_minutes", int, 10, minimum=1, maximum=240)
LOCK_ON_SCREEN_LOCK = Option("lock_on_screen_lock", bool, True)
WINDOW_GEOMETRY = Option("window_geometry", str, "", private_ui_state=True)
# The session's music: Companion's own tracks, or the patient's folder, files or M3U playlist
# (``MUSIC_PATHS`` holds the chosen paths as a JSON list). The volume is remembered.
MUSIC_SOURCE = Option("music_source", str, "bundled", choices=("bundled", "folder", "files", "m3u"))
MUSIC_PATHS = Option("music_paths", str, "[]")
MUSIC_VOLUME = Option("music_volume", int, 70, minimum=0, maximum=100)
SPOKEN_PROMPTS = Option("spoken_prompts", bool, True)  # the voice on or off
# Prompts and cues have their own volumes (0..100, perceptual), independent of the music and
# never below an audible floor, so music at 0 never silences a cue.
VOICE_VOLUME = Option("voice_volume", int, 85, minimum=40, maximum=100)
CUE_VOLUME = Option("cue_volume", int, 75, minimum=40, maximum=100)
# The live engine (a system voice, used for texts without a recording): "" = its default.
LIVE_VOICE = Option("live_voice", str, "")
LIVE_VOICE_RATE = Option("live_voice_rate", int, -3, minimum=-10, maximum=10)  # tenths
REHEARSAL_SPEED = Option("rehearsal_speed", int, 10, choices=(1, 10, 60))
# The journal's guided questions: all on one page, or one at a time (the patient's choice).
JOURNAL_PROMPTS = Option("journal_prompts", str, "all", choices=("all", "one"))

# Who to call, shown on the unlock screen before the vault is open. Public numbers, not health
# data: set at first run (the country's table, confirmed) and whenever the profile is saved.
COUNTRY = Option("country", str, "", private_ui_state=True)
EMERGENCY_NUMBER = Option("emergency_number", str, "", private_ui_state=True)
CRISIS_LINE = Option("crisis_line", str, "", private_ui_state=True)

BACKUP_FOLDER = Option("backup_folder", str, "")  # empty: the vault's own backups/ folder
BACKUP_KEEP = Option("backup_keep", int, 10, minimum=1, maximum=100)

ALL_OPTIONS: tuple[Option[Any], ...] = (
    THEME,
    TEXT_SCALE,
    AUTOLOCK_MINUTES,
    LOCK_ON_SCREEN_LOCK,
    WINDOW_GEOMETRY,
    MUSIC_SOURCE,
    MUSIC_PATHS,
    MUSIC_VOLUME,
    SPOKEN_PROMPTS,
    VOICE_VOLUME,
    CUE_VOLUME,
    LIVE_VOICE,
    LIVE_VOICE_RATE,
    REHEARSAL_SPEED,
    JOURNAL_PROMPTS,
    COUNTRY,
    EMERGENCY_NUMBER,
    CRISIS_LINE,
    BACKUP_FOLDER,
    BACKUP_KEEP,
)


class Settings:
    """Typed access to the preferences file. Built in app.py and passed down (no globals)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._values: dict[str, object] = {}
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if isinstance(raw, dict):
            known = {option.key for option in ALL_OPTIONS}
            self._values = {k: v for k, v in raw.items() if k in known}

    def get(self, option: Option[T]) -> T:
        return option.coerce(self._values.get(option.key, option.default))

    def set(self, option: Option[T], value: T) -> None:
        if option.coerce(value) != value:
            raise ValueError(f"{value!r} is not a valid value for {option.key}")
        self._values[option.key] = value
        self._save()

    def _save(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self._values, indent=2, sort_keys=True).encode("utf-8")
        atomic_write(self._path, data)
