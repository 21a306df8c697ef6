"""Is there anything to play sound through? And keeping the sound libraries' chatter off stderr.

``output_devices()`` asks Qt Multimedia which audio outputs the system has (PulseAudio,
PipeWire, ALSA, CoreAudio or WASAPI, whichever Qt uses here). An empty list means nothing will
be heard, whatever VLC says about "playing": the Before step and Settings say so calmly.

libvlc and ALSA write their own diagnostics to stderr; with no sound device that is hundreds of
lines a second. ``quiet_libvlc(instance)`` routes libvlc's log to ours (bare event names at
warning level, at most one line per ``LOG_EVERY_SECONDS`` per kind; no message text, which can
hold file names), and ``quiet_alsa()`` gives ALSA an error handler that counts instead of
printing. Both are best-effort: when a library or symbol is missing nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import time
from pathlib import Path
from typing import Any

from companion.audio.native import load_library
from companion.i18n import N_

log = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60.0
VLC_ERROR = 4  # libvlc_log_level: 0 debug, 2 notice, 3 warning, 4 error


def output_devices() -> list[str]:
    """Names of the audio outputs Qt Multimedia sees (needs a Q(Core)Application)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return []
    return [device.description() for device in QMediaDevices.audioOutputs()]


def load_output_backend() -> None:
    """Qt Multimedia and its backend plugin's shared library (with the FFmpeg libraries it
    links) loaded on the calling thread, best-effort: the first ``output_devices()`` on the GUI
    thread then finds them loaded and takes ~1 ms, not the 30-70 ms of importing the module and
    linking the plugin (the sound check's pause in the Before step). Only the library is
    loaded here; Qt still makes its objects on the GUI thread, when it is asked."""
    try:
        from PySide6 import QtMultimedia  # noqa: F401  (imported for its side effect)
        from PySide6.QtCore import QLibraryInfo
    except ImportError:
        return
    backend = os.environ.get("QT_MEDIA_BACKEND") or "ffmpeg"  # Qt's own choice, by default
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "multimedia"
    for plugin in sorted(folder.glob(f"*{backend}mediaplugin*")):
        # Loaded with Python's lock released: its 9-20 ms froze the GUI thread (``native``).
        if not load_library(plugin):
            log.info("audio.backend_preload_failed")
            return


def no_output_device() -> bool:
    return not output_devices()


NO_DEVICE_TEXT = N_(  # shown as _(NO_DEVICE_TEXT)
    "No sound device was found. Check that your speakers or headphones are plugged in and "
    "switched on. Until then you will not hear the music or the spoken prompts."
)


class RateLimitedLog:
    """Says whether an event may be logged now: once per event name per interval; ``held``
    counts those held back since."""

    def __init__(self, every_seconds: float = LOG_EVERY_SECONDS) -> None:
        self._every = every_seconds
        self._last: dict[str, float] = {}
        self.held: dict[str, int] = {}

    def __call__(self, event: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        last = self._last.get(event)
        if last is not None and now - last < self._every:
            self.held[event] = self.held.get(event, 0) + 1
            return False
        self.held.pop(event, None)
        self._last[event] = now
        return True


_vlc_log = RateLimitedLog()
_keep: list[Any] = []  # C callbacks must outlive the libraries holding them


def quiet_libvlc(vlc: Any, instance: Any) -> bool:
    """Routes ``instance``'s log to ours; True when it worked."""
    try:
        decorators = vlc.CallbackDecorators

        def on_log(_data: Any, level: int, _ctx: Any, _fmt: Any, _args: Any) -> None:
            if level >= VLC_ERROR and _vlc_log("audio.vlc_error"):
                log.warning("audio.vlc_error")

        callback = decorators.LogCb(on_log)
        instance.log_set(callback, None)
    except (AttributeError, TypeError, OSError):
        return False
    _keep.append(callback)
    return True


_ALSA_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_alsa_done = False


def quiet_alsa() -> bool:
    """ALSA prints its errors itself (not through libvlc); count them in our log instead."""
    global _alsa_done
    if _alsa_done:
        return True
    name = ctypes.util.find_library("asound")
    if name is None:
        return False
    try:
        library = ctypes.CDLL(name)
        setter = library.snd_lib_error_set_handler
    except (OSError, AttributeError):
        return False

    def on_error(_file: bytes, _line: int, _function: bytes, _err: int, _fmt: bytes) -> None:
        if _vlc_log("audio.alsa_error"):
            log.warning("audio.alsa_error")

    handler = _ALSA_HANDLER(on_error)
    setter.argtypes = [_ALSA_HANDLER]
    setter(handler)
    _keep.append(handler)
    _alsa_done = True
    return True
