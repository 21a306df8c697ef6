"""The bad paths of issue 9, walked through the running window as a patient would.

A stop reading that a calmer one cannot clear; "End early" after the dose; a second dose the
same day; F1 and Esc from every page and a dialog; the navigation keys and Ctrl+L during the
journey; Help at 200 % text on a 1366x768 screen. Screenshots go to $COMPANION_SHOTS if set.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from companion.domain import session_core as core
from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.settings import TEXT_SCALE, Settings
from companion.ui.shell_pages import PAGE_NAMES, SESSION_PAGE
from tests.support.flow import before_step, begin, finish_after, take_dose
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
from tests.support.vault import PASSPHRASE
from tests.support.window_input import key_click


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("COMPANION_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def ready_before(qtbot: QtBot, window: object, page: object) -> None:
    from companion.ui.main_window import MainWindow
    from companion.ui.session.page import SessionPage

    assert isinstance(window, MainWindow) and isinstance(page, SessionPage)
    click(qtbot, page.start_view.start_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    assert page.before is not None
    tick_checklist(qtbot, page.before, required_only=True)
    answer_no_to_health(qtbot, page.before)
    settle(qtbot, window)


def test_safety_walk_stop_reading_stands(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    ready_before(qtbot, window, page)
    before = page.before
    assert before is not None
    type_reading(qtbot, before.vitals.first, 72, 40, 38)  # low: a stop, not "take note"
    click(qtbot, before.vitals.save_button)
    settle(qtbot, window)
    assert before.vitals.stop_card.isVisible()
    assert "go on" not in before.vitals.result.text()
    shoot(window, "stop_card")
    manual_clock.advance(MINUTE)
    type_reading(qtbot, before.vitals.first, 124, 80, 70)  # calmer: the stop still stands
    click(qtbot, before.vitals.save_button)
    settle(qtbot, window)
    assert "still stands" in before.vitals.result.text()
    assert before.vitals.stop_card.isVisible()
    assert not before.begin_button.isEnabled()
    assert "No session today" in " ".join(visible_texts(before.readiness))


def test_safety_walk_unlikely_reading_asks_to_check(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    ready_before(qtbot, window, page)
    before = page.before
    assert before is not None
    type_reading(qtbot, before.vitals.first, 120, 80, 20)
    click(qtbot, before.vitals.save_button)
    settle(qtbot, window)
    assert "Please check" in before.vitals.problem.text()
    assert before.vitals.confirm_button.isVisible() and not before.vitals.result.isVisible()
    click(qtbot, before.vitals.confirm_button)
    settle(qtbot, window)
    assert before.vitals.stop_card.isVisible()


def test_safety_walk_end_early_after_the_dose_goes_to_after(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    ready_before(qtbot, window, page)
    before = page.before
    assert before is not None
    type_reading(qtbot, before.vitals.first, 124, 80, 70)
    click(qtbot, before.vitals.save_button)
    settle(qtbot, window)
    qtbot.waitUntil(before.begin_button.isEnabled, timeout=10_000)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None and page.stack.currentWidget() is page.dose)
    dose = page.dose
    assert dose is not None
    click(qtbot, dose.confirm_button)
    qtbot.waitUntil(dose.taken.isVisible)
    advance(qtbot, window, page, manual_clock, 20 * MINUTE)
    assert page.journey is not None and page.stack.currentWidget() is page.journey
    assert page.help_button.hasFocus() or page.journey.prompt_ok.hasFocus()

    # The navigation keys and Ctrl+L do nothing during the journey; F1 still opens Help.
    for index in range(len(PAGE_NAMES)):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
        assert shell.stack.currentIndex() == SESSION_PAGE
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.shell is shell and window.unlock_screen is None
    assert page.running

    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert page.showing_help
    click(qtbot, page.help_view.end_button)
    qtbot.keyClicks(page.help_view.reason, "felt unwell")
    click(qtbot, page.help_view.confirm_end)
    qtbot.waitUntil(lambda: page.after is not None, timeout=10_000)
    after = page.after
    assert after is not None and page.stack.currentWidget() is after
    assert page.running  # not closed: the After phase
    qtbot.waitUntil(lambda: "Measure again from" in after.vitals_due.text(), timeout=10_000)
    assert "No driving" in after.no_driving.text()
    click(qtbot, after.finish_button)
    settle(qtbot, window)
    assert "still needs" in after.status.text()
    assert page.stack.currentWidget() is after
    shoot(window, "after_phase")

    # A stop reading after the dose opens the emergency guidance at once.
    manual_clock.advance(25 * MINUTE)
    type_reading(qtbot, after.vitals.first, 70, 40, 45)
    click(qtbot, after.vitals.save_button)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.showing_help, timeout=10_000)
    click(qtbot, page.help_view.back_button)
    assert after.called_button.isVisible()


def test_safety_walk_second_dose_same_day_is_refused(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    settings: Settings,
) -> None:
    services = prepared
    services.vault.unlock(PASSPHRASE)
    sid = services.sessions.start_session()
    before_step(services.sessions, sid)
    timeline = begin(services.sessions, sid, manual_clock)
    take_dose(services.sessions, sid, timeline, manual_clock)
    finish_after(services.sessions, sid, manual_clock)
    services.vault.lock()
    manual_clock.advance(10 * MINUTE)

    window, shell, page = session_window()
    shell.show_page(SESSION_PAGE)
    ready_before(qtbot, window, page)
    before = page.before
    assert before is not None
    type_reading(qtbot, before.vitals.first, 124, 80, 70)
    click(qtbot, before.vitals.save_button)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: before.last_result is not None, timeout=10_000)
    qtbot.waitUntil(
        lambda: (
            before.last_result is not None
            and core.INTERVAL_ID in {f.id for f in before.last_result.readiness.blocks}
        ),
        timeout=10_000,
    )
    texts = " ".join(visible_texts(before.readiness))
    assert "Your last dose was too recent" in texts and "+1 555 0100" in texts
    assert not before.begin_button.isEnabled()
    before.ensureWidgetVisible(before.readiness)
    shoot(window, "dose_interval_card")
    click(qtbot, before.not_today_button)
    qtbot.waitUntil(lambda: not page.running, timeout=10_000)
    assert "whenever you are ready" not in page.start_view.notice.text()


def test_safety_walk_help_from_every_page_and_a_dialog(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    for index in range(len(PAGE_NAMES)):
        shell.show_page(index)
        page.close_help()
        shell.show_page(index)
        key = Qt.Key.Key_F1 if index % 2 == 0 else Qt.Key.Key_Escape
        current = shell.stack.currentWidget()
        assert current is not None
        focus = current.focusWidget() or current
        key_click(focus, key)  # as the window system delivers it
        assert shell.stack.currentIndex() == SESSION_PAGE, PAGE_NAMES[index]
        assert page.showing_help, PAGE_NAMES[index]
    page.close_help()
    shell.show_page(0)
    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.open()
    qtbot.waitExposed(dialog)
    key_click(dialog, Qt.Key.Key_F1)
    assert not dialog.isVisible() and page.showing_help


def test_safety_walk_help_fits_1366x768_at_200_percent(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, settings: Settings
) -> None:
    settings.set(TEXT_SCALE, 200)
    window, shell, page = session_window(size=(1366, 768))
    window.apply_appearance()
    qtbot.waitUntil(lambda: not shell.restyler.busy, timeout=10_000)  # restyled in pieces
    shell.open_help()
    qtbot.waitUntil(lambda: page.showing_help)
    help_view = page.help_view
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not shell.restyler.busy, timeout=10_000)
    qtbot.wait(200)  # let the layout settle before looking
    shoot(window, "help_200")
    viewport = help_view.viewport()
    seen = QRect(QPoint(0, 0), viewport.size())
    numbers = [
        w
        for w in help_view.findChildren(QWidget)
        if w.property("role") == "figure" and w.isVisible()
    ]
    assert numbers, "the numbers are shown"
    for widget in numbers:
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        assert seen.contains(QRect(top_left, widget.size())), widget.accessibleName()
    assert window.width() <= 1366 and window.height() <= 768
