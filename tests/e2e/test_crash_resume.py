"""Crash and resume on real processes: the app runs a session, is killed with SIGKILL in the
middle of the journey, and the next start offers to resume at the right point.

The vault is prepared through the services with the session's instants in the past (settled
25 minutes ago, the dose 22 minutes ago, so the music began 7 minutes ago): no waiting.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.app import Running, shut_down, start
from companion.audio.player import PlayerState
from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock, SystemClock
from companion.domain.protocol import PhaseId
from companion.domain.timeline import SessionTimeline
from companion.paths import DataPaths
from companion.services.container import build_services
from companion.services.sessions_model import SessionEventKind, SessionState
from tests.support.flow import before_step
from tests.support.services import make_profile
from tests.support.session_walk import SILENT_VLC
from tests.support.vault import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("drive_app.py")
MINUTE = 60.0


def prepare_vault(data: DataPaths) -> str:
    """A session underway: settled 25 minutes ago, dose 22 minutes ago (hold 15)."""
    past = ManualClock(start=SystemClock().now() - timedelta(minutes=25))
    services = build_services(data, past, kdf=KdfParams.for_tests())
    try:
        services.vault.create(PASSPHRASE)
        services.profile.save(make_profile(hold_minutes=15))
        sessions = services.sessions
        sid = sessions.start_session()
        before_step(sessions, sid)
        started = sessions.begin_settle(sid, acknowledged={"timing:early", "timing:late"})
        assert started.timeline is not None
        timeline = SessionTimeline(started.timeline, past.monotonic())
        past.advance(3 * MINUTE)
        sessions.confirm_dose(sid)
        timeline.dose_taken(past.monotonic())
        services.vault.lock()
    finally:
        services.worker.shutdown()
    return sid


def run_until_journey(data: DataPaths) -> tuple[subprocess.Popen[str], dict[str, object]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), "--data-dir", str(data.root)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(PASSPHRASE + "\n")
    process.stdin.flush()
    for line in process.stdout:  # ends if the process dies
        if line.startswith("RUNNING "):
            return process, json.loads(line[len("RUNNING ") :])
    process.kill()
    raise AssertionError(f"the app exited early (code {process.wait(timeout=10)})")


@pytest.fixture
def in_process(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Running]]:
    """Restarts the app inside the test process (pytest-qt owns the event loop)."""
    import companion.ui.session.audio as session_audio
    from companion.audio.factory import create_player

    def silent(clock: object) -> object:
        return lambda volume: create_player(clock, vlc_args=SILENT_VLC, volume=volume)  # type: ignore[arg-type]

    # The window takes the real players from here when it first builds the shell.
    monkeypatch.setattr(session_audio, "default_audio_factory", silent)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    started: list[Running] = []
    yield started
    for running in started:
        if running.window.shell is not None:
            running.window.shell.session_page.clear()
        running.app.aboutToQuit.disconnect(running.on_quit)
        shut_down(running.window, running.handle)
        running.window.close()
        running.window.deleteLater()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == "companion-file":
            root.removeHandler(handler)
            handler.close()


def test_a_killed_app_resumes_the_session_at_the_right_point(
    qtbot: QtBot, tmp_path: Path, in_process: list[Running]
) -> None:
    data = DataPaths(tmp_path / "data")
    data.ensure()
    sid = prepare_vault(data)

    process, report = run_until_journey(data)
    try:
        assert report["session_id"] == sid and report["phase"] == "journey"
        assert str(report["engine"]).startswith("VLC")
        assert report["music_position"] == pytest.approx(7 * MINUTE, abs=30)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL

    running = start(["--data-dir", str(data.root)])
    in_process.append(running)
    window = running.window
    qtbot.waitUntil(lambda: window.unlock_screen is not None and running.handle.is_ready)
    screen = window.unlock_screen
    assert screen is not None
    qtbot.keyClicks(screen.form.passphrase.edit, PASSPHRASE)
    screen.form.unlock_button.click()
    qtbot.waitUntil(lambda: window.shell is not None, timeout=10_000)
    shell = window.shell
    assert shell is not None
    page = shell.session_page
    qtbot.waitUntil(lambda: page.resume_info is not None, timeout=10_000)
    info = page.resume_info
    assert info is not None and info.session_id == sid
    assert info.state is not None and info.state.phase is PhaseId.JOURNEY
    assert info.state.music_position_seconds == pytest.approx(7 * MINUTE, abs=60)
    assert "still running" in page.start_view.resume_text.text()
    # the first process recorded the cues it came to (late, after the dose in the past) ...
    fired = [e for e in info.facts.events if e.kind is SessionEventKind.PROMPT]
    assert [e.detail["event_id"] for e in fired] == ["prompt:hold_start", "prompt:eye_mask"]
    # ... so the restored timeline does not come to them again
    assert info.timeline is not None
    assert [d.event.id for d in info.timeline.poll(SystemClock().monotonic())] == []

    page.start_view.resume_button.click()
    qtbot.waitUntil(lambda: page.conductor is not None, timeout=10_000)
    conductor = page.conductor
    assert conductor is not None
    qtbot.waitUntil(lambda: conductor.player.state() is PlayerState.PLAYING, timeout=10_000)
    assert conductor.player.current_index() == report["track"]
    state = page.driver.last_state
    assert state is not None and state.phase is PhaseId.JOURNEY
    assert page.journey is not None and not page.journey.shown_prompt
    assert window.session_in_progress()
    assert info.facts.status is SessionState.IN_PROGRESS
