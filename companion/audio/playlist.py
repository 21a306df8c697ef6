"""Playlists without Qt: the session's music plan, and the patient's own files, folders and M3U.

``plan_session`` answers "which track plays at what moment of the session": a playlist shorter
than the session is looped, a longer one is cut, and the last ``fade_out_seconds`` fade to
silence. The same plan tells a resumed session where to start again (``MusicPlan.position_at``).

``parse_m3u`` reads M3U/M3U8 text (``#EXTINF`` titles and durations, relative paths resolved
against the playlist's folder, ``file://`` URIs, stream URLs kept as they are);
``collect_sources`` turns what the patient picked (files, folders, playlists) into one ordered
list of locations a player can load.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote, urlparse

# Audio files found when scanning a folder. A file the patient picks explicitly is kept whatever
# its extension: VLC plays far more than this list.
AUDIO_EXTENSIONS = frozenset(
    {
        ".aac", ".aif", ".aifc", ".aiff", ".alac", ".ape", ".au", ".caf", ".flac", ".m4a",
        ".m4b", ".mka", ".mp2", ".mp3", ".mpc", ".oga", ".ogg", ".opus", ".spx", ".tta",
        ".wav", ".wma", ".wv",
    }
)  # fmt: skip
PLAYLIST_EXTENSIONS = frozenset({".m3u", ".m3u8"})
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


# --------------------------------------------------------------------------------------------
# The session plan


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One stretch of the plan: playlist entry ``track`` plays from ``starts_at`` (seconds
    after the music starts) for ``seconds``, from the beginning of the track."""

    track: int
    starts_at: float
    seconds: float
    cut: bool  # the session ends before the track does

    @property
    def ends_at(self) -> float:
        return self.starts_at + self.seconds


@dataclass(frozen=True, slots=True)
class PlanPosition:
    item: int  # index into MusicPlan.items
    track: int  # index into the playlist
    offset: float  # seconds into the track


@dataclass(frozen=True, slots=True)
class MusicPlan:
    items: tuple[PlanItem, ...]
    session_seconds: float
    fade_in_seconds: float
    fade_out_seconds: float

    @property
    def fade_out_at(self) -> float:
        """When the closing fade starts (seconds after the music starts)."""
        return max(0.0, self.session_seconds - self.fade_out_seconds)

    @property
    def passes(self) -> int:
        """How many times the playlist is started (1 = no looping)."""
        return sum(1 for item in self.items if item.track == self.items[0].track)

    def position_at(self, elapsed: float) -> PlanPosition | None:
        """What plays ``elapsed`` seconds after the music started; None once the plan is over."""
        if elapsed < 0 or elapsed >= self.session_seconds:
            return None
        low, high = 0, len(self.items) - 1
        while low < high:  # last item that starts at or before elapsed
            mid = (low + high + 1) // 2
            if self.items[mid].starts_at <= elapsed:
                low = mid
            else:
                high = mid - 1
        item = self.items[low]
        return PlanPosition(item=low, track=item.track, offset=elapsed - item.starts_at)

    def level_at(self, elapsed: float) -> float:
        """The plan's own envelope (0..1) at ``elapsed``: fade-in at the start, fade-out at the
        end, on the same raised-cosine shape as ``fades.FadeCurve.SMOOTH``."""
        if elapsed <= 0 or elapsed >= self.session_seconds:
            return 0.0
        level = 1.0
        if self.fade_in_seconds > 0 and elapsed < self.fade_in_seconds:
            level = 0.5 - 0.5 * math.cos(math.pi * elapsed / self.fade_in_seconds)
        if self.fade_out_seconds > 0 and elapsed > self.fade_out_at:
            remaining = (self.session_seconds - elapsed) / self.fade_out_seconds
            level = min(level, 0.5 - 0.5 * math.cos(math.pi * min(1.0, remaining)))
        return level


def plan_session(
    durations: Sequence[float],
    session_seconds: float,
    *,
    fade_in_seconds: float = 10.0,
    fade_out_seconds: float = 15.0,
) -> MusicPlan:
    """Lays the playlist (track durations in seconds, in order) over ``session_seconds``.

    Tracks play back to back from the start, the playlist starts again when it runs out, and
    the track playing when the session ends is cut (the caller fades out from ``fade_out_at``).
    Tracks whose duration is unknown (0, negative or NaN) are left out of the plan.
    """
    if not session_seconds > 0:
        raise ValueError("the session must last some time")
    if fade_in_seconds < 0 or fade_out_seconds < 0:
        raise ValueError("fade lengths cannot be negative")
    playable = [
        (index, float(seconds))
        for index, seconds in enumerate(durations)
        if seconds > 0 and math.isfinite(seconds)
    ]
    if not playable:
        raise ValueError("no track with a known duration to plan with")
    items: list[PlanItem] = []
    t = 0.0
    while t < session_seconds:
        for index, seconds in playable:
            if t >= session_seconds:
                break
            left = session_seconds - t
            items.append(PlanItem(index, t, min(seconds, left), cut=seconds > left))
            t += seconds
    fade_out = min(fade_out_seconds, session_seconds)
    fade_in = min(fade_in_seconds, session_seconds - fade_out)
    return MusicPlan(tuple(items), float(session_seconds), fade_in, fade_out)


