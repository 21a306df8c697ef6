"""When the machine itself stood still: a canary process per CPU, pinned to it, that does nothing
but sleep 1 ms in a loop and notes every sleep that came back late.

Why: the development machine is a virtual machine sharing its host, and both its virtual CPUs
stop now and then, together, for 10-130 ms. A process that did nothing but sleep 1 ms at a time
on an idle machine came back 129 ms late once in five minutes, with 0.04 ms of its own CPU time
spent and the guest's steal counter unchanged; two such processes, one pinned to each CPU, were
late at the same instants (27.7 and 22.2 ms, 42.3 and 41.9 ms). A GUI bench that lands on such
a pause sees a stall that no line of Companion made. The canaries let the bench say which part
of a gap the machine's pause explains, instead of guessing.

A canary runs real-time (``SCHED_FIFO``), so it runs the moment its sleep ends, whatever else
the guest is running: a late wake-up is then the machine's, not the bench's own threads holding
the CPU. (Run as an ordinary process, both canaries were late together by 2.8-6.0 ms while the
session kept both CPUs busy; subtracting the guest scheduler's own queue time instead lost
pauses that plain sleepers saw on both CPUs.) Where real-time is not allowed, nothing is
subtracted, and the bench says so. A pause counts only where the canaries on *every* CPU were
paused at once: then no process in the guest ran, whichever CPU the GUI thread was on. A pause
of one CPU alone is reported, never subtracted. The canaries and the benches read the same
clock (``time.perf_counter``, the system's monotonic clock on Linux), so their instants compare
across processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from functools import cached_property

SLEEP_S = 0.001
LATE_S = 0.004  # a 1 ms sleep back more than 4 ms late is a pause (timer slack is 50 us)
CANARY_PRIORITY = 50

Interval = tuple[float, float]


def _canary(cpu: int) -> None:
    """The child: sleeps ``SLEEP_S`` at a time on ``cpu`` until its stdin closes, then prints
    whether it ran real-time and every pause as ``[start, end]``."""
    import select

    os.sched_setaffinity(0, {cpu})
    try:  # real-time: it runs the moment it wakes, whatever the guest's other threads do
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(CANARY_PRIORITY))
        realtime = True
    except PermissionError:
        realtime = False
    pauses: list[Interval] = []
    while True:
        before = time.perf_counter()
        if select.select([sys.stdin], [], [], SLEEP_S)[0]:
            break  # stdin readable: closed by the parent, the run is over
        after = time.perf_counter()
        if after - before > SLEEP_S + LATE_S:
            pauses.append((before + SLEEP_S, after))
    json.dump({"realtime": realtime, "pauses": pauses}, sys.stdout)


def overlap(span: Interval, intervals: list[Interval]) -> float:
    """Seconds of ``span`` covered by ``intervals`` (which do not overlap each other)."""
    start, end = span
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in intervals)


def common(per_cpu: list[list[Interval]]) -> list[Interval]:
    """The spans in which every CPU's canary was paused (the intersection)."""
    if not per_cpu:
        return []
    shared = sorted(per_cpu[0])
    for other in per_cpu[1:]:
        shared = sorted(
            (max(a, c), min(b, d)) for a, b in shared for c, d in other if min(b, d) > max(a, c)
        )
    return shared


class Pauses:
    """What the canaries saw: each CPU's late sleeps, and the spans common to all. (A plain
    class: the benches' tests load this file outside the import system, where a dataclass
    cannot find its module.)"""

    def __init__(self, per_cpu: list[list[Interval]], realtime: bool = True) -> None:
        self.per_cpu = per_cpu
        self.realtime = realtime

    @cached_property
    def machine(self) -> list[Interval]:
        """The spans every CPU was paused in; none when a canary could not run real-time."""
        return common(self.per_cpu) if self.realtime else []

    def own_ms(self, start: float, end: float) -> float:
        """A gap's length less the time the whole machine stood still inside it."""
        return (end - start - overlap((start, end), self.machine)) * 1000


class MachinePauses:
    """``with MachinePauses() as watch: ...`` then ``watch.pauses``: one canary per CPU this
    process may run on, for the span of the block."""

    def __init__(self) -> None:
        self._children: list[subprocess.Popen[str]] = []
        self.pauses = Pauses([])

    def __enter__(self) -> MachinePauses:
        for cpu in sorted(os.sched_getaffinity(0)):
            self._children.append(
                subprocess.Popen(
                    [sys.executable, __file__, str(cpu)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        time.sleep(0.2)  # the canaries started and pinned before the measuring begins
        return self

    def __exit__(self, *exc: object) -> None:
        per_cpu, realtime = [], True
        for child in self._children:
            out, _ = child.communicate(timeout=30)  # closes stdin: the canary prints and ends
            seen = json.loads(out)
            per_cpu.append([(a, b) for a, b in seen["pauses"]])
            realtime = realtime and seen["realtime"]
        self.pauses = Pauses(per_cpu, realtime)


if __name__ == "__main__":
    _canary(int(sys.argv[1]))
