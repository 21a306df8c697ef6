"""Start-up to the first painted frame (issue 16): importing the app, as ``companion`` does
before its first window, leaves out what that window does not need. Checked in a fresh
interpreter, where nothing else has imported them."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = "import sys, companion.app\nfor name in sorted(sys.modules):\n    print(name)\n"


@pytest.fixture(scope="module")
def loaded_at_start() -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    return set(done.stdout.split())


def test_the_app_starts_without_the_storage_stack_or_the_cli(loaded_at_start: set[str]) -> None:
    # argparse's translated words once came from companion.cli, whose __init__ loads every
    # command and with them SQLAlchemy, Alembic and the services: 1.3 s before the window.
    early = {"companion.cli", "sqlalchemy", "alembic", "companion.services", "companion.storage"}
    assert early.isdisjoint(loaded_at_start)


def test_the_app_starts_without_the_audio_players(loaded_at_start: set[str]) -> None:
    # The players (Qt Multimedia, the prompts' assets) are chosen when the shell is built.
    early = {"companion.audio", "companion.ui.session.audio", "PySide6.QtMultimedia"}
    assert early.isdisjoint(loaded_at_start)
