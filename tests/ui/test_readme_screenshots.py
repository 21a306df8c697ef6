"""The README's pictures are made by driving the real app (tools/screenshots.py, no --walk):
first run, a whole rehearsed session with the clock moved by hand, Settings, and the review
pages on a demo vault. The tool rots silently when a screen gains a required step (the first
run's "I have checked these numbers", the journey's end moving on to After by itself): this
runs it to a temporary folder and checks every picture the README shows was made."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian: xvfb)"),
]


def readme_pictures() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"docs/screenshots/([\w-]+\.png)", text))


def test_the_screenshot_tool_makes_every_picture_the_readme_shows(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "screenshots.py"), "--out", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wanted = readme_pictures()
    assert len(wanted) >= 10
    made = {p.name for p in tmp_path.glob("*.png")}
    assert wanted <= made, sorted(wanted - made)
    for name in sorted(wanted):
        image = QImage(str(tmp_path / name))
        assert not image.isNull(), name
        assert (image.width(), image.height()) == (1120, 800), name
        # Not one flat colour: a window that never painted its page would be.
        colours = {image.pixel(x, y) for x in range(0, 1120, 37) for y in range(0, 800, 29)}
        assert len(colours) > 8, name
