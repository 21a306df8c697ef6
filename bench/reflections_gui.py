"""Reflections list benchmark, GUI level (issue 16 item 3): the paged list as a patient gets it.

For each bench vault of ``bench/vaults.py`` (1k / 10k / 50k entries, cached; copied for the
run, since unlocking writes), in a process of its own (so memory figures are per vault):
the real ``MainWindow``, the passphrase typed into the unlock form and Enter pressed as key
events, Home painted, the background page builds done; then on the Reflections page:

* first screen painted: the list cleared (as before its first load), the page shown and
  loaded, until the table's viewport paints with rows (the read runs on the worker through
  ``ctx.tasks``, the rows come back to the GUI thread);
* reload: with two more pages read and a row chosen, a change broadcast (``Change.JOURNAL`` from
  another op, as a save on the Journal page sends) until every page that listens has read
  again and the list is shown; then the same reload asked by the page alone (``load``);
* next page: the table scrolled to its end until the next page is in and painted.

Stalls: a 5 ms precise timer on the GUI thread; the longest gap between two firings (the
interval not subtracted) from the action until the worker is idle and 100 ms more. The same-run
baseline is an idle event loop with the same probe over the same span, interleaved (A/B).
Memory: the process's resident set after the rounds (VmRSS) and its peak (VmHWM).

Goal at 50k: first screen <= 50 ms, stall on reload <= 50 ms, memory sub-linear in N.

Run: .venv/bin/python bench/reflections_gui.py [--bench-vaults 1000 10000 50000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _gui_probe import Probe, run_for, run_until  # noqa: E402

GOAL_MS = 50.0
MARK = "RESULT "


class RowsPainted:
    """Notes when a widget next paints while ``ready()`` holds (an event filter on it)."""

    def __init__(self, widget: Any, ready: Callable[[], bool]) -> None:
        from PySide6.QtCore import QEvent, QObject

        outer = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if outer.at is None and event.type() == QEvent.Type.Paint and ready():
                    outer.at = time.perf_counter()
                return False

        self.at: float | None = None
        self.filter = Filter()
        widget.installEventFilter(self.filter)


def unlock(window: Any, passphrase: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    screen = window.unlock_screen
    assert screen is not None
    edit = screen.form.passphrase.edit
    edit.setFocus()
    QTest.keyClicks(edit, passphrase)
    QTest.keyClick(edit, Qt.Key.Key_Return)
    run_until(lambda: window.shell is not None)
    # The first reads after opening a freshly copied vault wait for its pages to come off the
    # disk (minutes at 50k under load): not what is measured here.
    run_until(lambda: window.ctx.tasks.pending == 0, timeout=900)
    run_for(1.0)  # the pages built in the background after Home
    run_until(lambda: window.ctx.tasks.pending == 0)


def memory_mb() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def one_vault(count: int, rounds: int) -> dict[str, Any]:
    """Runs in a process of its own: unlock, then the rounds; returns the figures."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from vaults import PASSPHRASE, vault_folder

    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import Settings
    from companion.ui.application import create_application
    from companion.ui.main_window import MainWindow
    from companion.ui.shell_pages import Page

    create_application()
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(vault_folder(count, kdf="test"), folder)
        paths = DataPaths(folder)
        services = build_services(paths, SystemClock())
        window = MainWindow(services, Settings(paths.preferences), voice_engine="mock")
        window.resize(1366, 768)
        window.show()
        probe = Probe()
        probe.start()
        run_for(0.3)
        unlock(window, PASSPHRASE)
        shell = window.shell
        assert shell is not None
        shell.show_page(Page.REFLECTIONS)
        run_until(lambda: window.ctx.tasks.pending == 0)
        figures: dict[str, list[float]] = {}
        for _ in range(rounds):
            for name, value in _round(window, shell, probe).items():
                figures.setdefault(name, []).append(value)
        rss, peak = memory_mb()
        rows = shell.review.reflections.model.rowCount()
        window.prepare_to_quit()
        services.worker.submit(services.vault.lock).result(timeout=120)
        services.worker.shutdown()
        window.close()
    return {"figures": figures, "rss": rss, "peak": peak, "rows": rows}


