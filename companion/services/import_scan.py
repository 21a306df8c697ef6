"""The import's first pass: every record checked, one at a time, keeping only what the second
pass and the preview need (ids and keys, the references still to find in the vault, tag names,
which entries have tags or answers, the preview's dates and first titles).

The refusal is the one the whole-file checks gave: the first problem of the earliest stage
(broken text, then the schema, then real dates, then ranges, then records twice), and within a
stage the first record in ``tables.KINDS`` order, as the validator walks the document. The file
is always read to its end before a record-level problem is reported, so a syntax error further
on still wins, as it did when the whole text was parsed first.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from companion.export import fastcheck
from companion.export.jsondoc import DocumentError, typed_record
from companion.export.tables import KINDS, Kind
from companion.fsutil import first_unencodable
from companion.i18n import N_, Text
from companion.services.import_checks import (
    ImportRefusedError,
    describe_error,
    pointer_of,
    range_error,
    record_key,
    refuse,
    validator,
)

_KIND = {kind.name: kind for kind in KINDS}
_ORDER = {kind.name: n for n, kind in enumerate(KINDS)}
# Stages, earliest first: which refusal wins when a file has several problems.
TEXT, SCHEMA, DATES, RANGES, TWICE, TAG_NAMES, CHECKLIST = range(7)
PREVIEW_TITLES = 8
_BROKEN = N_("the text holds a broken character (a lone UTF-16 surrogate)")

Where = tuple[int, int, str]  # kind's place in KINDS, record index, field


@cache
def _record_validator(kind: str) -> Draft202012Validator:
    """The full schema's rules for one record: the same errors, paths relative to it."""
    return validator().evolve(
        schema={"$ref": f"#/$defs/{kind}", "$defs": validator().schema["$defs"]}
    )


