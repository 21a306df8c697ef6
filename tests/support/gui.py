"""Small helpers shared by the UI tests: typing, finding widgets, reading what is on screen."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.paths import DataPaths
from companion.services.container import Services
from companion.ui.main_window import MainWindow
from companion.ui.shell import Shell
from companion.ui.shell_pages import BUILD_ORDER, PAGE_NAMES
from companion.ui.widgets.strength_meter import StrengthMeter

STRONG = "lantern orchard quietly seventeen"
OTHER_STRONG = "violet harbour pebble thunder 8"


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def scroll_into_view(qtbot: QtBot, area: QScrollArea, widget: QWidget) -> None:
    """``area`` scrolled until ``widget`` is on screen, as a patient scrolls to a button before
    clicking it. A test's click on a button below the window reached it or not, depending on
    whether the window had laid itself out since (Qt's test events are placed in the window)."""

    def seen() -> bool:
        area.ensureWidgetVisible(widget)  # again each time: a layout may have moved it since
        return not widget.visibleRegion().isEmpty()

    qtbot.waitUntil(seen, timeout=5_000)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Types, then pauses as a person does (a strength meter answers once typing pauses)."""
    qtbot.keyClicks(widget, text)
    wait_for_strength(qtbot, widget)


def wait_for_strength(qtbot: QtBot, widget: QWidget) -> None:
    """Every passphrase strength meter in the window has answered for the text now typed
    (it estimates off the GUI thread, once typing pauses)."""
    meters = widget.window().findChildren(StrengthMeter)
    qtbot.waitUntil(lambda: all(meter.settled for meter in meters), timeout=10_000)


def visible_texts(root: QWidget) -> list[str]:
    """Every text a widget under ``root`` holds (shown or not): labels, fields, editors."""
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
    return texts


def file_hashes(paths: DataPaths) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (paths.header, paths.database)
    }


def wait_for_shell(qtbot: QtBot, window: MainWindow) -> Shell:
    qtbot.waitUntil(lambda: window.shell is not None, timeout=10_000)
    shell = window.shell
    assert shell is not None
    qtbot.waitUntil(lambda: shell.settings_page.profile.save_button.isEnabled(), timeout=10_000)
    # The pages built in the background after Home (issue 16) are built and loaded too.
    qtbot.waitUntil(lambda: all(shell.is_built(i) for i in BUILD_ORDER), timeout=15_000)
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)
    return shell


def unlock(qtbot: QtBot, window: MainWindow, passphrase: str) -> Shell:
    screen = window.unlock_screen
    assert screen is not None
    type_text(qtbot, screen.form.passphrase.edit, passphrase)
    click(qtbot, screen.form.unlock_button)
    return wait_for_shell(qtbot, window)


REQUIRED_PROFILE = {"provider_name": "Dr. Rivera", "provider_contact": "555 0100"}


def each_screen(qtbot: QtBot, window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Walks a fresh window through every screen and page, yielding each once it is shown."""
    flow = window.first_run
    assert flow is not None
    yield "welcome", flow.welcome
    click(qtbot, flow.welcome.continue_button)
    yield "create passphrase", flow.passphrase
    type_text(qtbot, flow.passphrase.passphrase.edit, STRONG)
    type_text(qtbot, flow.passphrase.confirm.edit, STRONG)
    click(qtbot, flow.passphrase.continue_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.recovery, timeout=10_000)
    yield "recovery key", flow.recovery
    flow.recovery.stored.setChecked(True)
    click(qtbot, flow.recovery.continue_button)
    yield "profile", flow.profile
    for name, value in REQUIRED_PROFILE.items():
        flow.profile.form.edits[name].setText(value)
    flow.profile.numbers.checked.setChecked(True)  # the country's numbers, confirmed
    click(qtbot, flow.profile.save_button)
    shell = wait_for_shell(qtbot, window)
    for index, page in enumerate(shell.pages):
        shell.show_page(index)
        qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0)
        yield PAGE_NAMES[index], page
    window.lock()
    screen = window.unlock_screen
    assert screen is not None
    yield "unlock", screen.form
    click(qtbot, screen.form.forgot_button)
    yield "recover", screen.recovery


FAST_POLL_MS = 10  # the auto-lock timer asks often; the injected clock decides


WindowFactory = Callable[..., MainWindow]


PROFILE_CANARY = "Quillon Marchbanks"  # a name that appears nowhere else (the lock tests)


def assert_locked(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    assert window.unlock_screen is not None
    assert window.shell is None
    qtbot.waitUntil(lambda: not services.vault.is_unlocked, timeout=5000)
    assert PROFILE_CANARY not in " ".join(visible_texts(window))


def show_window(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    """Shows a test's window at ``size``, exposed and active (keyboard focus goes to it)."""
    qtbot.addWidget(window)
    window.resize(*size)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
