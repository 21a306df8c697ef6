"""libvlc's and ALSA's own chatter stays off stderr (it goes to our log, rate-limited, as bare
event names); a missing sound device is detected."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from pathlib import Path

import pytest

from companion.audio.devices import RateLimitedLog

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import logging, sys, time
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="LOG %(message)s")
from companion.audio.factory import load_vlc
from companion.audio.vlc_player import DEFAULT_VLC_ARGS, VlcPlayer
import companion.audio.vlc_player as module
from companion.domain.clock import SystemClock
if sys.argv[1] == "raw":
    module.quiet_libvlc = lambda *args: False
    module.quiet_alsa = lambda: False
player = VlcPlayer(SystemClock(), load_vlc(), vlc_args=(*DEFAULT_VLC_ARGS, "--aout=alsa"))
player.load([sys.argv[2]], loop=True)
player.play()
end = time.monotonic() + 2.0
while time.monotonic() < end:
    app.processEvents()
    time.sleep(0.02)
player.close()
"""


def run(tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "noise.py"
    script.write_text(SCRIPT, encoding="utf-8")
    cue = ROOT / "assets" / "cues" / "cue-prompt.ogg"
    return subprocess.run(
        [sys.executable, str(script), mode, str(cue)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )


@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no ALSA here")
def test_libvlc_and_alsa_errors_stay_off_stderr_with_no_sound_device(tmp_path: Path) -> None:
    raw = run(tmp_path, "raw")
    if "ALSA lib" not in raw.stderr:
        pytest.skip("this machine has a sound device: ALSA does not complain")
    quiet = run(tmp_path, "quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert raw.stderr.count("\n") > 100  # what a patient's terminal and log used to get
    assert "ALSA lib" not in quiet.stderr and "[0000" not in quiet.stderr
    logged = [line for line in quiet.stdout.splitlines() if line.startswith("LOG audio.")]
    assert 1 <= len(logged) <= 4  # rate-limited bare event names, no message text
    assert all(line.split()[1] in ("audio.alsa_error", "audio.vlc_error") for line in logged)


def test_the_rate_limited_log_holds_back_repeats_and_counts_them() -> None:
    limited = RateLimitedLog(every_seconds=60.0)
    assert limited("audio.vlc_error", now=0.0)
    assert limited("audio.alsa_error", now=0.5)  # each event name on its own
    for second in range(1, 59):
        assert not limited("audio.vlc_error", now=float(second))
    assert limited.held == {"audio.vlc_error": 58}
    assert limited("audio.vlc_error", now=61.0)
    assert limited.held == {}


PRELOAD = """
import sys, threading
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
def mapped():
    with open("/proc/self/maps") as maps:
        return "mediaplugin" in maps.read() or "QtMultimedia" in "".join(sys.modules)
assert not mapped()
from companion.audio.devices import load_output_backend, output_devices
worker = threading.Thread(target=load_output_backend)
worker.start()
worker.join()
print("loaded", mapped())
output_devices()  # now on this (the GUI) thread, against what the worker loaded
print("asked")
"""


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/self/maps")
def test_the_sound_backend_is_loaded_off_the_gui_thread_before_devices_are_asked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PRELOAD], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["loaded", "True", "asked"]
