"""kill -9 of a writing process at random moments never loses a committed record."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select as sql_select

from companion.services.container import Services
from companion.storage.models import JournalEntryRow, SessionEventRow, SessionRow
from tests.support.vault import PASSPHRASE

ROUNDS = 32
WRITER = Path(__file__).with_name("writer_process.py")
ROOT = Path(__file__).resolve().parents[2]


def _read_line(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            return proc.stdout.readline()
    raise AssertionError("the writer did not start in time")


def test_kill_nine_never_loses_a_committed_record(unlocked_services: Services) -> None:
    services = unlocked_services
    services.vault.lock()
    rng = random.Random(20261121)
    committed: list[tuple[str, str]] = []
    env = {**os.environ, "COMPANION_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    for _round in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(services.paths.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        try:
            assert _read_line(proc, time.monotonic() + 30).strip() == "ready"
            # Let it write for a random while, then kill it wherever it is.
            stop_at = time.monotonic() + rng.uniform(0.0, 0.25)
            assert proc.stdout is not None
            while time.monotonic() < stop_at:
                ready, _, _ = select.select([proc.stdout], [], [], stop_at - time.monotonic())
                if ready:
                    line = proc.stdout.readline().split()
                    if len(line) == 2:
                        committed.append((line[0], line[1]))
            proc.send_signal(signal.SIGKILL)
            # Lines already printed before the kill were committed too.
            for rest in proc.stdout.read().splitlines():
                parts = rest.split()
                if len(parts) == 2:
                    committed.append((parts[0], parts[1]))
        finally:
            proc.kill()
            proc.wait()

    assert committed, "the writer should have committed records"
    services.vault.unlock(PASSPHRASE)
    report = services.vault.verify()
    assert report.ok, report.problems
    with services.vault.unit_of_work() as session:
        session_ids = set(session.scalars(sql_select(SessionRow.id)))
        entry_ids = set(session.scalars(sql_select(JournalEntryRow.id)))
        event_sessions = set(session.scalars(sql_select(SessionEventRow.session_id)))
    for session_id, entry_id in committed:
        assert session_id in session_ids
        assert entry_id in entry_ids
        assert session_id in event_sessions  # the whole transaction, not half of it
    # Nothing half-written either: every session row has its event.
    assert session_ids == event_sessions
