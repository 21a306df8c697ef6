"""Call my monitor, and Help that only "Back to the session" closes.

A real session on real vault files, real (silent) VLC players, a manual clock. The rendered
loudness of the alarm over the music is checked in tests/audio/test_monitor_call_audio.py.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.audio.player import PlayerState
from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.sessions_model import SessionEventKind, SessionFacts
from companion.ui.main_window import MainWindow
from companion.ui.session.call_monitor import ALARM_PATH, ALARM_VOLUME, MONITOR_KEYS
from companion.ui.session.page import SessionPage
from tests.support.gui import click, visible_texts
from tests.support.session_walk import (
    MINUTE,
    SessionWindow,
    advance,
    answer_no_to_health,
    settle,
    tick_checklist,
    type_reading,
)


def facts_of(services: Services, session_id: str) -> SessionFacts:
    return services.worker.submit(services.sessions.session_facts, session_id).result()


def into_the_journey(
    qtbot: QtBot, window: MainWindow, page: SessionPage, clock: ManualClock
) -> str:
    click(qtbot, page.start_view.start_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None and page.run is not None
    tick_checklist(qtbot, before, required_only=True)
    answer_no_to_health(qtbot, before)
    type_reading(qtbot, before.vitals.first, 124, 80, 70)
    click(qtbot, before.vitals.save_button)
    qtbot.keyClicks(before.intention.intention, "Rest")
    before.intention.mood.setValue(5)
    settle(qtbot, window)
    qtbot.waitUntil(before.begin_button.isEnabled, timeout=10_000)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is not None
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, clock, 16 * MINUTE)
    assert page.journey is not None and page.stack.currentWidget() is page.journey
    assert page.conductor is not None
    player = page.conductor.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    click(qtbot, page.journey.prompt_ok)
    advance(qtbot, window, page, clock, MINUTE)
    return page.run.session_id


def end_in_the_after_phase(qtbot: QtBot, window: MainWindow, page: SessionPage) -> None:
    """The session ends as a patient would end it after the dose: early, into the After phase."""
    if not page.showing_help:
        qtbot.keyClick(window, Qt.Key.Key_F1)
    click(qtbot, page.help_view.end_button)
    qtbot.keyClicks(page.help_view.reason, "only a test")
    click(qtbot, page.help_view.confirm_end)
    qtbot.waitUntil(lambda: page.after is not None, timeout=10_000)
    settle(qtbot, window)


def test_one_key_from_the_dim_view_calls_the_monitor_and_it_is_recorded(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    sid = into_the_journey(qtbot, window, page, manual_clock)
    assert page.conductor is not None
    music = page.conductor.player
    call = page.monitor_call
    assert not call.screen.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_F2)  # the protocol's key, from the dim journey view
    screen = call.screen
    assert screen.isVisible() and screen.isFullScreen()
    assert call.player is not None and call.ringing
    assert call.player.playlist() == [str(ALARM_PATH)]
    assert call.player.volume() == ALARM_VOLUME == 100.0
    assert page.showing_help, "Help is open under the message"
    manual_clock.advance(2.0)
    qtbot.waitUntil(lambda: not music.is_fading(), timeout=5_000)
    assert music.volume() < page.conductor.user_volume * 0.5, "the music drops under the alarm"
    texts = " ".join(visible_texts(screen))
    assert page.profile is not None
    assert f"{page.profile.name} needs you now" in texts and "breathing" in texts
    assert f"call {page.profile.emergency_number} now" in texts
    assert "Press any key to stop the sound." in texts

    page.conductor.set_user_volume(100.0)  # the music's setting never moves the alarm
    music.set_volume(100.0)
    assert call.player.volume() == ALARM_VOLUME

    qtbot.keyClick(screen, Qt.Key.Key_Space)  # any key stops the sound...
    assert not call.ringing and call.player.state() is PlayerState.STOPPED
    assert screen.isVisible(), "...and the message stays for the monitor"
    assert "The sound is off." in " ".join(visible_texts(screen))
    click(qtbot, screen.here_button)
    assert not screen.isVisible() and page.showing_help

    click(qtbot, page.help_view.back_button)
    assert page.stack.currentWidget() is page.journey
    journey_button = page.call_button  # beside Help, in the dim view's bar
    assert journey_button.accessibleName() == "Call my monitor"
    assert journey_button.isVisible() and "F2" in journey_button.text()
    click(qtbot, journey_button)  # the big button in the dim view
    assert call.ringing and screen.isVisible()
    qtbot.mouseClick(screen, Qt.MouseButton.LeftButton)  # a click anywhere stops the sound
    assert not call.ringing
    click(qtbot, screen.here_button)
    click(qtbot, page.help_view.call_button)  # and the button in Help
    assert call.ringing
    click(qtbot, screen.here_button)  # "I am here" stops it too
    assert not call.ringing and not screen.isVisible()
    settle(qtbot, window)

    events = facts_of(prepared, sid).events
    called = [e.detail.get("from") for e in events if e.kind is SessionEventKind.MONITOR_CALLED]
    assert called == ["key", "journey", "help"]
    answered = [e for e in events if e.kind is SessionEventKind.MONITOR_ANSWERED]
    assert len(answered) == 3
    end_in_the_after_phase(qtbot, window, page)


def test_only_the_protocol_key_calls_the_monitor(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    assert page.protocol is not None and page.protocol.emergency.monitor_call_key == "F2"
    for key in MONITOR_KEYS[1:]:
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{key}"))
    assert not page.monitor_call.screen.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F2)  # before any session too: Help is always there
    call = page.monitor_call
    assert call.ringing and page.showing_help
    alarm = call.player
    assert alarm is not None
    window.lock()  # locking forgets the page: the alarm must not ring on with nothing to stop it
    qtbot.waitUntil(lambda: alarm.state() is PlayerState.STOPPED, timeout=5_000)
    settle(qtbot, window)


def test_help_comes_before_call_my_monitor_in_the_tab_order(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    """Focus that moves on by itself from the bar lands on Help, not on the alarm."""
    _window, _shell, page = session_window()
    assert page.help_button.nextInFocusChain() is page.call_button
    bar = page.bar.layout()
    assert bar is not None  # on screen, Call my monitor still sits before Help
    assert bar.indexOf(page.call_button) < bar.indexOf(page.help_button)


def test_enter_never_closes_help(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    """Whatever has focus in Help, Enter leaves Help open (Esc was already safe)."""
    window, shell, page = session_window()
    shell.show_page(1)
    into_the_journey(qtbot, window, page, manual_clock)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert page.showing_help
    help_view = page.help_view
    assert QApplication.focusWidget() is help_view.back_button
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        qtbot.keyClick(help_view.back_button, key)
        assert page.showing_help
    focusable = [
        w
        for w in help_view.findChildren(QWidget)
        if w.isVisibleTo(help_view)
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w is not help_view.call_button  # that one rings, on purpose (tested above)
    ]
    assert help_view.back_button in focusable and help_view.end_button in focusable
    for widget in focusable:  # Enter on each control that is there when Help opens
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        assert page.showing_help, f"Enter on {widget.accessibleName()!r} closed Help"
    assert not page.monitor_call.ringing
    click(qtbot, help_view.back_button)  # only this closes it
    assert not page.showing_help
    settle(qtbot, window)  # the session events still being written
    end_in_the_after_phase(qtbot, window, page)


def test_help_lists_every_sign_and_what_to_do_while_waiting(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    texts = " ".join(visible_texts(page.help_view))
    assert page.protocol is not None
    for sign in page.protocol.emergency.signs:
        assert sign.text in texts
    assert "While you wait for help" in texts
    for step in page.protocol.emergency.while_waiting:
        assert step.text in texts
    assert "Call my monitor  (F2)" in texts
    settle(qtbot, window)
