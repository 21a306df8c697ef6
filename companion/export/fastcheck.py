"""A quick pass of the export schema over a document's records, for the importer.

The JSON Schema (``schema.py``) checked by ``jsonschema``'s pure-Python validator costs about
2 s for a 10,000-entry file (issue 16). Every record kind is a flat object of simple fields, so
this module turns ``tables.KINDS`` into one small check per field and runs those instead.

It is only ever a shortcut to "valid": ``record_ok`` returns True only for a record the schema
accepts (an integer written as ``1.0``, which the schema accepts too, gets False: "not sure").
The importer runs the full validator whenever any check here says False, so the refusal and its
wording are exactly the schema's. ``tests/export/test_fastcheck.py`` holds the two together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from companion.export.schema import (
    DATETIME_PATTERN,
    ID_PATTERN,
    INT_MAX,
    INT_MIN,
    MAX_TEXT,
)
from companion.export.tables import KINDS, Field

Check = Callable[[Any], bool]


def _field_check(field: Field) -> Check:
    check: Check
    if field.type in ("id", "datetime"):
        # The schema's patterns, searched the way jsonschema does (re.search).
        search = re.compile(ID_PATTERN if field.type == "id" else DATETIME_PATTERN).search

        def check(v: Any) -> bool:
            return type(v) is str and search(v) is not None

    elif field.type == "string" and field.enum:
        allowed = frozenset(field.enum)

        def check(v: Any) -> bool:
            return type(v) is str and v in allowed

    elif field.type in ("string", "text"):
        longest = MAX_TEXT if field.type == "text" else field.max_length
        assert longest is not None

        def check(v: Any) -> bool:
            return type(v) is str and len(v) <= longest

    elif field.type == "integer":
        low = INT_MIN if field.minimum is None else field.minimum
        high = INT_MAX if field.maximum is None else field.maximum

        def check(v: Any) -> bool:
            return type(v) is int and low <= v <= high

    elif field.type == "boolean":

        def check(v: Any) -> bool:
            return type(v) is bool

    else:  # pragma: no cover - tables.FieldType has no other value
        raise ValueError(f"unknown field type {field.type}")
    if not field.nullable:
        return check
    inner = check
    return lambda v: v is None or inner(v)


@cache
def _kind_checks() -> dict[
    str, tuple[frozenset[str], frozenset[str], tuple[tuple[str, Check], ...]]
]:
    return {
        kind.name: (
            frozenset(f.name for f in kind.fields),
            frozenset(f.name for f in kind.fields if f.default is None),
            tuple((f.name, _field_check(f)) for f in kind.fields),
        )
        for kind in KINDS
    }


def record_ok(kind: str, record: Any) -> bool:
    """True when the schema surely accepts ``record`` as a record of ``kind``."""
    checks = _kind_checks().get(kind)
    if checks is None or type(record) is not dict:
        return False
    allowed, required, fields = checks
    keys = record.keys()
    if not (required <= keys and keys <= allowed):
        return False
    return all(check(record[name]) for name, check in fields if name in record)


def shell(document: Any) -> Any:
    """The document with every record list emptied: what the full validator still checks
    when the records passed ``record_ok`` (the head, the scope, the record lists' names)."""
    if type(document) is not dict:
        return document
    records = document.get("records")
    if type(records) is not dict or not all(type(v) is list for v in records.values()):
        return document
    return {**document, "records": {name: [] for name in records}}


def records_ok(records: Mapping[str, Any]) -> bool:
    return all(
        type(rows) is list and all(record_ok(name, r) for r in rows)
        for name, rows in records.items()
    )
