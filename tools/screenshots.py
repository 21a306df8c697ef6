"""Takes the README's screenshots of the real app, driven programmatically under Xvfb.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--theme dark] [--scale 100]
    .venv/bin/python tools/screenshots.py --walk [--out DIR] [--report walk.json]

``--walk`` is the screen walk: on a 1366x768 screen it visits first run, unlock, Home, Journal,
Reflections, Insights, Export and Settings at 100 % and 200 % text, light and dark, saves a
picture of each and checks each with ``tools/layout_check.py`` (nothing outside the window or
clipped, no wrapped label cut short, a window no larger than the screen). It exits 1 when it
finds a problem; ``--report`` writes what it found as JSON (tests/ui/test_screen_walk.py).

Re-runs itself under ``xvfb-run`` (a private virtual X server) unless ``--here`` is given, so
it never touches the desktop. Each run uses a fresh temporary data folder and a throw-away vault
(made with cheap test KDF parameters: these pictures need no real protection).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSPHRASE = "lantern orchard quietly seventeen"  # noqa: S105 - a throw-away demo vault
WINDOW_SIZE = (1120, 800)
WALK_SCREEN = "1366x768"
WALK_LIMIT_S = 600
# Qt's silent speech engine: the pictures need no voice, and a busy or broken speech-dispatcher
# can block the creation of a real engine for minutes (seen under load).
QUIET_VOICE = "mock"
WALK_CONFIGS = ((100, "light"), (200, "light"), (200, "dark"), (100, "dark"))
WALK_PAGES = ("Home", "Journal", "Reflections", "Insights", "Export", "Settings")
SAMPLE_PROFILE = {
    "name": "Sam",
    "provider_name": "Dr. Alex Rivera",
    "provider_contact": "+1 555 0100",
    "monitor_name": "Jordan",
    "monitor_phone": "+1 555 0123",
    "emergency_contact_name": "Robin",
    "emergency_contact_phone": "+1 555 0177",
    "dose_text": "As written on the prescription label",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=("dark", "light"), default="dark")
    parser.add_argument("--scale", type=int, choices=(100, 125, 150, 175, 200), default=100)
    parser.add_argument("--here", action="store_true", help="use the current display")
    parser.add_argument(
        "--extra", action="store_true", help="also the profile form and the recovery form (review)"
    )
    parser.add_argument("--walk", action="store_true", help="the checked screen walk")
    parser.add_argument("--report", type=Path, help="--walk: write the findings as JSON here")
    return parser.parse_args()


def relaunch_under_xvfb() -> int:
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("xvfb-run is not installed (Debian: apt install xvfb)", file=sys.stderr)
        return 1
    screen = WALK_SCREEN if "--walk" in sys.argv else "1600x1200"
    command = [
        xvfb,
        "-a",
        "-s",
        f"-screen 0 {screen}x24 -dpi 96",
        sys.executable,
        str(Path(__file__).resolve()),
        *sys.argv[1:],
        "--here",
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    return subprocess.run(command, env=env, check=False).returncode


def afternoon() -> datetime:
    """Today at 14:30 local time: plausible times on the session screens."""
    local = datetime.now().astimezone().replace(hour=14, minute=30, second=0, microsecond=0)
    return local.astimezone(UTC)


def silent_audio(clock: object) -> Callable[[float], object]:
    """Real players on libvlc's silent output: the shots make no sound."""
    from companion.audio.factory import create_player
    from companion.audio.vlc_player import DEFAULT_VLC_ARGS

    def make(volume: float) -> object:
        args = (*DEFAULT_VLC_ARGS, "--aout=dummy")
        return create_player(clock, vlc_args=args, volume=volume)  # type: ignore[arg-type]

    return make


