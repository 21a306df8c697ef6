"""Reflections benchmark, GUI level (issue 4): the pages a patient uses, on a large vault.

Builds the same 10,000-entry demo vault as ``bench/reflections.py`` (500 sessions with vitals
and scores), opens Companion's real window on it (offscreen unless a display is asked for) and
measures, through the UI's own path (TaskRunner -> database worker -> models -> widgets):

* opening the Reflections page populated: from showing it with nothing loaded to the table
  holding every entry, painted (and, for context, unlocking: the shell with every page built,
  and the time until the list is filled while the other pages load too);
* search latency: a query typed into the search box to ranked, highlighted results shown
  (50 queries of 1-3 words; median and p95);
* rendering the Insights page: from showing it to the last of its seven charts drawn;
* the largest GUI-thread stall (the longest gap between ticks of a 1 ms probe timer) while
  each of these happens.

Targets: open < 300 ms, Insights < 500 ms, no stall > 50 ms while these pages work (building
the whole shell at unlock is reported, not judged: most of it is the other pages).

Run: .venv/bin/python bench/reflections_gui.py [--entries N] [--sessions N] [--queries N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer  # noqa: E402

from bench.reflections import build_baseline, build_vault, percentile, pick_queries  # noqa: E402
from companion.services.demo import DemoOptions  # noqa: E402

TARGETS = {"open": 300.0, "insights": 500.0, "stall": 50.0}
_built_ms: dict[str, float] = {}


def _time_construction() -> None:
    """Records how long the review pages take to build (their share of unlocking)."""
    from companion.ui.insights.page import InsightsPage
    from companion.ui.journal.page import JournalPage
    from companion.ui.reflections.page import ReflectionsPage

    for cls in (JournalPage, ReflectionsPage, InsightsPage):
        original = cls.__init__

        def timed(self: object, *a: object, _o: object = original, _n: str = cls.__name__,
                  **k: object) -> None:  # fmt: skip
            start = time.perf_counter()
            _o(self, *a, **k)  # type: ignore[operator]
            _built_ms[_n] = (time.perf_counter() - start) * 1000

        cls.__init__ = timed  # type: ignore[method-assign]


class StallProbe(QObject):
    """Ticks every millisecond on the GUI thread; the longest gap is the worst stall."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self.last) * 1000)
        self.last = now

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.worst


def wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def settle(ms: float = 50) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from companion.paths import DataPaths
    from companion.settings import Settings
    from companion.ui.application import create_application
    from companion.ui.main_window import MainWindow
    from companion.ui.shell import PAGE_NAMES
    from companion.ui.theme import apply_theme

    _time_construction()
    app = create_application([])
    apply_theme(app, "dark", 100)
    probe = StallProbe()
    with tempfile.TemporaryDirectory(prefix="companion-bench-gui-") as tmp:
        folder = Path(tmp)
        options = DemoOptions(sessions=args.sessions, entries=args.entries, seed=args.seed)
        print(f"building a demo vault: {args.entries} entries, {args.sessions} sessions ...",
              flush=True)  # fmt: skip
        services, build_seconds = build_vault(folder / "vault", options)
        baseline, words = build_baseline(folder / "words.sqlite", services)
        baseline.close()
        queries = pick_queries(words, args.queries, args.seed)
        settings = Settings(DataPaths(folder / "prefs").preferences)
        window = MainWindow(services, settings, ask_before_losing_key=False)
        window.resize(1280, 860)
        window.show()
        settle(200)

        # 1. Unlocking builds the shell (every page); the Reflections list loads with it.
        probe.start()
        start = time.perf_counter()
        window.show_shell()
        shell_ms = (time.perf_counter() - start) * 1000
        shell = window.shell
        assert shell is not None
        mine_ms = sum(_built_ms.values())
        page = shell.review.reflections
        wait(lambda: page.model.rowCount() == args.entries)
        unlock_list_ms = (time.perf_counter() - start) * 1000
        unlock_stall = probe.stop()
        wait(lambda: window.ctx.tasks.pending == 0)
        settle(300)

        # 2. Opening the Reflections page with nothing loaded yet: fetch, fill, paint.
        page.clear()
        settle(100)
        probe.start()
        start = time.perf_counter()
        shell.show_page(PAGE_NAMES.index("Reflections"))
        page.load()
        wait(lambda: page.model.rowCount() == args.entries)
        page.listing.table.viewport().repaint()
        open_ms = (time.perf_counter() - start) * 1000
        open_stall = probe.stop()
        wait(lambda: window.ctx.tasks.pending == 0)
        settle(100)

        # 2. Search through the box, as typed.
        search_times: list[float] = []
        probe.start()
        for query in queries:
            page.listing.search.setText(query)
            start = time.perf_counter()
            page.run_search()
            wait(lambda: window.ctx.tasks.pending == 0)
            page.listing.hits.viewport().repaint()
            search_times.append((time.perf_counter() - start) * 1000)
        search_stall = probe.stop()
        page.listing.search.clear()
        settle(100)

        # 3. Insights: shown, fetched, seven charts drawn.
        insights = shell.review.insights
        probe.start()
        start = time.perf_counter()
        shell.show_page(PAGE_NAMES.index("Insights"))
        wait(lambda: insights.data is not None and not insights.drawing and not insights._loading)
        insights.viewport().repaint()
        insights_ms = (time.perf_counter() - start) * 1000
        insights_stall = probe.stop()
        charts_drawn = sum(c.has_chart for c in insights.cards.values())

        window.prepare_to_quit()
        services.worker.submit(services.vault.lock).result(timeout=60)
        services.worker.shutdown()
        window.close()

    stall = max(open_stall, search_stall, insights_stall)
    rows = [
        ("Open Reflections, populated (10k rows)", open_ms, "< 300 ms", open_ms < TARGETS["open"]),
        ("Unlock: shell built, all pages (GUI)", shell_ms, "", None),
        ("  of which Journal+Reflections+Insights", mine_ms, "", None),
        ("Unlock to the list populated", unlock_list_ms, "", None),
        ("Search via the UI, p50", statistics.median(search_times), "", None),
        ("Search via the UI, p95", percentile(search_times, 95), "", None),
        ("Insights rendered (7 charts)", insights_ms, "< 500 ms",
         insights_ms < TARGETS["insights"]),
        ("Largest GUI stall: unlock (shell build)", unlock_stall, "", None),
        ("Largest GUI stall: opening Reflections", open_stall, "", None),
        ("Largest GUI stall: searching", search_stall, "", None),
        ("Largest GUI stall: Insights", insights_stall, "", None),
        ("Largest GUI stall, these pages", stall, "< 50 ms", stall < TARGETS["stall"]),
    ]  # fmt: skip
    print()
    print(f"demo vault built in {build_seconds:.1f} s; {charts_drawn} charts drawn; "
          f"queries e.g. {', '.join(repr(q) for q in queries[:4])}")  # fmt: skip
    print()
    print(f"{'measure':<44}{'value':>10}  {'target':<10}{'ok':>4}")
    print("-" * 70)
    for name, value, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{name:<44}{value:>8.1f} ms {target:<10}{mark:>4}")


if __name__ == "__main__":
    main()
