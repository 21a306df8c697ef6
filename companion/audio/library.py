"""The bundled music as listed in ``assets/music/manifest.json`` (no Qt). Only tracks: the
cues before prompts are in ``assets/cues`` (``companion.audio.prompt_assets``).

The folder is passed in (``companion.paths.MUSIC_DIR`` in the app); nothing here knows where
the project lives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

MANIFEST_NAME = "manifest.json"
Kind = Literal["track"]


class ManifestError(ValueError):
    """The manifest is missing or does not have the expected shape."""


@dataclass(frozen=True, slots=True)
class BundledAudio:
    title: str
    path: Path
    duration_seconds: float
    kind: Kind
    licence: str
    sha256: str

    @property
    def slug(self) -> str:
        return self.path.stem


def manifest_files(path: Path, error: type[ValueError], *, objects: bool = False) -> list[Any]:
    """The ``files`` list of the JSON manifest at ``path`` (with ``objects``: each entry an
    object), or ``error`` saying why not. Shared by the music, the cues and the recordings."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise error(f"cannot read {path}: {exc}") from exc
    files = raw.get("files") if isinstance(raw, dict) else None
    if not isinstance(files, list) or (objects and not all(isinstance(f, dict) for f in files)):
        raise error(f"{path}: 'files' must be a list" + (" of objects" if objects else ""))
    return files


def load_manifest(music_dir: Path) -> list[BundledAudio]:
    path = music_dir / MANIFEST_NAME
    files = manifest_files(path, ManifestError)
    items: list[BundledAudio] = []
    for number, entry in enumerate(files, start=1):
        if not isinstance(entry, dict):
            raise ManifestError(f"{path}: entry {number} is not an object")
        try:
            kind = entry["kind"]
            if kind != "track":
                raise ManifestError(f"{path}: entry {number}: kind must be 'track'")
            name = str(entry["file"])
            if Path(name).name != name:
                raise ManifestError(f"{path}: entry {number}: file must be a plain file name")
            items.append(
                BundledAudio(
                    title=str(entry["title"]),
                    path=music_dir / name,
                    duration_seconds=float(entry["duration_seconds"]),
                    kind=kind,
                    licence=str(entry["licence"]),
                    sha256=str(entry["sha256"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ManifestError):
                raise
            raise ManifestError(f"{path}: entry {number}: {exc!r}") from exc
    return items


def bundled_tracks(music_dir: Path) -> list[BundledAudio]:
    return [item for item in load_manifest(music_dir) if item.kind == "track"]
