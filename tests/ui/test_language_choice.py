"""Choosing the language: at first run (pre-selected from the system; the flow is built again
in the chosen language) and in Settings (saved, used after a restart, "Restart now")."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from pytestqt.qtbot import QtBot

from companion.app import Restart, request_restart, restart_command, start_again
from companion.i18n import LANGUAGE_CODES, current_language
from companion.paths import DataPaths
from companion.services.container import Services
from companion.settings import LANGUAGE, Settings
from companion.ui.language import apply_language
from companion.ui.shell_pages import PAGE_NAMES
from tests.support.gui import WindowFactory, click, unlock
from tests.support.language import TEST_LANGUAGE
from tests.support.vault import PASSPHRASE


def restore_language_after(request: pytest.FixtureRequest) -> None:
    # Qt's translator and locale too, not only the catalogue
    request.addfinalizer(lambda: apply_language(TEST_LANGUAGE))


def test_first_run_offers_the_systems_language_and_rebuilds_itself_in_the_chosen_one(
    qtbot: QtBot, make_window: WindowFactory, data_paths: DataPaths, request: pytest.FixtureRequest
) -> None:
    restore_language_after(request)
    window = make_window()
    flow = window.first_run
    assert flow is not None
    box = flow.welcome.language
    shown = current_language() if current_language() in LANGUAGE_CODES else "en"
    assert box.currentData() == shown  # what the app applied at start-up (the system's)
    assert [box.itemText(i) for i in range(box.count())] == ["English", "Español"]

    box.setCurrentIndex(box.findData("es"))

    rebuilt = window.first_run
    assert rebuilt is not None and rebuilt is not flow
    assert current_language() == "es" and rebuilt.welcome.language.currentData() == "es"
    assert rebuilt.welcome.language.hasFocus()
    assert QLocale().language() == QLocale.Language.Spanish  # date and time edits
    # Qt's own words (message box buttons, a line edit's menu) come from qtbase_es.qm
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
    window.ctx.settings.flush()
    assert Settings(data_paths.preferences).get(LANGUAGE) == "es"


def test_settings_saves_the_language_and_offers_a_restart(
    qtbot: QtBot,
    make_window: WindowFactory,
    unlocked_services: Services,
    data_paths: DataPaths,
    settings: Settings,
    request: pytest.FixtureRequest,
) -> None:
    restore_language_after(request)
    unlocked_services.vault.lock()
    settings.set(LANGUAGE, "en")
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    shell.show_page(PAGE_NAMES.index("Settings"))
    section = shell.settings_page.language
    in_use = current_language() == "en"
    assert (
        section.note.isVisible() is not in_use and section.restart_button.isVisible() is not in_use
    )

    section.choice.setCurrentIndex(section.choice.findData("es"))

    assert current_language() == TEST_LANGUAGE, "the running window keeps its language"
    assert section.note.isVisible() and "Español" in section.note.text()
    assert section.restart_button.isVisible()
    window.ctx.settings.flush()
    assert Settings(data_paths.preferences).get(LANGUAGE) == "es"
    with qtbot.waitSignal(window.restart_requested, timeout=2_000):
        click(qtbot, section.restart_button)

    section.choice.setCurrentIndex(section.choice.findData("en"))  # changed their mind
    assert section.note.isVisible() is not in_use


def test_restart_now_closes_the_window_then_starts_companion_again(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    restart = Restart()
    started: list[list[str]] = []
    assert not start_again(restart, spawn=started.append), "no restart unless asked"

    request_restart(window, restart)

    assert not window.isVisible() and restart.wanted
    assert start_again(restart, spawn=started.append)
    assert started == [restart_command()]
    assert restart_command()[0] == sys.executable
