"""Issue 11.3: a damaged page met while reading (export, reindex, opening one entry) is the
one calm "this part of your vault is damaged" message, never a traceback, never a partial file.

The damage is real: one flipped bit in an encrypted page of a long entry's overflow chain, so
SQLCipher's page HMAC fails on read (not a hand-written NUL in a column)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion.domain.export_selection import EntryChoice, Selection
from companion.errors import DamagedDataError
from companion.services.container import Services
from companion.services.export import ExportFormat, ExportRequest, Protection
from tests.support.vault import PASSPHRASE, damage_a_long_entry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def damaged(unlocked_services: Services) -> tuple[Services, str, str]:
    short, long = damage_a_long_entry(unlocked_services)
    return unlocked_services, short, long


def test_one_damaged_entry_is_the_damaged_message_and_every_other_entry_still_opens(
    damaged: tuple[Services, str, str],
) -> None:
    services, short, long = damaged
    with pytest.raises(DamagedDataError, match="damaged"):
        services.journal.get(long)
    # SQLCipher leaves the connection in an error state after a bad page; the vault must not
    # treat every later read as damaged because of it.
    assert services.journal.get(short).content.body == "A short day."
    with pytest.raises(DamagedDataError, match="damaged"):
        services.journal.get(long)
    assert services.journal.get(short).content.title == "Short"
    report = services.vault.verify()
    assert not report.ok and any("HMAC" in problem for problem in report.problems)


@pytest.mark.parametrize("fmt", list(ExportFormat), ids=lambda f: f.value)
def test_export_over_a_damaged_page_is_refused_and_writes_nothing(
    damaged: tuple[Services, str, str], tmp_path: Path, fmt: ExportFormat
) -> None:
    services, _short, _long = damaged
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    request = ExportRequest(
        Selection(entries=EntryChoice.ALL), fmt, Protection.plaintext(confirmed=True)
    )
    with pytest.raises(DamagedDataError, match="damaged"):
        services.export.export(request, out_dir / f"report{fmt.extension}")
    assert list(out_dir.iterdir()) == []  # no partial file, no temp file left behind


def test_reindex_over_a_damaged_page_is_the_damaged_message(
    damaged: tuple[Services, str, str],
) -> None:
    services, _short, _long = damaged
    with pytest.raises(DamagedDataError, match="damaged"):
        services.journal.reindex()


def test_cli_export_of_a_damaged_vault_prints_one_calm_line_and_logs_no_text(
    damaged: tuple[Services, str, str], tmp_path: Path
) -> None:
    services, _short, _long = damaged
    services.vault.lock()
    services.worker.shutdown()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION_")}
    env.update(COMPANION_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT))
    out = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "--data-dir", str(services.paths.root),
         "export", "--format", "json", "--plaintext", "--all-entries", "--out", str(out)],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "damaged" in lines[0], result.stderr  # SQLCipher's own lines too
    assert "Traceback" not in result.stderr and not out.exists()
    cipher_log = services.paths.logs / "sqlcipher.log"
    logged = cipher_log.read_text()
    assert "hmac check failed" in logged  # the diagnostics went to the log folder...
    assert "long words" not in logged and "short day" not in logged  # ...with no text
    assert cipher_log.stat().st_mode & 0o077 == 0
