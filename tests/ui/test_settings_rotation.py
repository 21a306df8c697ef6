"""Settings → Passphrase with "a new key": progress off the GUI thread, a new recovery key
shown once, and the vault opens with the new passphrase afterwards."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from tests.support.gui import OTHER_STRONG, WindowFactory, click, type_text, unlock
from tests.support.vault import PASSPHRASE

SHOTS = Path(os.environ.get("COMPANION_SHOTS", "/tmp/companion-shots"))


def test_passphrase_change_with_key_rotation_from_settings(
    qtbot: QtBot, make_window: WindowFactory, unlocked_services: Services
) -> None:
    services = unlocked_services
    with services.vault.borrowed_key() as key:
        old_key = key.reveal()
    services.vault.lock()
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    section = shell.settings_page.passphrase
    assert section.recovery_field.isHidden()
    box = section.rotate  # click on the box itself (its label is short)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not section.recovery_field.isHidden()
    type_text(qtbot, section.current.edit, PASSPHRASE)
    type_text(qtbot, section.new.edit, OTHER_STRONG)
    type_text(qtbot, section.confirm.edit, OTHER_STRONG)
    SHOTS.mkdir(parents=True, exist_ok=True)
    section.grab().save(str(SHOTS / "settings-rotate-key.png"))
    click(qtbot, section.change_button)
    qtbot.waitUntil(lambda: "new key" in section.status.text(), timeout=30_000)
    assert not section.new_key.isHidden()
    assert len(section.new_key.text().split("-")) == 8
    assert not section.rotate.isChecked() and section.current.text() == ""
    section.grab().save(str(SHOTS / "settings-rotate-key-done.png"))
    new_recovery = section.new_key.text()
    with services.vault.borrowed_key() as key:
        assert key.reveal() != old_key
    window.lock()
    qtbot.waitUntil(lambda: not services.vault.is_unlocked)
    assert section.new_key.text() == ""
    unlock(qtbot, window, OTHER_STRONG)
    window.lock()
    qtbot.waitUntil(lambda: not services.vault.is_unlocked)
    services.vault.unlock_with_recovery(new_recovery, "third quiet river 55 stone")
