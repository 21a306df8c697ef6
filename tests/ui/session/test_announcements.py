"""Every safety card and cue in a session is announced to screen readers as it appears: the
stop card, journey prompts, the monitor's check-in and the severe side-effect card.

A rehearsal at 60x walks the same screens as a session (it records nothing)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.protocol import Severity
from companion.services.container import Services
from companion.ui.widgets.announce import announcement_log
from tests.support.gui import click, scroll_into_view
from tests.support.session_walk import SessionWindow, advance, settle, start_rehearsal, type_reading


def test_safety_cards_and_cues_are_announced(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    heard: list[tuple[str, QObject]] = []

    def hear(text: str, widget: QObject) -> None:
        heard.append((text, widget))

    log = announcement_log()
    log.announced.connect(hear)
    try:
        walk(qtbot, session_window, manual_clock, heard)
    finally:
        log.announced.disconnect(hear)


def walk(
    qtbot: QtBot,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    heard: list[tuple[str, QObject]],
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    assert before is not None

    type_reading(qtbot, before.vitals.first, 172, 104, 80)  # a stop-level reading
    click(qtbot, before.vitals.save_button)
    settle(qtbot, window)
    assert before.vitals.stop_card.isVisible()
    text, widget = heard[-1]
    assert widget is before.vitals.stop_card
    assert text.startswith("No session today. Call Dr. Rivera on +1 555 0100.")

    click(qtbot, before.begin_button)  # a rehearsal may go on
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is not None
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, manual_clock, 16.0)  # the hold is over: the eye-mask prompt
    journey = page.journey
    assert journey is not None
    text, widget = heard[-1]
    assert widget is journey.prompt and "eye mask" in text
    click(qtbot, journey.prompt_ok)
    advance(qtbot, window, page, manual_clock, 16.0)
    assert journey.showing_checkin
    text, widget = heard[-1]
    assert widget is journey.checkin.text
    assert text.startswith("For the monitor. Monitor check-in")
    count = len(heard)
    advance(qtbot, window, page, manual_clock, 1.0)
    assert len(heard) == count, "a cue on screen is announced once, not on every tick"

    advance(qtbot, window, page, manual_clock, 80.0)  # well past the return
    after = page.after
    assert after is not None and page.stack.currentWidget() is after
    after.effects.set_severity("dizziness", Severity.SEVERE)
    scroll_into_view(qtbot, after, after.effects.save_button)
    click(qtbot, after.effects.save_button)
    settle(qtbot, window)
    assert after.effects.emergency.isVisible()
    text, widget = heard[-1]
    assert widget is after.effects.emergency
    assert "dizziness" in text and "call your emergency number now" in text
    page.abort("Only a test")  # after the dose, ending early stays in the After phase
    settle(qtbot, window)
    assert page.stack.currentWidget() is after
