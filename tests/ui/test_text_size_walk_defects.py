"""The two defects the screen walk found in the piecewise text-size restyle (issue 16), each
replayed as the walk does it, on real widgets offscreen (a 1366x768 screen):

(a) after 100 -> 200 % the Settings page was wider than its window (its right side cut off):
    the window widened for the page shown, then the restyle's last step shrank it back;
(b) after light -> dark at 200 % the Settings cards kept their light background, their headings
    near-invisible (light text on a light card).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.settings import THEME, Settings
from companion.ui.main_window import MainWindow
from companion.ui.pages.settings import AppearanceSection
from companion.ui.shell import Shell
from companion.ui.shell_pages import PAGE_NAMES
from companion.ui.theme import apply_theme, palette_for
from tests.support.gui import WindowFactory, unlock
from tests.support.screen import layout_problems
from tests.support.vault import PASSPHRASE

SETTINGS = PAGE_NAMES.index("Settings")


def settle(qtbot: QtBot, window: MainWindow, shell: Shell) -> None:
    qtbot.waitUntil(lambda: not shell.restyler.busy and window.updatesEnabled(), timeout=15_000)
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)
    qtbot.wait(100)  # the layouts settle and the window is fitted


def choose(qtbot: QtBot, window: MainWindow, shell: Shell, *, theme: str, percent: int) -> None:
    """As the walk (and a patient) does it: the theme, then the text size, in Settings."""
    appearance: AppearanceSection = shell.settings_page.appearance
    appearance.theme.setCurrentIndex(appearance.theme.findData(theme))
    appearance.text_size.setCurrentIndex(appearance.text_size.findData(percent))
    settle(qtbot, window, shell)


def lock_and_unlock(qtbot: QtBot, window: MainWindow) -> Shell:
    window.lock()
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)
    return unlock(qtbot, window, PASSPHRASE)


def settings_scroll(shell: Shell) -> QScrollArea:
    page = shell.stack.widget(SETTINGS)
    assert isinstance(page, QScrollArea) and page.isVisible()
    return page


def test_settings_fits_its_window_after_100_to_200_percent(
    qtbot: QtBot,
    make_window: WindowFactory,
    unlocked_services: Services,
    settings: Settings,
    themed_app: QApplication,
) -> None:
    settings.set(THEME, "light")
    apply_theme(themed_app, "light", 100)
    unlocked_services.vault.lock()
    window = make_window(size=(1120, 800))
    shell = unlock(qtbot, window, PASSPHRASE)
    for theme in ("light", "dark"):  # the walk's rounds at 200 %: light, then dark
        shell = lock_and_unlock(qtbot, window)  # Home shown, the other pages built after it
        choose(qtbot, window, shell, theme=theme, percent=200)
        for index in range(len(PAGE_NAMES)):  # the walk's order: Settings last
            shell.show_page(index)
            settle(qtbot, window, shell)
    area = settings_scroll(shell)
    inner = area.widget()
    assert inner is not None
    needed = inner.minimumSizeHint().width()
    assert needed <= area.viewport().width(), (
        f"window {window.width()} px: the Settings page needs {needed} px "
        f"in a {area.viewport().width()} px viewport"
    )
    assert inner.width() <= area.viewport().width()
    assert not layout_problems(area), layout_problems(area)[:5]
    available = window.available_size()
    assert available is not None and window.width() <= available.width()


def card_colours(card: QWidget) -> tuple[QColor, QColor]:
    """The card's background as painted (just inside its top-left rounded corner) and the
    colour its title is drawn in."""
    image = card.grab().toImage()
    inset = card.height() // 2
    background = image.pixelColor(QPoint(6, inset)) if image.width() > 6 else QColor()
    titles = [w for w in card.findChildren(QLabel) if w.property("role") == "subtitle"]
    assert titles, "a settings card has a heading"
    heading = titles[0].palette().color(titles[0].foregroundRole())
    return background, heading


def test_settings_cards_turn_dark_after_light_to_dark_at_200_percent(
    qtbot: QtBot,
    make_window: WindowFactory,
    unlocked_services: Services,
    settings: Settings,
    themed_app: QApplication,
) -> None:
    settings.set(THEME, "light")
    apply_theme(themed_app, "light", 100)
    unlocked_services.vault.lock()
    window = make_window(size=(1120, 800))
    shell = unlock(qtbot, window, PASSPHRASE)
    choose(qtbot, window, shell, theme="light", percent=200)
    shell = lock_and_unlock(qtbot, window)  # every page built after the size change
    choose(qtbot, window, shell, theme="dark", percent=200)
    shell.show_page(SETTINGS)
    settle(qtbot, window, shell)
    dark = palette_for("dark")
    page = shell.stack.widget(SETTINGS)
    assert page is not None
    cards = [c for c in page.findChildren(QWidget) if c.property("role") == "card"]
    assert cards
    for card in cards:
        if not card.isVisible():
            continue
        background, heading = card_colours(card)
        name = type(card).__name__
        assert background.name() == QColor(dark.surface).name(), f"{name}: {background.name()}"
        assert heading.name() == QColor(dark.text).name(), f"{name}: heading {heading.name()}"
