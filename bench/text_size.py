"""Text-size benchmark (issue 16): how long the window freezes when the text size changes.

The patient's path: the real ``MainWindow`` on a demo vault (``--entries`` entries), unlocked
through the unlock form (key events, the KDF on the worker), every page built, the Settings page
shown, and the text size chosen in its list with the keyboard (End / Home key events on the
focused choice: 100 -> 200 % and back). A 5 ms probe timer on the GUI thread records when it
fires; the longest gap between two firings (the interval not subtracted) is the longest freeze,
from the key press until the window has repainted and settled (``--after`` seconds).

In the same run, alternating round by round:
- ``ours``    : Companion as shipped (the font at once, the window restyled a piece per turn);
- ``at once`` : the same change done as before issue 16 (the application's stylesheet set at
  the new size: every widget re-polished) and each built page's own sheet set again;
- ``idle``    : an empty turn of the same length with the same probe (the machine's floor).

Goal: the longest freeze <= 50 ms (one frame, 16 ms, in a session).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/text_size.py [--entries 1000] [--rounds 4]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from unlock import PASSPHRASE, Probe, build_vault, run_for, run_until  # noqa: E402

GOAL_MS = 50.0


def longest_gap_ms(probe: Probe, start: float, end: float) -> float:
    """The longest time between two firings of the probe around [start, end]."""
    stamps = [s for s in probe.stamps if start <= s <= end]
    before = [s for s in probe.stamps if s < start]
    if before:
        stamps.insert(0, before[-1])
    return max(((b - a) * 1000 for a, b in itertools.pairwise(stamps)), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--after", type=float, default=1.5, help="seconds watched per change")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import TEXT_SCALE, THEME, Settings
    from companion.ui.application import create_application
    from companion.ui.main_window import MainWindow
    from companion.ui.shell_pages import PAGE_NAMES
    from companion.ui.theme import apply_theme

    app = create_application()
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        folder = Path(tmp) / "data"
        build_vault(folder, args.entries, args.sessions, test_kdf=True)
        paths = DataPaths(folder)
        services = build_services(paths, SystemClock())
        settings = Settings(paths.preferences)
        apply_theme(app, settings.get(THEME), 100)
        window = MainWindow(services, settings, voice_engine="mock")
        window.resize(1120, 760)
        window.show()
        probe = Probe()
        probe.start()
        run_for(0.3)
        screen = window.unlock_screen
        assert screen is not None
        edit = screen.form.passphrase.edit
        edit.setFocus()
        QTest.keyClicks(edit, PASSPHRASE)
        QTest.keyClick(edit, Qt.Key.Key_Return)
        run_until(lambda: window.shell is not None, 60)
        shell = window.shell
        assert shell is not None
        shell.pages  # noqa: B018 - every page built, as after a while of use
        run_until(lambda: window.ctx.tasks.pending == 0, 60)
        shell.show_page(PAGE_NAMES.index("Settings"))
        combo = shell.settings_page.appearance.text_size
        combo.setFocus()
        run_for(1.0)
        widgets = len(window.findChildren(QWidget))
        print(
            f"{args.entries} entries, every page built ({widgets} widgets); "
            f"load at start: {os.getloadavg()[0]:.2f}"
        )

        def ours(up: bool) -> None:
            QTest.keyClick(combo, Qt.Key.Key_End if up else Qt.Key.Key_Home)

        def plain(percent: int) -> None:
            """Every sheet of the pieces taken off: the state before issue 16 (not timed)."""
            apply_theme(app, settings.get(THEME), percent)
            for part in (shell.nav_area, shell.footer, *shell.pages):
                for widget in (part, *part.findChildren(QWidget)):
                    if widget.styleSheet() and not callable(getattr(widget, "own_style", None)):
                        widget.setStyleSheet("")
            run_for(0.5)

        def at_once(up: bool) -> None:
            percent = 200 if up else 100
            settings.set(TEXT_SCALE, percent)
            window.setUpdatesEnabled(False)
            apply_theme(app, settings.get(THEME), percent)
            for page in shell.pages:
                for widget in (page, *page.findChildren(QWidget)):
                    own = getattr(widget, "own_style", None)
                    if callable(own):
                        widget.setStyleSheet(own())
            window.setUpdatesEnabled(True)

        results: dict[str, list[float]] = {"ours": [], "at once": [], "idle": []}
        for index in range(args.rounds):
            order = ("ours", "at once") if index % 2 == 0 else ("at once", "ours")
            for mode in order:
                for up in (True, False):  # 100 -> 200 % and back
                    if mode == "at once":
                        plain(100 if up else 200)
                    start = time.perf_counter()
                    (ours if mode == "ours" else at_once)(up)
                    run_for(args.after)
                    results[mode].append(longest_gap_ms(probe, start, time.perf_counter()))
                    if mode == "at once" and not up:
                        plain(100)  # the state Companion starts in, for the next round
            start = time.perf_counter()
            run_for(args.after)
            results["idle"].append(longest_gap_ms(probe, start, time.perf_counter()))
        probe.stop()
        print(f"load at end: {os.getloadavg()[0]:.2f}")
        window.lock()
        run_until(lambda: window.ctx.tasks.pending == 0, 60)
        services.worker.shutdown()

    ours_ms = statistics.median(results["ours"])
    old_ms = statistics.median(results["at once"])
    idle_ms = statistics.median(results["idle"])
    print(f"{args.rounds} rounds, each a change up and back, alternating; medians (worst)")
    print(f"{'figure':<44}{'ours':>10}{'baseline':>12}{'ratio':>8}  goal")
    print(
        f"{'longest freeze, vs. as before issue 16':<44}{ours_ms:8.0f} ms{old_ms:9.0f} ms"
        f"{ours_ms / old_ms:8.2f}  <= {GOAL_MS:g} ms: "
        f"{'met' if ours_ms <= GOAL_MS else 'missed'} (worst {max(results['ours']):.0f} ms)"
    )
    print(
        f"{'longest freeze, vs. an idle loop':<44}{ours_ms:8.0f} ms{idle_ms:9.0f} ms"
        f"{ours_ms / max(idle_ms, 0.1):8.1f}"
    )


if __name__ == "__main__":
    main()
