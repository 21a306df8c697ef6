"""The unlocked window's modules, imported off the GUI thread while the patient types.

The first unlock of a run imported the shell and its pages (several hundred modules' worth of
code) on the GUI thread after the KDF: the window froze ~0.5 s before Home was painted. A
background thread imports them instead, from the first key typed into the unlock field; the
GUI thread keeps its turn (Python switches threads every few milliseconds), and the KDF runs
meanwhile on the worker. If the vault opens before the imports are done, building the shell
waits for the module being imported (no longer than importing it there would have taken).
"""

from __future__ import annotations

import datetime as dt
import importlib
import linecache
import logging
import threading

log = logging.getLogger(__name__)

SHELL_MODULES = ("companion.ui.shell",)
_started = threading.Event()


def preload_shell() -> None:
    """Starts importing the shell's modules in the background (once per run)."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_import_all, name="companion-preload", daemon=True).start()


def _import_all() -> None:
    for name in SHELL_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the same import on the GUI thread will say what is wrong
            log.warning("preload.failed")
    _load_date_words()
    # PySide read each module's source as it was imported, and linecache kept every line
    # (~10 MB for the shell; see ``companion.app.forget_module_sources``).
    linecache.clearcache()


def _load_date_words() -> None:
    """Babel reads the language's calendar data (month names, date patterns) the first time a
    date is written: Home's summary did it on the GUI thread as the first unlock's Home was
    shown (~25 ms). Read here instead; Babel keeps it, behind its own lock."""
    from companion.i18n import format_datetime, format_number, format_skeleton

    try:
        now = dt.datetime.now()
        format_datetime(now, "full")
        format_skeleton(now, "MMMd")
        format_number(1.5, 1)
    except Exception:  # written on the GUI thread, the same date will say what is wrong
        log.warning("preload.failed")
