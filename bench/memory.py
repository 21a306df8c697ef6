"""GUI memory benchmark (issue 16, item 5): how much memory the app holds on a 1k / 10k / 50k
vault, as a patient uses it.

Each arm is a fresh process (one ``--child`` run of this script), so peaks do not mix. The app
arms run Companion's real start-up (``companion.app.start``) on a copy of a cached bench vault
(``bench/vaults.py``), type the passphrase into the unlock field and press Enter (key events;
the KDF on the worker), then show in turn: Home, Journal, Reflections, a search typed into
Reflections' search field, Insights, the Export page's preview of its default choice, and back
to the Export choices. After
each step the event loop runs until the worker is idle plus ``--settle`` seconds, and the
process's resident memory is read from ``/proc/self/status``: ``VmRSS`` (now) and ``VmHWM``
(the peak so far). At the end ``malloc_trim(0)`` shows how much of it glibc held as free memory.
While the preview is made and shown, a 5 ms timer on the GUI thread gives the longest stall
(``preview_longest_gap_ms``; the interval not subtracted).

Same-run baselines: a bare PySide6 window (a QLabel; the floor of any Qt app) and the same app
on an empty vault (the same steps). Arms run in this order in one run; ``--rounds`` repeats them.

Goal: GUI <= 200 MB at 10k, growing sub-linearly with the vault.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/memory.py [--sizes 1000 10000 50000]
     [--kdf test|real] [--settle 1.0] [--rounds 1] [--trace] (tracemalloc: the top allocating
     modules after the last step; slower)
"""

from __future__ import annotations

import argparse
import ctypes
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: a --before tree comes first in its arm
sys.path.insert(0, str(ROOT / "bench"))

PASSPHRASE = "benchmark passphrase river stone 9"
QUERY = "river"
STEPS = (
    "start",
    "unlocked",
    "journal",
    "reflections",
    "search",
    "insights",
    "export",
    "export left",
    "trim",
)


def memory_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process, in KiB."""
    found: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found["VmRSS"], found["VmHWM"]


def report(step: str) -> None:
    rss, hwm = memory_kb()
    print(json.dumps({"step": step, "rss": rss, "hwm": hwm}), flush=True)


def trim() -> None:
    ctypes.CDLL("libc.so.6").malloc_trim(0)


# --------------------------------------------------------------------------------------------
# The child process (not bench/unlock.py's helpers: importing it puts this tree first on the
# path, and a --before arm must import the other tree's companion)


def run_until(condition: Callable[[], bool], timeout: float) -> None:
    """Runs the real event loop until ``condition`` holds (TimeoutError after ``timeout``)."""
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state in time")
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, 0)  # deferred deletions too
        time.sleep(0.002)


def run_for(seconds: float) -> None:
    end = time.monotonic() + seconds
    run_until(lambda: time.monotonic() >= end, seconds + 5)


class Probe:
    """A 5 ms timer on the GUI thread; its longest gap is the longest stall (interval not
    subtracted), from the preview asked for to it shown and settled."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self.tick()
        self.timer.stop()
        return self.longest * 1000


def child_bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    window = QLabel("bare window")
    window.resize(1120, 800)
    window.show()
    run_for(0.5)
    report("start")
    trim()
    report("trim")
    window.close()
    app.quit()


def child_app(folder: Path, settle: float, trace: bool) -> None:
    if trace:
        import tracemalloc

        tracemalloc.start(1)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    import companion.app as companion_app
    from companion.ui.shell_pages import Page

    running = companion_app.start(["--data-dir", str(folder)])
    window = running.window
    window.resize(1120, 800)
    run_until(lambda: running.handle.is_ready, 120)

    def settled(done: Callable[[], bool] = lambda: True) -> None:
        run_until(lambda: window.ctx.tasks.pending == 0 and done(), 600)
        run_for(settle)

    settled()
    report("start")
    screen = window.unlock_screen
    assert screen is not None
    edit = screen.form.passphrase.edit
    edit.setFocus()
    QTest.keyClicks(edit, PASSPHRASE)
    QTest.keyClick(edit, Qt.Key.Key_Return)
    run_until(lambda: window.shell is not None, 300)
    shell = window.shell
    assert shell is not None
    settled()
    report("unlocked")
    shell.show_page(Page.JOURNAL)
    settled()
    report("journal")
    reflections = shell.review.reflections
    shell.show_page(Page.REFLECTIONS)
    settled()
    report("reflections")
    reflections.listing.search.setText(QUERY)
    reflections.run_search()
    settled()
    report("search")
    shell.show_page(Page.INSIGHTS)
    settled()
    report("insights")
    shell.show_page(Page.EXPORT)
    settled()
    export = shell.export_page
    gaps = Probe()
    export.make_preview()
    settled(lambda: not export.busy)
    report("export")
    print(json.dumps({"preview_longest_gap_ms": round(gaps.stop(), 1)}), flush=True)
    export.show_choices()
    settled()
    report("export left")
    if trace:
        print_trace()
    trim()
    report("trim")
    running.on_quit()
    running.app.aboutToQuit.disconnect(running.on_quit)