def session_shots(
    window: Any, clock: Any, settle: Callable[..., None], shoot: Callable[[str], None]
) -> None:
    """The checklist, the dimmed journey, Help, a monitor check-in and the after step."""
    shell = window.shell
    page = shell.session_page
    shell.nav_buttons[1].click()
    idle = lambda: window.ctx.tasks.pending == 0  # noqa: E731
    settle(idle)
    page.start_session(None)
    settle(lambda: page.before is not None and idle())
    before = page.before
    for item_id in ("fasting", "schedule_cleared", "not_late", "quiet_room"):
        before.checklist.boxes[item_id].setChecked(True)
    settle(idle)
    before.checklist.boxes["monitor_present"].setFocus()
    before.verticalScrollBar().setValue(0)
    shoot("session-checklist.png")

    for box in before.checklist.boxes.values():
        box.setChecked(True)
    for button in before.health.no.values():
        button.setChecked(True)
    before.vitals.first.set_reading(126, 81, 70)
    before.vitals.save_button.click()
    before.intention.intention.setPlainText("Be gentle with myself")
    before.intention.mood.setValue(5)
    settle(lambda: idle() and before.begin_button.isEnabled())
    before.begin_button.click()
    settle(lambda: page.dose is not None)
    clock.advance(3 * 60)
    page.dose.confirm_button.click()
    settle(lambda: idle() and page.dose.taken.isVisible())

    def move_on(minutes: float) -> None:
        clock.advance(minutes * 60)
        page.driver.tick()
        settle(idle)

    move_on(15.2)
    page.journey.prompt_ok.click()
    move_on(8.4)
    page.journey.music_button.setFocus()
    shoot("session-journey.png")

    page.open_help()
    shoot("session-help.png")
    page.close_help()
    move_on(6.6)  # the first check-in, 15 minutes into the journey
    journey = page.journey
    journey.checkin.boxes["responsive"].setChecked(True)
    journey.checkin.boxes["breathing"].setChecked(True)
    journey.checkin.note.setText("Resting, breathing slowly")
    journey.checkin.save_button.setFocus()
    shoot("session-checkin.png")
    journey.checkin.save_button.click()
    settle(idle)
    move_on(61)
    if page.journey is not None:  # the journey's end may already have moved on to After
        page.journey.continue_button.click()
    settle(lambda: page.after is not None)
    after = page.after
    after.vitals.first.set_reading(122, 79, 68)
    after.vitals.save_button.click()
    settle(lambda: idle() and after.vitals.result.isVisible())
    after.vitals.first.boxes["systolic"].setFocus()
    after.verticalScrollBar().setValue(0)
    shoot("session-after.png")
    # After the dose the only way out is through After (a safety rule): the session is left
    # open there, as a patient may leave it, and the shots go on from Home.
    shell.nav_buttons[0].click()


def main() -> int:
    args = parse_args()
    if not args.here:
        return relaunch_under_xvfb()
    with tempfile.TemporaryDirectory(prefix="companion-shots-") as tmp:
        if args.walk:
            return walk(args, Path(tmp))
        status = take(args, Path(tmp))
        return status or review_shots(args, Path(tmp))


