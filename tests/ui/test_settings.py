"""Settings: appearance and locking persist; the passphrase changes through the vault."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.paths import DataPaths
from companion.services.container import Services
from companion.settings import AUTOLOCK_MINUTES, TEXT_SCALE, THEME, WINDOW_GEOMETRY, Settings
from companion.ui.shell_pages import PAGE_NAMES
from companion.ui.theme import LIGHT, pixel_size, stylesheet, text_size_sheet
from tests.support.gui import OTHER_STRONG, WindowFactory, click, type_text, unlock
from tests.support.vault import PASSPHRASE


def test_theme_text_size_and_delay_persist(
    qtbot: QtBot,
    make_window: WindowFactory,
    unlocked_services: Services,
    data_paths: DataPaths,
    themed_app: QApplication,
) -> None:
    unlocked_services.vault.lock()
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    page = shell.settings_page
    shell.show_page(PAGE_NAMES.index("Settings"))

    page.appearance.theme.setCurrentIndex(page.appearance.theme.findData("light"))
    page.appearance.text_size.setCurrentIndex(page.appearance.text_size.findData(150))
    page.locking.delay.setCurrentIndex(page.locking.delay.findData(30))
    assert page.appearance.status.text() == "Saved."

    assert themed_app.font().pixelSize() == pixel_size(150) == 24
    assert themed_app.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window
    # The application's stylesheet stays as it was made (setting a new one re-polished every
    # widget, for seconds): what is on screen takes the light one at 150 %, a piece per turn.
    assert text_size_sheet() == stylesheet("light", 150) and LIGHT.window in text_size_sheet()
    qtbot.waitUntil(lambda: not shell.restyler.busy and window.updatesEnabled(), timeout=10_000)
    cards = [c for c in page.findChildren(QWidget) if c.property("role") == "card"]
    card = next(c for c in cards if c.isVisible())
    painted = card.grab().toImage().pixelColor(QPoint(6, card.height() // 2))
    assert painted.name() == QColor(LIGHT.surface).name()

    window.ctx.settings.flush()  # what quitting does (writes are deferred, then coalesced)
    reread = Settings(data_paths.preferences)  # as the next start of the app would read it
    assert reread.get(THEME) == "light"
    assert reread.get(TEXT_SCALE) == 150
    assert reread.get(AUTOLOCK_MINUTES) == 30


def test_window_geometry_is_saved_and_restored(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    window = make_window(size=(1000, 700))
    window.close()
    assert settings.get(WINDOW_GEOMETRY)
    again = make_window(size=(1000, 700))
    assert again.size() == window.size()


def test_change_passphrase(
    qtbot: QtBot, make_window: WindowFactory, unlocked_services: Services
) -> None:
    services = unlocked_services
    services.vault.lock()
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    section = shell.settings_page.passphrase

    type_text(qtbot, section.current.edit, "not it at all")
    type_text(qtbot, section.new.edit, OTHER_STRONG)
    type_text(qtbot, section.confirm.edit, OTHER_STRONG)
    click(qtbot, section.change_button)
    qtbot.waitUntil(lambda: not section.status.isHidden(), timeout=10_000)
    assert "did not unlock" in section.status.text()
    assert section.current.text() == ""

    type_text(qtbot, section.current.edit, PASSPHRASE)
    click(qtbot, section.change_button)
    qtbot.waitUntil(lambda: "Your passphrase was changed" in section.status.text(), timeout=10_000)
    assert section.new.text() == "" and section.confirm.text() == ""

    window.lock()
    qtbot.waitUntil(lambda: not services.vault.is_unlocked)
    unlock(qtbot, window, OTHER_STRONG)


def test_profile_saved_from_settings_updates_the_help_line(
    qtbot: QtBot, make_window: WindowFactory, unlocked_services: Services
) -> None:
    unlocked_services.vault.lock()
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    section = shell.settings_page.profile
    form = section.form
    click(qtbot, section.save_button)  # empty provider: inline problems, nothing saved
    assert not form.fields["provider_name"].problem.isHidden()
    assert section.status.property("role") == "error"
    type_text(qtbot, form.edits["provider_name"], "Dr. Rivera")
    type_text(qtbot, form.edits["provider_contact"], "555 0100")
    form.edits["emergency_number"].setText("112")
    click(qtbot, section.save_button)
    qtbot.waitUntil(lambda: section.status.text() == "Saved.", timeout=10_000)
    # The save broadcasts a profile change; the shell reads the profile again for every page.
    qtbot.waitUntil(lambda: "112" in shell.help_label.text(), timeout=10_000)
    assert unlocked_services.worker.submit(
        unlocked_services.profile.load
    ).result().provider_name == ("Dr. Rivera")
