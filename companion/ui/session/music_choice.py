"""Which music a session plays: the patient's choice (in the preferences: ``MUSIC_SOURCE``,
``MUSIC_PATHS``), what it is in words, and the playlist it makes. The bundled tracks come with
their durations from the manifest, so a session knows at once which track plays when; music
that cannot be found falls back to the bundled music, with a plain note.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from companion.audio.library import bundled_tracks
from companion.audio.playlist import collect_sources, missing
from companion.i18n import N_, _, n_
from companion.paths import MUSIC_DIR
from companion.settings import MUSIC_PATHS, MUSIC_SOURCE, Settings

log = logging.getLogger(__name__)

SOURCE_NAMES = {
    "bundled": N_("Companion's own calm music"),
    "folder": N_("A folder of my music"),
    "files": N_("Music files I choose"),
    "m3u": N_("An M3U playlist"),
}


@dataclass(frozen=True, slots=True)
class MusicChoice:
    source: str  # a MUSIC_SOURCE choice
    paths: tuple[str, ...]  # what the patient picked (empty for the bundled music)

    @property
    def is_bundled(self) -> bool:
        return self.source == "bundled"

    def describe(self) -> str:
        if self.is_bundled or not self.paths:
            return bundled_description()
        names = ", ".join(Path(p).name for p in self.paths[:3])
        if len(self.paths) > 3:
            return _("{source}: {names} and {count} more").format(
                source=_(SOURCE_NAMES[self.source]), names=names, count=len(self.paths) - 3
            )
        return _("{source}: {names}").format(source=_(SOURCE_NAMES[self.source]), names=names)


@dataclass(frozen=True, slots=True)
class Playlist:
    locations: tuple[str, ...]
    durations: tuple[float, ...] | None  # known up front for the bundled music only
    note: str = ""  # a plain note when the chosen music could not be used


def bundled_description() -> str:
    """What the bundled music is, without repeating its name (the drop-down already says it).
    Chimes and cues are not music and are not counted."""
    try:
        tracks = bundled_tracks(MUSIC_DIR)
    except ValueError:
        return _("Companion's music could not be found.")
    minutes = round(sum(t.duration_seconds for t in tracks) / 60)
    return n_(
        "{n} calm track, about {minutes} minutes, played in turn.",
        "{n} calm tracks, about {minutes} minutes, played in turn.",
        len(tracks),
    ).format(minutes=minutes)


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
    gone = set(missing(locations))  # once: a set per location made Begin O(n²) (issue 16)
    present = [loc for loc in locations if loc not in gone]
    if not present:
        log.warning("session.music_missing")
        fallback = bundled_playlist()
        return Playlist(
            fallback.locations,
            fallback.durations,
            _("Your chosen music could not be found, so Companion's own music will play."),
        )
    return Playlist(tuple(present), None)
