"""Giving memory the app has freed back to the system (issue 16: GUI memory).

glibc's allocator keeps freed memory for reuse: after a large, short-lived piece of work (the
export preview of a 10k-entry vault: ~50 MB, much of it on a worker thread's own arena) the
process's resident size stays at its peak although Python and Qt have let go of it all.
``malloc_trim(0)`` returns every free page of every arena. It walks the whole heap (a few
milliseconds for a few hundred megabytes), so it runs off the GUI thread, after such work.
Elsewhere than glibc (musl, macOS, Windows) there is nothing to call and nothing is done.
"""

from __future__ import annotations

import gc
import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at start-up: ctypes is not needed before the first frame
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Returns the free memory glibc holds to the system; True if any was returned."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


# --- Python's cyclic collector ------------------------------------------------------------------
# A full collection walks every container object the process holds: ~130,000 once a 10k-entry
# vault is open and every page is built (PySide's wrappers, SQLAlchemy's mappers and caches, the
# modules), 35-55 ms on the GUI thread, at a moment nobody chooses (issue 16: the longest stall
# of a session, right after a phase change). It holds the GIL, so no thread can take it.
# What is built once and kept (the modules, the shell's pages, a session's views) is moved out
# of the collector's reach when it has been built; a full collection then walks only what was
# made since (a few thousand objects, ~1 ms). Objects so kept are still freed when their last
# reference goes; only garbage *cycles* among them wait, until ``let_go_of_long_lived`` (the
# vault locked: the shell and its pages are gone).


def keep_long_lived() -> None:
    """Everything alive now is left out of later collections (``gc.freeze``; cheap: it moves
    the collector's lists, it does not walk them)."""
    gc.freeze()


def let_go_of_long_lived() -> int:
    """What ``keep_long_lived`` kept is collected again, now (one full collection: for a moment
    when nothing moves, e.g. just after locking); returns the number of objects freed."""
    gc.unfreeze()
    return gc.collect()
