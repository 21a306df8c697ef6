"""Session plans (loop or cut), M3U/M3U8 parsing and collecting the patient's own music."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from companion.audio.playlist import (
    PlanItem,
    collect_sources,
    is_url,
    missing,
    parse_m3u,
    plan_session,
    read_m3u,
    scan_folder,
)

HOUR = 3600.0


def test_a_short_playlist_loops_until_the_session_ends_and_the_last_track_is_cut() -> None:
    plan = plan_session([660.0, 600.0, 600.0], HOUR, fade_out_seconds=15.0)
    tracks = [item.track for item in plan.items]
    assert tracks == [0, 1, 2, 0, 1, 2]  # 31 min of music, twice, the second time cut
    assert plan.items[0] == PlanItem(0, 0.0, 660.0, cut=False)
    assert plan.items[3].starts_at == 1860.0
    last = plan.items[-1]
    assert last.track == 2 and last.cut
    assert last.starts_at == 660 + 600 + 600 + 660 + 600
    assert last.ends_at == HOUR
    assert sum(item.seconds for item in plan.items) == HOUR
    assert plan.passes == 2
    assert plan.fade_out_at == HOUR - 15.0


def test_a_long_playlist_is_cut_at_the_session_end() -> None:
    plan = plan_session([50 * 60.0, 40 * 60.0], HOUR)
    assert [(i.track, i.seconds, i.cut) for i in plan.items] == [
        (0, 3000.0, False),
        (1, 600.0, True),
    ]
    assert plan.passes == 1


def test_a_single_track_longer_than_the_session() -> None:
    plan = plan_session([2 * HOUR], HOUR)
    assert plan.items == (PlanItem(0, 0.0, HOUR, cut=True),)


def test_an_exact_fit_is_not_cut() -> None:
    plan = plan_session([1800.0, 1800.0], HOUR)
    assert [i.cut for i in plan.items] == [False, False]


def test_tracks_of_unknown_length_are_left_out_and_an_empty_plan_is_refused() -> None:
    plan = plan_session([0.0, 1200.0, float("nan"), -1.0], HOUR)
    assert {item.track for item in plan.items} == {1}
    with pytest.raises(ValueError):
        plan_session([0.0, float("nan")], HOUR)
    with pytest.raises(ValueError):
        plan_session([100.0], 0.0)


def test_the_plan_says_where_to_resume() -> None:
    plan = plan_session([660.0, 600.0, 600.0], HOUR)
    assert plan.position_at(0.0) is not None
    assert plan.position_at(0.0).track == 0  # type: ignore[union-attr]
    at = plan.position_at(700.0)
    assert at is not None and at.track == 1 and at.offset == pytest.approx(40.0)
    at = plan.position_at(1860.0 + 5.5)  # second pass, first track
    assert at is not None and (at.item, at.track) == (3, 0) and at.offset == pytest.approx(5.5)
    assert plan.position_at(HOUR) is None
    assert plan.position_at(-1.0) is None


def test_the_plan_envelope_fades_in_and_out() -> None:
    plan = plan_session([600.0], HOUR, fade_in_seconds=10.0, fade_out_seconds=20.0)
    assert plan.level_at(0.0) == 0.0
    assert plan.level_at(5.0) == pytest.approx(0.5)
    assert plan.level_at(10.0) == 1.0
    assert plan.level_at(1800.0) == 1.0
    assert plan.level_at(HOUR - 10.0) == pytest.approx(0.5)
    assert plan.level_at(HOUR) == 0.0


def test_m3u_with_extinf_relative_absolute_and_urls(tmp_path: Path) -> None:
    text = (
        "\ufeff#EXTM3U\n"
        "#EXTINF:312,Calm One\n"
        "music/calm one.mp3\n"
        "\n"
        "#EXTINF:-1,A stream\n"
        "https://radio.example/calm.ogg\n"
        "# a comment\n"
        "../other/track 2.flac\n"
        f"{tmp_path / 'abs.ogg'}\n"
        "file:///srv/music/space%20x.ogg\n"
        "sub\\windows style.mp3\n"
    )
    entries = parse_m3u(text, tmp_path / "lists")
    base = tmp_path / "lists"
    assert [e.location for e in entries] == [
        os.path.normpath(base / "music" / "calm one.mp3"),
        "https://radio.example/calm.ogg",
        os.path.normpath(tmp_path / "other" / "track 2.flac"),
        str(tmp_path / "abs.ogg"),
        "/srv/music/space x.ogg",
        os.path.normpath(base / "sub" / "windows style.mp3"),
    ]
    assert (entries[0].title, entries[0].duration) == ("Calm One", 312.0)
    assert (entries[1].title, entries[1].duration) == ("A stream", None)
    assert entries[2].title is None


def test_reading_m3u8_and_latin1_m3u_files(tmp_path: Path) -> None:
    (tmp_path / "list.m3u8").write_text("#EXTM3U\n#EXTINF:10,Été\nété.ogg\n", encoding="utf-8")
    (tmp_path / "list.m3u").write_bytes("#EXTINF:10,Café\ncafé.mp3\n".encode("latin-1"))
    utf8 = read_m3u(tmp_path / "list.m3u8")
    latin = read_m3u(tmp_path / "list.m3u")
    assert utf8[0].title == "Été" and utf8[0].location.endswith("été.ogg")
    assert latin[0].title == "Café" and latin[0].location.endswith("café.mp3")


def test_collecting_files_folders_and_playlists(tmp_path: Path) -> None:
    folder = tmp_path / "Calm"
    (folder / "b-side").mkdir(parents=True)
    for name in ("10 ten.mp3", "2 two.ogg", "1 one.flac", "cover.jpg", ".hidden.mp3"):
        (folder / name).write_bytes(b"x")
    (folder / "b-side" / "extra.opus").write_bytes(b"x")
    single = tmp_path / "single.wav"
    single.write_bytes(b"x")
    playlist = tmp_path / "mine.m3u8"
    playlist.write_text("single.wav\nCalm/2 two.ogg\nnot-there.mp3\n", encoding="utf-8")

    found = scan_folder(folder)
    assert [Path(p).name for p in found] == ["1 one.flac", "2 two.ogg", "10 ten.mp3", "extra.opus"]
    collected = collect_sources([playlist, folder, single])
    assert [Path(p).name for p in collected] == [
        "single.wav",
        "2 two.ogg",
        "not-there.mp3",
        "1 one.flac",
        "2 two.ogg",
        "10 ten.mp3",
        "extra.opus",
        "single.wav",
    ]
    assert [Path(p).name for p in missing(collected)] == ["not-there.mp3"]
    assert missing(["https://radio.example/x"]) == []


def test_urls_are_recognised() -> None:
    assert is_url("http://example.org/a.mp3")
    assert is_url("rtsp://host/stream")
    assert not is_url("file:///home/a.mp3")
    assert not is_url("/home/a.mp3")
    assert not is_url("C:\\Music\\a.mp3")
