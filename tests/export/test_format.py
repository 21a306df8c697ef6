"""The export format: its declared kinds match the database, the schema in docs/ is current,
and the selection rules decide what leaves."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.types import TypeDecorator

from companion.domain.export_selection import EntryChoice, Part, Selection, parse_parts
from companion.export.schema import build_schema, schema_text
from companion.export.tables import KINDS
from companion.storage.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_and_column_is_in_the_format() -> None:
    tables = {
        name: table for name, table in Base.metadata.tables.items() if not name.startswith("_")
    }
    assert {k.name for k in KINDS} == set(tables)
    for kind in KINDS:
        table = tables[kind.name]
        assert kind.field_names == tuple(c.name for c in table.columns), kind.name
        assert kind.primary_key == tuple(c.name for c in table.primary_key.columns), kind.name
        for field in kind.fields:
            column = table.c[field.name]
            assert field.nullable == bool(column.nullable), (kind.name, field.name)
            expected = {
                "id": String,
                "string": String,
                "text": Text,
                "integer": Integer,
                "boolean": Boolean,
                "datetime": DateTime,
            }[field.type]
            impl = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
            assert isinstance(impl, expected), (kind.name, field.name, column.type)
            if field.type in ("id", "string") and not field.enum:
                assert isinstance(impl, String), (kind.name, field.name)
                assert field.max_length == impl.length, (kind.name, field.name)
            refs = {fk.column.table.name for fk in column.foreign_keys}
            assert refs == ({field.references} if field.references else set())


def test_docs_schema_is_the_generated_one() -> None:
    Draft202012Validator.check_schema(build_schema())
    assert (ROOT / "docs" / "export-schema.json").read_text(encoding="utf-8") == schema_text()


def test_docs_describe_every_kind() -> None:
    doc = (ROOT / "docs" / "export-format.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"`{kind.name}`" in doc, kind.name


# --- selection ------------------------------------------------------------------------------

AT = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_entries_are_private_by_default() -> None:
    selection = Selection()
    assert selection.includes_entry("a", shared=True, created_at=AT)
    assert not selection.includes_entry("b", shared=False, created_at=AT)
    assert not selection.may_include_private_entries


def test_picked_entries_leave_whatever_their_date_or_flag() -> None:
    selection = Selection(
        start=date(2026, 1, 1),
        end=date(2026, 1, 31),
        entries=EntryChoice.PICKED,
        picked=frozenset({"a"}),
    )
    assert selection.includes_entry("a", shared=False, created_at=AT)
    assert not selection.includes_entry("b", shared=True, created_at=AT)
    assert selection.may_include_private_entries


def test_the_range_is_local_days_with_both_ends_included() -> None:
    zone = timezone(timedelta(hours=-5))
    selection = Selection(start=date(2026, 3, 1), end=date(2026, 3, 10), zone=zone)
    low, high = selection.bounds()
    assert low == datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
    assert high == datetime(2026, 3, 11, 5, 0, tzinfo=UTC)
    assert selection.in_range(datetime(2026, 3, 11, 4, 59, tzinfo=UTC))
    assert not selection.in_range(datetime(2026, 3, 11, 5, 0, tzinfo=UTC))
    assert not selection.in_range(datetime(2026, 3, 1, 4, 59, tzinfo=UTC))


def test_parts_and_problems() -> None:
    assert not Selection(parts=frozenset({Part.VITALS})).wants(Part.ENTRIES)
    assert Selection.whole_vault().wants(Part.ENTRIES)
    assert "range" in Selection(start=date(2026, 2, 1), end=date(2026, 1, 1)).problems()
    assert "parts" in Selection(parts=frozenset()).problems()
    assert "entries" in Selection(entries=EntryChoice.PICKED).problems()
    assert parse_parts(["sessions", " Vitals ", ""]) == {Part.SESSIONS, Part.VITALS}
    with pytest.raises(ValueError, match="unknown part"):
        parse_parts(["diary"])
    described = Selection(start=date(2026, 1, 1)).describe()
    assert json.loads(json.dumps(described))["from"] == "2026-01-01"
