"""The import's fast paths (issue 16) give exactly what the slow ones gave: the quick schema
pass never lets through what the schema refuses, the JSON nesting scan counts as the character
loop did, the search text, word count and preview are the same as before, and the search index
is written in the import's one transaction."""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.crypto.kdf import KdfParams
from companion.domain import journal
from companion.domain.clock import ManualClock
from companion.domain.journal import text as journal_text
from companion.export import fastcheck
from companion.export.progress import CancelledError, CancelToken
from companion.export.schema import build_schema
from companion.export.tables import KINDS
from companion.fsutil import _skip_string, first_unencodable, nesting_depth
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.services.import_checks import first_schema_error, validator
from tests.support.export import export_bytes, table_counts
from tests.support.vault import PASSPHRASE


@pytest.fixture
def second(tmp_path: Path, fast_kdf: KdfParams, manual_clock: ManualClock) -> Iterator[Services]:
    paths = DataPaths(tmp_path / "second")
    paths.ensure()
    built = build_services(paths, manual_clock, kdf=fast_kdf)
    built.vault.create(PASSPHRASE)
    yield built
    built.worker.shutdown()
    built.vault.lock()


# --- the reference implementations, as they were before issue 16 ----------------------------


def old_json_nesting_depth(text: str, limit: int = 48) -> int:
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == '"':
            i = _skip_string(text, i, False)
            continue
        i += 1
    return deepest


_OLD_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_OLD_LINK = re.compile(r"!?\[([^\[\]\n]{0,500})\]\([^)\n]{0,2000}\)")


def old_clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text)


def old_markdown_to_plain(markdown: str) -> str:
    lines = old_clean_text(markdown).split("\n")
    for n, line in enumerate(lines):
        start = line.lstrip(" \t")[:1]
        if start in journal_text._BLOCK_START and start:
            for block, replacement in journal_text._BLOCK_RULES:
                line = block.sub(replacement, line, count=1) if block.match(line) else line
        lines[n] = line.strip()
    text = "\n".join(lines)
    rules: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
        (_OLD_LINK, r"\1"),
        *[(p, r) for _t, p, r in journal_text._INLINE_RULES[1:]],
    ]
    for inline, keep in rules:
        text = inline.sub(keep, text)
    text = re.sub(r"[ \t]{2,}|\t", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def old_preview(text: str, length: int = 160) -> str:
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + journal.ELLIPSIS


# Markdown-ish text: markup characters, words with joiners, odd spaces, non-ASCII, controls.
PIECES = [
    *"ab xy\n\t*_[]()!#->`~\\'’-0123.+",
    *("**", "__", "](https://e.org)", "\u00a0", "é", "\u2028", "  ", "\n\n\n", "- ", "1. "),
    *("![", "```", "\r", "\r\n", "\x00", "\x02", "\x7f", "\x85", "e\u0301", "\u0301", "[x] "),
]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list('[]{}"\\ab\n:,')), max_size=40).map("".join))
def test_json_nesting_scan_counts_as_the_character_loop_did(text: str) -> None:
    for limit in (2, 48):
        assert nesting_depth(text, "json", limit) == old_json_nesting_depth(text, limit)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN, max_size=6).map("".join))
def test_search_text_word_count_and_preview_are_unchanged(markdown: str) -> None:
    # ASCII text takes other paths (bytes, big integers): the same text without the rest too
    for text in (markdown, markdown.encode("ascii", "ignore").decode("ascii")):
        assert journal.clean_text(text) == old_clean_text(text)
        plain = journal.markdown_to_plain(text)
        assert plain == old_markdown_to_plain(text)
        assert journal.word_count(plain) == len(_OLD_WORD.findall(plain))
        assert journal.word_count(text) == len(_OLD_WORD.findall(text))
    for length in (5, 20, 160):
        assert journal.preview(markdown * 30, length) == old_preview(markdown * 30, length)
        assert journal.preview(plain, length) == old_preview(plain, length)


def test_lone_surrogates_are_still_found_with_their_pointer() -> None:
    assert first_unencodable({"a": ["fine", {"b": "bad \ud800"}]}) == "/a/1/b"
    assert first_unencodable({"k\udfff": 1}) == "/"
    assert first_unencodable({"a": ["fine", "é", "😀"]}) is None


# --- the quick schema pass --------------------------------------------------------------------

