"""Takes the README's screenshots of the real app, driven programmatically under Xvfb.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--theme dark] [--scale 100]

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSPHRASE = "lantern orchard quietly seventeen"  # noqa: S105 - a throw-away demo vault
WINDOW_SIZE = (1120, 800)
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
    return parser.parse_args()


def relaunch_under_xvfb() -> int:
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("xvfb-run is not installed (Debian: apt install xvfb)", file=sys.stderr)
        return 1
    command = [
        xvfb,
        "-a",
        "-s",
        "-screen 0 1600x1200x24 -dpi 96",
        sys.executable,
        str(Path(__file__).resolve()),
        *sys.argv[1:],
        "--here",
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    return subprocess.run(command, env=env, check=False).returncode


def main() -> int:
    args = parse_args()
    if not args.here:
        return relaunch_under_xvfb()
    with tempfile.TemporaryDirectory(prefix="companion-shots-") as tmp:
        return take(args, Path(tmp))


def take(args: argparse.Namespace, data_dir: Path) -> int:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest

    from companion.app import create_application
    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.settings import TEXT_SCALE, THEME, Settings
    from companion.ui.main_window import MainWindow
    from companion.ui.theme import apply_theme

    app = create_application()
    paths = DataPaths(data_dir / "data")
    paths.ensure()
    settings = Settings(paths.preferences)
    settings.set(THEME, args.theme)
    settings.set(TEXT_SCALE, args.scale)
    apply_theme(app, args.theme, args.scale)
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    window = MainWindow(services, settings)
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

        shell.nav_buttons[5].click()
        shell.nav_buttons[5].setFocus()
        settle(lambda: shell.settings_page.profile.save_button.isEnabled())
        shoot("settings.png")

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


if __name__ == "__main__":
    raise SystemExit(main())
