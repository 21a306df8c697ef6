"""Unlock benchmark (issue 16): how long the window freezes from Enter to Home painted.

The patient's path: the real ``MainWindow`` on a bench vault (``bench/vaults.py``: ``--entries``
entries of 200-3,000 words brought in with ``companion-cli import``, cached, copied for the
run), the passphrase typed into the unlock form and Enter pressed as key events; the KDF
(Argon2id with the parameters ``companion-cli init`` calibrated, unless ``--test-kdf``) runs
on the worker, the shell is built, Home is painted. A 5 ms probe timer on the GUI thread records
when it fires; the longest gap between two firings (the interval not subtracted) is the longest
the window was frozen.

Measured first as the run's first unlock (the shell's modules imported then, as after starting
Companion), then per round, alternating in the same process (lock, unlock again):
- ``lazy``  : the shell as shipped (Home first, other pages one per event-loop turn);
- ``eager`` : the same shell with every page built and loaded at once as Home is shown (what
  Companion did before issue 16), as the same-run comparison;
- ``idle``  : an empty event loop with the same probe over the same span (the floor).
Also the worst stall in the ``--after`` seconds after Home is painted (background page builds
and the pages' data arriving).

Goal: longest GUI-thread stall from Enter to Home painted <= 50 ms.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/unlock.py [--entries 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _gui_probe import PROBE_MS, Probe, run_for, run_until  # noqa: E402

PASSPHRASE = "benchmark passphrase river stone 9"
GOAL_MS = 50.0


class PaintWatch:
    """Notes when anything inside a widget (Home) is first painted (an application-wide
    filter, removed once it has seen the paint)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, QObject
        from PySide6.QtWidgets import QWidget

        outer = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                target = outer.target
                if (
                    outer.painted_at is None
                    and target is not None
                    and event.type() == QEvent.Type.Paint
                    and isinstance(watched, QWidget)
                    and (watched is target or target.isAncestorOf(watched))
                ):
                    outer.painted_at = time.perf_counter()
                    app = QCoreApplication.instance()
                    if app is not None:
                        app.removeEventFilter(self)
                return False

        self.painted_at: float | None = None
        self.target: QWidget | None = None
        self.filter = Filter()

    def watch(self, target: object) -> None:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QWidget

        assert isinstance(target, QWidget)
        self.target = target
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self.filter)


def build_vault(folder: Path, entries: int, sessions: int, test_kdf: bool) -> Path:
    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.services.demo import DemoOptions

    paths = DataPaths(folder)
    paths.ensure()
    kdf = KdfParams.for_tests() if test_kdf else None
    services = build_services(paths, SystemClock(), kdf=kdf)  # None: calibrated, as the app
    services.vault.create(PASSPHRASE)
    services.demo.generate(DemoOptions(entries=entries, sessions=sessions))
    services.vault.lock()
    services.worker.shutdown()
    return folder


def unlock_round(window: object, probe: Probe, eager: bool, after: float) -> tuple[float, ...]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from companion.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    screen = window.unlock_screen
    assert screen is not None
    edit = screen.form.passphrase.edit
    edit.setFocus()
    QTest.keyClicks(edit, PASSPHRASE)
    watch = PaintWatch()

    def on_unlocked() -> None:
        shell = window.shell
        assert shell is not None
        watch.watch(shell.home)
        if eager:
            shell.pages  # noqa: B018 - builds (and loads) every page now, as before issue 16

    window.unlocked.connect(on_unlocked)
    run_for(0.2)
    enter = time.perf_counter()
    QTest.keyClick(edit, Qt.Key.Key_Return)
    run_until(lambda: watch.painted_at is not None, 60)
    painted = watch.painted_at
    assert painted is not None
    run_for(after)
    window.unlocked.disconnect(on_unlocked)
    run_until(lambda: window.ctx.tasks.pending == 0, 60)
    end = time.perf_counter()
    to_home = probe.worst_ms(enter, painted)
    later = probe.worst_ms(painted, end)
    window.lock()
    run_until(lambda: window.ctx.tasks.pending == 0, 60)
    run_for(0.3)
    return to_home, later, (painted - enter) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, choices=(1_000, 10_000, 50_000))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--after", type=float, default=2.0, help="seconds watched after Home")
    parser.add_argument("--test-kdf", action="store_true", help="a quick KDF, not calibrated")
    parser.add_argument(
        "--no-preload",
        action="store_true",
        help="the shell's modules imported on the GUI thread after the KDF (the A/B baseline)",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from vaults import vault_folder

    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import Settings
    from companion.ui.application import create_application
    from companion.ui.main_window import MainWindow

    create_application()
    if args.no_preload:
        from companion.ui import preload

        preload._started.set()  # as if already started: nothing is imported in the background
    cached = vault_folder(args.entries, kdf="test" if args.test_kdf else "real")
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(cached, folder)
        print(
            f"vault: {args.entries} entries ({cached.name}), "
            f"{'test' if args.test_kdf else 'calibrated'} KDF; load: {os.getloadavg()[0]:.2f}"
        )
        paths = DataPaths(folder)
        services = build_services(paths, SystemClock())
        window = MainWindow(services, Settings(paths.preferences), voice_engine="mock")
        window.resize(1120, 800)
        window.show()
        probe = Probe()
        probe.start()
        run_for(0.3)
        # As ``companion.app.start`` does once the first frame is painted: what start-up built
        # is left out of full collections (``heap.keep_long_lived``).
        from companion.heap import keep_long_lived

        keep_long_lived()
        # The first unlock of the run, as after starting Companion (the shell's modules are
        # imported then); the rounds after it unlock again in the same process.
        first = unlock_round(window, probe, eager=False, after=args.after)
        results: dict[str, list[tuple[float, ...]]] = {"lazy": [], "eager": [], "idle": []}
        for index in range(args.rounds):
            for mode in ("lazy", "eager") if index % 2 == 0 else ("eager", "lazy"):
                results[mode].append(
                    unlock_round(window, probe, eager=mode == "eager", after=args.after)
                )
            start = time.perf_counter()
            run_for(1.5)
            results["idle"].append((probe.worst_ms(start, time.perf_counter()), 0.0, 0.0))
        probe.stop()
        services.worker.shutdown()

    def med(mode: str, column: int) -> float:
        return statistics.median(r[column] for r in results[mode])

    idle = med("idle", 0)
    print(f"{args.rounds} rounds each, alternating; medians; probe {PROBE_MS} ms")
    print(f"{'':<34}{'stall to Home':>14}{'Enter->Home':>13}{'stall after':>13}")
    for mode, name in (
        ("lazy", "Companion (pages on demand)"),
        ("eager", "same shell, all pages at once"),
    ):
        print(f"{name:<34}{med(mode, 0):11.1f} ms{med(mode, 2):10.0f} ms{med(mode, 1):10.1f} ms")
    print(
        f"{'first unlock of the run':<34}{first[0]:11.1f} ms{first[2]:10.0f} ms{first[1]:10.1f} ms"
    )
    print(f"{'idle event loop (floor)':<34}{idle:11.1f} ms")
    lazy = max(med("lazy", 0), first[0])
    print(
        f"ratio to all-at-once: {lazy / max(med('eager', 0), 0.1):.2f}; "
        f"goal stall to Home <= {GOAL_MS:g} ms: {'met' if lazy <= GOAL_MS else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
