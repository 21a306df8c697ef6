"""Rehearsal records nothing; a session left open is offered again after a restart; the
auto-lock waits while a session runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from companion.audio.player import BasePlayer, PlayerState
from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId
from companion.domain.timeline import SessionTimeline
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.services.sessions_model import SessionState
from companion.settings import Settings
from tests.support.flow import advance as service_advance
from tests.support.flow import before_step, take_dose
from tests.support.gui import click
from tests.support.services import row_counts
from tests.support.session_walk import MINUTE, SessionWindow, advance, settle, start_rehearsal
from tests.support.vault import PASSPHRASE, vault_on_disk


def counts(services: Services) -> dict[str, int]:
    return services.worker.submit(row_counts, services).result()


def test_a_rehearsal_runs_the_whole_flow_and_records_nothing(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    data_paths: DataPaths,
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    recorded = counts(prepared)
    vault = vault_on_disk(data_paths)
    before = start_rehearsal(qtbot, window, page)
    assert before is not None and page.run is not None and page.run.rehearsal
    assert window.session_in_progress()
    assert before.begin_button.isEnabled()  # nothing blocks a rehearsal...
    assert "A real session would still need" in before.readiness.summary.text()  # ...but it says
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is not None
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, manual_clock, 16.0)  # 16 s at 60x: 16 minutes, the hold is over
    assert page.conductor is not None and page.journey is not None
    player = page.conductor.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    assert "eye mask" in page.journey.prompt.text()
    advance(qtbot, window, page, manual_clock, 16.0)
    assert page.journey.showing_checkin  # the monitor's cue comes at speed too
    advance(qtbot, window, page, manual_clock, 80.0)  # well past the return
    assert page.after is not None and page.stack.currentWidget() is page.after
    page.after.aftercare_read.setChecked(True)  # the monitor's sign-off, a rehearsal too
    immersive: list[bool] = []
    page.immersive_changed.connect(immersive.append)
    click(qtbot, page.after.finish_button)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.done_view)
    # the navigation came back with the After step: Finish does not lay the window out again
    assert immersive == [] and shell.nav_area.isVisible()
    assert page.done_view.heading.text() == "Rehearsal finished"
    assert not page.done_view.reflect_button.isVisible()
    assert not window.session_in_progress()
    assert counts(prepared) == recorded
    assert vault_on_disk(data_paths) == vault  # the vault is byte-identical after a rehearsal


def test_the_auto_lock_waits_while_a_session_runs(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    click(qtbot, page.start_view.rehearse_button)
    qtbot.waitUntil(lambda: page.running)
    manual_clock.advance(60 * MINUTE)
    window.autolock.check()
    assert window.shell is not None  # still open
    page.abort("Only a test")
    qtbot.waitUntil(lambda: not page.running)
    window.autolock.start()
    manual_clock.advance(60 * MINUTE)
    window.autolock.check()
    assert window.shell is None and window.unlock_screen is not None


def open_session_in_journey(services: Services, clock: ManualClock) -> str:
    """What a crashed app leaves behind: the dose taken 25 minutes ago, music 10 minutes in."""
    services.vault.unlock(PASSPHRASE)
    sessions = services.sessions
    sid = sessions.start_session()
    before_step(sessions, sid)
    started = sessions.begin_settle(sid, acknowledged={"timing:early", "timing:late"})
    assert started.timeline is not None
    timeline = SessionTimeline(started.timeline, clock.monotonic())
    take_dose(sessions, sid, timeline, clock)
    service_advance(sessions, sid, timeline, clock, 25)
    services.vault.lock()
    return sid


def test_a_session_left_open_is_resumed_at_the_right_point(
    qtbot: QtBot,
    prepared: Services,
    data_paths: DataPaths,
    fast_kdf: KdfParams,
    manual_clock: ManualClock,
    settings: Settings,
    session_window: SessionWindow,
    players: list[BasePlayer],
) -> None:
    old_process = ManualClock(start=manual_clock.now() - timedelta(minutes=28), monotonic_start=5.0)
    other = build_services(data_paths, old_process, kdf=fast_kdf)
    try:
        sid = open_session_in_journey(other, old_process)
    finally:
        other.worker.shutdown()
    manual_clock.advance(0)  # the new process: 3 minutes after the crash

    window, shell, page = session_window()
    qtbot.waitUntil(lambda: page.resume_info is not None, timeout=10_000)
    assert shell.stack.currentWidget() is page  # Companion opens on the Session page
    assert "still running" in page.start_view.resume_text.text()
    assert not page.start_view.start_button.isEnabled()
    click(qtbot, page.start_view.resume_button)
    qtbot.waitUntil(lambda: page.journey is not None, timeout=10_000)
    settle(qtbot, window)
    state = page.driver.last_state
    assert state is not None and state.phase is PhaseId.JOURNEY
    # dose at -28 min, hold 15: the music began 13 minutes ago
    assert state.music_position_seconds == pytest.approx(13 * MINUTE, abs=1)
    assert page.run is not None and page.run.session_id == sid
    conductor = page.conductor
    assert conductor is not None
    player = conductor.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    qtbot.waitUntil(lambda: player.position() > 60, timeout=10_000)
    # the plan puts 13 minutes into the second bundled track (the first lasts 11 minutes)
    assert player.current_index() == 1
    assert player.position() == pytest.approx(2 * MINUTE, abs=5)
    assert page.journey is not None and not page.journey.shown_prompt  # nothing shown twice
    advance(qtbot, window, page, manual_clock, 2 * MINUTE)  # check-in 1 is at 15 minutes
    assert page.journey.showing_checkin


def test_a_session_too_long_over_is_reported_as_interrupted(
    qtbot: QtBot,
    prepared: Services,
    data_paths: DataPaths,
    fast_kdf: KdfParams,
    manual_clock: ManualClock,
    session_window: SessionWindow,
) -> None:
    long_ago = ManualClock(start=manual_clock.now() - timedelta(hours=9), monotonic_start=5.0)
    other = build_services(data_paths, long_ago, kdf=fast_kdf)
    try:
        sid = open_session_in_journey(other, long_ago)
    finally:
        other.worker.shutdown()
    window, shell, page = session_window()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not page.start_view.notice.isHidden(), timeout=10_000)
    assert shell.stack.currentWidget() is page
    assert "closed as interrupted" in page.start_view.notice.text()
    assert page.resume_info is None and page.start_view.start_button.isEnabled()
    facts = prepared.worker.submit(prepared.sessions.session_facts, sid).result()
    assert facts.status is SessionState.INTERRUPTED
