"""A shared library is loaded on a worker thread with Python's lock released, so the GUI thread
runs meanwhile (issue 16: Qt Multimedia's FFmpeg plugin froze it for 9-20 ms at Rehearse)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from companion.audio.native import load_library

ROOT = Path(__file__).resolve().parents[2]

# The worker's dlopen waits on a FIFO until somebody writes into it. Only the main thread
# writes, so it must run Python while the worker is inside dlopen: with the lock held (as
# ctypes.CDLL holds it), the process hangs and the test's timeout fails it.
WHILE_LOADING = """
import os, sys, threading, time
from companion.audio.native import load_library
fifo = sys.argv[1]
os.mkfifo(fifo)
outcome = []
worker = threading.Thread(target=lambda: outcome.append(load_library(fifo)))
worker.start()
time.sleep(0.2)  # the worker is in dlopen, blocked opening the FIFO
with open(fifo, "wb") as pipe:  # Python on the main thread, while the worker loads
    pipe.write(b"not a shared library")
worker.join()
print("loaded", outcome)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="a FIFO and dlopen are POSIX")
def test_a_library_is_loaded_with_pythons_lock_released(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WHILE_LOADING, str(tmp_path / "library.fifo")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["loaded", "[False]"]  # not an ELF file: refused, no raise


def test_a_loaded_library_is_there_for_ctypes_afterwards() -> None:
    name = ctypes.util.find_library("m")
    assert name is not None
    assert load_library(name)
    assert ctypes.CDLL(name).cos  # the same library: its symbols answer


def test_a_library_that_cannot_be_loaded_is_refused_quietly_without_its_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "Sam's music" / "libnothing.so"
    caplog.set_level(logging.INFO, logger="companion.audio.native")
    assert not load_library(missing)
    assert [r.getMessage() for r in caplog.records] == ["audio.library_preload_failed"]
    assert "Sam" not in caplog.text
