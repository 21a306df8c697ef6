"""``heap.release_free_memory`` gives the memory glibc kept after a burst of work back to the
system (issue 16: the GUI's resident size stayed at the export preview's peak)."""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

import pytest

from companion.heap import release_free_memory


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+)", status)
    assert match is not None
    return int(match.group(1)) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_memory_freed_on_a_worker_thread_goes_back_to_the_system() -> None:
    kept: list[bytearray] = []

    def burst() -> None:  # 60 MB in small blocks on a thread's own arena; 1 in 64 kept
        blocks = [bytearray(1000) for _ in range(60_000)]
        kept.extend(blocks[::64])

    thread = threading.Thread(target=burst)
    thread.start()
    thread.join()
    before = resident_mb()
    assert release_free_memory()
    assert before - resident_mb() > 30  # what stays is the kept blocks' pages
    assert len(kept) == 938
