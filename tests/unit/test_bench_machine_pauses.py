"""The session bench subtracts from a stall only the time the whole machine stood still inside
it (``bench/_machine_pauses.py``): every CPU's canary late at once. A pause of one CPU alone
explains nothing, a stall longer than the pause keeps the rest, and canaries that could not run
real-time explain nothing."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import ModuleType

from tests.support.packaging import load_script

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _pauses() -> ModuleType:
    return load_script(BENCH / "_machine_pauses.py")


def test_only_a_pause_every_cpu_shared_is_the_machines() -> None:
    pauses = _pauses()
    cpu0 = [(1.000, 1.030), (2.000, 2.010)]
    cpu1 = [(1.010, 1.040), (3.000, 3.020)]  # the 2 s and 3 s pauses were one CPU's alone
    assert pauses.common([cpu0, cpu1]) == [(1.010, 1.030)]
    assert pauses.common([cpu0]) == cpu0
    assert pauses.common([]) == []


def test_a_stall_keeps_what_the_machines_pause_does_not_explain() -> None:
    pauses = _pauses()
    seen = pauses.Pauses([[(1.010, 1.030)], [(1.005, 1.040)]])  # still 1.010-1.030: 20 ms
    # A 40 ms gap around the 20 ms pause: 20 ms of it were the program's own.
    assert round(seen.own_ms(1.000, 1.040), 3) == 20.0
    # A gap that only touches the pause keeps all but the part inside it.
    assert round(seen.own_ms(1.025, 1.045), 3) == 15.0
    # A gap elsewhere keeps everything, and one CPU's pause alone subtracts nothing.
    assert round(seen.own_ms(2.000, 2.030), 3) == 30.0
    alone = pauses.Pauses([[(1.000, 1.050)], []])
    assert round(alone.own_ms(1.000, 1.040), 3) == 40.0


def test_nothing_is_subtracted_when_the_canaries_could_not_run_real_time() -> None:
    # An ordinary canary is late whenever the bench's own threads hold its CPU: its lateness
    # would excuse the program's own work.
    pauses = _pauses()
    ordinary = pauses.Pauses([[(1.010, 1.030)], [(1.005, 1.040)]], realtime=False)
    assert ordinary.machine == []
    assert round(ordinary.own_ms(1.000, 1.040), 3) == 40.0


def test_the_canaries_run_on_every_cpu_and_report_when_asked() -> None:
    pauses = _pauses()
    started = time.perf_counter()
    with pauses.MachinePauses() as canaries:
        time.sleep(0.3)
    seen = canaries.pauses
    assert len(seen.per_cpu) == len(os.sched_getaffinity(0))
    for spans in seen.per_cpu:  # whatever they saw lies within the run, on the same clock
        assert all(started <= a < b <= time.perf_counter() for a, b in spans)


def test_the_session_bench_judges_gaps_and_lateness_less_the_machines_pauses() -> None:
    saved = sys.path[:]
    try:
        timeline = load_script(BENCH / "timeline.py")
    finally:
        sys.path[:] = saved  # the bench puts its own folder first, for its scripts only
    seen = _pauses().Pauses([[(0.100, 0.125)], [(0.100, 0.125)]])  # 25 ms, both CPUs
    stamps = [0.000, 0.005, 0.010, 0.040, 0.045, 0.075]
    # The 30 ms gap around the pause was 5 ms of the program's; the later 30 ms gap is all its own.
    assert [round(g) for g in timeline.gaps_ms(stamps)] == [5, 5, 30, 5, 30]
    machine = _pauses().Pauses([[(0.012, 0.037)], [(0.010, 0.040)]])
    assert [round(g) for g in timeline.own_gaps_ms(stamps, machine)] == [5, 5, 5, 5, 30]
    # An event handed over at 0.130, 30 ms late: due at 0.100, the whole pause inside.
    assert [round(x) for x in timeline.own_late_ms([(0.130, 30.0)], seen)] == [5]
    described = timeline.describe_pauses(machine, stamps)
    assert "a 30.0 ms gap is 5.0 ms less the machine's pause" in described
    assert "a 30.0 ms gap held 25.0 ms of canary 0's pauses" in described
    assert "a 30.0 ms gap held 30.0 ms of canary 1's pauses" in described
