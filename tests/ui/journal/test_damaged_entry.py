"""Issue 11.3 in the window: opening an entry whose page is damaged shows the calm damaged
message on the Reflections page (not "something unexpected"), and the other entries still open."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from companion.errors import DamagedDataError
from companion.services.container import Services
from companion.ui.tasks import UNEXPECTED
from tests.support.gui import WindowFactory
from tests.support.steps import open_window, settle, show
from tests.support.vault import PASSPHRASE, damage_a_long_entry


def test_opening_a_damaged_entry_says_which_part_is_damaged_and_the_way_out(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    services.vault.create(PASSPHRASE)
    short, long = damage_a_long_entry(services)
    services.vault.lock()
    window, shell = open_window(qtbot, make_window)
    reflections = shell.review.reflections
    show(shell, "Reflections")
    settle(qtbot, window)

    reflections.open_entry(long)
    error = reflections.listing.error
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == DamagedDataError.message != UNEXPECTED
    assert "verify" in error.text() and "backup" in error.text()
    assert reflections.view is None  # nothing half-shown

    reflections.open_entry(short)
    qtbot.waitUntil(lambda: reflections.view is not None, timeout=10_000)
