"""Unlocking: the passphrase, a wrong one (nothing changes on disk), and the recovery key."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.ui.main_window import MainWindow
from companion.ui.unlock import UnlockScreen
from tests.support.gui import OTHER_STRONG, WindowFactory, click, file_hashes, type_text, unlock
from tests.support.vault import PASSPHRASE


def screen_of(window: MainWindow) -> UnlockScreen:
    assert window.unlock_screen is not None
    return window.unlock_screen


@pytest.fixture
def recovery_key(services: Services) -> str:
    key = services.vault.create(PASSPHRASE)
    services.vault.lock()
    return key


@pytest.mark.usefixtures("unlocked_services")
def test_an_existing_vault_opens_on_the_unlock_screen(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    services.vault.lock()
    window = make_window()
    screen = screen_of(window)
    assert screen.currentWidget() is screen.form
    assert screen.form.passphrase.edit.hasFocus()
    shell = unlock(qtbot, window, PASSPHRASE)
    assert services.vault.is_unlocked
    assert shell.stack.currentWidget() is shell.home
    assert window.unlock_screen is None


@pytest.mark.usefixtures("unlocked_services")
def test_wrong_passphrase_says_so_and_changes_nothing_on_disk(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    services.vault.lock()
    before = file_hashes(services.paths)
    window = make_window()
    form = screen_of(window).form
    type_text(qtbot, form.passphrase.edit, "not the passphrase")
    click(qtbot, form.unlock_button)
    qtbot.waitUntil(lambda: not form.error.isHidden(), timeout=10_000)
    assert "did not unlock" in form.error.text()
    assert form.passphrase.text() == ""
    assert form.passphrase.edit.hasFocus()
    assert not services.vault.is_unlocked
    assert window.shell is None
    assert file_hashes(services.paths) == before


@pytest.mark.usefixtures("unlocked_services")
def test_unlock_with_an_empty_field_explains_instead_of_failing(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    services.vault.lock()
    form = screen_of(make_window()).form
    click(qtbot, form.unlock_button)
    assert "Type your passphrase first" in form.error.text()


@pytest.mark.usefixtures("unlocked_services")
def test_the_window_stays_responsive_while_the_worker_unlocks(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    """The worker is held busy until the GUI thread has handled several timer ticks; if the
    GUI thread were waiting on the worker, the ticks could never happen."""
    services.vault.lock()
    window = make_window()
    form = screen_of(window).form
    ticks: list[int] = []
    gui_ran = threading.Event()
    timer = QTimer()
    timer.setInterval(5)

    def tick() -> None:
        ticks.append(1)
        if len(ticks) >= 5:
            gui_ran.set()

    timer.timeout.connect(tick)
    services.worker.submit(gui_ran.wait, 10)  # the worker is busy, as during a slow KDF
    timer.start()
    try:
        type_text(qtbot, form.passphrase.edit, PASSPHRASE)
        click(qtbot, form.unlock_button)
        assert form.busy.running
        assert not form.busy.isHidden()
        qtbot.waitUntil(lambda: window.shell is not None, timeout=10_000)
    finally:
        timer.stop()
        gui_ran.set()  # never leave the worker blocked, whatever happened
    assert gui_ran.is_set()
    assert len(ticks) >= 5


def test_forgot_passphrase_unlocks_with_the_recovery_key(
    qtbot: QtBot, make_window: WindowFactory, services: Services, recovery_key: str
) -> None:
    window = make_window()
    screen = screen_of(window)
    click(qtbot, screen.form.forgot_button)
    form = screen.recovery
    assert screen.currentWidget() is form

    # A mistyped key is refused plainly.
    type_text(qtbot, form.recovery_key, "AAAAA-" + recovery_key[6:])
    type_text(qtbot, form.passphrase.edit, OTHER_STRONG)
    type_text(qtbot, form.confirm.edit, OTHER_STRONG)
    click(qtbot, form.unlock_button)
    qtbot.waitUntil(lambda: not form.error.isHidden(), timeout=10_000)
    assert "recovery key did not unlock" in form.error.text()
    assert not services.vault.is_unlocked

    # The right key (typed in lower case, as people do) opens it and sets the new passphrase.
    form.recovery_key.clear()
    type_text(qtbot, form.recovery_key, recovery_key.lower())
    click(qtbot, form.unlock_button)
    qtbot.waitUntil(lambda: window.shell is not None, timeout=10_000)
    assert services.vault.is_unlocked

    window.lock()
    qtbot.waitUntil(lambda: not services.vault.is_unlocked)
    form_after = screen_of(window).form
    type_text(qtbot, form_after.passphrase.edit, PASSPHRASE)  # the old one no longer works
    click(qtbot, form_after.unlock_button)
    qtbot.waitUntil(lambda: not form_after.error.isHidden(), timeout=10_000)
    unlock(qtbot, window, OTHER_STRONG)
    assert services.vault.is_unlocked


def test_recovery_refuses_a_weak_new_passphrase(
    qtbot: QtBot, make_window: WindowFactory, recovery_key: str
) -> None:
    screen = screen_of(make_window())
    click(qtbot, screen.form.forgot_button)
    form = screen.recovery
    type_text(qtbot, form.recovery_key, recovery_key)
    type_text(qtbot, form.passphrase.edit, "sunshine")
    type_text(qtbot, form.confirm.edit, "sunshine")
    assert not form.unlock_button.isEnabled()
    assert form.meter.reason.text()
    click(qtbot, form.back_button)
    assert screen.currentWidget() is screen.form
    assert form.recovery_key.text() == ""
