"""Autosave survives a crash: the typing process is killed mid-stream, and on the next unlock the
draft is offered back with at least everything whose save had returned."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from companion.domain.journal import draft_key_for_new
from companion.services.container import Services
from tests.support.vault import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
TYPIST = Path(__file__).with_name("draft_typist.py")


def test_a_killed_editor_loses_no_saved_draft(unlocked_services: Services) -> None:
    services = unlocked_services
    services.vault.lock()
    env = {**os.environ, "COMPANION_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(TYPIST), str(services.paths.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    saved = 0
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        line = ""
        while not line and time.monotonic() < deadline:
            if select.select([proc.stdout], [], [], 1)[0]:
                line = proc.stdout.readline().strip()
        assert line == "ready"
        stop_at = time.monotonic() + 0.4
        while time.monotonic() < stop_at:
            if select.select([proc.stdout], [], [], max(0, stop_at - time.monotonic()))[0]:
                text = proc.stdout.readline().strip()
                if text.isdigit():
                    saved = int(text)
        proc.send_signal(signal.SIGKILL)
        for rest in proc.stdout.read().splitlines():
            if rest.strip().isdigit():
                saved = int(rest)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert saved > 0

    services.vault.unlock(PASSPHRASE)
    [draft] = services.journal.pending_drafts()
    assert draft.key == draft_key_for_new("reflection", "s1")
    assert draft.kind == "reflection"
    body = str(draft.content["body"]).split()
    assert len(body) >= saved  # every save that returned is there (maybe one more)
    assert body[:4] == ["word", "0", "word", "2"]
