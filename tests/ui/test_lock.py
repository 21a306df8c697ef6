"""Locking: Ctrl+L, the idle timer with an injected clock, and the OS screen lock over D-Bus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.settings import LOCK_ON_SCREEN_LOCK, Settings
from companion.ui.main_window import MainWindow
from companion.ui.screen_lock import ScreenLockWatcher, logind_session_path
from companion.ui.shell import Shell
from companion.ui.shell_pages import PAGE_NAMES
from tests.support.gui import PROFILE_CANARY as CANARY
from tests.support.gui import WindowFactory, assert_locked, unlock
from tests.support.vault import PASSPHRASE


def test_ctrl_l_locks_and_clears_every_private_widget(
    qtbot: QtBot, opened: tuple[MainWindow, Shell], services: Services
) -> None:
    window, shell = opened
    window.ctx.clipboard.copy(CANARY)
    shell.show_page(PAGE_NAMES.index("Settings"))
    settings_form = shell.settings_page.profile.form
    assert settings_form.edits["provider_name"].text() == CANARY
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert_locked(qtbot, window, services)
    assert settings_form.edits["provider_name"].text() == ""  # cleared before it is destroyed
    assert QGuiApplication.clipboard().text() != CANARY


def test_clipboard_text_copied_by_the_person_is_left_alone(
    qtbot: QtBot, opened: tuple[MainWindow, Shell], services: Services
) -> None:
    window, _shell = opened
    window.ctx.clipboard.copy("our text")
    QGuiApplication.clipboard().setText("their own text")
    click_lock = window.shell
    assert click_lock is not None
    qtbot.mouseClick(click_lock.lock_button, Qt.MouseButton.LeftButton)
    assert_locked(qtbot, window, services)
    assert QGuiApplication.clipboard().text() == "their own text"


def test_keyboard_shortcuts_switch_pages(qtbot: QtBot, opened: tuple[MainWindow, Shell]) -> None:
    window, shell = opened
    for number in range(6, 0, -1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert shell.stack.currentIndex() == number - 1
        assert shell.nav_buttons[number - 1].isChecked()


def test_idle_past_the_delay_locks(
    qtbot: QtBot, opened: tuple[MainWindow, Shell], services: Services, manual_clock: ManualClock
) -> None:
    window, _shell = opened
    assert window.autolock.active
    manual_clock.advance(9 * 60)
    with qtbot.waitSignal(window.autolock.checked) as blocker:
        pass
    assert blocker.args == [False]
    manual_clock.advance(60)
    with qtbot.waitSignal(window.locked, timeout=5000):
        pass
    assert_locked(qtbot, window, services)
    assert not window.autolock.active


def test_activity_postpones_the_lock(
    qtbot: QtBot, opened: tuple[MainWindow, Shell], manual_clock: ManualClock
) -> None:
    window, shell = opened
    manual_clock.advance(9 * 60)
    qtbot.mouseMove(shell.home, shell.home.rect().center())
    qtbot.keyClick(shell.nav_buttons[0], Qt.Key.Key_Shift)
    manual_clock.advance(5 * 60)
    with qtbot.waitSignal(window.autolock.checked) as blocker:
        pass
    assert blocker.args == [False]
    assert window.shell is shell


def test_never_locks_while_a_session_is_running(
    qtbot: QtBot, make_window: WindowFactory, unlocked_services: Services, manual_clock: ManualClock
) -> None:
    running = [True]
    unlocked_services.vault.lock()
    window = make_window(session_running=lambda: running[0])
    unlock(qtbot, window, PASSPHRASE)
    manual_clock.advance(3 * 60 * 60)
    for _ in range(3):
        with qtbot.waitSignal(window.autolock.checked) as blocker:
            pass
        assert blocker.args == [False]
    assert window.shell is not None
    window.screen_lock.screen_locked.emit()  # the OS locking the screen mid-session, too
    assert window.shell is not None
    assert unlocked_services.vault.is_unlocked

    running[0] = False  # the session ended: the idle time counts from its end
    with qtbot.waitSignal(window.autolock.checked) as blocker:
        pass
    assert blocker.args == [False]
    manual_clock.advance(10 * 60)
    with qtbot.waitSignal(window.locked, timeout=5000):
        pass


def test_autolock_delay_from_settings(
    qtbot: QtBot, opened: tuple[MainWindow, Shell], manual_clock: ManualClock, settings: Settings
) -> None:
    window, shell = opened
    locking = shell.settings_page.locking
    locking.delay.setCurrentIndex(locking.delay.findData(2))
    assert window.autolock.policy.delay_seconds == 120
    manual_clock.advance(121)
    with qtbot.waitSignal(window.locked, timeout=5000):
        pass


def test_screen_lock_signal_locks_unless_turned_off(
    qtbot: QtBot, opened: tuple[MainWindow, Shell], services: Services, settings: Settings
) -> None:
    window, shell = opened
    shell.settings_page.locking.screen_lock.setChecked(False)
    assert settings.get(LOCK_ON_SCREEN_LOCK) is False
    window.screen_lock.screen_locked.emit()
    assert window.shell is shell
    shell.settings_page.locking.screen_lock.setChecked(True)
    window.screen_lock.screen_locked.emit()
    assert_locked(qtbot, window, services)


def test_watcher_hears_the_screensaver_on_the_session_bus(
    qtbot: QtBot, qapp: QApplication, private_bus: str
) -> None:
    listener = QDBusConnection.connectToBus(private_bus, "companion-listener")
    sender = QDBusConnection.connectToBus(private_bus, "companion-sender")
    try:
        watcher = ScreenLockWatcher()
        sources = watcher.watch(session_bus=listener, default_buses=False)
        assert "org.freedesktop.ScreenSaver/org/freedesktop/ScreenSaver" in sources
        unlocked_signal = QDBusMessage.createSignal(
            "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
        )
        unlocked_signal.setArguments([False])
        with qtbot.assertNotEmitted(watcher.screen_locked, wait=100):
            assert sender.send(unlocked_signal)
        locked_signal = QDBusMessage.createSignal(
            "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged"
        )
        locked_signal.setArguments([True])
        with qtbot.waitSignal(watcher.screen_locked, timeout=5000):
            assert sender.send(locked_signal)
    finally:
        QDBusConnection.disconnectFromBus("companion-listener")
        QDBusConnection.disconnectFromBus("companion-sender")


def test_without_a_bus_the_watcher_quietly_watches_nothing(qapp: QApplication) -> None:
    assert ScreenLockWatcher().watch(default_buses=False) == []


def test_logind_session_paths_are_escaped_like_systemd() -> None:
    assert logind_session_path("2") == "/org/freedesktop/login1/session/_32"
    assert logind_session_path("c1") == "/org/freedesktop/login1/session/c1"
