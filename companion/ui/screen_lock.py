"""Notices when the operating system locks the screen, where D-Bus lets us see it.

Listens to the freedesktop and GNOME screen savers (ActiveChanged) on the session bus, to
logind's Lock signal for this login session and to logind's PrepareForSleep (the computer is
about to suspend or hibernate: a lid closed, a laptop left alone) on the system bus. All of them
emit ``screen_locked``; the window locks on it unless a session is running. Where there is no
bus (Windows, macOS, a bare X server) it quietly does nothing; the idle timer (which counts
sleep, see ``ui.autolock``) and Ctrl+L still protect the vault.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QObject, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

SCREENSAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),  # KDE publishes it here too
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
LOGIND_SESSION_INTERFACE = "org.freedesktop.login1.Session"
LOGIND_MANAGER_PATH = "/org/freedesktop/login1"
LOGIND_MANAGER_INTERFACE = "org.freedesktop.login1.Manager"


def logind_session_path(session_id: str) -> str:
    """systemd's object-path escaping of a session id ("2" -> "_32")."""
    escaped = []
    for index, char in enumerate(session_id):
        if char.isascii() and (char.isalpha() or (char.isdigit() and index > 0)):
            escaped.append(char)
        else:
            escaped.append(f"_{ord(char):02x}")
    return "/org/freedesktop/login1/session/" + "".join(escaped)


def _registered(bus: QDBusConnection, name: str) -> bool:
    """Whether a program owns ``name`` on the bus (a signal can be listened for regardless)."""
    reply = bus.interface().isServiceRegistered(name)
    return bool(reply.value()) if reply.isValid() else False


class ScreenLockWatcher(QObject):
    screen_locked = Signal()
    going_to_sleep = Signal()  # emitted (before screen_locked) when the computer suspends
    availability_known = Signal(bool)  # after ``watch``: can a screen lock be noticed here?

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sources: list[str] = []
        self.available: bool | None = None  # None until ``watch`` has looked

    def watch(
        self,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
        *,
        default_buses: bool = True,
    ) -> list[str]:
        """Connects to what exists; returns the names of the sources now watched.

        With ``default_buses`` a missing argument means "the user's bus, if there is one".
        """
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # no QtDBus on this platform
            return self.sources
        session, system = session_bus, system_bus
        if default_buses and session is None and os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            session = QDBusConnection.sessionBus()
        if default_buses and system is None and os.path.exists("/run/dbus/system_bus_socket"):
            system = QDBusConnection.systemBus()

        self._watch_screensavers(session)
        self._watch_logind(system)
        screensaver, logind = self._registered_sources(session, system)
        self.available = bool(screensaver or logind)
        log.info("screen_lock.watching" if self.available else "screen_lock.unavailable")
        self.availability_known.emit(self.available)
        return self.sources

    def _watch_screensavers(self, session: QDBusConnection | None) -> None:
        """The desktop's screensaver: its lock shows as ``ActiveChanged``."""
        if session is not None and session.isConnected():
            for path, interface in SCREENSAVERS:
                # The stubs say bytes; PySide6 accepts only the str that SLOT() returns.
                if session.connect(  # type: ignore[call-overload]
                    "",
                    path,
                    interface,
                    "ActiveChanged",
                    self,
                    SLOT("_on_active_changed(bool)"),
                ):
                    self.sources.append(interface + path)

    def _watch_logind(self, system: QDBusConnection | None) -> None:
        """logind: the computer going to sleep, and this login session being locked."""
        # Any sender is accepted for the sleep signal: a forged one can only lock the vault.
        if (
            system is not None
            and system.isConnected()
            and system.connect(  # type: ignore[call-overload]
                "",
                LOGIND_MANAGER_PATH,
                LOGIND_MANAGER_INTERFACE,
                "PrepareForSleep",
                self,
                SLOT("_on_prepare_for_sleep(bool)"),
            )
        ):
            self.sources.append("logind-sleep")
        session_id = os.environ.get("XDG_SESSION_ID", "")
        if system is not None and system.isConnected() and session_id:
            path = logind_session_path(session_id)
            if system.connect(  # type: ignore[call-overload]
                "org.freedesktop.login1",
                path,
                LOGIND_SESSION_INTERFACE,
                "Lock",
                self,
                SLOT("_on_session_lock()"),
            ):
                self.sources.append("logind")

    def _registered_sources(
        self, session: QDBusConnection | None, system: QDBusConnection | None
    ) -> tuple[bool, bool]:
        """Whether a screensaver, and logind for this session, are really there to listen to."""
        screensaver = (
            session is not None
            and session.isConnected()
            and any(
                _registered(session, name) for name in {interface for _p, interface in SCREENSAVERS}
            )
        )
        logind = (
            "logind" in self.sources
            and system is not None
            and _registered(system, "org.freedesktop.login1")
        )
        return bool(screensaver), bool(logind)

    @Slot(bool)
    def _on_active_changed(self, active: bool) -> None:
        if active:
            self.screen_locked.emit()

    @Slot()
    def _on_session_lock(self) -> None:
        self.screen_locked.emit()

    @Slot(bool)
    def _on_prepare_for_sleep(self, going: bool) -> None:
        """True before the computer sleeps, False after it wakes (nothing to do then)."""
        if going:
            log.info("screen_lock.sleep")
            self.going_to_sleep.emit()
            self.screen_locked.emit()
