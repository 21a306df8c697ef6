"""First-run numbers (blank crisis line only by saying so), the unlock screen's numbers, and
the screen-saver inhibition over a real (private) D-Bus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Slot
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from companion.settings import CRISIS_LINE, EMERGENCY_NUMBER, Settings
from companion.ui.first_run.numbers import NumbersCard, remember_numbers
from companion.ui.inhibit import ScreenSaverInhibitor
from companion.ui.unlock import numbers_line


def test_safety_numbers_follow_the_country_and_need_confirming(qtbot: QtBot) -> None:
    emergency, crisis = QLineEdit(), QLineEdit()
    card = NumbersCard(emergency, crisis, locale_name="en_GB.UTF-8")
    qtbot.addWidget(card)
    assert card.code == "GB" and (emergency.text(), crisis.text()) == ("999", "116 123")
    assert "Samaritans" in card.summary.text()
    assert "check the numbers" in card.problem()
    card.country.setCurrentIndex(card.country.findData("AU"))
    assert (emergency.text(), crisis.text()) == ("000", "13 11 14")
    crisis.clear()
    card.checked.setChecked(True)
    assert "crisis line" in card.problem()  # blank only by saying so
    card.no_crisis.setChecked(True)
    assert card.problem() == ""
    assert "Crisis line: none." in card.summary.text()


def test_safety_unlock_numbers_read_correctly_with_a_blank_crisis_line(
    qapp: QApplication, settings: Settings
) -> None:
    assert numbers_line(settings) == ""
    remember_numbers(settings, "112", "", "DE")
    assert settings.get(EMERGENCY_NUMBER) == "112" and settings.get(CRISIS_LINE) == ""
    assert numbers_line(settings) == "In an emergency, call 112."
    remember_numbers(settings, "999", "116 123")
    assert numbers_line(settings) == (
        "In an emergency, call 999. To talk to someone now, call 116 123."
    )


class FakeScreenSaver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    @Slot(str, str, result="uint")
    def Inhibit(self, app: str, reason: str) -> int:
        self.calls.append((app, reason))
        return 7


def test_safety_screen_saver_is_inhibited_while_a_session_runs(
    qtbot: QtBot, qapp: QApplication, private_bus: str
) -> None:
    service = QDBusConnection.connectToBus(private_bus, "fake-screensaver")
    fake = FakeScreenSaver()
    try:
        assert service.registerService("org.freedesktop.ScreenSaver")
        assert service.registerObject(
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            fake,
            QDBusConnection.RegisterOption.ExportAllSlots,
        )
        inhibitor = ScreenSaverInhibitor(private_bus)
        inhibitor.set_running(True)
        qtbot.waitUntil(lambda: inhibitor.active, timeout=5_000)
        assert fake.calls == [("Companion", "A guided session is running")]
        assert inhibitor.cookie == 7
        name = inhibitor.unique_name
        assert name
        inhibitor.set_running(False)  # the connection closes: the screen saver forgets us
        assert not inhibitor.active and inhibitor.unique_name == ""
        qtbot.waitUntil(
            lambda: not service.interface().isServiceRegistered(name).value(), timeout=5_000
        )
    finally:
        QDBusConnection.disconnectFromBus("fake-screensaver")


@pytest.fixture
def fake_screensaver(private_bus: str) -> Iterator[tuple[QDBusConnection, FakeScreenSaver]]:
    """A fake org.freedesktop.ScreenSaver on the private bus. It answers on the GUI thread, so
    an Inhibit call stays in flight until the test lets the event loop run."""
    service = QDBusConnection.connectToBus(private_bus, "fake-screensaver-2")
    fake = FakeScreenSaver()
    try:
        assert service.registerService("org.freedesktop.ScreenSaver")
        assert service.registerObject(
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            fake,
            QDBusConnection.RegisterOption.ExportAllSlots,
        )
        yield service, fake
    finally:
        QDBusConnection.disconnectFromBus("fake-screensaver-2")


def on_bus(service: QDBusConnection, name: str) -> bool:
    return bool(name) and bool(service.interface().isServiceRegistered(name).value())


def test_safety_inhibit_right_after_a_release_with_the_reply_in_flight_is_kept(
    qtbot: QtBot,
    qapp: QApplication,
    private_bus: str,
    fake_screensaver: tuple[QDBusConnection, FakeScreenSaver],
) -> None:
    """A session ends and the next starts (or a resume) before the first Inhibit's reply has
    come back: the late reply must not close the connection the new session needs."""
    service, fake = fake_screensaver
    inhibitor = ScreenSaverInhibitor(private_bus)
    inhibitor.set_running(True)  # the call is in flight: nothing has answered yet
    name = inhibitor.unique_name
    assert name and not inhibitor.active and fake.calls == []
    inhibitor.set_running(False)  # released while the reply is still in flight
    inhibitor.set_running(True)  # and wanted again at once
    qtbot.waitUntil(lambda: inhibitor.active, timeout=5_000)
    assert inhibitor.cookie == 7 and inhibitor.unique_name == name
    assert fake.calls == [("Companion", "A guided session is running")]
    qtbot.wait(200)  # nothing late undoes it
    assert inhibitor.active and on_bus(service, name)
    inhibitor.set_running(False)  # and the release after it still ends the inhibition
    assert not inhibitor.active
    qtbot.waitUntil(lambda: not on_bus(service, name), timeout=5_000)


def test_safety_release_with_the_reply_in_flight_ends_the_inhibition_when_it_arrives(
    qtbot: QtBot,
    qapp: QApplication,
    private_bus: str,
    fake_screensaver: tuple[QDBusConnection, FakeScreenSaver],
) -> None:
    service, fake = fake_screensaver
    inhibitor = ScreenSaverInhibitor(private_bus)
    for running in (True, False, True, False):  # toggled quickly, ending released
        inhibitor.set_running(running)
    name = inhibitor.unique_name
    assert name  # kept open until the reply: never pulled from under a call
    qtbot.waitUntil(lambda: fake.calls != [], timeout=5_000)
    qtbot.waitUntil(lambda: not on_bus(service, name), timeout=5_000)
    assert not inhibitor.active and inhibitor.unique_name == ""
    assert len(fake.calls) == 1  # one call, its inhibition dropped with the connection
    inhibitor.set_running(True)  # a later session inhibits afresh
    qtbot.waitUntil(lambda: inhibitor.active, timeout=5_000)
    assert len(fake.calls) == 2
    inhibitor.set_running(False)


def test_without_a_bus_nothing_is_inhibited(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    inhibitor = ScreenSaverInhibitor()
    inhibitor.set_running(True)
    assert not inhibitor.active
    inhibitor.set_running(False)
