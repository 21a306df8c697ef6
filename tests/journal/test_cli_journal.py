"""companion-cli search, reindex and demo as real processes on a real vault."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from companion.services.container import Services
from companion.services.journal_model import EntryInput
from tests.support.vault import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION_")}
    env.update({"PYTHONPATH": str(ROOT), "COMPANION_PASSPHRASE": PASSPHRASE})
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", "--data-dir", str(folder), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_search_and_reindex_print_plainly(unlocked_services: Services) -> None:
    journal = unlocked_services.journal
    journal.create(EntryInput(title="The heron", body="A grey heron waited by the reeds."))
    journal.create(EntryInput(title="Shopping", body="Bread and apples."))
    unlocked_services.vault.lock()
    folder = unlocked_services.paths.root

    found = cli(folder, "search", "heron")
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert len(lines) == 2
    # the date as the locale writes it ("Dec 2, 2026" in English), then the title
    assert lines[0].endswith("The [heron]") and any(c.isdigit() for c in lines[0][:12])
    assert "A grey [heron] waited by the reeds." in lines[1]
    assert "\x02" not in found.stdout and "\x03" not in found.stdout

    odd = cli(folder, "search", '"zebra AND(')
    assert odd.returncode == 0, odd.stderr
    assert odd.stdout.strip() == "No entries match."

    rebuilt = cli(folder, "reindex")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "2 entries" in rebuilt.stdout
    assert "heron" in cli(folder, "search", "heron").stdout


def test_demo_command_fills_an_empty_vault_once(unlocked_services: Services) -> None:
    unlocked_services.vault.lock()
    folder = unlocked_services.paths.root
    made = cli(
        folder, "demo", "--sessions", "3", "--entries", "5", "--min-words", "20",
        "--max-words", "60",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "3 sessions, 5 entries" in made.stdout
    again = cli(folder, "demo", "--sessions", "1", "--entries", "1")
    assert again.returncode == 1
    assert again.stderr.startswith("companion-cli: This vault already holds")
    assert "Traceback" not in again.stderr
    wrong = cli(folder, "demo", "--min-words", "0")
    assert wrong.returncode == 1 and "demo settings" in wrong.stderr
