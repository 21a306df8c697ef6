"""Hostile or odd files are refused quickly with one plain message; the vault stays as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from companion.domain.export_selection import Selection
from companion.domain.protocol import ProtocolError
from companion.errors import DamagedDataError
from companion.fsutil import FileRefusedError, nesting_depth, read_regular_file
from companion.services.container import Services
from companion.services.importer import ImportRefusedError
from companion.services.protocol_files import load_protocol_file, parse_protocol, read_protocol_text
from companion.storage import vault as store
from tests.support.export import export_bytes, vault_files
from tests.support.vault import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def _fifo(tmp_path: Path) -> Path:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    return fifo


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION_")}
    full.update(env or {})
    full["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args],
        capture_output=True,
        text=True,
        env=full,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def _document(services: Services, tmp_path: Path) -> dict[str, Any]:
    data = export_bytes(services, tmp_path, selection=Selection.whole_vault(), name="doc")
    return dict(json.loads(data))


# --- files that are not files ----------------------------------------------------------------
def test_fifo_is_refused_within_a_second_for_import(filled: Services, tmp_path: Path) -> None:
    fifo = _fifo(tmp_path)
    start = time.monotonic()
    with pytest.raises(ImportRefusedError, match="not a regular file"):
        filled.importer.read_file(fifo)
    assert time.monotonic() - start < 1.0


def test_dev_zero_is_refused_within_a_second_for_import_and_protocols(filled: Services) -> None:
    start = time.monotonic()
    with pytest.raises(ImportRefusedError, match="not a regular file"):
        filled.importer.read_file(Path("/dev/zero"))
    with pytest.raises(ProtocolError, match="not a regular file"):
        read_protocol_text(Path("/dev/zero"))
    with pytest.raises(ProtocolError, match="not a regular file"):
        load_protocol_file(Path("/dev/zero"))
    assert time.monotonic() - start < 1.0


def test_fifo_is_refused_within_a_second_for_protocol_files(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path)
    start = time.monotonic()
    with pytest.raises(ProtocolError, match="not a regular file"):
        read_protocol_text(fifo)
    with pytest.raises(ProtocolError, match="not a regular file"):
        load_protocol_file(fifo)
    assert time.monotonic() - start < 1.0


def test_file_growing_past_the_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 5000)
    with pytest.raises(FileRefusedError, match="larger than"):
        read_regular_file(big, 4096)
    assert read_regular_file(big, 5000) == b" " * 5000


def test_fifo_and_dev_zero_on_the_command_line_are_one_plain_line(
    filled: Services, tmp_path: Path
) -> None:
    filled.vault.lock()
    fifo = _fifo(tmp_path)
    folder = str(filled.paths.root)
    env = {"COMPANION_PASSPHRASE": PASSPHRASE}
    # If a FIFO were opened for reading the child would block forever; keep a writer ready so
    # a regression fails the assertion instead of hanging the suite.
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                stop.wait(0.05)
                continue
            os.close(fd)

    guard = threading.Thread(target=writer, daemon=True)
    guard.start()
    try:
        for args in (
            ("import", str(fifo)),
            ("import", "/dev/zero"),
            ("protocol", "check", str(fifo)),
            ("protocol", "check", "/dev/zero"),
        ):
            assert "not a regular file" in _one_line(_cli("--data-dir", folder, *args, env=env))
    finally:
        stop.set()
        guard.join()


# --- nesting -------------------------------------------------------------------------------------
def test_deeply_nested_json_is_refused_with_one_plain_error(filled: Services) -> None:
    before = vault_files(filled)
    for deep in (b"[" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
        start = time.monotonic()
        with pytest.raises(ImportRefusedError, match="nested more than"):
            filled.importer.import_bytes(deep)
        assert time.monotonic() - start < 1.0
    assert vault_files(filled) == before


def test_deeply_nested_toml_is_refused_with_one_plain_error() -> None:
    for text in ("a = " + "[" * 100_000, "a = " + "{b = " * 50_000 + "1" + "}" * 50_000):
        start = time.monotonic()
        with pytest.raises(ProtocolError, match="nested more than"):
            parse_protocol(text)
        assert time.monotonic() - start < 1.0


def test_nesting_scan_ignores_brackets_inside_strings_and_comments() -> None:
    assert nesting_depth('a = "[[[[[[" # {{{{{{\nb = [1, [2]]', "toml") == 2
    assert nesting_depth("a = '''[[[[\n]]'''\nb = {c = 1}", "toml") == 1
    assert nesting_depth('{"a": "[[[\\"[[[", "b": [[]]}', "json") == 3


# --- values --------------------------------------------------------------------------------------
def test_lone_surrogates_in_import_text_are_refused(filled: Services, tmp_path: Path) -> None:
    document = _document(filled, tmp_path)
    entry = document["records"]["journal_entry"][0]
    entry["title"] = "before \ud800 after"
    data = json.dumps(document, ensure_ascii=True).encode()  # "\\ud800" escape in the file
    before = vault_files(filled)
    with pytest.raises(ImportRefusedError, match="broken character") as caught:
        filled.importer.import_bytes(data)
    assert caught.value.pointer == "/records/journal_entry/0/title"
    assert vault_files(filled) == before


def test_planned_at_year_one_is_refused_on_the_way_in(filled: Services, tmp_path: Path) -> None:
    document = _document(filled, tmp_path)
    planned = document["records"]["planned_session"]
    assert planned, "the demo vault should hold planned sessions"
    planned[0]["planned_at"] = "0001-01-01T00:00:00.000000Z"
    before = vault_files(filled)
    with pytest.raises(ImportRefusedError, match="outside the years") as caught:
        filled.importer.import_bytes(json.dumps(document).encode())
    assert caught.value.pointer == "/records/planned_session/0/planned_at"
    assert vault_files(filled) == before


def test_out_of_range_date_already_in_a_vault_is_reported_by_verify_and_read_calmly(
    filled: Services,
) -> None:
    with filled.vault.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE planned_session SET planned_at = '0001-01-01 00:00:00.000000' "
            "WHERE rowid = (SELECT min(rowid) FROM planned_session)"
        )
    report = filled.vault.verify()
    assert not report.ok
    assert any("planned_session.planned_at" in p for p in report.problems)
    with pytest.raises(DamagedDataError, match="damaged"):
        filled.planning.plan()
    with pytest.raises(DamagedDataError, match="damaged"):
        filled.home.summary()


def test_nuls_in_a_stored_date_become_the_damaged_message(filled: Services) -> None:
    with filled.vault.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE journal_entry SET created_at = char(0,0,0,0,0,0,0,0,0,0) "
            "WHERE rowid = (SELECT min(rowid) FROM journal_entry)"
        )
    assert any(
        "journal_entry.created_at" in p
        for p in store.verify(
            filled.vault.engine, store.read_header(filled.paths), _key(filled)
        ).problems
    )
    with pytest.raises(DamagedDataError, match="damaged"):
        filled.journal.reindex()


def _key(services: Services) -> Any:
    return services.vault._dek  # the test checks verify with the live key
