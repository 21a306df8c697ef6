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
from pathlib import Path

log = logging.getLogger(__name__)

_DLOPEN: list[Callable[[bytes, int], int | None]] = []  # the C library's dlopen, found on first use


def _dlopen() -> Callable[[bytes, int], int | None] | None:
    if not _DLOPEN:
        try:
            function = ctypes.CDLL(None).dlopen  # the process's own symbols (glibc: libc.so.6)
        except (OSError, AttributeError, TypeError):  # no dlopen to call (not a POSIX system)
            return None
        function.argtypes = [ctypes.c_char_p, ctypes.c_int]
        function.restype = ctypes.c_void_p
        _DLOPEN.append(function)
    return _DLOPEN[0]


def load_library(name: str | Path) -> bool:
    """Loads ``name`` (a path, or a name the loader searches for) with Python's lock released;
    False when it could not be loaded (nothing raised: the caller's own import says why)."""
    dlopen = _dlopen()
    mode = os.RTLD_NOW | os.RTLD_LOCAL  # what ctypes.CDLL asks for by default
    if dlopen is None:
        try:
            ctypes.CDLL(str(name), mode=mode)
        except OSError:
            return False
        return True
    if not dlopen(os.fsencode(name), mode):
        log.info("audio.library_preload_failed")  # no name: a path can name the patient
        return False
    return True
