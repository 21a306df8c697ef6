"""The README's run command passes its arguments to the app (and never to the installer)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_run_script_hands_arguments_to_the_app(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [str(ROOT / "tools" / "run.sh"), "--data-dir", str(tmp_path / "vault"), "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "--data-dir" in result.stdout  # the app's own help, so the arguments reached it
