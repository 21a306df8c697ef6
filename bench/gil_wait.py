"""How long the GUI thread waits for Python's lock while a worker runs Python (issue 16).

Every slot, event handler and timer callback the GUI thread runs in Python needs the
interpreter's lock (the GIL). If a worker thread is running Python at that moment (the recorder
writing a check-in, a search, an import), the GUI thread asks for the lock and the worker gives
it up only after the switch interval: Python's default 5 ms, Companion's 1 ms
(``companion.ui.application.GUI_SWITCH_INTERVAL_S``, set by ``create_application``).

Measured in one process, the arms interleaved a second at a time:

- the app's interval and Python's default, each with a worker thread running pure Python
  (a loop, as SQLAlchemy's ORM work is for the lock);
- baseline: the same event loop with no worker (no wait for the lock at all).

On the GUI thread: the 5 ms probe timer (its longest gap and 99th percentile, the interval not
subtracted), and a turn every 30 ms of six queued Python calls of 0.2 ms each (the time from
queuing them to the last one done: a session's turn is a few such calls between Qt's C++).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gil_wait.py [--seconds 6]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _gui_probe import Probe, run_for, summary  # noqa: E402

CALLS_PER_TURN = 6
CALL_S = 0.0002
TURN_EVERY_MS = 30
PYTHON_DEFAULT_S = 0.005


@dataclass
class Arm:
    """One arm's figures over all its slices."""

    name: str
    interval_s: float | None  # None: the arm has no worker
    gaps_ms: list[float] = field(default_factory=list)
    turns_ms: list[float] = field(default_factory=list)


def busy(seconds: float) -> None:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        pass


class Worker:
    """A thread running Python until told to stop (it holds the lock whenever it can)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        total = 0
        while not self._stop.is_set():
            for i in range(1000):
                total += i

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def one_slice(arm: Arm, seconds: float) -> None:
    """``seconds`` of the event loop with the probe and the turns, for ``arm``."""
    from PySide6.QtCore import QTimer

    if arm.interval_s is not None:
        sys.setswitchinterval(arm.interval_s)
    worker = Worker() if arm.interval_s is not None else None

    def turn() -> None:
        queued = time.perf_counter()
        count = [0]

        def call() -> None:
            busy(CALL_S)
            count[0] += 1
            if count[0] == CALLS_PER_TURN:
                arm.turns_ms.append((time.perf_counter() - queued) * 1000)

        for _ in range(CALLS_PER_TURN):
            QTimer.singleShot(0, call)

    turns = QTimer()
    turns.setInterval(TURN_EVERY_MS)
    turns.timeout.connect(turn)
    probe = Probe()
    probe.start()
    turns.start()
    run_for(seconds)
    turns.stop()
    probe.stop()
    if worker is not None:
        worker.stop()
    arm.gaps_ms.extend(probe.stalls_ms()[1:])  # the first gap spans the slice's start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="per arm, in 1 s slices")
    args = parser.parse_args()

    from companion.ui.application import GUI_SWITCH_INTERVAL_S, create_application

    create_application()
    ours = sys.getswitchinterval()
    assert ours == GUI_SWITCH_INTERVAL_S, "create_application sets the app's interval"
    arms = [
        Arm("Companion (create_application)", ours),
        Arm("Python's default interval", PYTHON_DEFAULT_S),
        Arm("baseline: no worker", None),
    ]
    for _ in range(max(1, round(args.seconds))):
        for arm in arms:
            one_slice(arm, 1.0)
    sys.setswitchinterval(ours)

    print(f"switch interval: Companion {ours * 1000:.1f} ms, Python's default", end=" ")
    print(f"{PYTHON_DEFAULT_S * 1000:.1f} ms")
    print(f"{'arm':32} {'probe worst':>12} {'probe p99':>10} {'turn median':>12} {'turn max':>9}")
    for arm in arms:
        worst, p99, _median = summary(arm.gaps_ms)
        turn_max, _p99, turn_median = summary(arm.turns_ms)
        print(
            f"{arm.name:32} {worst:10.1f} ms {p99:7.1f} ms {turn_median:9.1f} ms {turn_max:6.1f} ms"
        )


if __name__ == "__main__":
    main()
