"""Help on the unlock screen itself: F1, Esc and a visible Help button open the same Help the
session uses (emergency signs, what to do, the emergency and crisis numbers), before anything is
unlocked and without the vault. Screenshots go to $COMPANION_SHOTS if set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.protocol_files import default_protocol
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.first_run.numbers import remember_numbers
from companion.ui.main_window import MainWindow
from companion.ui.services_handle import ServicesHandle
from companion.ui.session.help import BACK_TO_UNLOCK, HelpView
from companion.ui.theme import apply_theme
from companion.ui.unlock import UnlockScreen
from tests.support.gui import WindowFactory, click, unlock, visible_texts
from tests.support.vault import PASSPHRASE


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("COMPANION_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def screen_of(window: MainWindow) -> UnlockScreen:
    assert window.unlock_screen is not None
    return window.unlock_screen


def figures(view: HelpView) -> dict[str, str]:
    """The numbers Help shows, by their accessible names."""
    return {
        w.accessibleName(): w.text()
        for w in view.findChildren(QLabel)
        if w.property("role") == "figure" and not w.isHidden()
    }


def assert_full_help(qtbot: QtBot, screen: UnlockScreen) -> HelpView:
    qtbot.waitUntil(lambda: screen.showing_help, timeout=5_000)
    view = screen.help_view
    shown = figures(view)
    assert shown == {"Emergency: 999": "999", "Crisis line: 116 123": "116 123"}
    texts = visible_texts(view)
    for sign in default_protocol().emergency.signs:  # the same signs the session's Help shows
        assert sign.text in texts
    assert view.back_button.text() == BACK_TO_UNLOCK and view.back_button.hasFocus()
    assert view.call_button.isHidden() and view.end_button.isHidden()
    assert view.music_note.isHidden() and not view.locked_note.isHidden()
    return view


@pytest.fixture
def locked(services: Services, settings: Settings) -> Services:
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    remember_numbers(settings, "999", "116 123", "GB")
    return services


def test_safety_unlock_screen_f1_opens_help_without_the_vault(
    qtbot: QtBot, make_window: WindowFactory, locked: Services
) -> None:
    window = make_window()
    screen = screen_of(window)
    assert screen.form.passphrase.edit.hasFocus()
    qtbot.keyClick(screen.form.passphrase.edit, Qt.Key.Key_F1)
    view = assert_full_help(qtbot, screen)
    assert not locked.vault.is_unlocked
    assert window.ctx.tasks.pending == 0  # nothing was asked of the worker
    qtbot.keyClick(view.back_button, Qt.Key.Key_Return)  # Enter in a hurry never hides Help
    assert screen.showing_help
    click(qtbot, view.back_button)
    assert screen.currentWidget() is screen.form
    assert screen.form.passphrase.edit.hasFocus()
    unlock(qtbot, window, PASSPHRASE)  # and unlocking still works afterwards
    assert locked.vault.is_unlocked


def test_safety_unlock_screen_help_button_and_esc_open_help(
    qtbot: QtBot, make_window: WindowFactory, locked: Services
) -> None:
    window = make_window()
    screen = screen_of(window)
    button = screen.form.help_button
    assert button.isVisible() and button.accessibleName() == "Help"
    click(qtbot, button)
    view = assert_full_help(qtbot, screen)
    qtbot.keyClick(view.back_button, Qt.Key.Key_Escape)  # Esc opens Help; it never closes it
    assert screen.showing_help
    click(qtbot, view.back_button)
    qtbot.keyClick(screen.form.passphrase.edit, Qt.Key.Key_Escape)
    assert_full_help(qtbot, screen)


def test_safety_recovery_screen_f1_opens_help_and_back_returns_there(
    qtbot: QtBot, make_window: WindowFactory, locked: Services
) -> None:
    window = make_window()
    screen = screen_of(window)
    click(qtbot, screen.form.forgot_button)
    recovery = screen.recovery
    assert screen.currentWidget() is recovery
    qtbot.keyClick(recovery, Qt.Key.Key_F1)
    view = assert_full_help(qtbot, screen)
    click(qtbot, view.back_button)
    assert screen.currentWidget() is recovery


def test_safety_unlock_help_works_while_the_services_are_still_starting(
    qtbot: QtBot, themed_app: QApplication, settings: Settings, tmp_path: Path
) -> None:
    """The services (and so the vault) are never built here: Help needs none of them."""
    remember_numbers(settings, "999", "116 123", "GB")
    handle = ServicesHandle(vault_exists=lambda: True)
    window = MainWindow(handle, settings, clock=ManualClock(), ask_before_losing_key=False)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    screen = screen_of(window)
    click(qtbot, screen.form.help_button)
    assert_full_help(qtbot, screen)
    assert not handle.started and not handle.is_ready
    window.autolock.stop()


def test_safety_unlock_help_with_no_numbers_saved_still_says_whom_to_call(
    qtbot: QtBot, make_window: WindowFactory, services: Services, settings: Settings
) -> None:
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    screen = screen_of(make_window())
    click(qtbot, screen.form.help_button)
    qtbot.waitUntil(lambda: screen.showing_help)
    (text,) = figures(screen.help_view).values()
    assert "Your local emergency number" in text


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_safety_unlock_help_fits_1366x768_at_200_percent(
    qtbot: QtBot,
    make_window: WindowFactory,
    locked: Services,
    settings: Settings,
    qapp: QApplication,
    theme: str,
) -> None:
    settings.set(TEXT_SCALE, 200)
    settings.set(THEME, theme)
    apply_theme(qapp, theme, 200)
    window = make_window(size=(1366, 768))
    screen = screen_of(window)
    shoot(window, f"unlock_200_{theme}")
    button = screen.form.help_button
    form_view = QRect(QPoint(0, 0), screen.form.viewport().size())
    top_left = button.mapTo(screen.form.viewport(), QPoint(0, 0))
    assert form_view.contains(QRect(top_left, button.size())), "Help is in view at 200 %"
    qtbot.keyClick(screen.form.passphrase.edit, Qt.Key.Key_F1)
    view = assert_full_help(qtbot, screen)
    qtbot.wait(200)  # let the layout settle before looking
    shoot(window, f"unlock_help_200_{theme}")
    seen = QRect(QPoint(0, 0), view.viewport().size())
    shown = [
        w for w in view.findChildren(QWidget) if w.property("role") == "figure" and w.isVisible()
    ]
    assert len(shown) == 2
    for widget in [*shown, view.back_button]:
        corner = widget.mapTo(view.viewport(), QPoint(0, 0))
        assert seen.contains(QRect(corner, widget.size())), widget.accessibleName()
    assert window.width() <= 1366 and window.height() <= 768
