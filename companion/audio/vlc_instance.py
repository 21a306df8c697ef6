"""libvlc started on a thread of its own: ``VlcStarter``.

``libvlc_new`` loads VLC's plugins: 50-80 ms on an idle machine (far more on a cold disk), and
nothing else runs on the thread that calls it. So a starter imports python-vlc and makes one
libvlc instance on a plain thread (ctypes releases Python's lock while libvlc works), then says
so on the GUI thread (``settled``, a queued signal). The players that were waiting for it share
the instance: each makes its own media player (its own output and volume) from it, which is
cheap.

Once settled, a starter has either ``instance`` (and ``vlc``, the module) or ``failure`` (why
not). ``close`` gives up the starter's hold on the instance; a player that took it keeps its own
(``libvlc_retain``), so the instance goes when its last user does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from companion.audio.devices import quiet_alsa, quiet_libvlc

log = logging.getLogger(__name__)

NOT_STARTED = "libvlc could not start (are VLC's plugins installed?)"


class VlcStarter(QObject):
    """Makes one libvlc instance on a thread; ``settled`` (on the GUI thread) when done."""

    settled = Signal()
    _made = Signal()  # emitted on the starter's thread; delivered queued on the GUI thread

    def __init__(
        self,
        loader: Callable[[], Any],
        vlc_args: Sequence[str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._loader = loader
        self._args = list(vlc_args)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._done = False
        self.vlc: Any = None
        self.instance: Any = None
        self.failure: str | None = None
        self.made_on: int | None = None  # the thread that called libvlc_new (for tests)
        self._made.connect(self._on_made)

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def done(self) -> bool:
        """Settled (on the GUI thread): ``instance`` or ``failure`` is there."""
        return self._done

    def start(self) -> None:
        """Starts the thread once; later calls do nothing."""
        if self._thread is not None:
            return
        # Not a daemon: the interpreter waits the few milliseconds rather than unload libvlc
        # under a thread still inside it.
        self._thread = threading.Thread(target=self._make, name="companion-vlc-start")
        self._thread.start()

    def _make(self) -> None:  # on the starter's thread: no Qt object is touched but the signal
        vlc: Any = None
        instance: Any = None
        failure: str | None = None
        try:
            vlc = self._loader()
            instance = vlc.Instance(self._args)
            if instance is None:
                failure = NOT_STARTED
            else:
                quiet_libvlc(vlc, instance)  # libvlc's own log goes to ours, not to stderr
                quiet_alsa()  # finds libasound (ldconfig): here too, not on the GUI thread
        except (RuntimeError, OSError) as exc:  # VlcUnavailableError is a RuntimeError
            failure = str(exc) or type(exc).__name__
        except Exception as exc:  # anything else from libvlc or its binding
            # The players waiting would otherwise wait for ever: the session's voice and cues
            # with them. Settled as a failure, they fall back to Qt Multimedia.
            failure = f"libvlc could not start ({type(exc).__name__})"
        with self._lock:
            self.made_on = threading.get_ident()
            if self._closed:
                if instance is not None:
                    instance.release()
                return
            self.vlc, self.instance, self.failure = vlc, instance, failure
        try:
            self._made.emit()
        except RuntimeError:  # the starter was deleted meanwhile: nobody waits for it
            self.close()

    def _on_made(self) -> None:
        self._done = True
        if self.failure is not None:
            log.warning("audio.vlc_unavailable")
        self.settled.emit()

    def close(self) -> None:
        """Lets go of the instance (now, or as soon as the thread has made it)."""
        with self._lock:
            self._closed = True
            instance, self.instance = self.instance, None
        if instance is not None:
            instance.release()
