"""No GUI-thread stall over a frame in a session (issue 16): what each step used to do in one
long turn of the event loop is done elsewhere or ahead of time. ``bench/timeline.py`` measures
the stalls; these tests pin down each way they were removed."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from companion.audio.player import PlayerState
from companion.domain.clock import ManualClock
from companion.services.container import Services
from tests.support.gui import click
from tests.support.session_walk import (
    RecordingFactory,
    SessionWindow,
    advance,
    settle,
    start_rehearsal,
)


def test_libvlc_starts_on_its_own_thread_while_the_before_step_shows(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    silent_audio: RecordingFactory,
    manual_clock: ManualClock,
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    starter = silent_audio.starter
    assert starter is not None and starter.started  # while the patient reads the Before step
    qtbot.waitUntil(lambda: starter.done, timeout=10_000)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is not None and page.conductor is not None
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, manual_clock, 16.0)  # the journey: music and a prompt's cue
    player = page.conductor.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    assert len(silent_audio.made) >= 2  # the music and the cues...
    gui = threading.main_thread().ident
    made_on = silent_audio.watched.instances_made_on
    assert len(made_on) == 1 and made_on[0] != gui  # ...share one libvlc, made on its thread
