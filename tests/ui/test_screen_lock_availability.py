""" "Lock when the screen locks" never pretends: where no screen saver or logind can be heard,
the box is unticked, greyed out, and says why; where one is there, it works as chosen."""

from __future__ import annotations

from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.settings import LOCK_ON_SCREEN_LOCK, Settings
from companion.ui.pages.settings import SCREEN_LOCK_UNAVAILABLE
from companion.ui.screen_lock import ScreenLockWatcher
from tests.support.gui import WindowFactory, unlock
from tests.support.vault import PASSPHRASE


def test_a_bus_without_a_screen_saver_is_not_detection(
    qapp: QApplication, private_bus: str
) -> None:
    listener = QDBusConnection.connectToBus(private_bus, "companion-avail-listener")
    owner = QDBusConnection.connectToBus(private_bus, "companion-avail-owner")
    try:
        watcher = ScreenLockWatcher()
        heard: list[bool] = []
        watcher.availability_known.connect(heard.append)
        watcher.watch(session_bus=listener, default_buses=False)
        assert watcher.available is False and heard == [False]
        assert owner.registerService("org.freedesktop.ScreenSaver")
        again = ScreenLockWatcher()
        again.watch(session_bus=listener, default_buses=False)
        assert again.available is True
    finally:
        QDBusConnection.disconnectFromBus("companion-avail-listener")
        QDBusConnection.disconnectFromBus("companion-avail-owner")


def test_the_box_is_greyed_out_with_a_reason_when_detection_is_unavailable(
    qtbot: QtBot, make_window: WindowFactory, services: Services, settings: Settings
) -> None:
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    settings.set(LOCK_ON_SCREEN_LOCK, True)
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    locking = shell.settings_page.locking
    assert locking.screen_lock.isEnabled() and locking.screen_lock.isChecked()  # not known yet
    window.screen_lock.availability_known.emit(False)  # what watch() says on a bare desktop
    assert not locking.screen_lock.isEnabled() and not locking.screen_lock.isChecked()
    assert locking.screen_lock_note.isVisibleTo(locking)
    assert locking.screen_lock_note.text() == SCREEN_LOCK_UNAVAILABLE
    assert settings.get(LOCK_ON_SCREEN_LOCK) is True  # the choice is kept for another computer
    window.screen_lock.availability_known.emit(True)
    assert locking.screen_lock.isEnabled() and locking.screen_lock.isChecked()
    assert locking.screen_lock_note.isHidden()
