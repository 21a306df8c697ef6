"""Import: the complete JSON round trip, no duplicates, and refusals that name the problem and
leave the vault exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyrage import x25519

from companion.domain.export_selection import Selection
from companion.errors import CompanionError
from companion.export import age
from companion.services.container import Services
from companion.services.export import ExportFormat, ExportRequest, Protection
from companion.services.importer import ImportRefusedError
from tests.support.export import CANARY, export_bytes, table_counts, vault_files


def _without_time(data: bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(data)
    document.pop("exported_at")
    return document


def test_round_trip_is_lossless_and_a_second_import_adds_nothing(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    first = export_bytes(filled, tmp_path, selection=Selection.whole_vault(), name="first")
    report = second.importer.import_bytes(first)
    assert report.total_added == sum(len(v) for v in json.loads(first)["records"].values())
    again = export_bytes(second, tmp_path, selection=Selection.whole_vault(), name="again")
    assert _without_time(again) == _without_time(first)
    # byte-identical apart from the export time line
    assert again.split(b"\n", 1)[1] == first.split(b"\n", 1)[1]
    counts = table_counts(second)
    repeat = second.importer.import_bytes(first)
    assert repeat.total_added == 0 and sum(repeat.skipped.values()) == report.total_added
    assert table_counts(second) == counts
    # imported entries are searchable
    assert second.search.search("private")


def test_importing_into_the_same_vault_changes_no_byte(filled: Services, tmp_path: Path) -> None:
    data = export_bytes(filled, tmp_path, selection=Selection.whole_vault())
    before = vault_files(filled)
    assert filled.importer.import_bytes(data).total_added == 0
    assert vault_files(filled) == before


def test_a_provider_export_imports_without_overwriting(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    data = export_bytes(filled, tmp_path)  # a subset, profile trimmed, references cut
    second.importer.import_bytes(data)
    assert table_counts(second)["session"] == 6
    assert second.importer.import_bytes(data).total_added == 0


def test_tags_with_the_same_name_are_merged(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    from companion.services.journal_model import EntryInput

    second.journal.create(EntryInput(title="mine", body="x", tags=("music",)))
    second.importer.import_bytes(export_bytes(filled, tmp_path, selection=Selection.whole_vault()))
    names = [t.name for t in second.journal.tags()]
    assert names.count("music") == 1


def _refusal(services: Services, data: bytes) -> ImportRefusedError:
    before = vault_files(services)
    with pytest.raises(ImportRefusedError) as caught:
        services.importer.import_bytes(data)
    assert vault_files(services) == before
    assert "Nothing in the vault was changed" in str(caught.value)
    return caught.value


def _mutate(data: bytes, change: Any) -> bytes:
    document = json.loads(data)
    change(document)
    return json.dumps(document).encode()


def test_refusals_name_the_first_problem(filled: Services, tmp_path: Path) -> None:
    good = export_bytes(filled, tmp_path, selection=Selection.whole_vault())
    cut = _refusal(filled, good[: len(good) // 2])
    assert "truncated" in str(cut) or "not valid JSON" in str(cut)
    assert "not valid JSON" in str(_refusal(filled, b"\x00\x01garbage"))
    assert "UTF-8" in str(_refusal(filled, b"\xff\xfe{}"))

    def bad_mood(d: dict[str, Any]) -> None:
        d["records"]["journal_entry"][2]["mood"] = 11

    error = _refusal(filled, _mutate(good, bad_mood))
    assert error.pointer == "/records/journal_entry/2/mood"
    assert "at most 10" in str(error) and "/records/journal_entry/2/mood" in str(error)

    def missing(d: dict[str, Any]) -> None:
        del d["records"]["session"][0]["started_at"]

    error = _refusal(filled, _mutate(good, missing))
    assert error.pointer == "/records/session/0" and "'started_at' is missing" in str(error)

    def newer(d: dict[str, Any]) -> None:
        d["version"] = 2

    assert "reads version 1" in str(_refusal(filled, _mutate(good, newer)))

    def dangling(d: dict[str, Any]) -> None:
        d["records"]["dose_log"][1]["session_id"] = "f" * 32

    error = _refusal(filled, _mutate(good, dangling))
    assert error.pointer == "/records/dose_log/1/session_id" and "neither in the file" in str(error)

    def duplicate(d: dict[str, Any]) -> None:
        d["records"]["tag"].append(dict(d["records"]["tag"][0]))

    assert "appears twice" in str(_refusal(filled, _mutate(good, duplicate)))

    def bad_day(d: dict[str, Any]) -> None:
        d["records"]["session"][0]["started_at"] = "2026-02-31T10:00:00.000000Z"

    assert "real date" in str(_refusal(filled, _mutate(good, bad_day)))


def test_messages_never_quote_private_text(filled: Services, tmp_path: Path) -> None:
    good = export_bytes(filled, tmp_path, selection=Selection.whole_vault())

    def wrong_type(d: dict[str, Any]) -> None:
        entry = next(e for e in d["records"]["journal_entry"] if CANARY in e["body"])
        entry["title"] = [entry["body"]]

    error = _refusal(filled, _mutate(good, wrong_type))
    assert CANARY not in str(error)


def test_encrypted_imports(filled: Services, second: Services, tmp_path: Path) -> None:
    identity = x25519.Identity.generate()
    out = tmp_path / "to-key.json.age"
    filled.export.export(
        ExportRequest(
            Selection.whole_vault(),
            ExportFormat.JSON,
            Protection.to_recipient(str(identity.to_public())),
        ),
        out,
    )
    with pytest.raises(age.NoKeyError):
        second.importer.import_file(out)
    other = x25519.Identity.generate()
    with pytest.raises(age.DecryptionError):
        second.importer.import_file(out, identity_text=f"# other\n{other}\n")
    with pytest.raises(CompanionError, match="secret key"):
        second.importer.import_file(out, identity_text="not a key")
    assert table_counts(second)["journal_entry"] == 0
    report = second.importer.import_file(out, identity_text=f"# key\n{identity}\n")
    assert (
        report.encrypted and report.added["journal_entry"] == table_counts(filled)["journal_entry"]
    )

    with_passphrase = tmp_path / "pass.json.age"
    result = filled.export.export(ExportRequest(Selection(), ExportFormat.JSON), with_passphrase)
    assert result.passphrase
    with pytest.raises(age.DecryptionError):
        second.importer.import_file(with_passphrase, passphrase="not it")
    assert second.importer.import_file(with_passphrase, passphrase=result.passphrase).encrypted
