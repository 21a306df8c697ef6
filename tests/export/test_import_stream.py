"""Import reads a file a record at a time (issue 16): a file far larger than the memory the
import may use goes in without being held; a problem in the last record, or a file changed
between the check and the insert, leaves the vault as it was; an age file still imports."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyrage import x25519
from sqlalchemy import event
from sqlalchemy.engine import Engine

from companion.export import age, jsondoc
from companion.export.schema import FORMAT_NAME, FORMAT_VERSION
from companion.export.tables import KINDS
from companion.fsutil import nesting_depth
from companion.i18n import N_, Text
from companion.services import import_reader, import_sink
from companion.services.container import Services
from companion.services.import_checks import (
    MAX_JSON_NESTING,
    describe_error,
    pointer_of,
    refuse,
    short,
    validator,
)
from companion.services.importer import ImportRefusedError
from tests.support.export import table_counts

NESTED = N_("it is nested more than {MAX_JSON_NESTING} levels deep")
INVALID_AT = N_("it is not valid JSON (line {lineno}, column {colno}: {problem})")
INVALID = N_("it is not valid JSON ({exc})")
NOT_UTF8 = N_("it is not UTF-8 text (is it a Companion JSON export?)")
ENTRIES = 600
BODY = "A quiet evening, the music low, a long walk after the session. " * 40  # ~2.6 kB


def _entry(n: int) -> dict[str, Any]:
    stamp = f"2026-01-{1 + n % 28:02d}T20:00:00.000000Z"
    return {
        "id": f"stream{n:08d}",
        "session_id": None,
        "kind": "free",
        "title": f"Evening {n}",
        "body": f"{BODY}{n}",
        "mood": n % 11,
        "dissociation_body": None,
        "dissociation_surroundings": None,
        "dissociation_time": None,
        "shared_with_provider": False,
        "created_at": stamp,
        "updated_at": stamp,
    }


def _write(path: Path, entries: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
    """A Companion export written as it streams out: one record per line."""
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": "2026-02-01T00:00:00.000000Z",
        "generator": "tests",
        "scope": {"complete": False, "from": None, "to": None, "parts": [], "entries": "all"},
    }
    records: dict[str, list[dict[str, Any]]] = {kind.name: [] for kind in KINDS}
    records["tag"] = [{"id": "tagcalm", "name": "calm"}]
    records["entry_tag"] = links
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(head)[:-1] + ',"records":{"journal_entry":[\n')
        out.write(",\n".join(json.dumps(e) for e in entries))
        out.write("]")
        for name, rows in records.items():
            if name != "journal_entry":
                out.write(f',\n"{name}":' + json.dumps(rows))
        out.write("}}\n")


def test_a_file_larger_than_the_imports_memory_goes_in_without_being_held(
    second: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of 50 records and reads of 64 KiB (500 and 1 MiB in the app), so that a small
    # file holds many of them.
    monkeypatch.setattr(import_sink, "CHUNK", 50)
    monkeypatch.setattr(import_sink, "INDEX_CHUNK", 50)
    monkeypatch.setattr(import_reader, "_READ", 1 << 16)
    warm_up = tmp_path / "small.json"  # statements compiled, validators built: not counted
    first = [_entry(ENTRIES + n) for n in range(60)]  # a whole chunk, and a tag link
    _write(warm_up, first, [{"entry_id": first[0]["id"], "tag_id": "tagcalm"}])
    second.importer.import_file(warm_up)
    source = tmp_path / "big.json"
    entries = [_entry(n) for n in range(ENTRIES)]
    _write(source, entries, [{"entry_id": e["id"], "tag_id": "tagcalm"} for e in entries[::3]])
    del entries
    size = source.stat().st_size
    assert size > 1_500_000
    tracemalloc.start()
    try:
        report = second.importer.import_file(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Holding the file took its bytes, its text and every record's dict: over twice its size.
    assert peak < size / 2, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
    assert report.added["journal_entry"] == ENTRIES and report.added["entry_tag"] == 200
    hits = second.search.search("calm")
    assert len(hits) > 0 and all(h.entry_id.startswith("stream") for h in hits)


def _fts_segments_and_settings(services: Services) -> tuple[int, list[Any]]:
    with services.vault.unit_of_work() as db:
        connection = db.connection()
        # An FTS5 data row's id holds its segment's number from bit 37 up (fts5Int.h).
        segments = connection.exec_driver_sql(
            "SELECT count(DISTINCT id >> 37) FROM journal_fts_data WHERE id >> 37 > 0"
        ).scalar_one()
        settings = connection.exec_driver_sql("SELECT k, v FROM journal_fts_config").all()
        connection.exec_driver_sql(
            "INSERT INTO journal_fts(journal_fts) VALUES ('integrity-check')"
        )
    return int(segments), [tuple(row) for row in settings]


def test_the_import_writes_few_index_segments_and_leaves_fts5_settings_as_they_were(
    second: Services, tmp_path: Path
) -> None:
    _, settings = _fts_segments_and_settings(second)
    source = tmp_path / "words.json"
    # 30,000 different words: more new terms than FTS5's default 1 MiB of pending terms holds,
    # so at that default the index would be written as several segments and then merged.
    entries = [_entry(n) for n in range(60)]
    for n, entry in enumerate(entries):
        entry["body"] = " ".join(f"w{n}x{m}" for m in range(500))
    _write(source, entries, [])
    second.importer.import_file(source)
    segments, after = _fts_segments_and_settings(second)
    assert segments == 1
    assert after == settings  # no 'hashsize' row left behind
    assert [h.entry_id for h in second.search.search("w59x499")] == ["stream00000059"]


def test_a_first_import_looks_up_no_existing_records_and_a_second_adds_nothing(
    second: Services, tmp_path: Path
) -> None:
    source = tmp_path / "first.json"
    entries = [_entry(n) for n in range(20)]
    _write(source, entries, [{"entry_id": e["id"], "tag_id": "tagcalm"} for e in entries[::2]])
    lookups: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("SELECT") and " IN (" in statement:
            lookups.append(statement.split("FROM", 1)[1].split()[0])

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        first = second.importer.import_file(source)
        looked_up_first = sorted(set(lookups))
        lookups.clear()
        again = second.importer.import_file(source)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    kinds = {kind.name for kind in KINDS}
    # the file's tag names only, to merge its tags with the vault's
    assert [name for name in looked_up_first if name in kinds] == ["tag"]
    assert {"entry_tag", "journal_entry", "tag"} <= set(lookups)
    assert first.added["journal_entry"] == 20 and first.added["entry_tag"] == 10
    assert again.total_added == 0 and again.skipped["journal_entry"] == 20


def test_a_bad_record_at_the_very_end_is_refused_and_changes_nothing(
    second: Services, tmp_path: Path
) -> None:
    source = tmp_path / "late.json"
    entries = [_entry(n) for n in range(200)]
    entries[-1]["created_at"] = "2026-02-30T20:00:00.000000Z"  # no such day
    _write(source, entries, [])
    before = table_counts(second)
    with pytest.raises(ImportRefusedError) as caught:
        second.importer.import_file(source)
    assert caught.value.pointer == "/records/journal_entry/199/created_at"
    assert table_counts(second) == before


def test_a_file_changed_between_check_and_insert_is_refused_and_changes_nothing(
    second: Services, tmp_path: Path
) -> None:
    source = tmp_path / "changing.json"
    entries = [_entry(n) for n in range(50)]
    _write(source, entries, [])
    checked = second.importer.check_file(source)
    entries[-1]["created_at"] = "0001-01-01T00:00:00.000000Z"  # never checked
    _write(source, entries, [])
    before = table_counts(second)
    with pytest.raises(ImportRefusedError, match="changed while it was being imported"):
        second.importer.import_checked(checked)
    assert table_counts(second) == before


def test_an_age_file_still_imports_from_its_path(second: Services, tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    _write(plain, [_entry(n) for n in range(20)], [])
    identity = x25519.Identity.generate()
    sealed = tmp_path / "sealed.json.age"
    sealed.write_bytes(age.encrypt_to_recipients(plain.read_bytes(), [str(identity.to_public())]))
    report = second.importer.import_file(sealed, identity_text=str(identity))
    assert report.encrypted and report.added["journal_entry"] == 20


def _whole_text_refusal(text: str) -> str | None:
    """The refusal the importer gave when it decoded, scanned and parsed the whole text."""

    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({k for k, _ in pairs}) < len(pairs):
            key = next(k for n, (k, _) in enumerate(pairs) if k in dict(pairs[:n]))
            raise ValueError(f"the field {short(key)} appears twice in one object")
        return dict(pairs)

    if nesting_depth(text, "json") > MAX_JSON_NESTING:
        error = refuse(Text(NESTED, {"MAX_JSON_NESTING": MAX_JSON_NESTING}))
        return str(error)
    try:
        json.loads(text, parse_constant=no_constants, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as exc:
        problem = "it ends too early (truncated)" if exc.pos >= len(text.rstrip()) else exc.msg
        args = {"lineno": exc.lineno, "colno": exc.colno, "problem": problem}
        return str(refuse(Text(INVALID_AT, args)))
    except ValueError as exc:
        return str(refuse(Text(INVALID, {"exc": exc})))
    return None


SAMPLE = (
    '{"format": "companion-export", "version": 1,\n"records": {"tag": [\n'
    '{"id": "a1", "name": "calm"},\n{"id": "b2", "name": "[x]"}],\n'
    '"entry_tag": [{"entry_id": "e", "tag_id": "a1"}]},\n"scope": {"parts": [[1], {}]}}\n'
)
SAMPLES = (
    SAMPLE,
    SAMPLE.replace('"version": 1', '"version": 1, "version": 1'),  # a head field twice
    SAMPLE.replace('"name": "calm"', '"name": "calm", "name": "calm"'),  # in a record
    SAMPLE.replace('"tag": [', '"tag": [], "tag": ['),  # a kind twice
    SAMPLE.replace("[[1], {}]", "[" * 40 + "]" * 40),  # deeper than 32 levels
)


@settings(max_examples=120, deadline=None)
@given(
    sample=st.sampled_from(SAMPLES),
    cuts=st.lists(
        st.tuples(st.integers(0, len(SAMPLE)), st.sampled_from(["", *'{}[],:"\\ \n1aN'])),
        max_size=3,
    ),
    broken=st.booleans(),
    pieces=st.sampled_from([7, 64, 1 << 20]),
)
def test_the_reader_refuses_exactly_as_the_whole_text_parse_did(
    sample: str, cuts: list[tuple[int, str]], broken: bool, pieces: int
) -> None:
    """Same refusal, same words, same line and column, whatever the pieces the file is read
    in; invalid UTF-8 anywhere (a lone 0xff byte) still comes first."""
    text = sample
    for where, put in cuts:  # replace one character (or drop it)
        text = text[:where] + put + text[where + 1 :]
    data = text.encode()
    if broken:
        data = data[: len(data) // 2] + b"\xff" + data[len(data) // 2 :]
    reader = import_reader.ExportReader(io.BytesIO(data))
    with patch.object(import_reader, "_READ", pieces):
        try:
            list(reader.events())
            found = None
        except ImportRefusedError as exc:
            found = str(exc)
    expected = str(refuse(Text(NOT_UTF8))) if broken else _whole_text_refusal(text)
    assert found == expected


def _document(entries: int) -> dict[str, Any]:
    records: dict[str, Any] = {kind.name: [] for kind in KINDS}
    records["journal_entry"] = [_entry(n) for n in range(entries)]
    records["tag"] = [{"id": "tagcalm", "name": "calm"}]
    records["entry_tag"] = [{"entry_id": "stream00000001", "tag_id": "tagcalm"}]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": "2026-02-01T00:00:00.000000Z",
        "generator": "tests",
        "scope": {"complete": False, "from": None, "to": None, "parts": [], "entries": "all"},
        "records": records,
    }


SCHEMA_CHANGES: tuple[Callable[[dict[str, Any]], object], ...] = (
    lambda d: d["records"]["journal_entry"][3].update(mood=11),
    lambda d: d["records"]["journal_entry"][0].pop("title"),
    lambda d: d["records"]["tag"][0].update(colour="red"),
    lambda d: d.update(version=2),
    lambda d: d["scope"].update(entries="some"),
    lambda d: d["records"].update(unknown=[]),
    lambda d: d["records"].pop("draft"),
    lambda d: d["records"]["journal_entry"][4].update(id="not an id!", mood=11),
    lambda d: d["records"].update(tag="x") or d["records"]["journal_entry"][2].pop("body"),
    lambda d: d["records"].update(entry_tag="x") or d["records"]["journal_entry"][2].pop("body"),
    lambda d: (
        d["records"]["journal_entry"][1].update(created_at="2026-02-30T20:00:00.000000Z")
        or d["records"]["journal_entry"][4].update(mood=-1)
    ),
)


def test_schema_refusals_are_the_validators_first_error_over_the_whole_document(
    second: Services,
) -> None:
    """Records checked one at a time still give the refusal the full validator gave the
    whole document: the same words at the same pointer, whichever record comes first."""
    for change in SCHEMA_CHANGES:
        document = _document(6)
        change(document)
        error = next(iter(validator().iter_errors(document)))
        expected = refuse(describe_error(error), pointer_of(error.absolute_path))
        with pytest.raises(ImportRefusedError) as caught:
            second.importer.parse(json.dumps(document).encode())
        assert (str(caught.value), caught.value.pointer) == (str(expected), expected.pointer)


@given(
    st.tuples(
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
        st.integers(0, 999_999),
    )
)
def test_export_times_parse_as_strptime_did(parts: tuple[int, ...]) -> None:
    """``fromisoformat`` on the schema's form: the same time, the same refusal of a day or an
    hour that does not exist."""
    text = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:06d}Z".format(*parts)
    try:
        expected: datetime | None = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        expected = None
    try:
        found: datetime | None = jsondoc.parse_datetime(text)
    except ValueError:
        found = None
    assert found == (expected.replace(tzinfo=UTC) if expected else None)
