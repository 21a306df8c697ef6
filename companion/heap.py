"""Giving memory the app has freed back to the system (issue 16: GUI memory).

glibc's allocator keeps freed memory for reuse: after a large, short-lived piece of work (the
export preview of a 10k-entry vault: ~50 MB, much of it on a worker thread's own arena) the
process's resident size stays at its peak although Python and Qt have let go of it all.
``malloc_trim(0)`` returns every free page of every arena. It walks the whole heap (a few
milliseconds for a few hundred megabytes), so it runs off the GUI thread, after such work.
Elsewhere than glibc (musl, macOS, Windows) there is nothing to call and nothing is done.
"""

from __future__ import annotations

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
