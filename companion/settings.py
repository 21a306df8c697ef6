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

ALL_OPTIONS: tuple[Option[Any], ...] = (
    THEME,
    TEXT_SCALE,
    AUTOLOCK_MINUTES,
    LOCK_ON_SCREEN_LOCK,
    WINDOW_GEOMETRY,
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
