"""What the GUI benches share: a 5 ms probe timer whose longest gap is a stall, and a real event
loop run until a condition holds. Imports only PySide6 (a ``--before`` arm imports another
tree's ``companion``; this module must not bring this tree's)."""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable

PROBE_MS = 5


class Probe:
    """Records when a 5 ms precise timer really fires on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.stamps: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(lambda: self.stamps.append(time.perf_counter()))

    def start(self) -> None:
        self.stamps = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.stamps.append(time.perf_counter())

    def stalls_ms(self) -> list[float]:
        """Every gap between two stamps, in order."""
        return gaps_ms(self.stamps)

    def worst_ms(self, start: float, end: float) -> float:
        """The longest gap between two firings overlapping [start, end] (the interval not
        subtracted: an idle loop shows about ``PROBE_MS``); a running probe's gap up to now
        counts."""
        stamps = [*self.stamps, time.perf_counter()] if self.timer.isActive() else self.stamps
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(stamps) if b >= start and a <= end]
        return max(gaps, default=0.0)


def gaps_ms(stamps: list[float]) -> list[float]:
    """Every gap between two probe firings (ms), in order."""
    return [(b - a) * 1000 for a, b in itertools.pairwise(stamps)]


def summary(values: list[float]) -> tuple[float, float, float]:
    """The worst, the 99th percentile and the median of ``values`` (zeros when empty)."""
    if not values:
        return 0.0, 0.0, 0.0
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return max(values), p99, statistics.median(values)


def run_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """A real event loop (timers fire, deferred deletions happen) until ``condition`` holds
    (checked again after the loop: events after the quit may undo it, e.g. a new task);
    TimeoutError after ``timeout`` seconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state in time")
        loop = QEventLoop()
        check = QTimer()
        check.setInterval(1)
        check.timeout.connect(
            lambda: (condition() or time.monotonic() > deadline) and loop.quit()  # noqa: B023
        )
        check.start()
        loop.exec()
        check.stop()


def run_for(seconds: float) -> None:
    """The event loop for ``seconds``."""
    end = time.monotonic() + seconds
    run_until(lambda: time.monotonic() >= end, seconds + 5)
