"""Concealed clipboard copies that clear themselves, and locking when the computer sleeps."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock, SystemClock
from companion.services.container import Services
from companion.ui.autolock import idle_reader, sleep_aware_seconds
from companion.ui.clipboard import CLEAR_AFTER_MS, OwnClipboard
from companion.ui.main_window import MainWindow
from companion.ui.screen_lock import (
    LOGIND_MANAGER_INTERFACE,
    LOGIND_MANAGER_PATH,
    ScreenLockWatcher,
)
from companion.ui.shell import Shell
from tests.support.gui import assert_locked

SECRET = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-67ABC-DEFGH"


@pytest.fixture
def own(qapp: QApplication) -> Iterator[OwnClipboard]:
    clipboard = OwnClipboard()
    yield clipboard
    clipboard.clear_if_ours()


def test_copies_are_marked_concealed_for_clipboard_managers(own: OwnClipboard) -> None:
    own.copy(SECRET)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime is not None
    assert mime.text() == SECRET
    assert bytes(mime.data("x-kde-passwordManagerHint").data()) == b"secret"
    assert mime.hasFormat("org.nspasteboard.ConcealedType")


def test_copy_is_cleared_after_45_seconds_if_still_ours(own: OwnClipboard) -> None:
    own.copy(SECRET)
    assert own.timer.isActive() and own.timer.interval() == CLEAR_AFTER_MS
    assert 30_000 <= CLEAR_AFTER_MS <= 60_000
    own.timer.timeout.emit()  # the 45 s are up
    assert QGuiApplication.clipboard().text() != SECRET
    assert not own.holds_ours()


def test_timed_clear_leaves_what_the_person_copied_since(own: OwnClipboard) -> None:
    own.copy(SECRET)
    QGuiApplication.clipboard().setText("my own note")
    own.timer.timeout.emit()
    assert QGuiApplication.clipboard().text() == "my own note"


def test_prepare_for_sleep_on_the_system_bus_asks_for_a_lock(
    qtbot: QtBot,
    qapp: QApplication,
    private_bus: str,
) -> None:
    listener = QDBusConnection.connectToBus(private_bus, "companion-sleep-listener")
    sender = QDBusConnection.connectToBus(private_bus, "companion-sleep-sender")
    try:
        watcher = ScreenLockWatcher()
        assert "logind-sleep" in watcher.watch(system_bus=listener, default_buses=False)
        woke = QDBusMessage.createSignal(
            LOGIND_MANAGER_PATH, LOGIND_MANAGER_INTERFACE, "PrepareForSleep"
        )
        woke.setArguments([False])
        with qtbot.assertNotEmitted(watcher.screen_locked, wait=100):
            assert sender.send(woke)
        sleeping = QDBusMessage.createSignal(
            LOGIND_MANAGER_PATH, LOGIND_MANAGER_INTERFACE, "PrepareForSleep"
        )
        sleeping.setArguments([True])
        with (
            qtbot.waitSignal(watcher.going_to_sleep, timeout=5000),
            qtbot.waitSignal(watcher.screen_locked, timeout=5000),
        ):
            assert sender.send(sleeping)
    finally:
        QDBusConnection.disconnectFromBus("companion-sleep-listener")
        QDBusConnection.disconnectFromBus("companion-sleep-sender")


def test_window_locks_when_the_computer_goes_to_sleep(
    qtbot: QtBot,
    opened: tuple[MainWindow, Shell],
    services: Services,
) -> None:
    window, _shell = opened
    window.screen_lock._on_prepare_for_sleep(True)
    assert_locked(qtbot, window, services)


def test_idle_time_counts_sleep_with_the_real_clock() -> None:
    manual = ManualClock()
    assert idle_reader(manual)() == manual.monotonic()
    assert idle_reader(SystemClock()) is sleep_aware_seconds
    if hasattr(time, "CLOCK_BOOTTIME"):
        # CLOCK_BOOTTIME = CLOCK_MONOTONIC + time spent suspended: never behind it.
        assert sleep_aware_seconds() >= time.monotonic() - 0.001
