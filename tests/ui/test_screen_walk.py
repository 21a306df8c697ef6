"""The screen walk under Xvfb (tools/screenshots.py --walk): on a 1366x768 screen, at 100 % and
200 % text, light and dark, no visible widget lies outside the window or outside its parent, no
word-wrapped label is cut short, no text is cut off, and the window never exceeds the screen.
Going back to 100 % brings back the size the window had."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("home", "journal", "reflections", "insights", "export", "settings")
SCREENS = (*PAGES, "unlock", "welcome", "passphrase")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian: xvfb)"),
]


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("walk")
    report = out / "walk.json"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    command = [sys.executable, str(ROOT / "tools" / "screenshots.py"), "--walk"]
    command += ["--out", str(out), "--report", str(report)]
    done = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert report.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    loaded: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    loaded["pictures"] = sorted(p.name for p in out.glob("*.png"))
    return loaded


def test_every_screen_fits_at_every_size(walk: dict[str, object]) -> None:
    assert walk["screen"] == [1366, 768]
    findings = walk["findings"]
    assert isinstance(findings, dict)
    expected = {
        f"walk-{scale}-{theme}-{screen}"
        for scale, theme in ((100, "light"), (200, "light"), (200, "dark"), (100, "dark"))
        for screen in SCREENS
    }
    assert set(findings) == expected
    pictures = walk["pictures"]
    assert isinstance(pictures, list)
    assert {f"{name}.png" for name in expected} <= set(pictures)
    bad = {name: found for name, found in findings.items() if found}
    assert not bad, json.dumps(bad, indent=1)[:4000]


def size(value: object) -> tuple[int, int]:
    """A [width, height] pair from the walk's JSON report."""
    assert isinstance(value, list) and len(value) == 2, value
    return int(value[0]), int(value[1])


def test_the_window_stays_on_the_screen_and_returns_to_its_size(walk: dict[str, object]) -> None:
    width, height = size(walk["screen"])
    for key in ("size-100-light", "size-200-light", "size-200-dark", "size-100-dark"):
        w, h = size(walk[key])
        assert w <= width and h <= height, key
    assert walk["back-at-100"] == walk["chosen"]