@dataclass
class Survey:
    """What the first pass keeps of a checked file."""

    counts: dict[str, int] = field(default_factory=lambda: {k.name: 0 for k in KINDS})
    keys: dict[str, set[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(set))
    references: dict[str, dict[str, Where]] = field(default_factory=lambda: defaultdict(dict))
    tag_names: dict[str, str] = field(default_factory=dict)  # the file's tag id -> name
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    answered: set[str] = field(default_factory=set)  # entries with answers in the file
    first: list[_Late] = field(default_factory=list)  # the earliest entries' titles
    earliest: datetime | None = None
    latest: datetime | None = None
    shared: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def wanted(self) -> dict[str, dict[str, Where]]:
        """References to records that are not in the file: they must be in the vault."""
        out: dict[str, dict[str, Where]] = {}
        for target, values in self.references.items():
            ids = {key[0] for key in self.keys.get(target, ())}
            missing = {v: w for v, w in values.items() if v not in ids}
            if missing:
                out[target] = missing
        return out


def pointer(where: Where) -> str:
    return f"/records/{KINDS[where[0]].name}/{where[1]}" + (f"/{where[2]}" if where[2] else "")


class Scanner:
    """Feed it the reader's events (or a document's, ``document_events``); ``finish`` gives
    the survey or raises the refusal. ``keep`` also keeps the typed records (small files)."""

    def __init__(self, keep: bool = False) -> None:
        self.survey = Survey()
        self.head: dict[str, Any] = {}
        self.lists: dict[str, Any] = {}  # records.<kind>: [] when a list, else the value
        self.kept: dict[str, list[dict[str, Any]]] | None = (
            {k.name: [] for k in KINDS} if keep else None
        )
        self._problems: dict[int, tuple[tuple[int, ...], ImportRefusedError]] = {}
        self._index: dict[str, int] = defaultdict(int)
        self._seen = 0
        self._tag_names: set[str] = set()
        self._pairs: set[tuple[str, str]] = set()
        self._records = False  # the records object was there (its lists are in ``lists``)

    def _note(self, stage: int, order: tuple[int, ...], error: ImportRefusedError) -> None:
        if stage not in self._problems or order < self._problems[stage][0]:
            self._problems[stage] = (order, error)

    def feed(self, events: Iterable[tuple[str, str, Any]]) -> None:
        for event, name, value in events:
            if event == "record":
                index = self._index[name]
                self._index[name] += 1
                self.record(name, index, value)
            elif event == "records":
                self._records = True
            elif event == "array":
                self.lists[name] = []
                self._text({"records": {name: None}})
            elif event == "kind":
                self.lists[name] = value
                self._text({"records": {name: value}})
            elif event == "member":
                self.head[name] = value
                self._text({name: value})
            else:
                self.head = value
                self._text(value)

    def _text(self, value: Any, where: str = "") -> bool:
        bad = first_unencodable(value, where)
        if bad is not None:
            self._seen += 1
            self._note(
                TEXT,
                (self._seen,),
                refuse(Text(_BROKEN), bad),
            )
        return bad is None

    def record(self, kind: str, index: int, raw: Any) -> None:
        if not self._text(raw, f"/records/{kind}/{index}") or kind not in _KIND:
            return  # an unknown kind: the schema refuses the records object itself
        order = (_ORDER[kind], index)
        if not fastcheck.record_ok(kind, raw):
            error = next(iter(_record_validator(kind).iter_errors(raw)), None)
            if error is not None:
                where = pointer_of(["records", kind, index, *error.absolute_path])
                self._note(SCHEMA, order, refuse(describe_error(error), where))
                return
        try:
            row = typed_record(_KIND[kind], index, raw)
        except DocumentError as exc:
            self._note(DATES, order, refuse(exc.problem, exc.pointer))
            return
        self.add(_KIND[kind], index, row, text=False)  # its text was checked above

    def add(self, kind: Kind, index: int, row: dict[str, Any], text: bool = True) -> None:
        """One typed record: ranges, records twice, and what the survey keeps."""
        order = (_ORDER[kind.name], index)
        error = range_error(kind, index, row, text)
        if error is not None:
            self._note(RANGES, order, error)
            return
        survey = self.survey
        key = record_key(kind, row)
        if key in survey.keys[kind.name]:
            self._note(
                TWICE,
                order,
                refuse(
                    Text(N_("this record's id appears twice in the file")),
                    f"/records/{kind.name}/{index}",
                ),
            )
        survey.keys[kind.name].add(key)
        survey.counts[kind.name] += 1
        for ref in kind.references:
            value = row[ref.name]
            if value is not None:
                assert ref.references is not None
                known = survey.references[ref.references]
                where = (order[0], index, ref.name)
                if value not in known or where < known[value]:
                    known[value] = where
        self._remember(kind.name, index, row)
        if self.kept is not None:
            self.kept[kind.name].append(row)

    def _remember(self, kind: str, index: int, row: dict[str, Any]) -> None:
        survey = self.survey
        if kind == "tag":
            if row["name"] in self._tag_names:
                self._note(
                    TAG_NAMES,
                    (index,),
                    refuse(Text(N_("two tags have the same name")), f"/records/tag/{index}/name"),
                )
            self._tag_names.add(row["name"])
            survey.tag_names[row["id"]] = row["name"]
        elif kind == "checklist_answer":
            pair = (row["session_id"], row["item_id"])
            if pair in self._pairs:
                self._note(
                    CHECKLIST,
                    (index,),
                    refuse(
                        Text(N_("the same checklist item is answered twice for one session")),
                        f"/records/checklist_answer/{index}",
                    ),
                )
            self._pairs.add(pair)
        elif kind == "entry_tag":
            survey.links[row["entry_id"]].append(row["tag_id"])
        elif kind == "journal_answer":
            survey.answered.add(row["entry_id"])
        elif kind == "journal_entry":
            created = row["created_at"]
            item = (created, index, row["title"])
            if len(survey.first) < PREVIEW_TITLES:
                heapq.heappush(survey.first, _Late(item))
            elif item < survey.first[0].item:
                heapq.heapreplace(survey.first, _Late(item))
            if survey.earliest is None or created < survey.earliest:
                survey.earliest = created
            if survey.latest is None or created >= survey.latest:
                survey.latest = created
            survey.shared += bool(row["shared_with_provider"])

    def finish(self, shell: bool = True) -> Survey:
        """The survey, or the refusal for the file's first problem."""
        shell_error = self._shell_error() if shell else None
        if shell_error is not None:
            self._note(SCHEMA, shell_error[0], shell_error[1])
        for stage in sorted(self._problems):
            raise self._problems[stage][1]
        return self.survey

    def _shell_error(self) -> tuple[tuple[int, ...], ImportRefusedError] | None:
        """The schema's first complaint about everything but the listed records."""
        document = self.head
        if self._records and isinstance(document, dict):
            document = {**document, "records": dict(self.lists)}
        error = next(iter(validator().iter_errors(document)), None)
        if error is None:
            return None
        path = list(error.absolute_path)
        order: tuple[int, ...] = (-1,)
        if len(path) >= 2 and path[0] == "records" and path[1] in _ORDER:
            order = (_ORDER[str(path[1])], -1)  # before that kind's records, after others'
        return order, refuse(describe_error(error), pointer_of(path))

    def titles(self) -> list[tuple[datetime, str]]:
        return [
            (late.item[0], late.item[2])
            for late in sorted(self.survey.first, key=lambda late: late.item)
        ]


class _Late:
    """A heap item that puts the latest entry on top (so the earliest eight are kept)."""

    __slots__ = ("item",)

    def __init__(self, item: tuple[datetime, int, str]) -> None:
        self.item = item

    def __lt__(self, other: _Late) -> bool:
        return self.item > other.item


def document_events(document: Any) -> Iterator[tuple[str, str, Any]]:
    """The reader's events for a document already in memory (another journal's, converted)."""
    if not isinstance(document, dict):
        yield ("document", "", document)
        return
    for name, value in document.items():
        if name != "records" or not isinstance(value, dict):
            yield ("member", name, value)
            continue
        yield ("records", "", None)
        for kind, rows in value.items():
            if isinstance(rows, list):
                yield ("array", kind, None)
                for row in rows:
                    yield ("record", kind, row)
            else:
                yield ("kind", kind, rows)


def scan_records(records: Mapping[str, Sequence[Mapping[str, Any]]]) -> Survey:
    """The survey of records already typed (another importer's): ranges, records twice."""
    scanner = Scanner()
    for kind in KINDS:
        for index, row in enumerate(records.get(kind.name, ())):
            scanner.add(kind, index, dict(row))
    return scanner.finish(shell=False)
