"""The session bench counts each stall to the step that made it (``bench/timeline.py``): the
gap that holds a step's mark is that step's click, and a gap that holds none belongs to the
step before. (It counted the gap of a click to the step before, and the first step's to none:
the worst stall of the run, at Rehearse, was in no step's row.)"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

from tests.support.packaging import load_script

BENCH = Path(__file__).resolve().parents[2] / "bench" / "timeline.py"


def _timeline() -> ModuleType:
    saved = sys.path[:]
    try:
        return load_script(BENCH)
    finally:
        sys.path[:] = saved  # the bench puts its own folder first, for its scripts only


# Probe firings (s): a 30 ms gap holds the Rehearse mark, a 20 ms one holds two marks, a 17 ms
# one holds none and comes after "phase: hold".
STAMPS = [0.000, 0.030, 0.035, 0.040, 0.060, 0.065, 0.070, 0.087, 0.092]
MARKS = [(0.001, "Rehearse"), (0.045, "dose confirmed"), (0.050, "phase: hold")]


def test_the_gap_that_holds_a_mark_is_that_steps_own() -> None:
    timeline = _timeline()
    worst = timeline.worst_by_step(SimpleNamespace(stamps=STAMPS), MARKS)
    assert round(worst["Rehearse"]) == 30  # the first step's click: it was counted nowhere
    assert round(worst["dose confirmed"]) == 20
    assert round(worst["phase: hold"]) == 20  # the two marks in one gap: both steps'


def test_a_gap_that_holds_no_mark_belongs_to_the_step_before() -> None:
    timeline = _timeline()
    assert timeline.steps_of_gap(0.070, 0.087, MARKS) == ["phase: hold"]
    assert timeline.steps_of_gap(-0.010, 0.000, MARKS) == []  # before the first step
    places = timeline.worst_places(SimpleNamespace(stamps=STAMPS), MARKS, count=3)
    assert [p.split(" ms at ")[1] for p in places] == [
        "Rehearse",
        "dose confirmed + phase: hold",
        "phase: hold",
    ]
