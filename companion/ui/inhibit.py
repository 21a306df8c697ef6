"""Keeps the screen saver and the desktop's screen lock away while a session runs.

Linux: ``org.freedesktop.ScreenSaver.Inhibit(app, reason)`` on the session bus (GNOME, KDE, Xfce
and others implement it). The call is asynchronous, so the GUI never waits on the bus. It is
made on a private connection of its own; ``release`` closes that connection, and the screen
saver drops every inhibition of a client that left the bus (that is how the implementations
clean up after a crashed app, and it avoids marshalling ``UnInhibit``'s uint32 from Python).
Without a bus (Windows, macOS, a bare X server) nothing happens; docs/protocol.md describes
what Windows (``SetThreadExecutionState``) and macOS (an ``IOPMAssertion``) need.
"""

from __future__ import annotations

import itertools
import logging
import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from companion.i18n import N_, _

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection, QDBusPendingCallWatcher

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"
INTERFACE = "org.freedesktop.ScreenSaver"
APP_NAME = "Companion"
REASON = N_("A guided session is running")
_names = itertools.count(1)


class ScreenSaverInhibitor(QObject):
    """``set_running(True)`` when a session starts, ``False`` when it ends (idempotent).

    What is wanted and what the bus has done are kept apart: a release while the ``Inhibit``
    call is still in flight leaves the connection to the reply (never pulled from under a
    call), and an inhibit asked for before that reply arrives is honoured by it. (Before, that
    inhibit was skipped because the connection still existed, and the late reply then closed
    the connection: a session ran with the screen saver free to lock over Help.)
    """

    def __init__(self, address: str | None = None, parent: QObject | None = None) -> None:
        """``address``: a D-Bus address (tests); None means the user's session bus."""
        super().__init__(parent)
        self._address = address
        self._name = ""
        self._wanted = False
        self.cookie: int | None = None
        self._in_flight: QDBusPendingCallWatcher | None = None

    @property
    def active(self) -> bool:
        return self.cookie is not None

    @property
    def unique_name(self) -> str:
        """The private connection's bus name while inhibiting ("" otherwise)."""
        bus = self._bus()
        return "" if bus is None else bus.baseService()

    def set_running(self, running: bool) -> None:
        if running:
            self.inhibit()
        else:
            self.release()

    def _bus(self) -> QDBusConnection | None:
        if not self._name:
            return None
        from PySide6.QtDBus import QDBusConnection

        bus = QDBusConnection(self._name)
        return bus if bus.isConnected() else None

    def inhibit(self) -> None:
        self._wanted = True
        if self._in_flight is not None or self.cookie is not None:
            return  # inhibited, or about to be: the reply in flight is taken (see _on_reply)
        bus = self._bus()
        if bus is None:
            if self._name:  # the bus dropped us since an earlier call: start afresh
                self._disconnect()
            bus = self._connect()
        if bus is None:
            return
        from PySide6.QtDBus import QDBusMessage, QDBusPendingCallWatcher

        message = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "Inhibit")
        message.setArguments([APP_NAME, _(REASON)])
        watcher = QDBusPendingCallWatcher(bus.asyncCall(message), self)
        self._in_flight = watcher
        watcher.finished.connect(lambda: self._on_reply(watcher))

    def _connect(self) -> QDBusConnection | None:
        """A private connection of our own, or None where there is no bus to ask."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return None
        if self._address is None and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            return None  # no session bus to ask (and never start one)
        self._name = f"companion-inhibit-{next(_names)}"
        if self._address is None:
            bus = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, self._name)
        else:
            bus = QDBusConnection.connectToBus(self._address, self._name)
        if not bus.isConnected():
            QDBusConnection.disconnectFromBus(self._name)
            self._name = ""
            log.info("inhibit.unavailable")
            return None
        return bus

    def _on_reply(self, watcher: QDBusPendingCallWatcher) -> None:
        from PySide6.QtDBus import QDBusMessage

        reply = watcher.reply()
        watcher.deleteLater()
        if watcher is not self._in_flight:
            return
        self._in_flight = None
        if not self._wanted:
            self._disconnect()  # released while the call was in flight: done now
            return
        if reply.type() is not QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            log.info("inhibit.unavailable")
            return
        self.cookie = int(reply.arguments()[0])
        log.info("inhibit.on")

    def release(self) -> None:
        self._wanted = False
        self.cookie = None
        if not self._name or self._in_flight is not None:
            return  # nothing open, or the reply closes it: never pull it from under a call
        self._disconnect()

    def _disconnect(self) -> None:
        from PySide6.QtDBus import QDBusConnection

        QDBusConnection.disconnectFromBus(self._name)
        self._name = ""
        log.info("inhibit.off")
