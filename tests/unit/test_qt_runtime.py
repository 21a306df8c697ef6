"""Guards against a Qt binding that corrupts reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every void C++ call and to True
on every Signal.emit; the interpreter aborts after a few thousand calls, which a session's
50 Hz fades reach within a minute. pyproject.toml excludes that release; this test fails if
such a build comes back.
"""

from __future__ import annotations

import os
import subprocess
import sys

LOOP = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
app = QCoreApplication([])
class Emitter(QObject):
    fired = Signal(int)
emitter = Emitter()
emitter.fired.connect(lambda value: None)
timer = QTimer()
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(20000):
    timer.start(1000)
    timer.stop()
    emitter.fired.emit(1)
print(sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
"""


def test_many_qt_calls_keep_reference_counts() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", LOOP], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    none_delta, true_delta = (int(x) for x in result.stdout.split())
    assert abs(none_delta) < 1000 and abs(true_delta) < 1000