def print_trace() -> None:
    """The live Python allocations by top-level module (``companion.ui.x``, ``sqlalchemy``)."""
    import tracemalloc

    by_module: dict[str, int] = {}
    for stat in tracemalloc.take_snapshot().statistics("filename"):
        name = stat.traceback[0].filename
        parts = Path(name).with_suffix("").parts
        if "companion" in parts:
            index = len(parts) - 1 - parts[::-1].index("companion")
            key = ".".join(parts[index : index + 3])
        elif "site-packages" in parts:
            key = parts[parts.index("site-packages") + 1]
        else:
            key = "stdlib/" + parts[-1]
        by_module[key] = by_module.get(key, 0) + stat.size
    total = sum(by_module.values())
    print(json.dumps({"trace_total_kb": total // 1024}), flush=True)
    for key, size in sorted(by_module.items(), key=lambda kv: -kv[1])[:15]:
        print(json.dumps({"trace": key, "kb": size // 1024}), flush=True)


# --------------------------------------------------------------------------------------------
# The parent


def run_child(
    arm: str, folder: Path | None, settle: float, trace: bool, tree: Path = ROOT
) -> dict[str, tuple[float, float]]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Compiled bytecode, as an installed Companion has it (this machine sets
    # PYTHONDONTWRITEBYTECODE; compiling every module from source would add its own garbage).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "companion-bench-pycache")
    command = [sys.executable, __file__, "--child", arm.split()[0], "--settle", str(settle)]
    if folder is not None:
        command += ["--folder", str(folder)]
    if trace:
        command.append("--trace")
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=1800, check=False
    )
    steps: dict[str, tuple[float, float]] = {}
    for line in done.stdout.splitlines():
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        if "step" in row:
            steps[row["step"]] = (row["rss"] / 1024, row["hwm"] / 1024)
        else:
            print("   ", arm, row)
    if "trim" not in steps:
        raise SystemExit(f"{arm} failed: {done.stdout[-2000:]} {done.stderr[-3000:]}")
    return steps


def prepare(arm: str, tmp: Path, kdf: str) -> Path | None:
    from vaults import create_empty_vault, vault_folder

    if arm == "bare":
        return None
    folder = tmp / arm
    if folder.exists():
        shutil.rmtree(folder)
    if arm == "empty":
        create_empty_vault(folder, kdf)
    else:
        shutil.copytree(vault_folder(int(arm), kdf=kdf, verbose=False), folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--kdf", choices=("test", "real"), default="test")
    parser.add_argument("--settle", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--before", type=Path, help="another source tree, as extra arms")
    parser.add_argument("--before-sizes", nargs="+", default=["10000"])
    parser.add_argument("--child")
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.child == "bare":
        child_bare()
        return
    if args.child:
        child_app(args.folder, args.settle, args.trace)
        return
    arms = ["bare", "empty", *(str(size) for size in args.sizes)]
    if args.before:
        arms += [f"{size} before" for size in args.before_sizes]
    results: dict[str, list[dict[str, tuple[float, float]]]] = {arm: [] for arm in arms}
    print(f"load {os.getloadavg()[0]:.2f}; KDF {args.kdf}; settle {args.settle} s")
    with tempfile.TemporaryDirectory(prefix="companion-memory-") as tmp:
        for _ in range(args.rounds):
            for arm in arms:
                folder = prepare(arm.split()[0], Path(tmp), args.kdf)
                tree = args.before.resolve() if arm.endswith("before") else ROOT
                results[arm].append(run_child(arm, folder, args.settle, args.trace, tree))
                if folder is not None:
                    shutil.rmtree(folder)
    print_table(arms, results)
    print(f"load at the end {os.getloadavg()[0]:.2f}")


def print_table(arms: list[str], results: dict[str, list[dict[str, tuple[float, float]]]]) -> None:
    def cell(arm: str, step: str, column: int) -> str:
        values = [run[step][column] for run in results[arm] if step in run]
        return f"{statistics.median(values):8.0f}" if values else f"{'-':>8}"

    print(f"MB, median of {len(results[arms[0]])}: RSS now / peak (VmHWM) after each step")
    print(f"{'step':<12}" + "".join(f"{arm:>18}" for arm in arms))
    for step in STEPS:
        row = "".join(f"{cell(arm, step, 0)} /{cell(arm, step, 1)}" for arm in arms)
        print(f"{step:<12}{row}")


if __name__ == "__main__":
    main()
