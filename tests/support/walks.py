"""A rehearsal walked step by step for the language walks (pseudo and Spanish): each step is
handed to a ``look`` that says what is wrong on screen there."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from typing import TypeVar

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId
from companion.ui.main_window import MainWindow
from tests.support.gui import click
from tests.support.session_walk import advance, answer_checkin, settle

SPEED = 60
T = TypeVar("T")


def dataclass_strings(value: object, into: set[str], depth: int = 0) -> None:
    """Every string inside a (frozen) dataclass tree: the protocol's own texts."""
    if depth > 8:
        return
    if isinstance(value, str):
        into.add(value.strip())
    elif isinstance(value, dict):
        for item in value.values():
            dataclass_strings(item, into, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            dataclass_strings(item, into, depth + 1)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            dataclass_strings(getattr(value, field.name), into, depth + 1)


Look = Callable[[QtBot, MainWindow, QWidget, str, set[str]], T]


def session_steps(
    qtbot: QtBot,
    window: MainWindow,
    clock: ManualClock,
    data: set[str],
    shell: object,
    look: Look[T],
) -> Iterable[T]:
    """A rehearsal's every step, from the start page to Help after the end, each looked at."""
    from companion.ui.shell import Shell

    assert isinstance(shell, Shell)
    page = shell.session_page
    shell.show_page(1)
    settle(qtbot, window)
    yield look(qtbot, window, page, "session start", data)
    page.start_view.speed.setCurrentIndex(page.start_view.speed.findData(SPEED))
    click(qtbot, page.start_view.rehearse_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None
    yield look(qtbot, window, page, "before", data)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None and page.stack.currentWidget() is page.dose)
    dose = page.dose
    assert dose is not None
    advance(qtbot, window, page, clock, 2.0)
    yield look(qtbot, window, page, "dose", data)
    click(qtbot, dose.confirm_button)
    qtbot.waitUntil(dose.taken.isVisible)
    advance(qtbot, window, page, clock, 5.0)
    yield look(qtbot, window, page, "hold", data)
    advance(qtbot, window, page, clock, 11.0)
    advance(qtbot, window, page, clock, 2.0)
    journey = page.journey
    assert journey is not None and page.stack.currentWidget() is journey
    yield look(qtbot, window, page, "eye mask", data)
    click(qtbot, journey.prompt_ok)
    settle(qtbot, window)
    yield look(qtbot, window, page, "quiet clock", data)
    advance(qtbot, window, page, clock, 14.0)
    assert journey.showing_checkin
    yield look(qtbot, window, page, "check-in", data)
    answer_checkin(qtbot, page)
    state = page.driver.last_state
    while state is not None and state.phase is PhaseId.JOURNEY:
        remaining = state.phase_remaining_seconds or 0.0
        advance(qtbot, window, page, clock, min(10.0, remaining / SPEED + 0.5))
        if journey.showing_checkin:
            answer_checkin(qtbot, page)
        state = page.driver.last_state
    yield look(qtbot, window, page, "return", data)
    click(qtbot, journey.prompt_ok)
    settle(qtbot, window)
    click(qtbot, journey.continue_button)
    qtbot.waitUntil(lambda: page.after is not None)  # the After step: next turn
    after = page.after
    assert after is not None
    settle(qtbot, window)
    yield look(qtbot, window, page, "after", data)
    page.open_help()
    yield look(qtbot, window, page, "help", data)
