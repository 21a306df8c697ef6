"""Reminders while Companion runs: the day before a session and when fasting starts.

A timer asks the planning service, once a minute, which reminders fell due since it last
asked; each is shown once, in the system tray where there is one and on Home always. The
reminder texts hold times only (no medicine, no dose), as the calendar file does.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from companion.ui.context import UiContext
from companion.ui.theme import ICONS_DIR

if TYPE_CHECKING:
    from companion.domain.reminders import Reminder

CHECK_MS = 60_000


class ReminderTray(QObject):
    reminded = Signal(str, str)  # title, text
    show_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._since: datetime | None = None
        self._shown: set[str] = set()
        self.icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = QSystemTrayIcon(QIcon(str(ICONS_DIR / "companion.svg")), self)
            icon.setToolTip("Companion")
            icon.activated.connect(lambda _reason: self.show_requested.emit())
            icon.show()
            self.icon = icon
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()
        if self.icon is not None:
            self.icon.hide()

    def check(self) -> None:
        ctx = self._ctx
        since, now = self._since, ctx.clock.now()
        ctx.tasks.run(
            lambda s: s.planning.reminders_due(since, now),
            receiver=self,
            on_result=lambda found: self._show(found, now),
        )

    def _show(self, reminders: tuple[Reminder, ...], now: datetime) -> None:
        self._since = now
        for reminder in reminders:
            if reminder.id in self._shown:
                continue
            self._shown.add(reminder.id)
            if self.icon is not None:
                self.icon.showMessage(reminder.title, reminder.text)
            self.reminded.emit(reminder.title, reminder.text)
