"""What a prompt sounds like: the bundled recordings of spoken lines and the cue sounds, read
from their manifests, and the lines Companion itself speaks.

The recordings live in ``assets/speech`` (``tools/make_speech.py`` makes them from the default
protocol's texts and ``APP_LINES``), the cues in ``assets/cues`` (``tools/make_cues.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from companion.audio.library import manifest_files
from companion.domain.protocol import Protocol
from companion.i18n import N_
from companion.paths import ASSETS_DIR

SPEECH_MANIFEST = "manifest.json"
CUES_MANIFEST = "manifest.json"

# Lines Companion itself speaks (not from a protocol); recorded like the protocol's texts (in
# English). Marked for the catalogue: speak ``_(line)``; a language without a recording of
# that exact text is spoken by the live voice in the patient's language, or shown.
SOUND_CHECK_LINE = N_("This is the voice you will hear during your session.")
ENDING_LINE = N_("The timed part of your session is over. Take your time, and stay seated.")
APP_LINES: dict[str, str] = {
    "app-sound-check": SOUND_CHECK_LINE,
    "app-ending": ENDING_LINE,
}


def speech_dir() -> Path:
    return ASSETS_DIR / "speech"


def cues_dir() -> Path:
    return ASSETS_DIR / "cues"


def normalise_text(text: str) -> str:
    """The form a text is recorded and looked up in: single spaces, no edges."""
    return " ".join(text.split())


def spoken_lines(protocol: Protocol) -> list[tuple[str, str]]:
    """(key, text) of every line a protocol may have spoken: each timeline prompt (whatever
    its cue: a clinic may change a cue without re-recording) and the monitor check-in."""
    lines = [(f"prompt-{p.id}", p.text) for p in protocol.timeline.prompts]
    lines.append(("checkin", protocol.timeline.checkin.text))
    return lines


class CueKind(StrEnum):
    PROMPT = "prompt"  # a prompt for the patient is coming
    CHECKIN = "checkin"  # a check-in for the monitor
    ENDING = "ending"  # the session is ending


class VoiceMode(StrEnum):
    RECORDED = "recorded"
    SYSTEM = "system"  # the live engine (QtTextToSpeech)
    TEXT_ONLY = "text"


class AssetError(ValueError):
    """A manifest is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Recording:
    key: str
    text: str
    path: Path
    duration_seconds: float


@dataclass(frozen=True, slots=True)
class CueSound:
    kind: CueKind
    title: str
    path: Path
    duration_seconds: float


def _read_manifest(folder: Path, name: str) -> list[dict[str, object]]:
    return manifest_files(folder / name, AssetError, objects=True)


def _plain_name(folder: Path, entry: dict[str, object]) -> Path:
    name = str(entry.get("file", ""))
    if not name or Path(name).name != name:
        raise AssetError(f"{folder}: {name!r} is not a plain file name")
    return folder / name


class RecordingLibrary:
    """The bundled recordings, found by their exact text (after ``normalise_text``)."""

    def __init__(self, recordings: Iterable[Recording] = ()) -> None:
        self._by_text = {normalise_text(r.text): r for r in recordings}

    @classmethod
    def load(cls, folder: Path | None = None) -> RecordingLibrary:
        """The recordings in ``folder`` (the bundled ones by default) whose file is there;
        an unreadable manifest gives an empty library (the live voice or text take over)."""
        folder = speech_dir() if folder is None else folder
        try:
            entries = _read_manifest(folder, SPEECH_MANIFEST)
            items = [
                Recording(
                    str(e["id"]),
                    str(e["text"]),
                    _plain_name(folder, e),
                    float(str(e["duration_seconds"])),
                )
                for e in entries
            ]
        except (AssetError, KeyError, ValueError):
            return cls()
        return cls(r for r in items if r.path.is_file())

    def find(self, text: str) -> Recording | None:
        return self._by_text.get(normalise_text(text))

    def texts(self) -> set[str]:
        return set(self._by_text)

    def __len__(self) -> int:
        return len(self._by_text)


def load_cues(folder: Path | None = None) -> dict[CueKind, CueSound]:
    folder = cues_dir() if folder is None else folder
    cues: dict[CueKind, CueSound] = {}
    for entry in _read_manifest(folder, CUES_MANIFEST):
        try:
            kind = CueKind(str(entry["kind"]))
            cues[kind] = CueSound(
                kind,
                str(entry["title"]),
                _plain_name(folder, entry),
                float(str(entry["duration_seconds"])),
            )
        except (KeyError, ValueError) as exc:
            raise AssetError(f"{folder}: {exc}") from exc
    return cues
