"""Chooses the engine: VLC when libvlc loads, Qt Multimedia otherwise.

``load_vlc`` imports python-vlc lazily (importing it is what loads libvlc) and turns every way
that can fail into ``VlcUnavailableError``. ``create_player`` takes the loader as a parameter,
so a test can make it fail and see the fallback chosen; it starts libvlc on the calling thread.

``PlayerFactory`` is what the app uses: its players share one libvlc instance that a
``VlcStarter`` makes on a thread of its own (``prepare`` starts it ahead of need), so making or
playing a player never waits for libvlc on the GUI thread.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject

from companion.audio.player import DEFAULT_VOLUME, BasePlayer
from companion.audio.qt_player import QtMultimediaPlayer
from companion.audio.vlc_instance import VlcStarter
from companion.audio.vlc_player import DEFAULT_VLC_ARGS, VlcPlayer
from companion.domain.clock import Clock

log = logging.getLogger(__name__)


class VlcUnavailableError(RuntimeError):
    """libvlc (or python-vlc) cannot be loaded or started."""


def load_vlc() -> Any:
    """The ``vlc`` module with libvlc loaded, or ``VlcUnavailableError`` saying why not."""
    try:
        vlc = importlib.import_module("vlc")
    except ImportError as exc:
        raise VlcUnavailableError("python-vlc is not installed") from exc
    except (OSError, NotImplementedError, AttributeError) as exc:
        # python-vlc raises NotImplementedError("Cannot find libvlc lib") when libvlc is absent.
        raise VlcUnavailableError(f"libvlc could not be loaded ({exc})") from exc
    if getattr(vlc, "dll", None) is None:
        raise VlcUnavailableError("libvlc could not be loaded")
    try:
        vlc.libvlc_get_version()
    except (OSError, AttributeError) as exc:
        raise VlcUnavailableError(f"libvlc does not answer ({exc})") from exc
    return vlc


def create_player(
    clock: Clock,
    *,
    prefer: str = "vlc",
    vlc_loader: Callable[[], Any] = load_vlc,
    vlc_args: Sequence[str] = DEFAULT_VLC_ARGS,
    volume: float = DEFAULT_VOLUME,
    parent: QObject | None = None,
) -> BasePlayer:
    """A ready player. ``player.engine_name`` says which engine plays (and, for the fallback,
    why VLC is not used), for Settings to show. ``prefer="qt"`` skips VLC altogether."""
    if prefer not in ("vlc", "qt"):
        raise ValueError(f"unknown audio engine {prefer!r}")
    reason: str | None = None
    if prefer == "vlc":
        try:
            vlc = vlc_loader()
            player = VlcPlayer(clock, vlc, vlc_args=vlc_args, volume=volume, parent=parent)
        except (VlcUnavailableError, RuntimeError, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            log.warning("audio.vlc_unavailable")
        else:
            log.info("audio.engine_vlc")
            return player
    log.info("audio.engine_qt")
    return QtMultimediaPlayer(clock, volume=volume, fallback_reason=reason, parent=parent)


class PlayerFactory:
    """An ``AudioFactory`` (volume -> a new player) whose VLC players share one libvlc instance
    started on a thread. When libvlc could not start, players are Qt Multimedia's (their
    ``engine_name`` says why); ``prefer="qt"`` skips VLC altogether."""

    def __init__(
        self,
        clock: Clock,
        *,
        prefer: str = "vlc",
        vlc_loader: Callable[[], Any] = load_vlc,
        vlc_args: Sequence[str] = DEFAULT_VLC_ARGS,
    ) -> None:
        if prefer not in ("vlc", "qt"):
            raise ValueError(f"unknown audio engine {prefer!r}")
        self._clock = clock
        self.starter: VlcStarter | None = (
            VlcStarter(vlc_loader, vlc_args) if prefer == "vlc" else None
        )

    def prepare(self) -> None:
        """Starts libvlc on its thread now, so it is there when a player is wanted."""
        if self.starter is not None:
            self.starter.start()

    def __call__(self, volume: float) -> BasePlayer:
        starter = self.starter
        if starter is not None and starter.failure is None:
            log.info("audio.engine_vlc")
            return VlcPlayer(self._clock, starter=starter, volume=volume)
        log.info("audio.engine_qt")
        reason = starter.failure if starter is not None else None
        return QtMultimediaPlayer(self._clock, volume=volume, fallback_reason=reason)

    def close(self) -> None:
        """Lets go of the shared instance (players still open keep their own hold)."""
        if self.starter is not None:
            self.starter.close()
