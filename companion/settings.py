"""Every preference declared once: key, type, default and allowed values.

Preferences are not private (theme, text size, auto-lock delay, window geometry), so they live
in a small JSON file beside the vault. Anything personal belongs in the vault. Invalid values in
the file fall back to their defaults; nothing crashes.

The file has a life cycle:

* **a version**: ``"version"`` in the file. ``UPGRADES[n]`` turns a version-``n`` file into
  version ``n + 1``, in order, when it is read, so a renamed or reshaped key is carried over,
  never silently reset. A file from a newer Companion is read as it is (known keys only) and
  keeps the keys this version does not know.
* **deferred writes**: ``set`` changes the value at once and writes the file a moment later
  on a short-lived background thread, so a volume slider dragged across its range is one
  write, not fifty fsync'd ones on the GUI thread. Each write replaces the file atomically
  (temp file, fsync, rename), so a crash leaves the old file or the new one, never half of
  one. ``flush`` writes what is pending now: the app calls it when it quits or a window closes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from companion.errors import CompanionError
from companion.fsutil import atomic_write
from companion.i18n import LANGUAGES, PSEUDO, SOURCE_LANGUAGE, language_from_environment

log = logging.getLogger(__name__)

T = TypeVar("T", int, str, bool)


@dataclass(frozen=True, slots=True)
class Option(Generic[T]):
    key: str
    type: type[T]
    default: T
    choices: tuple[T, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

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
# The language of every word Companion shows ("pseudo" is the test language)
LANGUAGE = Option(
    "language",
    str,
    SOURCE_LANGUAGE,
    choices=(*(language.code for language in LANGUAGES), PSEUDO),
)
TEXT_SCALE = Option("text_scale_percent", int, 100, choices=(100, 125, 150, 175, 200))
AUTOLOCK_MINUTES = Option("autolock_minutes", int, 10, minimum=1, maximum=240)
LOCK_ON_SCREEN_LOCK = Option("lock_on_screen_lock", bool, True)
WINDOW_GEOMETRY = Option("window_geometry", str, "")
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
COUNTRY = Option("country", str, "")
EMERGENCY_NUMBER = Option("emergency_number", str, "")
CRISIS_LINE = Option("crisis_line", str, "")

BACKUP_FOLDER = Option("backup_folder", str, "")  # empty: the vault's own backups/ folder
BACKUP_KEEP = Option("backup_keep", int, 10, minimum=1, maximum=100)

ALL_OPTIONS: tuple[Option[Any], ...] = (
    LANGUAGE,
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


VERSION_KEY = "version"
Upgrade = Callable[[dict[str, object]], None]


def _from_unversioned(values: dict[str, object]) -> None:
    """Version 0 -> 1: files written before the file had a version. Their keys are today's."""


def _add_language(values: dict[str, object]) -> None:
    """Version 1 -> 2: the language became a setting. A file from before keeps speaking the
    language the system asks for (what a new install pre-selects too), never silently English."""
    if not isinstance(values.get(LANGUAGE.key), str):
        values[LANGUAGE.key] = language_from_environment()


# UPGRADES[n] upgrades a version-n file to version n + 1, in place. Add a function at the end
# for each change of a key's name or meaning (e.g. ``values["new"] = values.pop("old")``).
UPGRADES: tuple[Upgrade, ...] = (_from_unversioned, _add_language)
WRITE_DELAY_S = 0.5


def upgrade(values: dict[str, object], upgrades: Sequence[Upgrade] = UPGRADES) -> bool:
    """Brings ``values`` (a file's contents) up to ``len(upgrades)``; True when changed. A
    file from a newer Companion is left as it is."""
    version = values.get(VERSION_KEY, 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        version = 0  # a damaged version: treat as the oldest, every upgrade tolerates it
    if version >= len(upgrades):
        return False
    for step in upgrades[version:]:
        step(values)
    values[VERSION_KEY] = len(upgrades)
    return True


class Settings:
    """Typed access to the preferences file. Built in app.py and passed down (no globals).

    ``write`` and ``delay_s`` are for tests: how a file is written, and how long a change
    waits for the next one before the file is written."""

    def __init__(
        self,
        path: Path,
        *,
        upgrades: Sequence[Upgrade] = UPGRADES,
        delay_s: float = WRITE_DELAY_S,
        write: Callable[[Path, bytes], None] = atomic_write,
    ) -> None:
        self._path = path
        self._delay_s = delay_s
        self._write = write
        self._lock = threading.Lock()  # guards the values, the counters and the writer
        self._write_lock = threading.Lock()  # one write at a time, in order
        self._wake = threading.Event()  # a flush cuts the writer's wait short
        self._values: dict[str, object] = {}
        self._changes = 0  # counts every set (and an upgrade); ``_written`` the last on disk
        self._written = 0
        self._writer: threading.Thread | None = None
        self._load(upgrades)

    def _load(self, upgrades: Sequence[Upgrade]) -> None:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        existed = bool(raw)
        changed = upgrade(raw, upgrades)
        self._values = raw
        if existed and changed:  # the upgraded file is written once, like any change
            self._changed()

    def get(self, option: Option[T]) -> T:
        return option.coerce(self._values.get(option.key, option.default))

    def set(self, option: Option[T], value: T) -> None:
        if option.coerce(value) != value:
            raise ValueError(f"{value!r} is not a valid value for {option.key}")
        with self._lock:
            if option.key in self._values and self._values[option.key] == value:
                return
            self._values[option.key] = value
        self._changed()

    @property
    def pending(self) -> bool:
        """True while a change is not yet in the file."""
        return self._changes != self._written

    def flush(self) -> bool:
        """Writes any pending change now, on this thread; False (and logged) when the disk
        refused, in which case the change stays pending."""
        self._wake.set()
        try:
            self._write_pending()
        except (OSError, CompanionError):  # disk full, read-only: the app carries on
            log.warning("settings.write_failed")
            return False
        return True

    def _changed(self) -> None:
        with self._lock:
            self._changes += 1
            if self._writer is None:
                self._wake.clear()
                self._writer = threading.Thread(
                    target=self._write_soon, name="preferences-writer", daemon=True
                )
                self._writer.start()

    def _write_soon(self) -> None:
        """The writer: waits for more changes, writes, and ends when nothing is left."""
        while True:
            self._wake.wait(self._delay_s)
            self._wake.clear()
            try:
                self._write_pending()
            except (OSError, CompanionError):
                log.warning("settings.write_failed")  # kept pending: the next change retries
                with self._lock:
                    self._writer = None
                return
            with self._lock:
                if self._changes == self._written:
                    self._writer = None
                    return

    def _write_pending(self) -> None:
        with self._write_lock:
            with self._lock:
                changes = self._changes
                if changes == self._written:
                    return
                values = dict(self._values)
            data = json.dumps(values, indent=2, sort_keys=True).encode("utf-8")
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._write(self._path, data)
            self._written = changes


@dataclass(frozen=True, slots=True)
class BackupPolicy:
    """Where the automatic backups go (``None``: the vault's own ``backups/`` folder) and how
    many are kept. Read from the preferences once, by the app and by the CLI alike."""

    folder: Path | None
    keep: int

    @classmethod
    def from_settings(cls, settings: Settings) -> BackupPolicy:
        folder = settings.get(BACKUP_FOLDER)
        return cls(Path(folder) if folder else None, settings.get(BACKUP_KEEP))
