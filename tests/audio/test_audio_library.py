"""Reading the bundled music's manifest (and refusing a malformed one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.audio.library import ManifestError, bundled_tracks, load_manifest
from companion.audio.playlist import plan_session


def test_the_bundled_manifest_lists_only_the_tracks(music_dir: Path) -> None:
    tracks = bundled_tracks(music_dir)
    assert [t.slug for t in tracks] == ["slow-pads", "soft-bells", "gentle-waves"]
    assert all(t.kind == "track" and t.path.is_file() for t in tracks)
    assert load_manifest(music_dir) == tracks  # the cues live in assets/cues
    assert sorted(p.name for p in music_dir.glob("*.ogg")) == sorted(t.path.name for t in tracks)


def test_the_bundled_tracks_fill_an_hour_by_looping(music_dir: Path) -> None:
    tracks = bundled_tracks(music_dir)
    plan = plan_session([t.duration_seconds for t in tracks], 3600.0)
    assert plan.passes == 2
    assert plan.items[-1].ends_at == 3600.0


def write(folder: Path, manifest: object) -> Path:
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


ENTRY = {
    "title": "T",
    "file": "t.ogg",
    "duration_seconds": 1.5,
    "kind": "track",
    "licence": "CC0-1.0",
    "sha256": "00",
}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({"files": "nope"}, "'files' must be a list"),
        ({"files": [dict(ENTRY, kind="song")]}, "kind must be"),
        ({"files": [dict(ENTRY, file="../escape.ogg")]}, "plain file name"),
        ({"files": [{k: v for k, v in ENTRY.items() if k != "title"}]}, "entry 1"),
        ({"files": [dict(ENTRY, duration_seconds="long")]}, "entry 1"),
        ([], "'files' must be a list"),
    ],
)
def test_a_malformed_manifest_is_refused_with_a_reason(
    tmp_path: Path, manifest: object, message: str
) -> None:
    with pytest.raises(ManifestError, match=message):
        load_manifest(write(tmp_path, manifest))


def test_a_missing_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="cannot read"):
        load_manifest(tmp_path)
