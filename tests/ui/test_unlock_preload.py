"""The first unlock of a run does not import the shell on the GUI thread (issue 16): typing into
the unlock field starts importing it in the background, so it is there before the KDF is done;
the language's calendar data (for Home's dates) is read there too.
Run in a fresh interpreter, where nothing has imported the shell yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import sys, threading, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest
from companion.crypto.kdf import KdfParams
from companion.domain.clock import SystemClock
from companion.paths import DataPaths
from companion.services.container import build_services
from companion.settings import Settings
from companion.ui.application import create_application
from companion.ui.main_window import MainWindow

app = create_application()
paths = DataPaths(Path(sys.argv[1]))
paths.ensure()
services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
services.vault.create("lantern orchard quietly seventeen")
services.vault.lock()
window = MainWindow(services, Settings(paths.preferences), ask_before_losing_key=False)
window.show()
assert "companion.ui.shell" not in sys.modules, "imported before anything was typed"
import babel.localedata
read_before = len(babel.localedata._cache)  # the languages whose date words Babel has read
edit = window.unlock_screen.form.passphrase.edit
QTest.keyClicks(edit, "lan")
deadline = time.monotonic() + 30
while "companion.ui.shell" not in sys.modules and time.monotonic() < deadline:
    QCoreApplication.processEvents()
    time.sleep(0.01)
while any(t.name == "companion-preload" for t in threading.enumerate()):
    if time.monotonic() > deadline:
        break
    QCoreApplication.processEvents()
    time.sleep(0.01)
print("imported" if "companion.ui.shell" in sys.modules else "not imported")
print(f"date words read: {read_before} -> {len(babel.localedata._cache)}")
print("shell built" if window.shell is not None else "no shell")
print("threads:", ",".join(t.name for t in threading.enumerate()))
window.prepare_to_quit()
services.worker.shutdown()
"""


def test_typing_in_the_unlock_field_imports_the_shell_in_the_background(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert "imported" in lines, done.stdout + done.stderr[-2000:]
    assert "no shell" in lines  # nothing unlocked: the import came from typing alone
    # and Home's first date is written with Babel's calendar data read meanwhile, not then
    read = next(line for line in lines if line.startswith("date words read"))
    before, after = (int(n) for n in read.split(": ")[1].split(" -> "))
    assert before == 0 and after > 0, read