# --------------------------------------------------------------------------------------------
# The patient's own music


@dataclass(frozen=True, slots=True)
class PlaylistEntry:
    location: str  # an absolute file path, or a URL such as http://...
    title: str | None = None
    duration: float | None = None  # seconds, from #EXTINF when given and positive


def is_url(location: str) -> bool:
    return bool(_URL.match(location)) and not location.lower().startswith("file://")


def _local_path(entry: str, base_dir: Path) -> str:
    if entry.lower().startswith("file://"):
        parsed = urlparse(entry)
        path = unquote(parsed.path)
        if _WINDOWS_DRIVE.match(path.lstrip("/")):
            path = path.lstrip("/")  # file:///C:/Music/x.mp3
        elif parsed.netloc and parsed.netloc != "localhost":
            path = f"//{parsed.netloc}{path}"  # a network share
        entry = path
    windows = bool(_WINDOWS_DRIVE.match(entry)) or entry.startswith("\\\\")
    if os.sep == "/" and "\\" in entry and not windows:
        entry = entry.replace("\\", "/")  # a playlist written on Windows, relative paths
    if windows:
        if os.name == "nt":
            return str(Path(entry))
        return str(PureWindowsPath(entry))  # kept as written; it will be reported missing
    local = Path(entry).expanduser()
    if not local.is_absolute():
        local = base_dir / local
    return os.path.normpath(local)


def _parse_extinf(line: str) -> tuple[str | None, float | None]:
    body = line[len("#EXTINF:") :]
    head, sep, title = body.partition(",")
    if not sep:
        return None, None
    seconds_text = head.strip().split(" ", 1)[0]  # attributes (tvg-id="...") may follow
    try:
        seconds: float | None = float(seconds_text)
    except ValueError:
        seconds = None
    if seconds is not None and not (seconds > 0 and math.isfinite(seconds)):
        seconds = None  # -1 means "unknown"
    return (title.strip() or None), seconds


def parse_m3u(text: str, base_dir: Path) -> list[PlaylistEntry]:
    """Entries of an M3U or M3U8 playlist; relative paths are resolved against ``base_dir``."""
    entries: list[PlaylistEntry] = []
    title: str | None = None
    duration: float | None = None
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.upper().startswith("#EXTINF:"):
                title, duration = _parse_extinf(line)
            continue
        location = line if is_url(line) else _local_path(line, base_dir)
        entries.append(PlaylistEntry(location, title, duration))
        title, duration = None, None
    return entries


def read_m3u(path: Path) -> list[PlaylistEntry]:
    """Reads a playlist file: UTF-8 for .m3u8 (and .m3u when it decodes), else Latin-1."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if path.suffix.lower() == ".m3u8":
            raise
        text = data.decode("latin-1")
    return parse_m3u(text, path.resolve().parent)


def _natural_key(path: Path) -> list[object]:
    parts = re.split(r"(\d+)", path.name.casefold())
    return [int(part) if part.isdigit() else part for part in parts]


def companion_non_music(folder: Path) -> set[str]:
    """Files of Companion's own asset folders that are not music (chimes, cues, spoken
    prompts), as listed in the folder's ``manifest.json``: never counted or played as tracks."""
    try:
        raw = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(raw, dict) or not str(raw.get("generator", "")).startswith("tools/make_"):
        return set()
    files = raw.get("files")
    if not isinstance(files, list):
        return set()
    return {
        str(entry.get("file"))
        for entry in files
        if isinstance(entry, dict) and entry.get("kind") != "track"
    }


def scan_folder(folder: Path, *, recursive: bool = True) -> list[str]:
    """Audio files in ``folder`` in natural order ("2 x" before "10 x"), subfolders after."""
    files: list[Path] = []
    folders: list[Path] = []
    not_music = companion_non_music(folder)
    for child in folder.iterdir():
        if child.name.startswith("."):
            continue
        if child.is_dir():
            folders.append(child)
        elif child.suffix.lower() in AUDIO_EXTENSIONS and child.name not in not_music:
            files.append(child)
    found = [str(p.resolve()) for p in sorted(files, key=_natural_key)]
    if recursive:
        for sub in sorted(folders, key=_natural_key):
            found.extend(scan_folder(sub, recursive=True))
    return found


def collect_sources(chosen: Iterable[Path]) -> list[str]:
    """One ordered list of locations from what the patient picked: files, folders, playlists.

    Duplicates are kept (a playlist may repeat a track on purpose). Nothing is checked for
    existence here; see :func:`missing`.
    """
    locations: list[str] = []
    for path in chosen:
        if path.is_dir():
            locations.extend(scan_folder(path))
        elif path.suffix.lower() in PLAYLIST_EXTENSIONS:
            locations.extend(entry.location for entry in read_m3u(path))
        else:
            locations.append(str(path.resolve()))
    return locations


def missing(locations: Iterable[str]) -> list[str]:
    """The local files among ``locations`` that are not there (URLs are not checked)."""
    return [loc for loc in locations if not is_url(loc) and not Path(loc).is_file()]
