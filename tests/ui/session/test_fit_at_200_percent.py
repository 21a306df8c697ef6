"""The guided session fits a 1366x768 screen at 200 % text (and 100 %), in both themes, at
every step.

A patient who has taken the medicine, or has the eye mask on, must never scroll or hunt for a
control: on the Before step, the dose and hold, the journey (the eye-mask prompt, the quiet
clock, the text-only prompt with its note for the monitor, the overdue alert), the check-in,
the return and the After step, the window stays within the screen's free area, nothing is
clipped, cut short or pushed outside it, and the journey's controls (Help, Call my monitor,
Music, Mark, "I have read this", "I'm back") sit in the window itself, never in a scroll area.
The rehearsal's bar ("Rehearsal at 60x · nothing is recorded" beside Help) fits too.

Screenshots of each step go to $COMPANION_SHOTS when it is set.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId
from companion.services.container import Services
from companion.settings import SPOKEN_PROMPTS, TEXT_SCALE, THEME, Settings
from companion.ui.main_window import MainWindow
from companion.ui.session.page import SessionPage
from companion.ui.theme import apply_theme
from tests.support.gui import click
from tests.support.session_walk import (
    SCREEN,
    SessionWindow,
    advance,
    answer_checkin,
    problems_on_screen,
    settle,
    start_rehearsal,
)

SPEED = 60  # a rehearsal at 60x: a second of the manual clock is a minute of the session


def _scrolled(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def fits(qtbot: QtBot, window: MainWindow, step: str, name: str) -> list[str]:
    """Everything the layout check finds wrong with the window as it is now, for ``step``,
    and the window wholly on the screen."""
    found = problems_on_screen(qtbot, window, step, f"{name}_{step}")
    screen = window.screen()
    assert screen is not None
    available, frame = screen.availableGeometry(), window.frameGeometry()
    if not available.contains(frame):
        found.append(f"{step}: window {frame.getRect()} not inside the screen {available}")
    return found


def in_reach(window: MainWindow, controls: list[QAbstractButton], step: str) -> list[str]:
    """Each control is shown, wholly inside the window, and not in a scroll area."""
    found: list[str] = []
    seen = window.rect()
    for control in controls:
        where = f"{step}: {control.accessibleName()!r}"
        if not control.isVisibleTo(window):
            found.append(f"{where} is hidden")
            continue
        box = QRect(control.mapTo(window, QPoint(0, 0)), control.size())
        if not seen.contains(box):
            found.append(f"{where} at {box.getRect()} is outside the window {seen.getRect()}")
        if _scrolled(control):
            found.append(f"{where} is in a scroll area")
        if control.width() < control.sizeHint().width() or (
            control.height() < control.sizeHint().height()
        ):
            found.append(f"{where} is squeezed: {control.size().toTuple()}")
    return found


def journey_controls(page: SessionPage) -> list[QAbstractButton]:
    journey = page.journey
    assert journey is not None
    call = page.call_button
    assert call.accessibleName() == "Call my monitor"
    return [page.help_button, call, journey.music_button, journey.mark_button]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("spoken", [True, False], ids=["voice", "text-only"])
@pytest.mark.parametrize("scale", [200, 100])
def test_the_whole_session_fits_1366x768(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    settings: Settings,
    themed_app: QApplication,
    theme: str,
    spoken: bool,
    scale: int,
) -> None:
    settings.set(TEXT_SCALE, scale)
    settings.set(THEME, theme)
    settings.set(SPOKEN_PROMPTS, spoken)
    apply_theme(themed_app, theme, scale)
    name = f"{scale}_{theme}_{'voice' if spoken else 'text'}"
    window, shell, page = session_window(SCREEN)
    problems: list[str] = []
    shell.show_page(1)
    settle(qtbot, window)
    problems += fits(qtbot, window, "start", name)
    before = start_rehearsal(qtbot, window, page, SPEED)
    assert before is not None
    assert page.mode.text().startswith("Rehearsal at 60")
    problems += fits(qtbot, window, "before", name)
    problems += in_reach(window, [page.help_button], "before")
    before.verticalScrollBar().setValue(before.verticalScrollBar().maximum())
    problems += fits(qtbot, window, "before-end", name)

    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None and page.stack.currentWidget() is page.dose)
    dose = page.dose
    assert dose is not None
    advance(qtbot, window, page, manual_clock, 2.0)
    problems += fits(qtbot, window, "dose", name)
    problems += in_reach(window, [page.help_button, page.call_button], "dose")
    click(qtbot, dose.confirm_button)
    qtbot.waitUntil(dose.taken.isVisible)
    advance(qtbot, window, page, manual_clock, 5.0)
    problems += fits(qtbot, window, "hold", name)
    problems += in_reach(window, [page.help_button, page.call_button], "hold")

    # The hold ends: the eye-mask prompt, large, in the dim view.
    advance(qtbot, window, page, manual_clock, 11.0)
    advance(qtbot, window, page, manual_clock, 2.0)
    journey = page.journey
    assert journey is not None and page.stack.currentWidget() is journey
    assert journey.center.currentIndex() == 1 and "eye mask" in journey.prompt.text()
    if not spoken:
        assert journey.pinned == ["prompt:eye_mask"] and journey.sound_note.isVisible()
    problems += fits(qtbot, window, "eye-mask", name)
    problems += in_reach(window, [*journey_controls(page), journey.prompt_ok], "eye-mask")
    journey.show_overdue(True)  # the longest the dim view gets: prompt and the alert
    if not spoken:  # both lines speak to the monitor: the alert takes the note's place
        assert journey.overdue.isVisible() and not journey.sound_note.isVisible()
    problems += fits(qtbot, window, "eye-mask-overdue", name)
    problems += in_reach(window, [*journey_controls(page), journey.prompt_ok], "eye-mask-overdue")
    journey.show_overdue(False)
    if not spoken:
        assert journey.sound_note.isVisible() and not journey.overdue.isVisible()
    click(qtbot, journey.prompt_ok)
    settle(qtbot, window)
    assert journey.center.currentIndex() == 0
    journey.show_marked("14:31")
    problems += fits(qtbot, window, "quiet-clock", name)
    problems += in_reach(window, journey_controls(page), "quiet-clock")

    # The first check-in, 15 minutes into the journey.
    advance(qtbot, window, page, manual_clock, 14.0)
    assert journey.showing_checkin
    journey.show_overdue(True)
    problems += fits(qtbot, window, "checkin", name)
    problems += in_reach(window, [*journey_controls(page), journey.checkin.save_button], "checkin")
    journey.show_overdue(False)
    answer_checkin(qtbot, page)
    settle(qtbot, window)

    # On to the return: its prompt, then "I'm back".
    state = page.driver.last_state
    while state is not None and state.phase is PhaseId.JOURNEY:
        remaining = state.phase_remaining_seconds or 0.0
        advance(qtbot, window, page, manual_clock, min(10.0, remaining / SPEED + 0.5))
        if journey.showing_checkin:
            answer_checkin(qtbot, page)
        state = page.driver.last_state
    assert state is not None and state.phase is PhaseId.RETURN
    assert "remove your eye mask" in journey.prompt.text()
    problems += fits(qtbot, window, "return", name)
    problems += in_reach(window, [*journey_controls(page), journey.prompt_ok], "return")
    click(qtbot, journey.prompt_ok)
    settle(qtbot, window)
    problems += fits(qtbot, window, "back", name)  # the quiet clock and "I'm back: continue"
    problems += in_reach(window, [*journey_controls(page), journey.continue_button], "back")
    click(qtbot, journey.continue_button)
    qtbot.waitUntil(lambda: page.after is not None)  # the After step: next turn
    after = page.after
    assert after is not None and page.stack.currentWidget() is after
    settle(qtbot, window)
    problems += fits(qtbot, window, "after", name)
    problems += in_reach(window, [page.help_button], "after")
    after.verticalScrollBar().setValue(after.verticalScrollBar().maximum())
    problems += fits(qtbot, window, "after-end", name)

    page.open_help()
    problems += fits(qtbot, window, "help", name)
    assert problems == [], "\n".join(problems)