def take(args: argparse.Namespace, data_dir: Path) -> int:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest

    from companion.app import create_application
    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import ManualClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import TEXT_SCALE, THEME, Settings
    from companion.ui.main_window import MainWindow
    from companion.ui.shell_pages import PAGE_NAMES
    from companion.ui.theme import apply_theme

    app = create_application()
    paths = DataPaths(data_dir / "data")
    paths.ensure()
    settings = Settings(paths.preferences)
    settings.set(THEME, args.theme)
    settings.set(TEXT_SCALE, args.scale)
    apply_theme(app, args.theme, args.scale)
    clock = ManualClock(start=afternoon())  # the session shots move time on by hand
    services = build_services(paths, clock, kdf=KdfParams.for_tests())
    window = MainWindow(services, settings, audio=silent_audio(clock), voice_engine=QUIET_VOICE)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.raise_()
    window.activateWindow()  # so the focused field shows its focus ring, as on a desktop
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    def settle(condition: Callable[[], bool] = lambda: True, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not reach the expected state")
            QCoreApplication.processEvents()
            time.sleep(0.01)
        for _ in range(20):  # let layouts and paints finish
            QCoreApplication.processEvents()
            time.sleep(0.005)

    def shoot(name: str) -> None:
        settle()
        path = out / name
        window.grab().save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    def type_into(widget: object, text: str) -> None:
        QTest.keyClicks(widget, text)  # type: ignore[arg-type]

    try:
        flow = window.first_run
        assert flow is not None
        settle(window.isVisible)
        shoot("first-run-welcome.png")

        QTest.mouseClick(flow.welcome.continue_button, Qt.MouseButton.LeftButton)
        step = flow.passphrase
        type_into(step.passphrase.edit, PASSPHRASE)
        type_into(step.confirm.edit, PASSPHRASE)
        settle(step.continue_button.isEnabled)
        shoot("first-run-passphrase.png")

        QTest.mouseClick(step.continue_button, Qt.MouseButton.LeftButton)
        settle(lambda: flow.currentWidget() is flow.recovery)
        flow.recovery.copy_button.setFocus()
        shoot("recovery-key.png")

        flow.recovery.stored.setChecked(True)
        QTest.mouseClick(flow.recovery.continue_button, Qt.MouseButton.LeftButton)
        form = flow.profile.form
        if args.extra:
            QTest.mouseClick(flow.profile.save_button, Qt.MouseButton.LeftButton)
            shoot("extra-profile-problems.png")
        for field, value in SAMPLE_PROFILE.items():
            form.edits[field].setText(value)
        flow.profile.numbers.checked.setChecked(True)  # the country's numbers, confirmed
        if args.extra:
            flow.profile.ensureWidgetVisible(form.hold)
            shoot("extra-profile-prescription.png")
        QTest.mouseClick(flow.profile.save_button, Qt.MouseButton.LeftButton)
        settle(lambda: window.shell is not None)
        shell = window.shell
        assert shell is not None
        settle(lambda: shell.home.completed.value.text() != "…")
        settle(lambda: "Sam" in shell.home.greeting.text())
        shoot("home.png")

        settings_button = shell.nav_buttons[PAGE_NAMES.index("Settings")]
        settings_button.click()
        settings_button.setFocus()
        settle(lambda: shell.settings_page.profile.save_button.isEnabled())
        shoot("settings.png")

        session_shots(window, clock, settle, shoot)

        window.lock()
        settle(lambda: window.unlock_screen is not None)
        shoot("unlock.png")

        unlock = window.unlock_screen
        assert unlock is not None
        type_into(unlock.form.passphrase.edit, "not my passphrase")
        QTest.mouseClick(unlock.form.unlock_button, Qt.MouseButton.LeftButton)
        settle(lambda: not unlock.form.error.isHidden())
        shoot("unlock-wrong.png")
        if args.extra:
            QTest.mouseClick(unlock.form.forgot_button, Qt.MouseButton.LeftButton)
            type_into(unlock.recovery.passphrase.edit, "sunshine")
            shoot("extra-recover.png")
    finally:
        window.prepare_to_quit()
        services.worker.submit(services.vault.lock).result(timeout=30)
        services.worker.shutdown()
        window.close()
    return 0


def review_shots(args: argparse.Namespace, data_dir: Path) -> int:
    """editor.png, reflections-search.png, insights.png: a vault filled by DemoService."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTest import QTest

    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.services.demo import DemoOptions
    from companion.services.search import EntryFilters
    from companion.settings import TEXT_SCALE, THEME, Settings
    from companion.ui.main_window import MainWindow
    from companion.ui.shell_pages import PAGE_NAMES

    paths = DataPaths(data_dir / "demo")
    paths.ensure()
    settings = Settings(paths.preferences)
    settings.set(THEME, args.theme)
    settings.set(TEXT_SCALE, args.scale)
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    services.demo.generate(DemoOptions(sessions=10, entries=28, seed=11, max_words=600))
    # The latest session's reflection is left to write in the picture of the editor.
    latest = services.insights.overview().mood.points[-1].session_id
    for old in services.search.list_entries(EntryFilters(session_id=latest, kind="reflection")):
        services.journal.delete(old.id)
    window = MainWindow(services, settings, voice_engine=QUIET_VOICE)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.show_shell()
    window.raise_()
    window.activateWindow()
    out: Path = args.out

    def settle(condition: Callable[[], bool] = lambda: True, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition() or window.ctx.tasks.pending:
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not reach the expected state")
            QCoreApplication.processEvents()
            time.sleep(0.01)
        for _ in range(30):
            QCoreApplication.processEvents()
            time.sleep(0.005)

    def shoot(name: str) -> None:
        settle()
        path = out / name
        window.grab().save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    try:
        shell = window.shell
        assert shell is not None
        review = shell.review
        settle(lambda: review.reflections.loaded)
        review.open_reflection(latest)
        settle(lambda: review.journal.editor is not None)
        editor = review.journal.editor
        assert editor is not None
        cards = editor.prompts.cards
        QTest.keyClicks(cards[0].answer, "Calm at first, then a wave of *sadness* that passed.")
        QTest.keyClicks(cards[1].answer, "My grandmother's kitchen, warm and bright.")
        QTest.keyClicks(cards[2].answer, "Heavy arms, then light. ")
        editor.title_edit.setText("The kitchen, again")
        shoot("editor.png")
        editor.close_editor()

        shell.show_page(PAGE_NAMES.index("Reflections"))
        page = review.reflections
        QTest.keyClicks(page.listing.search, "kitchen")
        page.run_search()
        settle(lambda: page.hits_model.rowCount() > 0)
        page.listing.hits.setFocus()
        page.listing.hits.setCurrentIndex(page.hits_model.index(0))
        shoot("reflections-search.png")

        shell.show_page(PAGE_NAMES.index("Insights"))
        insights = review.insights
        settle(lambda: insights.data is not None and not insights.drawing)
        insights.verticalScrollBar().setValue(0)
        shoot("insights.png")
        insights.ensureWidgetVisible(insights.cards["phq9"])
        shoot("insights-scores.png")

        shell.show_page(PAGE_NAMES.index("Export"))  # the preview: exactly what would leave
        export = shell.export_page
        settle(lambda: export.choices.picker.model.rowCount() > 0)
        export.choices.preview_button.click()
        settle(lambda: export.currentWidget() is export.preview)
        export.preview.pane.setFocus()
        shoot("export-preview.png")
    finally:
        window.prepare_to_quit()
        services.worker.submit(services.vault.lock).result(timeout=30)
        services.worker.shutdown()
        window.close()
    return 0


def walk(args: argparse.Namespace, data_dir: Path) -> int:
    """The checked walk (see the module's docstring)."""
    import faulthandler
    import json

    faulthandler.dump_traceback_later(WALK_LIMIT_S, exit=True)  # a hang says where, then ends

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from companion.app import create_application
    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.services.demo import DemoOptions
    from companion.settings import TEXT_SCALE, THEME, Settings
    from companion.ui.main_window import MainWindow
    from companion.ui.shell_pages import PAGE_NAMES
    from companion.ui.theme import apply_theme
    from tools.layout_check import problems

    app = create_application()
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    paths = DataPaths(data_dir / "walk")
    paths.ensure()
    settings = Settings(paths.preferences)
    scale, theme = WALK_CONFIGS[0]
    settings.set(THEME, theme)
    settings.set(TEXT_SCALE, scale)
    apply_theme(app, theme, scale)
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    services.demo.generate(DemoOptions(sessions=10, entries=20, seed=11, max_words=400))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {"screen": [available.width(), available.height()]}
    findings: dict[str, list[str]] = {}
    windows: list[MainWindow] = []

    def settle(condition: Callable[[], bool] = lambda: True, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition() or any(w.ctx.tasks.pending or restyling(w) for w in windows):
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not reach the expected state")
            QCoreApplication.processEvents()
            time.sleep(0.01)
        for _ in range(30):
            QCoreApplication.processEvents()
            time.sleep(0.005)

    def check(window: MainWindow, name: str) -> None:
        settle()
        window.grab().save(str(out / f"{name}.png"))
        found = [str(p) for p in problems(window, available)]
        findings[name] = found
        print(f"{name}: {len(found)} problem(s)")
        for line in found[:20]:
            print(f"    {line}")

    window = MainWindow(services, settings, voice_engine=QUIET_VOICE)
    windows.append(window)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.show_shell()
    window.raise_()
    window.activateWindow()
    chosen = (window.width(), window.height())
    shell = window.shell
    assert shell is not None
    appearance = shell.settings_page.appearance
    timings: dict[str, float] = {}
    try:
        for scale, theme in WALK_CONFIGS:
            started = time.monotonic()
            appearance.theme.setCurrentIndex(appearance.theme.findData(theme))
            appearance.text_size.setCurrentIndex(appearance.text_size.findData(scale))
            settle()
            timings[f"{scale}-{theme}"] = round(time.monotonic() - started, 2)
            tag = f"walk-{scale}-{theme}"
            for page in WALK_PAGES:
                shell.show_page(PAGE_NAMES.index(page))
                if page == "Insights":
                    insights = shell.review.insights
                    settle(lambda i=insights: i.data is not None and not i.drawing)
                check(window, f"{tag}-{page.lower()}")
            report[f"size-{scale}-{theme}"] = [window.width(), window.height()]
            window.lock()
            settle(lambda: window.unlock_screen is not None)
            check(window, f"{tag}-unlock")
            unlock = window.unlock_screen
            assert unlock is not None
            QTest.keyClicks(unlock.form.passphrase.edit, PASSPHRASE)
            unlock.form.unlock_button.click()
            settle(lambda: window.shell is not None)
            shell = window.shell
            assert shell is not None
            appearance = shell.settings_page.appearance
            first_run_walk(tag, data_dir, settings.get(THEME), check, settle, windows)
        report["chosen"] = list(chosen)
        report["back-at-100"] = [window.width(), window.height()]
        report["timings"] = timings
    finally:
        for each in windows:
            each.prepare_to_quit()
        services.worker.submit(services.vault.lock).result(timeout=30)
        services.worker.shutdown()
        for each in windows:
            each.close()
    report["findings"] = findings
    if args.report:
        args.report.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 1 if any(findings.values()) else 0


def restyling(window: Any) -> bool:
    """A look change is still being applied a piece at a time (painting held until done)."""
    shell = window.shell
    return shell is not None and bool(shell.restyler.busy)


def first_run_walk(
    tag: str,
    data_dir: Path,
    theme: str,
    check: Callable[[Any, str], None],
    settle: Callable[..., None],
    windows: list[Any],
) -> None:
    """The welcome and the passphrase step (with its feedback showing) on an empty folder."""
    from PySide6.QtTest import QTest

    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import Settings
    from companion.ui.main_window import MainWindow

    paths = DataPaths(data_dir / f"first-{tag}")
    paths.ensure()
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    window = MainWindow(services, Settings(paths.preferences), ask_before_losing_key=False)
    windows.append(window)
    try:
        window.resize(*WINDOW_SIZE)
        window.show()
        flow = window.first_run
        assert flow is not None
        check(window, f"{tag}-welcome")
        flow.welcome.continue_button.click()
        step = flow.passphrase
        QTest.keyClicks(step.passphrase.edit, PASSPHRASE)
        QTest.keyClicks(step.confirm.edit, PASSPHRASE[:-3])
        for _ in range(1000):  # the strength is estimated once typing pauses, off this thread
            if step.meter.settled:
                break
            QTest.qWait(10)
        check(window, f"{tag}-passphrase")
    finally:
        windows.remove(window)
        window.prepare_to_quit()
        services.worker.shutdown()
        window.close()
    del theme


if __name__ == "__main__":
    raise SystemExit(main())
