"""Settings → Your data with real services and files: importing a JSON export (encrypted to a
key) into a fresh vault, a malformed file refused with nothing changed, backups made, listed
and restored."""

from __future__ import annotations

from pathlib import Path

from pyrage import x25519
from pytestqt.qtbot import QtBot

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.domain.export_selection import Selection
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.services.export import ExportFormat, ExportRequest, Protection
from companion.services.journal_model import EntryInput
from companion.settings import BACKUP_FOLDER, BACKUP_KEEP, Settings
from tests.support.export_gui import fill
from tests.support.gui import WindowFactory, click, unlock
from tests.support.services import fresh_vault
from tests.support.steps import entry_count, on_worker, open_settings
from tests.support.vault import PASSPHRASE


def an_export_from_another_computer(
    tmp_path: Path, clock: ManualClock, kdf: KdfParams, recipient: str
) -> Path:
    paths = DataPaths(tmp_path / "old-computer")
    paths.ensure()
    old = build_services(paths, clock, kdf=kdf)
    try:
        fill(old, clock)
        old.vault.unlock(PASSPHRASE)
        out = tmp_path / "moving.json.age"
        request = ExportRequest(
            Selection.whole_vault(), ExportFormat.JSON, Protection.to_recipient(recipient)
        )
        old.export.export(request, out)
    finally:
        old.worker.shutdown()
        old.vault.lock()
    return out


def test_importing_a_json_export_into_a_fresh_vault_shows_the_summary(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    fast_kdf: KdfParams,
    tmp_path: Path,
) -> None:
    identity = x25519.Identity.generate()
    exported = an_export_from_another_computer(
        tmp_path, manual_clock, fast_kdf, str(identity.to_public())
    )
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"# the provider's key\n{identity}\n", encoding="utf-8")
    fresh_vault(services)
    window, data = open_settings(qtbot, make_window)
    assert entry_count(window) == 0
    data.choose_import_file = lambda: exported  # type: ignore[method-assign]
    data.choose_identity_file = lambda: key_file  # type: ignore[method-assign]

    click(qtbot, data.import_button)
    qtbot.waitUntil(data.secret_box.isVisible, timeout=15_000)
    assert "encrypted to a key" in data.secret_reason.text()
    click(qtbot, data.identity_button)
    assert "key.txt" in data.identity_line.text()
    click(qtbot, data.secret_import)
    qtbot.waitUntil(lambda: data.import_status.text().startswith("Imported"), timeout=15_000)
    summary = data.import_status.text()
    assert "moving.json.age" in summary.replace("\u200b", "")
    assert "1 session" in summary and "2 journal entries" in summary
    assert "1 questionnaire" in summary
    assert not data.secret_box.isVisible()
    assert entry_count(window) == 2

    click(qtbot, data.import_button)  # the same file again adds nothing
    qtbot.waitUntil(data.secret_box.isVisible, timeout=15_000)
    click(qtbot, data.identity_button)
    click(qtbot, data.secret_import)
    qtbot.waitUntil(lambda: data.import_status.text().startswith("Nothing new"), timeout=15_000)
    assert entry_count(window) == 2


def test_a_malformed_file_shows_the_message_and_changes_nothing(
    qtbot: QtBot, make_window: WindowFactory, services: Services, tmp_path: Path
) -> None:
    fresh_vault(services)
    window, data = open_settings(qtbot, make_window)
    before = on_worker(window, lambda s: s.export.preview(Selection.whole_vault()).counts)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "companion-export", "version": 1, "records": {', "utf-8")
    data.choose_import_file = lambda: broken  # type: ignore[method-assign]
    click(qtbot, data.import_button)
    qtbot.waitUntil(data.import_status.isVisible, timeout=15_000)
    message = data.import_status.text()
    assert "not imported" in message and "truncated" in message
    assert "Nothing in the vault was changed" in message
    assert data.import_status.property("role") == "error"
    assert not data.secret_box.isVisible()
    assert on_worker(window, lambda s: s.export.preview(Selection.whole_vault()).counts) == before


def test_back_up_now_lists_the_backup_and_restore_brings_it_back(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    settings: Settings,
    tmp_path: Path,
) -> None:
    fill(services, manual_clock)
    window, data = open_settings(qtbot, make_window)
    usb = tmp_path / "usb-stick"
    usb.mkdir()
    data.choose_backup_folder = lambda: usb  # type: ignore[method-assign]
    click(qtbot, data.folder_button)
    qtbot.waitUntil(lambda: "usb-stick" in data.folder_line.text().replace("\u200b", ""))
    assert settings.get(BACKUP_FOLDER) == str(usb)
    assert data.backups_empty.isVisible()
    data.keep.setValue(3)
    assert settings.get(BACKUP_KEEP) == 3

    click(qtbot, data.backup_button)
    qtbot.waitUntil(lambda: data.backup_status.text().startswith("Backed up"), timeout=20_000)
    qtbot.waitUntil(lambda: data.backups.rowCount() == 1)
    backups = list(usb.glob("*.companion-backup"))
    assert len(backups) == 1 and backups[0].name in data.backups.data(data.backups.index(0))
    assert data.backup_list.isVisible()

    on_worker(window, lambda s: s.journal.create(EntryInput(title="After the backup", body="x")))
    assert entry_count(window) == 3
    data.backup_list.setCurrentIndex(data.backups.index(0))
    click(qtbot, data.restore_button)
    dialog = data.restore_dialog
    assert dialog is not None and not dialog.restore_button.isEnabled()
    dialog.passphrase.setText(PASSPHRASE)
    assert not dialog.restore_button.isEnabled()  # the explicit tick is needed too
    dialog.confirm.setChecked(True)
    click(qtbot, dialog.restore_button)
    qtbot.waitUntil(lambda: data.restored_dialog is not None, timeout=20_000)
    restored = data.restored_dialog
    assert restored is not None and "previous vault was kept" in restored.text()
    restored.accept()
    qtbot.waitUntil(lambda: window.unlock_screen is not None, timeout=10_000)
    unlock(qtbot, window, PASSPHRASE)
    assert entry_count(window) == 2  # as it was when the backup was made


def test_restore_waits_while_a_session_is_running(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    tmp_path: Path,
) -> None:
    fill(services, manual_clock)
    window, data = open_settings(qtbot, make_window)
    shell = window.shell
    assert shell is not None
    shell.session_page.running_changed.emit(True)  # what the Session page says at its start
    data.ask_restore(tmp_path / "any.companion-backup", "Backup file")
    assert data.restore_dialog is None
    assert "session is under way" in data.backup_status.text()
    shell.session_page.running_changed.emit(False)
    data.ask_restore(tmp_path / "any.companion-backup", "Backup file")
    assert data.restore_dialog is not None
    data.restore_dialog.reject()
