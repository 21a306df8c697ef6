"""The README's run command passes its arguments to the app (and never to the installer), and
running it from a test never installs system packages: ``COMPANION_NO_SYSTEM_INSTALL`` makes
tools/env.sh say what is missing and stop, and apt-get, apt and sudo are stand-ins that only
write down that they were called."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ("apt-get", "apt", "sudo", "dpkg")


def readme_run_command() -> list[str]:
    """The run command as the README gives it (the first ``./tools/run.sh`` line)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^(\./tools/run\.sh)\s*$", text, re.M)
    assert found, "the README no longer gives ./tools/run.sh as its run command"
    return [str(ROOT / found.group(1))]


def guarded_env(tmp_path: Path, **extra: str) -> tuple[dict[str, str], Path]:
    """The environment with the guard set and stand-ins for every installer first on PATH."""
    shims, calls = tmp_path / "shims", tmp_path / "installer-calls"
    shims.mkdir()
    for name in INSTALLERS:
        shim = shims / name
        shim.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\nexit 1\n')
        shim.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}",
        "QT_QPA_PLATFORM": "offscreen",
        "COMPANION_NO_SYSTEM_INSTALL": "1",
        **extra,
    }
    return env, calls


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL
    )


def test_run_script_hands_arguments_to_the_app(tmp_path: Path) -> None:
    env, calls = guarded_env(tmp_path)
    result = run([*readme_run_command(), "--data-dir", str(tmp_path / "vault"), "--help"], env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "--data-dir" in result.stdout  # the app's own help, so the arguments reached it
    assert not calls.exists(), calls.read_text()  # no installer was even asked
    assert "installing system packages" not in result.stderr


def test_run_script_never_installs_missing_system_packages(tmp_path: Path) -> None:
    """Every system package looks missing (a dpkg-query stand-in says so); the script names
    them and stops instead of calling apt-get or sudo, even as root."""
    env, calls = guarded_env(tmp_path)
    query = Path(env["PATH"].split(os.pathsep)[0]) / "dpkg-query"
    query.write_text("#!/bin/sh\nexit 1\n")
    query.chmod(0o755)
    result = run([*readme_run_command(), "--help"], env)
    assert result.returncode == 1
    assert "needed first" in result.stderr and "libvlc5" in result.stderr
    assert "installing system packages" not in result.stderr
    assert not calls.exists(), calls.read_text()
