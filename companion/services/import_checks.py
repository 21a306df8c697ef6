"""The import's checks that need no vault: the refusal and its wording, the limits, the JSON
Schema's first complaint in plain words, dates and numbers the app can hold. The JSON is read
by ``import_reader`` and every record checked by ``import_scan``, in the order
``companion.services.importer`` documents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from companion.errors import CompanionError
from companion.export import fastcheck
from companion.export.schema import FORMAT_VERSION, build_schema
from companion.export.tables import Kind
from companion.fsutil import first_unencodable
from companion.i18n import N_, Text, format_list

MAX_JSON_NESTING = 32  # the export format nests 4 levels; anything far deeper is hostile
DATE_MIN, DATE_MAX = 1900, 2199  # the years every date calculation in the app handles
MAX_SAFE_INT = 2**53


class ImportRefusedError(CompanionError):
    """The file was not imported; ``str()`` names the first problem. The vault is unchanged."""

    message = N_("The file could not be imported. Nothing in the vault was changed.")
    vault_unchanged = True

    def __init__(
        self, message: str | None = None, pointer: str | None = None, **params: object
    ) -> None:
        self.pointer = pointer
        super().__init__(message)
        self.params = {"pointer": pointer, **params}


def refuse(problem: Text, pointer: str | None = None) -> ImportRefusedError:
    """``problem`` is a clause ("it is not valid JSON"); ``pointer`` where in the file."""
    if pointer is None:
        return ImportRefusedError(
            N_("The file was not imported: {problem}. Nothing in the vault was changed."),
            problem=problem,
        )
    return ImportRefusedError(
        N_("The file was not imported at {pointer}: {problem}. Nothing in the vault was changed."),
        pointer,
        problem=problem,
    )


@cache
def validator() -> Draft202012Validator:
    # The schema itself is checked against the metaschema by tests/export/test_format.py;
    # doing it here cost ~0.3 s on every import.
    return Draft202012Validator(build_schema())


def first_schema_error(document: Any) -> ValidationError | None:
    """The schema's first complaint about ``document``, or None. The records go through
    ``fastcheck`` (a quick pass that only ever says "surely valid"); the full validator then
    checks what is left, or the whole document when any record was in doubt, so a refusal and
    its wording are always the validator's."""
    head = fastcheck.shell(document)
    if head is not document and fastcheck.records_ok(document["records"]):
        document = head
    return next(iter(validator().iter_errors(document)), None)


def pointer_of(path: Iterable[object]) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else "/"


def short(name: object) -> str:
    text = str(name)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def describe_error(error: ValidationError) -> Text:
    """The problem in plain words, without quoting the offending value (it may be private)."""
    keyword = error.validator
    expected = error.validator_value
    if keyword == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return Text(N_("expected {kinds}"), {"kinds": format_list([str(k) for k in kinds], "or")})
    if keyword == "required":
        missing = [
            m for m in expected if isinstance(error.instance, dict) and m not in error.instance
        ]
        return Text(
            N_("the field {value} is missing"), {"value": short(missing[0]) if missing else ""}
        )
    if keyword == "additionalProperties":
        extra = sorted(
            str(k)
            for k in (error.instance if isinstance(error.instance, dict) else {})
            if k not in (error.schema.get("properties") or {})
        )
        return Text(N_("unexpected field {value}"), {"value": short(extra[0]) if extra else ""})
    if keyword == "const":
        if list(error.absolute_path) == ["version"]:
            return Text(
                N_("this is format version {found}, and this Companion reads version {version}"),
                {"found": short(error.instance), "version": FORMAT_VERSION},
            )
        return Text(N_("expected {dumps}"), {"dumps": json.dumps(expected)})
    if keyword == "enum":
        return Text(
            N_("must be one of {values}"),
            {"values": format_list([json.dumps(v) for v in expected], "or")},
        )
    if keyword == "maxLength":
        return Text(N_("is longer than {expected} characters"), {"expected": expected})
    if keyword == "minimum":
        return Text(N_("must be at least {expected}"), {"expected": expected})
    if keyword == "maximum":
        return Text(N_("must be at most {expected}"), {"expected": expected})
    if keyword == "pattern":
        return Text(N_("does not have the expected form"))
    if keyword == "uniqueItems":
        return Text(N_("lists the same value twice"))
    return Text(N_("fails the rule {keyword!r}"), {"keyword": keyword})


def range_error(
    kind: Kind, index: int, row: Mapping[str, Any], text: bool = True
) -> ImportRefusedError | None:
    """Values the schema lets through but the app could not handle later: dates outside
    1900-2199 (year 1 breaks every date sum), integers beyond what SQLite stores exactly, and
    (``text``: unless already checked) lone surrogates. The record's first problem, or None."""
    for name, value in row.items():
        where = f"/records/{kind.name}/{index}/{name}"
        if isinstance(value, datetime):
            if not (DATE_MIN <= value.year <= DATE_MAX):
                return refuse(
                    Text(
                        N_("the date is outside the years {DATE_MIN} to {DATE_MAX}"),
                        {"DATE_MIN": DATE_MIN, "DATE_MAX": DATE_MAX},
                    ),
                    where,
                )
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not (-MAX_SAFE_INT <= value <= MAX_SAFE_INT)
        ):
            return refuse(Text(N_("the number is far too large")), where)
    bad = first_unencodable(dict(row), f"/records/{kind.name}/{index}") if text else None
    if bad is not None:
        return refuse(Text(N_("the text holds a broken character (a lone UTF-16 surrogate)")), bad)
    return None


def record_key(kind: Kind, row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in kind.primary_key)
