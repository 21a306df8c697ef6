"""Drives a session timeline from one place: "what is true now?", asked of the clock.

A repeating timer (10 Hz) refreshes what the screen shows; a single-shot precise timer is armed
for the next event the timeline knows of, so prompts come on time rather than up to a tick
late. Neither counts anything: every answer comes from ``SessionTimeline`` and the injected
``Clock``, so tests move a ManualClock and call ``tick()``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from companion.domain.clock import Clock
from companion.domain.timeline import SessionTimeline, TimelineState

TICK_MS = 100
MAX_ARM_MS = 60_000  # re-check at least every minute (the clock may be moved, or jump)


class TimelineDriver(QObject):
    due = Signal(object)  # DueEvent, once per event, in order
    ticked = Signal(object)  # TimelineState, after the due events of the same instant

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timeline: SessionTimeline | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._next = QTimer(self)
        self._next.setSingleShot(True)
        self._next.setTimerType(Qt.TimerType.PreciseTimer)
        self._next.timeout.connect(self.tick)
        self.last_state: TimelineState | None = None

    @property
    def timeline(self) -> SessionTimeline | None:
        return self._timeline

    @property
    def running(self) -> bool:
        return self._ticker.isActive()

    def drive(self, timeline: SessionTimeline) -> None:
        self._timeline = timeline
        self._ticker.start()
        self.tick()

    def stop(self) -> None:
        self._ticker.stop()
        self._next.stop()
        self._timeline = None

    def tick(self) -> TimelineState | None:
        timeline = self._timeline
        if timeline is None:
            return None
        now = self._clock.monotonic()
        for due in timeline.poll(now):
            self.due.emit(due)
            if self._timeline is not timeline:  # a handler ended the session
                return None
        state = timeline.state(now)
        self.last_state = state
        self.ticked.emit(state)
        self._arm(timeline, now)
        return state

    def _arm(self, timeline: SessionTimeline, now: float) -> None:
        seconds = timeline.seconds_until_next_event(now)
        if seconds is None:
            self._next.stop()
            return
        self._next.start(min(MAX_ARM_MS, max(0, math.ceil(seconds * 1000))))
