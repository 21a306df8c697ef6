"""Shared by the packaging tests: the checkout, a clean environment for child processes, and
how to run a command and see its output when it fails."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "lantern orchard quietly seventeen harbour"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The machine's environment without anything that would let a child find the checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "COMPANION_DATA_DIR"}
    }
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def run(
    args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    said = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.returncode == 0, f"{args[0]} {args[1:4]} exited {done.returncode}\n{said}"
    return done


def tracked_data_files(folder: str) -> list[str]:
    """Every file git tracks under a top-level data folder (relative to that folder)."""
    listed = run(["git", "ls-files", "-z", folder], cwd=ROOT).stdout.split("\0")
    return sorted(name.split("/", 1)[1] for name in listed if name and "__pycache__" not in name)


PYTHON = Path(sys.executable)


def load_script(path: Path) -> ModuleType:
    """Imports a tool script that is not part of a package."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
