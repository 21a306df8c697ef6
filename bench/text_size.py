"""Text-size and theme benchmark (issue 16): how long the window freezes when the look changes.

The patient's path: the real ``MainWindow`` on a demo vault (``--entries`` entries), unlocked
through the unlock form (key events, the KDF on the worker), every page built, the Settings page
shown, and a choice made in its lists with the keyboard (End / Home key events on the focused
list): the text size 100 -> 200 % and back, the theme dark -> light and back. A 5 ms probe timer
on the GUI thread records when it fires; the longest gap between two firings (the interval not
subtracted) is the longest freeze, from the key press until the window has repainted and settled
(``--after`` seconds).

In the same run, alternating round by round:
- ``size`` / ``theme``       : Companion as shipped (the font or the palette at once, the window
  restyled a piece per turn);
- ``size at once`` / ``theme at once`` : the same change done as before issue 16 (the
  application's stylesheet set at the new look: every widget re-polished) and each built page's
  own sheet set again;
- ``idle``    : an empty turn of the same length with the same probe (the machine's floor).

Goal: the longest freeze <= 50 ms (one frame, 16 ms, in a session).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/text_size.py [--entries 1000] [--rounds 4]
[--shipped-only]  (to compare two versions: run this script from each checkout, alternately)
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from unlock import PASSPHRASE, Probe, build_vault, run_for, run_until  # noqa: E402

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QComboBox

    from companion.services.container import Services
    from companion.settings import Settings
    from companion.ui.main_window import MainWindow

GOAL_MS = 50.0
MODES = ("size", "size at once", "theme", "theme at once")


def longest_gap_ms(probe: Probe, start: float, end: float) -> float:
    """The longest time between two firings of the probe around [start, end]."""
    stamps = [s for s in probe.stamps if start <= s <= end]
    before = [s for s in probe.stamps if s < start]
    if before:
        stamps.insert(0, before[-1])
    return max(((b - a) * 1000 for a, b in itertools.pairwise(stamps)), default=0.0)


class Changes:
    """The four ways of changing the look, on one unlocked window (Settings shown)."""

    def __init__(self, app: QApplication, window: MainWindow, settings: Settings) -> None:
        shell = window.shell
        assert shell is not None
        self.app, self.window, self.settings, self.shell = app, window, settings, shell
        appearance = shell.settings_page.appearance
        self.lists: dict[str, QComboBox] = {"size": appearance.text_size, "theme": appearance.theme}

    def prepare(self, mode: str) -> None:
        """Not timed: the focus on the list used; for the old path, the state before issue 16."""
        if mode.endswith("at once"):
            self.plain()
        else:
            self.lists[mode].setFocus()
            run_for(0.2)

    def change(self, mode: str, up: bool) -> Callable[[], None]:
        """The change to time: up is 200 % or light, down 100 % or dark."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        if not mode.endswith("at once"):
            key = Qt.Key.Key_End if up else Qt.Key.Key_Home
            return lambda: QTest.keyClick(self.lists[mode], key)
        return lambda: self.at_once(mode, up)

    def at_once(self, mode: str, up: bool) -> None:
        """As before issue 16: the application's stylesheet at the new look, the pages' own."""
        from PySide6.QtWidgets import QWidget

        from companion.settings import TEXT_SCALE, THEME
        from companion.ui.theme import apply_theme

        if mode == "size at once":
            self.settings.set(TEXT_SCALE, 200 if up else 100)
        else:
            self.settings.set(THEME, "light" if up else "dark")
        self.window.setUpdatesEnabled(False)
        apply_theme(self.app, self.settings.get(THEME), self.settings.get(TEXT_SCALE))
        for page in self.shell.pages:
            for widget in (page, *page.findChildren(QWidget)):
                own = getattr(widget, "own_style", None)
                if callable(own):
                    widget.setStyleSheet(own())
        self.window.setUpdatesEnabled(True)

    def plain(self) -> None:
        """Every sheet of the pieces taken off: the state before issue 16 (not timed)."""
        from PySide6.QtWidgets import QWidget

        from companion.settings import TEXT_SCALE, THEME
        from companion.ui.theme import apply_theme

        apply_theme(self.app, self.settings.get(THEME), self.settings.get(TEXT_SCALE))
        shell = self.shell
        for part in (shell.nav_area, shell.footer, *shell.pages):
            for widget in (part, *part.findChildren(QWidget)):
                if widget.styleSheet() and not callable(getattr(widget, "own_style", None)):
                    widget.setStyleSheet("")
        run_for(0.5)


