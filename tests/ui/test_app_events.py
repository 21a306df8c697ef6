"""The one application-wide event filter (issue 16): a restyle's flood of style, font, layout
and polish events never calls into the Python handlers (help keys, auto-lock, input rules), which
made a text-size change about twice as slow; a key press still reaches every one of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.ui.autolock import AutoLock
from companion.ui.help_keys import HelpKeys
from companion.ui.widgets.input_rules_filter import InputRules
from tests.support.python_calls import python_calls
from tests.support.window_input import key_click

Filter = Callable[[QObject, QObject, QEvent], bool]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Which handler saw which event ("AutoLock KeyPress"), in order (each still does its
    work)."""
    calls: list[str] = []
    classes: tuple[type[QObject], ...] = (InputRules, AutoLock, HelpKeys)
    for cls in classes:
        original: Filter = cls.eventFilter

        def counting(
            self: QObject, watched: QObject, event: QEvent, original: Filter = original
        ) -> bool:
            calls.append(f"{type(self).__name__} {event.type().name}")
            return original(self, watched, event)

        monkeypatch.setattr(cls, "eventFilter", counting)
    yield calls


def test_a_restyle_never_calls_the_python_handlers(
    qtbot: QtBot, themed_app: QApplication, seen: list[str]
) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    autolock = AutoLock(ManualClock(), 5, lambda: False, parent=root)
    autolock.start()
    HelpKeys(lambda: None, lambda: False, root).install()
    layout = QVBoxLayout(root)
    for index in range(60):
        layout.addWidget(QLabel(f"line {index}"))
    combo = QComboBox()
    combo.addItems(["one", "two"])
    layout.addWidget(combo)
    root.show()
    qtbot.waitExposed(root)
    combo.setFocus()
    qtbot.wait(20)
    seen.clear()

    root.setStyleSheet("QLabel { font-size: 22px; } QComboBox { padding: 6px; }")
    qtbot.wait(20)  # the layouts and the repaint that follow
    # Hundreds of style, font, layout, move, resize and paint events: none is handed on.
    assert seen == []

    key_click(combo, Qt.Key.Key_Down)  # as the window system delivers it
    assert {"AutoLock KeyPress", "HelpKeys KeyPress", "InputRules KeyPress"} <= set(seen)
    assert autolock.active
    autolock.stop()


def test_a_restyle_and_a_relayout_never_reach_python_at_all(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    """Issue 16: the watcher is on the window, so the flood of a page's child, polish,
    layout, move, resize and paint events never calls into Python (an application filter was
    called for each: a large part of the session's longest stalls)."""
    root = QWidget()
    qtbot.addWidget(root)
    HelpKeys(lambda: None, lambda: False, root).install()
    layout = QVBoxLayout(root)
    labels = [QLabel(f"line {index}") for index in range(120)]
    for item in labels:
        layout.addWidget(item)
    with qtbot.waitExposed(root):
        root.show()
    root.activateWindow()  # as a window manager does
    qtbot.waitUntil(root.isActiveWindow)

    def restyle_and_relayout() -> None:
        root.setStyleSheet("QLabel { font-size: 22px; }")
        for item in labels[::2]:
            item.hide()
        root.resize(root.width() + 40, root.height())
        qtbot.wait(20)

    calls = python_calls(restyle_and_relayout)
    # The widgets got thousands of events; the window a handful (its resize and repaints).
    assert 0 < calls.count("app_events.eventFilter") < 20, calls.count("app_events.eventFilter")
    pressed = python_calls(lambda: key_click(root, Qt.Key.Key_A))
    assert "help_keys.eventFilter" in pressed


def test_a_dialog_opened_later_is_watched_too(qtbot: QtBot, themed_app: QApplication) -> None:
    """A window made after the watcher started (a dialog) hands its keys on as well: F1 there
    sets the dialog aside and opens Help."""
    root = QWidget()
    qtbot.addWidget(root)
    opened: list[bool] = []
    keys = HelpKeys(lambda: opened.append(True), lambda: True, root)
    keys.install()
    with qtbot.waitExposed(root):
        root.show()
    root.activateWindow()  # as a window manager does
    qtbot.waitUntil(root.isActiveWindow)
    dialog = QDialog(root)
    dialog.setModal(True)
    QVBoxLayout(dialog).addWidget(QLabel("A question"))
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    key_click(dialog, Qt.Key.Key_F1)
    assert opened == [True]
    assert not dialog.isVisible()  # set aside, as Esc would
    keys.remove()


def test_an_open_drop_down_is_watched_too(qtbot: QtBot, themed_app: QApplication) -> None:
    """A drop-down's list is a window of its own (a popup); its keys are handed on as well."""
    root = QWidget()
    qtbot.addWidget(root)
    seen: list[str] = []
    keys = HelpKeys(lambda: seen.append("help"), lambda: True, root)
    keys.install()
    combo = QComboBox(root)
    combo.addItems(["None", "Mild", "Moderate"])
    with qtbot.waitExposed(root):
        root.show()
    root.activateWindow()  # as a window manager does
    qtbot.waitUntil(root.isActiveWindow)
    combo.setFocus()
    combo.showPopup()
    popup = QApplication.activePopupWidget()
    assert popup is not None
    qtbot.waitExposed(popup)
    calls = python_calls(lambda: key_click(popup, Qt.Key.Key_F1))
    assert "help_keys.eventFilter" in calls  # handed on from the popup's own window
    assert seen == ["help"]
    combo.hidePopup()
    keys.remove()
