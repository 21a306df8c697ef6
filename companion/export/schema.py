"""The JSON Schema (draft 2020-12) of the export format, built from ``tables.KINDS``.

``docs/export-schema.json`` is this schema written out (``python -m companion.export.schema``);
a test keeps the two identical. The importer validates every file against it before anything
else happens.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from companion.domain.export_selection import EntryChoice, Part
from companion.export.tables import KINDS, Field

FORMAT_NAME = "companion-export"
FORMAT_VERSION = 1
SCHEMA_ID = "urn:companion:export-format:1"
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
INT_MIN = 0
INT_MAX = 1_000_000  # every count and number in the vault is well inside this
MAX_TEXT = 1_000_000  # characters in one text field (a very long entry is ~100,000)


def _field_schema(field: Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if field.type == "id":
        schema = {"type": "string", "pattern": ID_PATTERN}
    elif field.type == "string":
        schema = {"type": "string", "maxLength": field.max_length}
        if field.enum:
            schema = {"type": "string", "enum": list(field.enum)}
    elif field.type == "text":
        schema = {"type": "string", "maxLength": MAX_TEXT}
    elif field.type == "integer":
        schema = {
            "type": "integer",
            "minimum": INT_MIN if field.minimum is None else field.minimum,
            "maximum": INT_MAX if field.maximum is None else field.maximum,
        }
    elif field.type == "boolean":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}
    if field.nullable:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def build_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for kind in KINDS:
        defs[kind.name] = {
            "description": kind.title,
            "type": "object",
            "required": [f.name for f in kind.fields if f.default is None],
            "additionalProperties": False,
            "properties": {f.name: _field_schema(f) for f in kind.fields},
        }
    date_or_null = {"type": ["string", "null"], "pattern": DATE_PATTERN}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Companion export",
        "description": (
            "A Companion vault, or the part of it the patient chose, as plain JSON. Every "
            "record keeps its stable id, so importing a file twice adds nothing the second time."
        ),
        "type": "object",
        "required": ["format", "version", "exported_at", "generator", "scope", "records"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT_NAME},
            "version": {"const": FORMAT_VERSION},
            "exported_at": {"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN},
            "generator": {"type": "string", "maxLength": 100},
            "scope": {
                "type": "object",
                "required": ["complete", "from", "to", "parts", "entries"],
                "additionalProperties": False,
                "properties": {
                    "complete": {"type": "boolean"},
                    "from": date_or_null,
                    "to": date_or_null,
                    "parts": {
                        "type": "array",
                        "uniqueItems": True,
                        "items": {"enum": sorted(p.value for p in Part)},
                    },
                    "entries": {"enum": [c.value for c in EntryChoice]},
                },
            },
            "records": {
                "type": "object",
                "required": [k.name for k in KINDS],
                "additionalProperties": False,
                "properties": {
                    k.name: {"type": "array", "items": {"$ref": f"#/$defs/{k.name}"}} for k in KINDS
                },
            },
        },
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - writes docs/export-schema.json
    sys.stdout.write(schema_text())
