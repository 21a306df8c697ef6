"""Every control can be reached by keyboard, has a name for screen readers, and shows focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tests.support.gui import WindowFactory, each_screen
from tests.support.screen import focusable, spoken_name


def test_every_focusable_control_has_an_accessible_name(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    checked = 0
    for screen, _page in each_screen(qtbot, window):
        widgets = focusable(window)
        assert widgets, f"nothing can take focus on {screen}"
        unnamed = [f"{type(w).__name__}({w.objectName()})" for w in widgets if not spoken_name(w)]
        assert not unnamed, f"{screen}: no accessible name for {unnamed}"
        checked += len(widgets)
    assert checked > 60


def test_tab_order_follows_reading_order_on_the_unlock_screen(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    for _screen in each_screen(qtbot, window):
        pass  # ends on the unlock screen, as a returning person sees it
    screen = window.unlock_screen
    assert screen is not None
    screen.show_passphrase()
    form = screen.form
    order = [form.passphrase.edit, form.passphrase.toggle, form.forgot_button, form.unlock_button]
    form.passphrase.edit.setFocus()
    qtbot.waitUntil(form.passphrase.edit.hasFocus)
    for expected_next in order[1:]:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert window.focusWidget() is expected_next


def test_focus_is_visible(qtbot: QtBot, make_window: WindowFactory) -> None:
    """A focused control looks different from the same control without focus."""
    window = make_window()
    flow = window.first_run
    assert flow is not None
    button = flow.welcome.continue_button

    def picture() -> QImage:
        return button.grab().toImage()

    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    focused = picture()
    button.clearFocus()
    qtbot.waitUntil(lambda: not button.hasFocus())
    assert picture() != focused
