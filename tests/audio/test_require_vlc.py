"""``COMPANION_REQUIRE_VLC=1`` (CI) turns the "no libvlc here" skip into a failure, so a CI
machine without libvlc cannot pass the real-audio tests by skipping them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.audio import REQUIRE_VLC, vlc_missing

ROOT = Path(__file__).resolve().parents[2]


def test_without_libvlc_a_developer_machine_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_VLC, raising=False)
    with pytest.raises(pytest.skip.Exception, match="libvlc is needed"):
        vlc_missing("libvlc is needed")


def test_without_libvlc_ci_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_VLC, "1")
    with pytest.raises(pytest.fail.Exception, match="COMPANION_REQUIRE_VLC=1, and libvlc"):
        vlc_missing("libvlc is needed")


@pytest.mark.parametrize(("ci", "expected"), [("true", "1"), ("", "")])
def test_the_test_script_requires_vlc_on_ci(ci: str, expected: str) -> None:
    """tools/test.sh's own line, run by bash with CI set or not."""
    line = next(
        text
        for text in (ROOT / "tools" / "test.sh").read_text().splitlines()
        if REQUIRE_VLC in text and not text.startswith("#")
    )
    done = subprocess.run(
        ["bash", "-c", f'{line}\necho "${{{REQUIRE_VLC}:-}}"'],
        env={"CI": ci, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == expected


def test_ci_entry_point_requires_vlc() -> None:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    exported = [i for i, text in enumerate(lines) if text.startswith(f"export {REQUIRE_VLC}=1")]
    runs = [i for i, text in enumerate(lines) if text.startswith("./tools/test.sh")]
    assert exported and runs and exported[0] < runs[0]  # set before any test runs
