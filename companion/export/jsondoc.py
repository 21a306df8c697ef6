"""The JSON export format: records in, UTF-8 bytes out, and back (see docs/export-format.md).

The file is deterministic for the same records: kinds in ``tables.KINDS`` order, records sorted
by their primary key, fields in declared order, one record per line. Times are UTC with
microseconds (``2026-03-01T18:30:00.000000Z``), exactly as stored, so export -> import ->
export gives the same records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from companion.export.schema import FORMAT_NAME, FORMAT_VERSION
from companion.export.tables import KINDS, Kind
from companion.i18n import N_, Text

Record = Mapping[str, Any]
Records = Mapping[str, Sequence[Record]]

_DATETIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_DATETIME_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


class DocumentError(ValueError):
    """A value the schema lets through but that is still wrong (e.g. 31 February)."""

    def __init__(self, pointer: str, problem: Text) -> None:
        super().__init__(f"{pointer}: {problem.msgid}")
        self.pointer = pointer
        self.problem = problem


def format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not exported")
    return value.astimezone(UTC).strftime(_DATETIME)


def parse_datetime(text: str) -> datetime:
    """The export's UTC time (``2026-03-01T18:30:00.000000Z``); ValueError for any other form
    or a day that does not exist. ``fromisoformat`` once the form is checked: ``strptime``
    took ~0.5 s per 10,000 entries (issue 16)."""
    if _DATETIME_FORM.fullmatch(text) is None:
        raise ValueError(f"not an export time: {text!r}")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def sort_key(kind: Kind) -> Callable[[Record], tuple[Any, ...]]:
    names = kind.primary_key
    return lambda record: tuple(record[n] for n in names)


def record_to_json(kind: Kind, record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in kind.fields:
        value = record[field.name]
        if field.type == "datetime" and value is not None:
            value = format_datetime(value)
        elif field.type == "boolean" and value is not None:
            value = bool(value)
        out[field.name] = value
    return out


def dumps(
    records: Records,
    scope: Mapping[str, object],
    exported_at: datetime,
    generator: str,
    check: Callable[[], None] | None = None,
) -> bytes:
    """The whole document. ``check`` is called between kinds (cancellation)."""
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": format_datetime(exported_at),
        "generator": generator,
        "scope": dict(scope),
    }
    compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    parts = [compact(head)[:-1], ',\n"records":{\n']
    for index, kind in enumerate(KINDS):
        if check is not None:
            check()
        rows = sorted(records.get(kind.name, ()), key=sort_key(kind))
        lines = ",\n".join(compact(record_to_json(kind, r)) for r in rows)
        parts.append(f'"{kind.name}":[\n{lines}\n]' if rows else f'"{kind.name}":[]')
        parts.append(",\n" if index < len(KINDS) - 1 else "\n")
    parts.append("}}\n")
    return "".join(parts).encode("utf-8")


def records_from_document(document: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Typed records (aware datetimes, ints) from a document that passed the schema."""
    raw = document["records"]
    return {
        kind.name: [typed_record(kind, index, item) for index, item in enumerate(raw[kind.name])]
        for kind in KINDS
    }


def typed_record(kind: Kind, index: int, item: Mapping[str, Any]) -> dict[str, Any]:
    """One record that passed the schema, typed; ``index`` is its place, for the pointer."""
    row: dict[str, Any] = {}
    for field in kind.fields:
        value = item.get(field.name, field.default)  # added later: may be missing
        if value is not None:
            if field.type == "datetime":
                try:
                    value = parse_datetime(value)
                except ValueError:
                    raise DocumentError(
                        f"/records/{kind.name}/{index}/{field.name}",
                        Text(N_("is not a real date and time")),
                    ) from None
            elif field.type == "integer":
                value = int(value)
        row[field.name] = value
    return row


def count_records(records: Records) -> dict[str, int]:
    return {kind.name: len(records.get(kind.name, ())) for kind in KINDS}