def open_window(args: argparse.Namespace, folder: Path) -> tuple[MainWindow, Changes, Services]:
    """The window unlocked through its form, every page built, Settings shown."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import THEME, Settings
    from companion.ui.main_window import MainWindow
    from companion.ui.shell_pages import Page
    from companion.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    build_vault(folder, args.entries, args.sessions, test_kdf=True)
    paths = DataPaths(folder)
    settings = Settings(paths.preferences)
    settings.set(THEME, "dark")
    apply_theme(app, "dark", 100)
    services = build_services(paths, SystemClock())
    window = MainWindow(services, settings, voice_engine="mock")
    window.resize(1120, 760)
    window.show()
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
    shell.show_page(Page.SETTINGS)
    run_for(1.0)
    return window, Changes(app, window, settings), services


def measure(args: argparse.Namespace, changes: Changes, probe: Probe) -> dict[str, list[float]]:
    modes = tuple(m for m in MODES if not (args.shipped_only and m.endswith("at once")))
    results: dict[str, list[float]] = {mode: [] for mode in (*MODES, "idle")}
    for index in range(args.rounds):
        order = modes if index % 2 == 0 else tuple(reversed(modes))
        for mode in order:
            changes.prepare(mode)
            for up in (True, False):  # 100 -> 200 % and back; dark -> light and back
                change = changes.change(mode, up)
                start = time.perf_counter()
                change()
                run_for(args.after)
                results[mode].append(longest_gap_ms(probe, start, time.perf_counter()))
        start = time.perf_counter()
        run_for(args.after)
        results["idle"].append(longest_gap_ms(probe, start, time.perf_counter()))
    changes.plain()  # the state Companion starts in
    return results


def report(args: argparse.Namespace, results: dict[str, list[float]]) -> None:
    idle_ms = statistics.median(results["idle"])
    print(f"{args.rounds} rounds, each a change up and back, alternating; medians (worst)")
    print(f"{'figure':<40}{'ours':>16}{'baseline':>18}{'ratio':>8}  goal")
    for kind in ("size", "theme"):
        ours, old = results[kind], results[f"{kind} at once"] or [float("nan")]
        ours_ms, old_ms = statistics.median(ours), statistics.median(old)
        verdict = "met" if ours_ms <= GOAL_MS else "missed"
        print(
            f"{f'{kind}: longest freeze, vs. as before':<40}"
            f"{ours_ms:7.0f} ({max(ours):4.0f}) ms{old_ms:9.0f} ({max(old):4.0f}) ms"
            f"{ours_ms / old_ms:8.2f}  <= {GOAL_MS:g} ms: {verdict}"
        )
        print(
            f"{f'{kind}: longest freeze, vs. an idle loop':<40}{ours_ms:13.0f} ms"
            f"{idle_ms:15.0f} ms{ours_ms / max(idle_ms, 0.1):8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--after", type=float, default=1.5, help="seconds watched per change")
    parser.add_argument(
        "--shipped-only",
        action="store_true",
        help="only Companion as shipped (no 'as before' path: seconds per change under load); "
        "for comparing two versions in alternate runs",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QWidget

    from companion.ui.application import create_application

    create_application()
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        window, changes, services = open_window(args, Path(tmp) / "data")
        print(
            f"{args.entries} entries, every page built "
            f"({len(window.findChildren(QWidget))} widgets); "
            f"load at start: {os.getloadavg()[0]:.2f}"
        )
        probe = Probe()
        probe.start()
        results = measure(args, changes, probe)
        probe.stop()
        print(f"load at end: {os.getloadavg()[0]:.2f}")
        window.lock()
        run_until(lambda: window.ctx.tasks.pending == 0, 60)
        services.worker.shutdown()
    report(args, results)


if __name__ == "__main__":
    main()
