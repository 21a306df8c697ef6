"""Loading a shared library on a worker thread without freezing the GUI thread.

``ctypes.CDLL`` (and the import of an extension module) calls ``dlopen`` with Python's lock
held, so while a thread loads a large library every other thread waits, the GUI thread
included. Qt Multimedia's FFmpeg plugin, with the FFmpeg libraries it links, took 9-20 ms to
load, and the GUI thread stood still for all of it (issue 16: the Rehearse and Begin stalls).

``load_library`` calls the C library's own ``dlopen`` as a foreign function: ctypes releases
the lock for such a call, so the loading and relocating happen while the GUI thread runs. The
library stays loaded (the handle is never closed, as Qt keeps its plugins), and a later
``ctypes.CDLL`` or import of the same file only finds it and takes its reference.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)


@cache
def _dlopen() -> Callable[[bytes, int], int | None] | None:
    """The C library's ``dlopen``, or None where there is none to call (not POSIX)."""
    if not hasattr(os, "RTLD_NOW"):
        return None
    try:
        function = ctypes.CDLL(None).dlopen  # the process's own symbols (glibc: libc.so.6)
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_char_p, ctypes.c_int]
    function.restype = ctypes.c_void_p
    return function


def load_library(name: str | Path) -> bool:
    """Loads ``name`` (a path, or a name the loader searches for) with Python's lock released;
    False when it could not be loaded (nothing raised: the caller's own import says why)."""
    dlopen = _dlopen()
    if dlopen is not None:
        loaded = bool(dlopen(os.fsencode(name), os.RTLD_NOW | os.RTLD_LOCAL))  # as ctypes.CDLL
    else:  # no dlopen to call: ctypes's own load, with the lock held
        try:
            ctypes.CDLL(str(name))
            loaded = True
        except OSError:
            loaded = False
    if not loaded:
        log.info("audio.library_preload_failed")  # no name: a path can name the patient
    return loaded
