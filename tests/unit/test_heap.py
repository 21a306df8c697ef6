"""``heap.release_free_memory`` gives the memory glibc kept after a burst of work back to the
system (issue 16: the GUI's resident size stayed at the export preview's peak);
``keep_long_lived`` leaves what is built once out of full collections (a 35-55 ms stall on the
GUI thread with a 10k vault open), and ``let_go_of_long_lived`` collects it again."""

from __future__ import annotations

import gc
import re
import sys
import threading
import weakref
from pathlib import Path

import pytest

from companion.heap import keep_long_lived, let_go_of_long_lived, release_free_memory


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


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_objects_kept_long_lived_are_left_out_of_full_collections() -> None:
    gc.collect()
    kept = [Node() for _ in range(1000)]
    keep_long_lived()
    assert gc.get_freeze_count() >= len(kept)
    made_since = [Node() for _ in range(10)]
    assert all(gc.is_tracked(node) for node in made_since)
    tracked = len(gc.get_objects())  # what a full collection walks now
    assert tracked < gc.get_freeze_count()
    gc.unfreeze()


def test_a_cycle_kept_long_lived_is_collected_when_let_go() -> None:
    gc.collect()
    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle: only the collector frees it
    witness = weakref.ref(first)
    keep_long_lived()
    del first, second
    gc.collect()
    assert witness() is not None  # kept: full collections leave it alone
    assert let_go_of_long_lived() >= 2
    assert witness() is None and gc.get_freeze_count() == 0