def _round(window: Any, shell: Any, probe: Probe) -> dict[str, float]:
    from companion.ui.shell_pages import Page
    from companion.ui.tasks import Change

    page = shell.review.reflections
    table, model = page.listing.table, page.model
    tasks = window.ctx.tasks
    out: dict[str, float] = {}

    def idle_like(span: float, name: str) -> None:
        start = time.perf_counter()
        run_for(span)
        out[name] = probe.worst_ms(start, time.perf_counter())

    # First screen painted, from nothing loaded.
    page.clear()
    shell.show_page(Page.HOME)
    run_until(lambda: tasks.pending == 0)
    run_for(0.3)
    painted = RowsPainted(table.viewport(), lambda: model.rowCount() > 0)
    start = time.perf_counter()
    shell.show_page(Page.REFLECTIONS)
    page.load()
    run_until(lambda: painted.at is not None)
    assert painted.at is not None
    run_until(lambda: tasks.pending == 0 and not model.filling)
    run_for(0.1)
    end = time.perf_counter()
    out["first screen"] = (painted.at - start) * 1000
    out["stall: first screen"] = probe.worst_ms(start, end)
    idle_like(end - start, "stall: idle (A/B)")

    # Two pages more read and a row chosen, then a change broadcast from elsewhere.
    for _ in range(2):
        had = model.rowCount()
        table.scrollToBottom()
        run_until(lambda n=had: model.rowCount() > n or model.rowCount() >= model.shown)
        run_until(lambda: not model.filling)
    run_until(lambda: tasks.pending == 0 and not model.filling)
    table.setCurrentIndex(model.index(min(300, model.rowCount() - 1), 2))
    chosen = model.entry_id(table.currentIndex().row())
    run_for(0.2)
    generation = model.generation
    start = time.perf_counter()
    tasks.run(lambda s: None, receiver=window, changes=frozenset({Change.JOURNAL}))
    run_until(lambda: model.generation > generation and tasks.pending == 0 and not model.filling)
    shown = time.perf_counter()
    run_for(0.1)
    end = time.perf_counter()
    assert model.entry_id(table.currentIndex().row()) == chosen, "the chosen entry was lost"
    out["reload"] = (shown - start) * 1000
    out["stall: reload"] = probe.worst_ms(start, end)
    idle_like(end - start, "stall: idle (A/B) 2")

    # The same reload asked by this page alone (no other page reloading with it).
    generation = model.generation
    start = time.perf_counter()
    page.load()
    run_until(lambda: model.generation > generation and tasks.pending == 0 and not model.filling)
    end = time.perf_counter()
    out["reload, page alone"] = (end - start) * 1000
    out["stall: reload, page alone"] = probe.worst_ms(start, end + 0.1)

    # The next page, scrolled to.
    before = model.rowCount()
    painted = RowsPainted(table.viewport(), lambda: model.rowCount() > before)
    start = time.perf_counter()
    table.scrollToBottom()
    run_until(lambda: painted.at is not None or model.rowCount() >= model.shown)
    run_until(lambda: tasks.pending == 0 and not model.filling)
    end = time.perf_counter()
    if painted.at is not None:
        out["next page"] = (painted.at - start) * 1000
        out["stall: next page"] = probe.worst_ms(start, end + 0.1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-vaults", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(MARK + json.dumps(one_vault(args.one, args.rounds)), flush=True)
        return
    results: dict[int, dict[str, Any]] = {}
    loads = [os.getloadavg()[0]]
    for count in args.bench_vaults:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(count), "--rounds", str(args.rounds)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(f"{count}: failed\n" + done.stderr[-3000:])
        line = next(x for x in done.stdout.splitlines() if x.startswith(MARK))
        results[count] = json.loads(line[len(MARK) :])
        loads.append(os.getloadavg()[0])
        print(f"  {count}: done", flush=True)
    sizes = args.bench_vaults
    print(f"\nload average: {min(loads):.1f}-{max(loads):.1f} (2 cores); "
          f"medians of {args.rounds} (max in brackets), ms")  # fmt: skip
    print(f"{'figure':<26}" + "".join(f"{n:>16}" for n in sizes))
    for name in results[sizes[0]]["figures"]:
        cells = ""
        for n in sizes:
            values = results[n]["figures"].get(name, [])
            cell = f"{statistics.median(values):.0f} [{max(values):.0f}]" if values else "-"
            cells += f"{cell:>16}"
        print(f"{name:<26}{cells}")
    for key, label in (("rss", "RSS after, MB"), ("peak", "peak RSS, MB"), ("rows", "rows held")):
        print(f"{label:<26}" + "".join(f"{results[n][key]:>16.0f}" for n in sizes))
    print(f"goal at 50k: first screen and stall on reload <= {GOAL_MS:.0f} ms")


if __name__ == "__main__":
    main()
