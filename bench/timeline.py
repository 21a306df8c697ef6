"""Timeline benchmark (issue 3): prompt lateness and GUI-thread stalls during a sped-up session.

The patient's path on the cached bench vault (``bench/vaults.py``, ``--entries`` 10,000 by
default, copied for the run): the window unlocked through its unlock field (key events, the KDF
on the worker), every page built as after a while of use, then a rehearsal started with the
Session page's Rehearse button (its speed list given the bench's speed), Begin, the dose
confirmed, prompts and check-ins answered with their buttons, through the real Session page (the
real ``TimelineDriver`` with its QTimers, the music through libvlc's silent ``dummy`` output, the
recorder on the database worker). Measured:

- prompt lateness: for every timeline event, how long after the instant it became due the
  driver handed it to the page (``DueEvent.late_seconds``, real seconds);
- GUI-thread stall: a 5 ms probe timer on the GUI thread records when it fires; the longest gap
  between two firings (the interval not subtracted) is the longest the event loop was kept from
  running. The worst stalls are named by the step before them.

The baseline, in the same run, is an empty event loop with the same timers: a single-shot
precise timer armed for the same kind of instants (its lateness) and the same probe.
Targets: prompt lateness under 50 ms; no stall over 16 ms (one frame), each judged less the
time the whole machine stood still inside it (``_machine_pauses``: the development machine is
a virtual machine whose CPUs pause now and then; the raw figures are printed too). The session
runs on the real event loop, and the bench waits ``REACTION_S`` between a button appearing and
its click, as a hand does.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/timeline.py [--entries 10000] [--speed 240]
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _gui_probe import Probe, gaps_ms, run_for, run_until, summary  # noqa: E402
from _machine_pauses import MachinePauses, Pauses, overlap  # noqa: E402

if TYPE_CHECKING:
    from companion.ui.main_window import MainWindow
    from companion.ui.session.page import SessionPage
    from companion.ui.shell import Shell

TARGET_MS = 50.0
FRAME_MS = 16.0
# A hand is not quicker than this from a button appearing to clicking it. Without it the bench
# clicked in the very turn that showed the button, and measured two turns as one stall.
REACTION_S = 0.25


# A timeline event's lateness: when it was handed over (``time.perf_counter``) and how late (ms).
Late = tuple[float, float]


def baseline(seconds: float, events_every: float) -> tuple[list[Late], list[float]]:
    """An empty loop: a 10 Hz timer that does nothing, a precise single shot re-armed for the
    next 'event' instant (as the driver does), and the probe: the lateness and the probe's
    firings."""
    import math

    from PySide6.QtCore import Qt, QTimer

    lateness: list[Late] = []
    start = time.monotonic()
    due = [start + events_every * (k + 1) for k in range(int(seconds / events_every))]
    idle = QTimer()
    idle.setInterval(100)
    idle.timeout.connect(lambda: None)
    shot = QTimer()
    shot.setSingleShot(True)
    shot.setTimerType(Qt.TimerType.PreciseTimer)

    def fire() -> None:
        now = time.monotonic()
        while due and due[0] <= now:
            lateness.append((time.perf_counter(), (now - due.pop(0)) * 1000))
        if due:
            shot.start(max(0, math.ceil((due[0] - now) * 1000)))

    shot.timeout.connect(fire)
    probe = Probe()
    probe.start()
    idle.start()
    fire()
    run_until(lambda: not due, seconds + 5)
    probe.stop()
    idle.stop()
    return lateness, probe.stamps


def steps_of_gap(start: float, end: float, marks: list[tuple[float, str]]) -> list[str]:
    """The steps a gap between two probe firings belongs to: the marks it holds (a mark is
    made just before its click, so the gap that holds it is the click's own work), or, when it
    holds none, the last step before it."""
    held = [name for at, name in marks if start <= at < end]
    return held or [name for at, name in marks if at < start][-1:]


def worst_places(probe: Probe, marks: list[tuple[float, str]], count: int = 6) -> list[str]:
    """The longest stalls, each named by its steps (``steps_of_gap``)."""
    gaps = sorted(((b - a) * 1000, a, b) for a, b in itertools.pairwise(probe.stamps))[-count:]
    named = []
    for gap, start, end in reversed(gaps):
        steps = steps_of_gap(start, end, marks)
        named.append(f"{gap:7.1f} ms at {' + '.join(steps) if steps else 'the start'}")
    return named


def worst_by_step(probe: Probe, marks: list[tuple[float, str]]) -> dict[str, float]:
    """The longest stall of each kind of step (the figures of issue 16: Rehearse, Begin, a
    check-in, the return), each gap counted to the steps it belongs to (``steps_of_gap``).
    Before, a gap was counted to the last mark before it began: the gap of a click went to the
    step before, and the first step's went nowhere."""
    worst: dict[str, float] = {}
    for start, end in itertools.pairwise(probe.stamps):
        for name in steps_of_gap(start, end, marks):
            worst[name] = max(worst.get(name, 0.0), (end - start) * 1000)
    return worst


def show_and_unlock(window: MainWindow) -> Shell:
    """The window shown, unlocked through its unlock field with key events (the KDF runs on
    the worker), and the shell it then holds."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from vaults import PASSPHRASE

    window.resize(1120, 800)
    window.show()
    unlock = window.unlock_screen
    assert unlock is not None
    QTest.keyClicks(unlock.form.passphrase.edit, PASSPHRASE)
    QTest.keyClick(unlock.form.passphrase.edit, Qt.Key.Key_Return)
    run_until(lambda: window.shell is not None, 60)
    shell = window.shell
    assert shell is not None
    return shell


def watch(page: SessionPage, marks: list[tuple[float, str]], lateness: list[Late]) -> None:
    """Notes each due event (its lateness) and phase change, and answers prompts and check-ins
    with their buttons a moment after they appear, as the monitor would."""
    from PySide6.QtCore import QTimer

    from companion.domain.timeline import DueEvent, EventKind, TimelineState

    def on_due(due: DueEvent) -> None:
        handed = time.perf_counter()
        marks.append((handed, f"due: {due.event.kind.name.lower()}"))
        lateness.append((handed, due.late_seconds * 1000))
        if due.event.kind is EventKind.CHECKIN:
            QTimer.singleShot(150, answer_checkin)
        elif due.event.kind is EventKind.PROMPT:
            QTimer.singleShot(150, answer_prompt)

    def answer_checkin() -> None:
        if page.journey is not None and page.journey.showing_checkin:
            panel = page.journey.checkin
            panel.boxes["responsive"].setChecked(True)
            panel.boxes["breathing"].setChecked(True)
            panel.save_button.click()

    def answer_prompt() -> None:
        if page.journey is not None and page.journey.prompt_ok.isVisible():
            page.journey.prompt_ok.click()

    phases: list[str] = []

    def on_tick(state: TimelineState) -> None:
        if not phases or phases[-1] != state.phase.value:
            phases.append(state.phase.value)
            marks.append((time.perf_counter(), f"phase: {state.phase.value}"))

    page.driver.due.connect(on_due)
    page.driver.ticked.connect(on_tick)


def walk(page: SessionPage, speed: float, read: float, marks: list[tuple[float, str]]) -> None:
    """The patient's steps: Rehearse, ``read`` seconds on the Before step, Begin, the dose, and
    (prompts and check-ins answered meanwhile) the After step signed off and finished."""
    start_view = page.start_view
    marks.append((time.perf_counter(), "Rehearse"))
    choice = start_view.speed.findData(int(speed))
    if choice >= 0:  # one of the patient's speeds: chosen in the list, the button clicked
        start_view.speed.setCurrentIndex(choice)
        start_view.rehearse_button.click()
    else:  # faster than the list offers (it stops at 60x): the button's own signal
        start_view.rehearse_requested.emit(int(speed))
    run_until(lambda: page.before is not None and page.before.begin_button.isEnabled(), 10)
    assert page.before is not None
    # The patient reads the Before step (for minutes in a session); the bench gives it
    # ``read`` seconds before pressing Begin, the event loop running meanwhile.
    run_for(read)
    marks.append((time.perf_counter(), "Begin"))
    page.before.begin_button.click()
    run_until(lambda: page.dose is not None, 10)
    assert page.dose is not None
    run_for(REACTION_S)
    marks.append((time.perf_counter(), "dose confirmed"))
    page.dose.confirm_button.click()
    run_until(lambda: page.after is not None, 3 * 3600 / speed + 30)
    assert page.after is not None
    run_for(REACTION_S)
    marks.append((time.perf_counter(), "Finish"))
    page.after.aftercare_read.setChecked(True)  # the monitor's sign-off
    page.after.finish_button.click()
    run_until(lambda: not page.running, 10)


Result = tuple[list[Late], list[float], int, float, list[str], dict[str, float]]


def session(speed: float, entries: int, read: float = 1.0) -> Result:
    from vaults import PASSPHRASE, vault_folder

    from companion.audio.factory import PlayerFactory
    from companion.audio.vlc_player import DEFAULT_VLC_ARGS
    from companion.domain.clock import SystemClock
    from companion.domain.profile import Prescription, Profile
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import Settings
    from companion.ui.main_window import MainWindow
    from companion.ui.shell_pages import Page

    cached = vault_folder(entries)
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        shutil.copytree(cached, paths.root)
        clock = SystemClock()
        services = build_services(paths, clock)
        services.vault.unlock(PASSPHRASE)
        services.profile.save(
            Profile(
                name="Sam",
                provider_name="Dr. Rivera",
                provider_contact="+1 555 0100",
                prescription=Prescription(dose_text="As written on the label"),
            )
        )
        services.vault.lock()

        # The app's factory (libvlc started on its thread), with VLC's silent output.
        audio = PlayerFactory(clock, vlc_args=(*DEFAULT_VLC_ARGS, "--aout=dummy"))
        window = MainWindow(
            services,
            Settings(paths.preferences),
            audio=audio,
            voice_engine="mock",
        )
        shell = show_and_unlock(window)
        # Every page built, as after a while of use, the way the app builds them: Export and
        # Settings when first shown, the others by the shell a turn at a time after unlocking
        # (``shell.pages`` would build them all at once, and the shell would not then keep
        # them out of the collector's reach as it does).
        for index in (Page.EXPORT, Page.SETTINGS, Page.SESSION):
            shell.show_page(index)
        page = shell.session_page
        lateness: list[Late] = []
        marks: list[tuple[float, str]] = []

        watch(page, marks, lateness)
        run_until(lambda: all(shell.is_built(i) for i in Page), 30)
        run_until(lambda: window.ctx.tasks.pending == 0, 10)
        probe = Probe()
        probe.start()
        started = time.monotonic()
        walk(page, speed, read, marks)
        elapsed = time.monotonic() - started
        probe.stop()
        events = len(lateness)
        window.prepare_to_quit()
        services.worker.submit(services.vault.lock).result(timeout=30)
        services.worker.shutdown()
        window.close()
        audio.close()
        places = worst_places(probe, marks)
        return lateness, probe.stamps, events, elapsed, places, worst_by_step(probe, marks)


def raw_late(lateness: list[Late]) -> list[float]:
    return [late for _, late in lateness]


def own_gaps_ms(stamps: list[float], pauses: Pauses) -> list[float]:
    """Every gap less the time the whole machine stood still inside it."""
    return [pauses.own_ms(a, b) for a, b in itertools.pairwise(stamps)]


def own_late_ms(lateness: list[Late], pauses: Pauses) -> list[float]:
    """Every event's lateness less the time the whole machine stood still while it was due."""
    return [pauses.own_ms(handed - late / 1000, handed) for handed, late in lateness]


def describe_pauses(pauses: Pauses, stamps: list[float]) -> str:
    """The machine's pauses during the session's probe, and, for each gap over a frame, how
    much of it every CPU (subtracted) and each CPU alone (not subtracted) stood still."""
    if not pauses.realtime:
        return "the canaries could not run real-time: no pause of the machine subtracted"
    start, end = (stamps[0], stamps[-1]) if stamps else (0.0, 0.0)
    during = [(a, b) for a, b in pauses.machine if b > start and a < end]
    lines = [
        f"the machine stood still (every CPU's canary late at once) {len(during)} times in the "
        f"session: " + (", ".join(f"{(b - a) * 1000:.1f}" for a, b in during) or "none") + " ms"
    ]
    for cpu, spans in enumerate(pauses.per_cpu):
        alone = [(a, b) for a, b in spans if b > start and a < end]
        lines.append(f"  canary {cpu}: {len(alone)} late sleeps (one CPU alone is not subtracted)")
    for a, b in itertools.pairwise(stamps):
        gap, own = (b - a) * 1000, pauses.own_ms(a, b)
        if gap <= FRAME_MS:
            continue
        if own < gap:
            lines.append(f"  a {gap:.1f} ms gap is {own:.1f} ms less the machine's pause")
        for cpu, spans in enumerate(pauses.per_cpu):
            if still := overlap((a, b), spans) * 1000:
                lines.append(f"  a {gap:.1f} ms gap held {still:.1f} ms of canary {cpu}'s pauses")
    return "\n".join(lines)


def profiled_main(entries: int) -> None:
    """``--profile``: the session under cProfile, the GUI thread's heaviest calls printed."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    session(240.0, entries)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(r"companion", 80)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=240.0, help="rehearsal speed factor")
    parser.add_argument("--entries", type=int, default=10_000, choices=(1_000, 10_000, 50_000))
    parser.add_argument("--baseline", type=float, default=5.0, help="baseline seconds")
    parser.add_argument("--profile", action="store_true", help="profile the session instead")
    parser.add_argument(
        "--read", type=float, default=1.0, help="seconds on the Before step before Begin"
    )
    args = parser.parse_args()

    from companion.ui.application import create_application

    create_application()
    if args.profile:
        profiled_main(args.entries)
        return
    with MachinePauses() as canaries:
        base_late, base_stamps = baseline(args.baseline, events_every=0.25)
        late, stamps, events, elapsed, places, by_step = session(
            args.speed, args.entries, args.read
        )
    pauses = canaries.pauses

    def row(name: str, late_ms: list[float], stall_ms: list[float]) -> str:
        lmax, lp99, lmed = summary(late_ms)
        smax, sp99, smed = summary(stall_ms)
        return (
            f"{name:<34} {lmax:8.1f} {lp99:8.1f} {lmed:8.1f}   {smax:8.1f} {sp99:8.1f} {smed:8.1f}"
        )

    print(
        f"timeline benchmark: rehearsal at {args.speed:g}x, {events} timeline events, "
        f"{elapsed:.1f} s, {args.entries} entries, {args.read:g} s on the Before step; "
        f"baseline {args.baseline:g} s; "
        f"load {os.getloadavg()[0]:.2f}"
    )
    print(f"{'':<34} {'prompt lateness (ms)':^26}   {'GUI-thread stall (ms)':^26}")
    print(f"{'':<34} {'worst':>8} {'p99':>8} {'median':>8}   {'worst':>8} {'p99':>8} {'median':>8}")
    print(row("baseline: empty event loop", raw_late(base_late), gaps_ms(base_stamps)))
    print(row("session (real UI + timeline)", raw_late(late), gaps_ms(stamps)))
    own_late, own = own_late_ms(late, pauses), own_gaps_ms(stamps, pauses)
    print(row("session, less the machine's pauses", own_late, own))
    print("longest stalls:")
    for place in places:
        print("  " + place)
    print("longest stall of each step (from the gap that holds its mark to the next step):")
    for name, gap in by_step.items():
        print(f"  {gap:7.1f} ms  {name}")
    print(describe_pauses(pauses, stamps))
    worst_late, worst_stall = max(own_late, default=0.0), max(own, default=0.0)
    ok = worst_late < TARGET_MS and worst_stall <= FRAME_MS
    print(
        f"targets: lateness under {TARGET_MS:g} ms, no stall over {FRAME_MS:g} ms "
        f"(less the machine's pauses) -> {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
