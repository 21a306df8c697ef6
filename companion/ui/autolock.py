"""Auto-lock: activity resets an idle policy; one timer asks it "lock now?" against a Clock.

The timer only asks; the answer comes from ``companion.domain.idle`` and the injected clock,
so tests move a ManualClock past the delay instead of waiting.

Sleep counts as idle time: with the real clock the readings come from ``CLOCK_BOOTTIME`` on
Linux, which keeps running while the computer is suspended (``time.monotonic`` stops), so a
laptop closed for an hour is locked the moment it wakes even if the suspend signal was missed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QInputEvent

from companion.domain.clock import Clock, SystemClock
from companion.domain.idle import IdlePolicy
from companion.ui.app_events import app_events

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)
DEFAULT_POLL_MS = 5_000  # how often to ask; the lock happens at most this late


def sleep_aware_seconds() -> float:
    """Seconds on a clock that keeps counting while the computer sleeps, where there is one."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        return time.clock_gettime(boottime)
    return time.monotonic()


def idle_reader(clock: Clock) -> Callable[[], float]:
    """What the idle policy reads: the sleep-aware clock for the real clock, else the injected
    clock's own monotonic reading (a ManualClock in tests)."""
    if isinstance(clock, SystemClock):
        return sleep_aware_seconds
    return clock.monotonic


class AutoLock(QObject):
    lock_due = Signal()
    checked = Signal(bool)  # after every check: whether it decided to lock

    def __init__(
        self,
        clock: Clock,
        minutes: int,
        session_running: Callable[[], bool],
        *,
        poll_ms: int = DEFAULT_POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._read = idle_reader(clock)
        self._session_running = session_running
        self.policy = IdlePolicy.minutes(minutes, self._read())
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.check)
        self._filtering = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self.policy.record_activity(self._read())
        events = app_events()
        if events is not None and not self._filtering:
            events.add(self, ACTIVITY)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        events = app_events()
        if events is not None and self._filtering:
            events.discard(self)
        self._filtering = False

    def set_delay_minutes(self, minutes: int) -> None:
        self.policy.set_delay_minutes(minutes)
        self.policy.record_activity(self._read())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Handed the input of those types as it reaches a window (``ui.app_events``).
        if isinstance(event, QInputEvent) and event.type() in ACTIVITY:
            self.policy.record_activity(self._read())
        return False

    def check(self) -> None:
        due = self.policy.should_lock(self._read(), self._session_running())
        if due:
            self.stop()
        self.checked.emit(due)
        if due:
            self.lock_due.emit()
