"""Enter saves the vitals form (issue 13, finding 6), before the session and after it.

Real key events on the real number boxes of the running window: Enter in any field saves as
"Save reading" does, with the same checks; a stop reading shows the stop and the start stays
blocked; Enter never confirms an unlikely reading, and never saves one reading twice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.protocol import Severity
from companion.domain.vitals import Reading, VitalLevel
from companion.services.container import Services
from companion.ui.main_window import MainWindow
from companion.ui.session.before import BeforeView
from companion.ui.session.page import SessionPage
from companion.ui.shell_pages import SESSION_PAGE
from tests.support.gui import click, visible_texts
from tests.support.session_walk import (
    MINUTE,
    SessionWindow,
    answer_no_to_health,
    settle,
    tick_checklist,
    type_reading,
)


def open_before(qtbot: QtBot, window: MainWindow, page: SessionPage) -> BeforeView:
    click(qtbot, page.start_view.start_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None
    tick_checklist(qtbot, before, required_only=True)
    answer_no_to_health(qtbot, before)
    settle(qtbot, window)
    return before


def saved_readings(before: BeforeView) -> list[list[Reading]]:
    sent: list[list[Reading]] = []
    before.vitals.submitted.connect(sent.append)
    return sent


def test_enter_in_the_last_field_saves_the_reading(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    sent = saved_readings(before)
    type_reading(qtbot, before.vitals.first, 124, 80, 70)
    pulse = before.vitals.first.boxes["pulse"]
    assert pulse.hasFocus()
    qtbot.keyClick(pulse, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert sent == [[Reading(124.0, 80.0, 70.0)]]
    assert before.vitals.assessment is not None
    assert before.vitals.assessment.level is VitalLevel.OK
    assert before.vitals.result.isVisible()
    assert before.vitals.save_button.isEnabled()
    qtbot.waitUntil(before.begin_button.isEnabled, timeout=10_000)
    assert page.stack.currentWidget() is before  # Enter did not press "Begin the session"


def test_enter_in_any_field_saves_both_readings_with_the_keypad_key(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    sent = saved_readings(before)
    type_reading(qtbot, before.vitals.first, 130, 84, 72)
    click(qtbot, before.vitals.add_second)
    type_reading(qtbot, before.vitals.second, 126, 80, 70)
    systolic = before.vitals.first.boxes["systolic"]  # not the last field
    systolic.setFocus()
    qtbot.keyClick(systolic, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    settle(qtbot, window)
    assert sent == [[Reading(130.0, 84.0, 72.0), Reading(126.0, 80.0, 70.0)]]
    assert before.vitals.assessment is not None


def test_enter_takes_a_number_still_being_typed(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    """The box commits what was typed before the form reads it (no stale value saved)."""
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    sent = saved_readings(before)
    boxes = before.vitals.first.boxes
    for key, text in (("systolic", "122"), ("diastolic", "78")):
        boxes[key].setFocus()
        qtbot.keyClicks(boxes[key], text)
    qtbot.keyClick(boxes["diastolic"], Qt.Key.Key_Return)
    settle(qtbot, window)
    assert sent == [[Reading(122.0, 78.0, None)]]


def test_enter_with_nothing_typed_says_what_is_missing(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    sent = saved_readings(before)
    box = before.vitals.first.boxes["systolic"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert sent == []
    assert before.vitals.problem.isVisible()
    assert "top and bottom numbers" in before.vitals.problem.text()
    assert before.vitals.save_button.isEnabled()


def test_enter_on_a_stop_reading_shows_the_stop_and_the_start_stays_blocked(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    type_reading(qtbot, before.vitals.first, 72, 40, 38)  # low: a stop
    pulse = before.vitals.first.boxes["pulse"]
    qtbot.keyClick(pulse, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert before.vitals.stop_card.isVisible()
    assert before.vitals.assessment is not None
    assert before.vitals.assessment.level is VitalLevel.STOP
    assert not before.begin_button.isEnabled()
    # Enter again, and again with a calmer reading: the stop stands, nothing goes past it.
    qtbot.keyClick(pulse, Qt.Key.Key_Return)
    settle(qtbot, window)
    manual_clock.advance(MINUTE)
    type_reading(qtbot, before.vitals.first, 124, 80, 70)
    qtbot.keyClick(before.vitals.first.boxes["pulse"], Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "still stands" in before.vitals.result.text()
    assert before.vitals.stop_card.isVisible()
    assert not before.begin_button.isEnabled()
    assert page.stack.currentWidget() is before
    assert "No session today" in " ".join(visible_texts(before.readiness))


def test_enter_never_confirms_an_unlikely_reading(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    confirmed: list[list[Reading]] = []
    before.vitals.confirmed.connect(confirmed.append)
    type_reading(qtbot, before.vitals.first, 120, 80, 20)  # a pulse of 20: please check
    pulse = before.vitals.first.boxes["pulse"]
    qtbot.keyClick(pulse, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "Please check" in before.vitals.problem.text()
    assert before.vitals.confirm_button.isVisible()
    qtbot.keyClick(pulse, Qt.Key.Key_Return)  # Enter again: asked again, not confirmed
    settle(qtbot, window)
    assert confirmed == []
    assert before.vitals.confirm_button.isVisible()
    assert not before.vitals.result.isVisible()


def test_enter_while_saving_never_saves_twice(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    sent = saved_readings(before)
    type_reading(qtbot, before.vitals.first, 124, 80, 70)
    pulse = before.vitals.first.boxes["pulse"]
    qtbot.keyClick(pulse, Qt.Key.Key_Return)
    qtbot.keyClick(pulse, Qt.Key.Key_Return)  # at once, before the worker answered
    assert not before.vitals.save_button.isEnabled()
    settle(qtbot, window)
    assert len(sent) == 1
    assert before.vitals.save_button.isEnabled()


def test_enter_after_the_dose_saves_a_stop_and_opens_the_emergency_guidance(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    before = open_before(qtbot, window, page)
    type_reading(qtbot, before.vitals.first, 124, 80, 70)
    qtbot.keyClick(before.vitals.first.boxes["pulse"], Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(before.begin_button.isEnabled, timeout=10_000)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None and page.stack.currentWidget() is page.dose)
    dose = page.dose
    assert dose is not None
    click(qtbot, dose.confirm_button)
    qtbot.waitUntil(dose.taken.isVisible)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert page.showing_help
    click(qtbot, page.help_view.end_button)
    qtbot.keyClicks(page.help_view.reason, "felt unwell")
    click(qtbot, page.help_view.confirm_end)
    qtbot.waitUntil(lambda: page.after is not None, timeout=10_000)
    after = page.after
    assert after is not None
    settle(qtbot, window)
    manual_clock.advance(25 * MINUTE)
    type_reading(qtbot, after.vitals.first, 70, 40, 45)
    qtbot.keyClick(after.vitals.first.boxes["pulse"], Qt.Key.Key_Return)
    settle(qtbot, window)
    assert after.vitals.assessment is not None
    assert after.vitals.assessment.level is VitalLevel.STOP
    assert after.vitals.stop_card.heading.text() == "Call your provider now"
    qtbot.waitUntil(lambda: page.showing_help, timeout=10_000)
    click(qtbot, page.help_view.back_button)
    assert after.called_button.isVisible()
    assert after.vitals.stop_card.isVisible()

    # The After step's other one-line answers save with Enter as well.
    after.recovered_time.setFocus()
    qtbot.keyClick(after.recovered_time, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert after.recovered_status.isVisible() and after.recovered_status.text() == "Saved.", (
        after.status.text(),
        after.recovered_time.hasFocus(),
    )
    after.effects.set_severity("nausea", Severity.MILD)
    after.effects.other_note.setFocus()
    qtbot.keyClicks(after.effects.other_note, "a little dizzy")
    qtbot.keyClick(after.effects.other_note, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert after.effects.status.isVisible() and after.effects.status.text() == "Saved."
