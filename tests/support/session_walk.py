"""A patient's steps through the Session page, shared by the session UI tests.

Time moves only when a test says so: ``advance`` moves the manual clock and asks the driver
"what is true now?" (what its timer would do), then waits for the worker to finish recording.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from companion.audio.factory import PlayerFactory, load_vlc
from companion.audio.player import BasePlayer
from companion.audio.vlc_player import DEFAULT_VLC_ARGS
from companion.domain.clock import ManualClock
from companion.ui.main_window import MainWindow
from companion.ui.session.before import BeforeView
from companion.ui.session.page import SessionPage
from companion.ui.session.vitals_form import ReadingRow
from companion.ui.shell import Shell
from companion.ui.widgets.text import relayout_now
from tests.support.gui import click

MINUTE = 60.0

SCREEN = (1366, 768)  # the small laptop screen Companion is laid out for


def settle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)


def advance(
    qtbot: QtBot, window: MainWindow, page: SessionPage, clock: ManualClock, seconds: float
) -> None:
    clock.advance(seconds)
    page.driver.tick()
    # the tick's sound, and the After step, follow a turn later
    qtbot.waitUntil(lambda: not page.sound_pending and not page.after_coming)
    settle(qtbot, window)


def tick(qtbot: QtBot, box: QAbstractButton) -> None:
    """Clicks a check box or radio button on its indicator (a wide box's centre may be empty)."""
    assert box.isEnabled(), f"{box.text()!r} is disabled"
    before = box.isChecked()
    qtbot.mouseClick(
        box, Qt.MouseButton.LeftButton, pos=QPoint(box.height() // 2, box.height() // 2)
    )
    assert box.isChecked() != before or box.autoExclusive()


def type_reading(qtbot: QtBot, row: ReadingRow, systolic: int, diastolic: int, pulse: int) -> None:
    for key, value in (("systolic", systolic), ("diastolic", diastolic), ("pulse", pulse)):
        box: QSpinBox = row.boxes[key]
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, str(value))
        assert box.value() == value


def tick_checklist(qtbot: QtBot, before: BeforeView, *, required_only: bool = False) -> None:
    for item_id, box in before.checklist.boxes.items():
        item = next(i for i in before.run.protocol.checklist if i.id == item_id)
        if required_only and not item.required:
            continue
        if not box.isChecked():
            tick(qtbot, box)


def answer_no_to_health(qtbot: QtBot, before: BeforeView) -> None:
    for button in before.health.no.values():
        tick(qtbot, button)
        assert button.isChecked()


SILENT_VLC = (*DEFAULT_VLC_ARGS, "--aout=dummy")


SessionWindow = Callable[..., tuple[MainWindow, Shell, SessionPage]]


def start_rehearsal(
    qtbot: QtBot, window: MainWindow, page: SessionPage, speed: int = 60
) -> BeforeView:
    """Chooses a rehearsal speed on the start view, rehearses, and waits for the Before step."""
    page.start_view.speed.setCurrentIndex(page.start_view.speed.findData(speed))
    click(qtbot, page.start_view.rehearse_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None
    return before


def layout_problems_in(window: QWidget, available: QRect) -> list[object]:
    from tests.support.screen import layout_check

    found: list[object] = layout_check().problems(window, available)
    return found


def problems_on_screen(qtbot: QtBot, window: MainWindow, step: str, shot: str) -> list[str]:
    """What the layout check finds wrong with the window once it has settled, each named by
    ``step``; with ``COMPANION_SHOTS`` set, the window is also saved there as ``shot``.png."""
    relayout_now()
    qtbot.wait(50)  # the window is fitted to the screen one loop turn after a change
    relayout_now()
    folder = os.environ.get("COMPANION_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / f"{shot}.png"))
    screen = window.screen()
    assert screen is not None
    return [f"{step}: {p}" for p in layout_problems_in(window, screen.availableGeometry())]


def answer_checkin(qtbot: QtBot, page: SessionPage) -> None:
    """All is well (an unticked urgent item would open Help)."""
    journey = page.journey
    assert journey is not None
    assert page.protocol is not None
    for item in page.protocol.timeline.checkin.items:
        if not item.concern_answer:
            tick(qtbot, journey.checkin.boxes[item.id])
    click(qtbot, journey.checkin.save_button)
    settle(qtbot, page.window())  # type: ignore[arg-type]


class WatchedVlc:
    """python-vlc, noting the thread of each libvlc_new (``vlc.Instance``)."""

    def __init__(self) -> None:
        self.instances_made_on: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(load_vlc(), name)

    def Instance(self, args: list[str]) -> Any:  # python-vlc's name
        self.instances_made_on.append(threading.get_ident())
        return load_vlc().Instance(args)


class RecordingFactory(PlayerFactory):
    """The app's factory, remembering its players so the test can close them, and where
    libvlc was started (``watched.instances_made_on``)."""

    def __init__(self, clock: ManualClock, made: list[BasePlayer]) -> None:
        self.watched = WatchedVlc()
        super().__init__(clock, vlc_args=SILENT_VLC, vlc_loader=lambda: self.watched)
        self.made = made

    def __call__(self, volume: float) -> BasePlayer:
        player = super().__call__(volume)
        self.made.append(player)
        return player