ODD_VALUES: list[object] = [
    None, True, False, 0, 1, -1, 1.0, 2.5, 10**7, "", "x", "x" * 301, "bad id!",
    "2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:00.000000Z\n", [], {},
    "abc\n", "free", "reflection",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    field_index=st.integers(min_value=0, max_value=20),
    value=st.sampled_from(ODD_VALUES),
    drop=st.booleans(),
    extra=st.booleans(),
)
def test_quick_pass_never_accepts_what_the_schema_refuses(
    kind: Any, field_index: int, value: Any, drop: bool, extra: bool
) -> None:
    schema = build_schema()
    record = _valid_record(kind)
    name = kind.fields[field_index % len(kind.fields)].name
    if drop:
        record.pop(name)
    else:
        record[name] = value
    if extra:
        record["unexpected"] = 1
    valid = validator().evolve(schema=schema["$defs"][kind.name]).is_valid(record)
    if fastcheck.record_ok(kind.name, record):
        assert valid


def _valid_record(kind: Any) -> dict[str, Any]:
    sample = {
        "id": "abc",
        "text": "words",
        "boolean": False,
        "datetime": "2026-01-01T00:00:00.000000Z",
    }
    record: dict[str, Any] = {}
    for field in kind.fields:
        if field.type == "integer":
            record[field.name] = field.minimum or 0
        elif field.type == "string":
            record[field.name] = field.enum[0] if field.enum else "s"
        else:
            record[field.name] = sample[field.type]
    assert fastcheck.record_ok(kind.name, record), kind.name
    return record


def test_refusals_are_the_schemas_own(filled: Services, tmp_path: Path) -> None:
    """A bad record anywhere gets the full validator's first error, pointer and all."""
    document = json.loads(export_bytes(filled, tmp_path, selection=_whole()))
    assert first_schema_error(document) is None
    changes: tuple[Callable[[dict[str, Any]], object], ...] = (
        lambda d: d["records"]["journal_entry"][3].update(mood=11),
        lambda d: d["records"]["journal_entry"][0].pop("title"),
        lambda d: d["records"]["tag"][0].update(colour="red"),
        lambda d: d.update(version=2),
        lambda d: d["scope"].update(entries="some"),
        lambda d: d["records"].update(unknown=[]),
        lambda d: d["records"]["session"][0].update(id="not an id!"),
    )
    for change in changes:
        bad = copy.deepcopy(document)
        change(bad)
        quick = first_schema_error(bad)
        full = next(iter(validator().iter_errors(bad)), None)
        assert quick is not None and full is not None
        assert (quick.message, list(quick.absolute_path)) == (
            full.message,
            list(full.absolute_path),
        )


def _whole() -> Any:
    from companion.domain.export_selection import Selection

    return Selection.whole_vault()


# --- the index in the import's transaction ----------------------------------------------------


def test_imported_entries_are_findable_at_once_with_their_tags_and_answers(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    data = export_bytes(filled, tmp_path, selection=_whole())
    second.importer.import_bytes(data)
    assert {e.id for e in second.search.list_entries()} == {
        e.id for e in filled.search.list_entries()
    }
    by_id = {e.id: e for e in filled.search.list_entries()}
    for entry in second.search.list_entries():
        assert entry == by_id[entry.id]  # tags, word counts and previews as the source has them
    hits = second.search.search("music")
    assert [h.entry_id for h in hits] == [h.entry_id for h in filled.search.search("music")]


def test_a_tag_added_to_an_existing_entry_is_indexed(filled: Services, tmp_path: Path) -> None:
    entry = filled.search.list_entries()[0]
    document = json.loads(export_bytes(filled, tmp_path, selection=_whole()))
    document["records"]["tag"].append({"id": "newtag0001", "name": "lanternfish"})
    document["records"]["entry_tag"].append({"entry_id": entry.id, "tag_id": "newtag0001"})
    filled.importer.import_bytes(json.dumps(document).encode())
    assert [h.entry_id for h in filled.search.search("lanternfish")] == [entry.id]
    assert "lanternfish" in next(e for e in filled.search.list_entries() if e.id == entry.id).tags


def test_cancelling_while_indexing_leaves_the_vault_unchanged(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    data = export_bytes(filled, tmp_path, selection=_whole())
    before = table_counts(second)
    token = CancelToken()

    def progress(fraction: float, _stage: str) -> None:
        if fraction >= 0.4:  # every record inserted, the index being written
            token.cancel()

    with pytest.raises(CancelledError):
        second.importer.import_bytes(data, progress=progress, cancel=token)
    assert table_counts(second) == before
    assert second.search.list_entries() == []
    assert second.search.search("music") == []
