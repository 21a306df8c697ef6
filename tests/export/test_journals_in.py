"""Journals that come in from other apps, and go out as Markdown.

``data/jrnl-export.json`` is a genuine ``jrnl --export json`` (jrnl 4.6, four entries written
with jrnl itself). The Day One export is built here the way Day One writes it: a zip with
``Journal.json`` ({"metadata", "entries": [{"uuid", "creationDate", "text", "tags",
"timeZone", ...}]}) and a ``photos/`` folder."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.domain.export_selection import EntryChoice, Selection
from companion.domain.localtime import local_zone
from companion.errors import CompanionError
from companion.export import markdown
from companion.services import import_formats
from companion.services.container import Services
from companion.services.export import ExportFormat, ExportRequest, Protection
from tests.support.cli import cli
from tests.support.export import JRNL, table_counts
from tests.support.vault import PASSPHRASE

ENV = {"COMPANION_PASSPHRASE": PASSPHRASE}
EVERYTHING = Selection(entries=EntryChoice.ALL)


def _entries(services: Services) -> list[dict[str, object]]:
    preview = services.export.preview(EVERYTHING)
    return [
        {
            "title": e.title,
            "body": e.body,
            "created_at": e.created_at,
            "tags": e.tags,
            "shared": e.shared,
            "mood": e.mood,
        }
        for e in preview.report.entries
    ]


def test_a_genuine_jrnl_export_imports_as_private_entries(second: Services) -> None:
    source = json.loads(JRNL.read_text(encoding="utf-8"))["entries"]
    report = second.importer.import_file(JRNL)
    assert report.added["journal_entry"] == len(source) == 4
    entries = _entries(second)
    zone = local_zone()
    for original, got in zip(source, entries, strict=True):
        assert got["title"] == original["title"] and got["body"] == original["body"]
        local = got["created_at"].astimezone(zone)  # type: ignore[attr-defined]
        assert local.strftime("%Y-%m-%d %H:%M") == f"{original['date']} {original['time']}"
        assert got["tags"] == tuple(sorted(t.lstrip("@#") for t in original["tags"]))
        assert got["shared"] is False
    assert "<you should rest>" in str(entries[1]["body"])  # text, kept literally
    again = second.importer.import_file(JRNL)
    assert again.total_added == 0  # importing twice adds nothing


def _day_one_zip(entries: list[dict[str, object]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "Journal.json",
            json.dumps({"metadata": {"version": "1.0"}, "entries": entries}, indent=2),
        )
        archive.writestr(
            "photos/4F1E3C0B2A6D4E8F9A0B1C2D3E4F5A6B.jpeg", b"\xff\xd8\xff\xe0 not read"
        )
    return buffer.getvalue()


DAY_ONE_ENTRIES: list[dict[str, object]] = [
    {
        "uuid": "9A3C1E5B7D2F4A6C8E0B1D3F5A7C9E1B",
        "creationDate": "2025-11-04T20:30:00Z",
        "modifiedDate": "2025-11-04T20:45:12Z",
        "timeZone": "America/Toronto",
        "starred": False,
        "duration": 0,
        "creationDevice": "iPhone",
        "text": "# A calmer evening\n\nThe session left me quiet\\. I wrote three things "
        "I am grateful for:\n\n1. the dog\n2. tea\n3. sleep\n\n"
        "![](dayone-moment://4F1E3C0B2A6D4E8F9A0B1C2D3E4F5A6B)",
        "tags": ["Gratitude", "evening"],
        "photos": [{"identifier": "4F1E3C0B2A6D4E8F9A0B1C2D3E4F5A6B", "type": "jpeg"}],
    },
    {
        "uuid": "0B2D4F6A8C1E3A5C7E9B1D3F5A7C9E2D",
        "creationDate": "2025-11-06T07:05:00Z",
        "timeZone": "Europe/Berlin",
        "starred": True,
        "text": "Woke up early. No title on this one.",
    },
]


def test_a_day_one_zip_imports_with_titles_times_and_tags(second: Services) -> None:
    data = _day_one_zip(DAY_ONE_ENTRIES)
    records, encrypted = second.importer.parse(data)
    assert not encrypted and len(records["journal_entry"]) == 2
    second.importer.import_records(records)
    first, other = _entries(second)
    assert first["title"] == "A calmer evening"
    assert str(first["body"]).startswith("The session left me quiet\\. I wrote")
    assert "dayone-moment" not in str(first["body"])  # the photo is not imported
    assert first["created_at"] == datetime(2025, 11, 4, 20, 30, tzinfo=UTC)
    assert first["tags"] == ("evening", "gratitude") and first["shared"] is False
    assert other["title"] == "" and other["body"] == "Woke up early. No title on this one."
    # Journal.json on its own reads the same.
    alone, _ = second.importer.parse(
        json.dumps({"metadata": {}, "entries": DAY_ONE_ENTRIES}).encode()
    )
    assert {r["id"] for r in alone["journal_entry"]} == {r["id"] for r in records["journal_entry"]}


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is no zip",
        _day_one_zip([{"uuid": "x", "creationDate": "yesterday", "text": "hi"}]),
        _day_one_zip([{"uuid": "x", "creationDate": "2025-11-04T20:30:00Z", "text": 5}]),
        json.dumps({"tags": {}, "entries": [{"date": "2025-02-30", "title": "t"}]}).encode(),
        json.dumps({"tags": {}, "entries": [{"date": "2025-02-03", "title": ["t"]}]}).encode(),
        json.dumps({"tags": {}, "entries": [["not", "an", "entry"]]}).encode(),
    ],
    ids=["damaged-zip", "bad-date", "text-not-text", "31-feb", "title-list", "entry-list"],
)
def test_broken_foreign_files_are_refused_and_change_nothing(second: Services, data: bytes) -> None:
    before = table_counts(second)
    with pytest.raises(CompanionError) as caught:
        second.importer.import_bytes(data)
    assert "Nothing in the vault was changed" in str(caught.value)
    assert table_counts(second) == before


def test_a_day_one_zip_with_too_big_a_journal_is_refused_without_reading_it(
    second: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_formats, "MAX_JSON_BYTES", 1000)
    with pytest.raises(CompanionError, match="too large"):
        second.importer.parse(_day_one_zip(DAY_ONE_ENTRIES * 10))


def test_round_trip_jrnl_to_companion_to_markdown_keeps_text_and_dates(
    second: Services, tmp_path: Path, fresh_vault: Services
) -> None:
    second.importer.import_file(JRNL)
    folder = tmp_path / "journal"
    done = second.export.export_markdown_folder(EVERYTHING, folder)
    source = json.loads(JRNL.read_text(encoding="utf-8"))["entries"]
    files = sorted(folder.glob("*.md"))
    assert done.files == len(files) == len(source)
    for original, path in zip(source, files, strict=True):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        meta, body = import_formats.split_front_matter(path.read_text(encoding="utf-8"))
        assert meta["title"] == original["title"]
        assert body.strip() == original["body"]
        written = datetime.fromisoformat(meta["date"])
        assert written.strftime("%Y-%m-%d %H:%M") == f"{original['date']} {original['time']}"
        assert meta["shared"] == "false" and "mood" not in meta
        assert path.name.startswith(original["date"])
    # ... and the folder reads back into another vault as the same entries.
    journal = import_formats.read_markdown_folder(folder, local_zone())
    document = import_formats.to_document(journal, datetime(2026, 1, 1, tzinfo=UTC))
    records, _ = fresh_vault.importer.parse(json.dumps(document).encode())
    fresh_vault.importer.import_records(records)
    assert _entries(fresh_vault) == _entries(second)


def test_markdown_front_matter_carries_tags_mood_and_quotes(tmp_path: Path) -> None:
    created = datetime(2026, 1, 5, 21, 15, tzinfo=ZoneInfo("America/New_York"))
    header = markdown.front_matter('Said "rest": ok', created, ["music", "sleep"], 7, "free", True)
    meta, rest = import_formats.split_front_matter(header + "\nThe text.\n")
    assert meta["title"] == 'Said "rest": ok' and meta["mood"] == "7"
    assert meta["date"] == "2026-01-05T21:15:00-05:00" and rest.strip() == "The text."
    entry = import_formats.markdown_entry(header + "\nThe text.\n", "whatever", UTC)
    assert entry is not None and entry.tags == ("music", "sleep") and entry.mood == 7
    assert entry.created_at == created
    assert import_formats.markdown_entry("No date anywhere.", "notes", UTC) is None
    dated = import_formats.markdown_entry("# Title\n\nText", "2026-01-05-0930-title", UTC)
    assert dated is not None and dated.title == "Title" and dated.body == "Text"
    assert dated.created_at == datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_the_markdown_zip_is_encrypted_like_every_export(filled: Services, tmp_path: Path) -> None:
    out = tmp_path / "journal.md.zip"
    result = filled.export.export(ExportRequest(EVERYTHING, ExportFormat.MARKDOWN), out)
    assert result.encrypted and result.passphrase
    plain = tmp_path / "plain.md.zip"
    filled.export.export(
        ExportRequest(EVERYTHING, ExportFormat.MARKDOWN, Protection.plaintext(confirmed=True)),
        plain,
    )
    with zipfile.ZipFile(plain) as archive:
        names = archive.namelist()
        assert names and all(n.startswith("journal/") and n.endswith(".md") for n in names)
        assert archive.read(names[0]).startswith(b"---\ntitle: ")


def test_cli_preview_import_and_markdown_folder(folder_vault: Path, tmp_path: Path) -> None:
    preview = cli("--data-dir", str(folder_vault), "import", str(JRNL), "--preview", env=ENV)
    assert preview.returncode == 0, preview.stderr
    assert "4 journal entries." in preview.stdout and "Nothing was imported" in preview.stdout
    assert "none is marked to share" in preview.stdout
    done = cli("--data-dir", str(folder_vault), "import", str(JRNL), env=ENV)
    assert done.returncode == 0 and "journal_entry 4" in done.stdout
    out = tmp_path / "md"
    refused = cli(
        "--data-dir", str(folder_vault), "export", "--format", "markdown", "--all-entries",
        "--out", f"{out}/", env=ENV,
    )  # fmt: skip
    assert refused.returncode != 0 and "--plaintext" in refused.stderr and not out.exists()
    written = cli(
        "--data-dir", str(folder_vault), "export", "--format", "markdown", "--all-entries",
        "--plaintext", "--out", f"{out}/", env=ENV,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert len(list(out.glob("*.md"))) == 4
    back = cli("--data-dir", str(folder_vault), "import", str(out), env=ENV)
    assert back.returncode == 0 and "nothing new" in back.stdout  # the same entries


@pytest.fixture
def folder_vault(second: Services) -> Path:
    second.vault.lock()
    return second.paths.root


@pytest.fixture
def fresh_vault(tmp_path: Path, fast_kdf: object, manual_clock: object) -> object:
    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import ManualClock
    from companion.paths import DataPaths
    from companion.services.container import build_services

    assert isinstance(fast_kdf, KdfParams) and isinstance(manual_clock, ManualClock)
    paths = DataPaths(tmp_path / "third")
    paths.ensure()
    built = build_services(paths, manual_clock, kdf=fast_kdf)
    built.vault.create(PASSPHRASE)
    yield built
    built.worker.shutdown()
    built.vault.lock()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "title": _JSON | st.text(max_size=30),
        "body": _JSON | st.text(max_size=30),
        "date": st.sampled_from(["2025-11-02", "2025-13-01", "0001-01-01", "9999-12-31", "x"])
        | _JSON,
        "time": st.sampled_from(["08:30", "25:00", "8"]) | _JSON,
        "tags": st.lists(st.text(max_size=10), max_size=3) | _JSON,
        "creationDate": st.sampled_from(
            ["2025-11-04T20:30:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "x"]
        )
        | _JSON,
        "timeZone": st.sampled_from(["Europe/Berlin", "Mars/Base", ""]) | _JSON,
        "text": st.text(max_size=40) | _JSON,
        "uuid": st.text(max_size=12) | _JSON,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=st.sampled_from(["jrnl", "dayone"]),
    entries=st.lists(_ENTRY | _JSON, max_size=4),
)
def test_odd_jrnl_and_day_one_files_are_read_or_refused_plainly(
    shape: str, entries: list[object]
) -> None:
    document = (
        {"tags": {}, "entries": entries}
        if shape == "jrnl"
        else {"metadata": {}, "entries": entries}
    )
    data = json.dumps(document).encode()
    try:
        journal = import_formats.read_foreign(data, UTC)
    except import_formats.ForeignFormatError as refused:
        assert "Nothing in the vault was changed" in str(refused)
        return
    assert journal is not None
    import_formats.to_document(journal, datetime(2026, 1, 1, tzinfo=UTC))
