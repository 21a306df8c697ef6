"""The unlocked window's modules, imported off the GUI thread while the patient types.

The first unlock of a run imported the shell and its pages (several hundred modules' worth of
code) on the GUI thread after the KDF: the window froze ~0.5 s before Home was painted. A
background thread imports them instead, from the first key typed into the unlock field; the
GUI thread keeps its turn (Python switches threads every few milliseconds), and the KDF runs
meanwhile on the worker. If the vault opens before the imports are done, building the shell
waits for the module being imported (no longer than importing it there would have taken).
"""

from __future__ import annotations

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
    # PySide read each module's source as it was imported, and linecache kept every line
    # (~10 MB for the shell; see ``companion.app.forget_module_sources``).
    linecache.clearcache()
