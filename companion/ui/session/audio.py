"""Which music a session plays and which engine plays it.

The patient's choice lives in the preferences (``MUSIC_SOURCE``, ``MUSIC_PATHS``,
``MUSIC_VOLUME``); the bundled tracks come with their durations from the manifest, so a
session knows at once which track plays when. Players are made by an ``AudioFactory`` handed
down from the window, so tests choose a silent libvlc output and the app the real one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from companion.audio.library import CHIME_CHECKIN, CHIME_SOFT, bundled_chime, bundled_tracks
from companion.audio.player import BasePlayer
from companion.audio.playlist import collect_sources, missing
from companion.domain.clock import Clock
from companion.paths import MUSIC_DIR
from companion.settings import MUSIC_PATHS, MUSIC_SOURCE, Settings

log = logging.getLogger(__name__)

AudioFactory = Callable[[float], BasePlayer]  # volume (0..100) -> a new player

SOURCE_NAMES = {
    "bundled": "Companion's own calm music",
    "folder": "A folder of my music",
    "files": "Music files I choose",
    "m3u": "An M3U playlist",
}


def default_audio_factory(clock: Clock) -> AudioFactory:
    """Real players: VLC when libvlc loads, Qt Multimedia otherwise."""

    def make(volume: float) -> BasePlayer:
        from companion.audio.factory import create_player  # loads libvlc: only when needed

        return create_player(clock, volume=volume)

    return make


@dataclass(frozen=True, slots=True)
class MusicChoice:
    source: str  # a MUSIC_SOURCE choice
    paths: tuple[str, ...]  # what the patient picked (empty for the bundled music)

    @property
    def is_bundled(self) -> bool:
        return self.source == "bundled"

    def describe(self) -> str:
        if self.is_bundled or not self.paths:
            return SOURCE_NAMES["bundled"]
        names = ", ".join(Path(p).name for p in self.paths[:3])
        more = f" and {len(self.paths) - 3} more" if len(self.paths) > 3 else ""
        return f"{SOURCE_NAMES[self.source]}: {names}{more}"


@dataclass(frozen=True, slots=True)
class Playlist:
    locations: tuple[str, ...]
    durations: tuple[float, ...] | None  # known up front for the bundled music only
    note: str = ""  # a plain note when the chosen music could not be used


def music_choice(settings: Settings) -> MusicChoice:
    try:
        raw = json.loads(settings.get(MUSIC_PATHS))
    except ValueError:
        raw = []
    paths = tuple(str(p) for p in raw if isinstance(p, str)) if isinstance(raw, list) else ()
    return MusicChoice(settings.get(MUSIC_SOURCE), paths)


def save_music_choice(settings: Settings, choice: MusicChoice) -> None:
    settings.set(MUSIC_SOURCE, choice.source)
    settings.set(MUSIC_PATHS, json.dumps(list(choice.paths)))


def bundled_playlist() -> Playlist:
    tracks = bundled_tracks(MUSIC_DIR)
    return Playlist(tuple(str(t.path) for t in tracks), tuple(t.duration_seconds for t in tracks))


def playlist_for(choice: MusicChoice) -> Playlist:
    """The locations to load; the bundled music when the patient's cannot be found."""
    if choice.is_bundled or not choice.paths:
        return bundled_playlist()
    try:
        locations = collect_sources(Path(p) for p in choice.paths)
    except (OSError, UnicodeDecodeError):
        locations = []
    present = [loc for loc in locations if loc not in set(missing(locations))]
    if not present:
        log.warning("session.music_missing")
        fallback = bundled_playlist()
        return Playlist(
            fallback.locations,
            fallback.durations,
            "Your chosen music could not be found, so Companion's own music will play.",
        )
    return Playlist(tuple(present), None)


def chime_path(slug: str) -> str:
    return str(bundled_chime(MUSIC_DIR, slug).path)


CHIME_FOR_PROMPT = CHIME_SOFT
CHIME_FOR_CHECKIN = CHIME_CHECKIN
