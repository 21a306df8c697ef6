"""Thousands of malformed JSON documents and mutated age files thrown at import: every one is
refused with a plain ``CompanionError``, nothing crashes, and the vault does not change a byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from companion.domain.export_selection import Selection
from companion.errors import CompanionError
from companion.services.container import Services
from companion.services.export import ExportFormat, ExportRequest, Protection
from tests.support.export import export_bytes, vault_files

JSON_EXAMPLES = 2000
AGE_EXAMPLES = 300
FUZZ = dict(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _other_type_value(original: Any) -> st.SearchStrategy[Any]:
    """A non-null value of another JSON type (never valid where the original was)."""
    kind = _json_type(original)
    options: list[st.SearchStrategy[Any]] = []
    if kind != "boolean":
        options.append(st.booleans())
    if kind != "number" and kind != "str":
        options.append(st.integers(-5, 5))
    if kind == "str":
        options.append(st.floats(0.5, 9.5))
    if kind not in ("str",):
        options.append(st.text(max_size=5))
    if kind != "list":
        options.append(st.lists(scalars, max_size=2))
    if kind != "dict":
        options.append(st.dictionaries(st.text(max_size=4), scalars, max_size=2))
    return st.one_of(options)


@st.composite
def broken_documents(draw: st.DrawFn, good: bytes) -> bytes:
    document = json.loads(good)
    how = draw(
        st.sampled_from(["truncate", "retype", "drop", "extra", "garbage", "random", "bytes"])
    )
    if how == "truncate":
        last = good.rindex(b"}")
        return good[: draw(st.integers(0, last))]
    if how == "garbage":  # between records (inside a string it would just be other text)
        breaks = [i for i, byte in enumerate(good[:-1]) if byte == 0x0A]
        at = draw(st.sampled_from(breaks))
        junk = draw(st.sampled_from([b"\x00", b"\xff", b",", b"]", b'"', b"{", b"NaN", b"\\"]))
        return good[:at] + junk + good[at:]
    if how == "random":
        value = draw(json_values)
        return json.dumps(value).encode()
    if how == "bytes":
        return draw(st.binary(max_size=200))
    paths = _paths(document)
    if how == "retype":
        path = draw(st.sampled_from(paths[1:]))
        parent, key = _get(document, path[:-1]), path[-1]
        parent[key] = draw(_other_type_value(parent[key]))
    elif how == "drop":
        objects = [p for p in paths if isinstance(_get(document, p), dict) and _get(document, p)]
        path = draw(st.sampled_from(objects))
        target = _get(document, path)
        del target[draw(st.sampled_from(sorted(target)))]
    else:  # extra
        objects = [p for p in paths if isinstance(_get(document, p), dict)]
        target = _get(document, draw(st.sampled_from(objects)))
        target["zz_" + draw(st.text(max_size=5))] = draw(scalars)
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


def _expect_refused(services: Services, data: bytes, **keys: Any) -> None:
    try:
        services.importer.import_bytes(data, **keys)
    except CompanionError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    pytest.fail("a malformed file was imported")


def _fuzz(
    services: Services, strategy: st.SearchStrategy[bytes], examples: int, **keys: Any
) -> None:
    before = vault_files(services)

    @settings(max_examples=examples, **FUZZ)  # type: ignore[arg-type]
    @given(strategy)
    def run(data: bytes) -> None:
        _expect_refused(services, data, **keys)

    run()
    assert vault_files(services) == before


def test_malformed_json_is_always_refused(filled: Services, tmp_path: Path) -> None:
    good = export_bytes(filled, tmp_path, selection=Selection.whole_vault())
    filled.importer.import_bytes(good)  # warm up; adds nothing (same vault)
    _fuzz(filled, broken_documents(good), JSON_EXAMPLES)


@st.composite
def mutated_age(draw: st.DrawFn, good: bytes) -> bytes:
    how = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "header"]))
    if how == "flip":
        at = draw(st.integers(0, len(good) - 1))
        bit = 1 << draw(st.integers(0, 7))
        return good[:at] + bytes([good[at] ^ bit]) + good[at + 1 :]
    if how == "truncate":
        return good[: draw(st.integers(0, len(good) - 1))]
    if how == "insert":
        at = draw(st.integers(0, len(good)))
        return good[:at] + draw(st.binary(min_size=1, max_size=8)) + good[at:]
    if how == "delete":
        at = draw(st.integers(0, len(good) - 2))
        return good[:at] + good[at + draw(st.integers(1, 16)) :]
    end = good.index(b"\n---")
    lines = good[:end].split(b"\n")
    index = draw(st.integers(1, len(lines) - 1))
    lines[index] = draw(st.sampled_from([b"-> scrypt AAAA 40", b"-> X25519", b"", b"-> x 1 2"]))
    mutant = b"\n".join(lines) + good[end:]
    # age writes random "grease" stanzas, some with an empty body line: replacing that line
    # with b"" leaves the file as it was, which is a good file, not a mutant.
    assume(mutant != good)
    return mutant


def test_mutated_age_files_are_always_refused(filled: Services, tmp_path: Path) -> None:
    identity = x25519.Identity.generate()
    out = tmp_path / "export.json.age"
    filled.export.export(
        ExportRequest(
            Selection(), ExportFormat.JSON, Protection.to_recipient(str(identity.to_public()))
        ),
        out,
    )
    good = out.read_bytes()
    _fuzz(filled, mutated_age(good), AGE_EXAMPLES, identity_text=str(identity))


def test_a_slow_scrypt_header_is_refused_without_trying(filled: Services) -> None:
    forged = b"age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 30\nAAAA\n--- AAAA\n"
    with pytest.raises(CompanionError, match="unreasonably slow"):
        filled.importer.import_bytes(forged, passphrase="x")
