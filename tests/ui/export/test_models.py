"""The entry picker's and the backup list's models pass pytest-qt's model tester, and the
picker's ticks survive filtering but not leaving the listed range."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from companion.services.backup import BackupInfo
from companion.services.search import EntrySummary
from companion.ui.export.backups import BackupListModel
from companion.ui.export.picker import EntryPicker

WHEN = datetime(2026, 1, 3, 18, 0, tzinfo=UTC)


def summary(entry_id: str, title: str, shared: bool) -> EntrySummary:
    return EntrySummary(entry_id, WHEN, WHEN, "free", title, (), shared, None, None, 3, "a b c")


def test_the_picker_model(qtmodeltester: ModelTester, qtbot: object) -> None:
    picker = EntryPicker()
    model = picker.model
    model.set_entries([summary("a", "Sea", True), summary("b", "Kitchen", False)])
    qtmodeltester.check(model)
    qtmodeltester.check(picker.proxy)
    assert "shared" in model.data(model.index(0)) and "private" in model.data(model.index(1))
    picker.search.setText("kitch")
    assert picker.proxy.rowCount() == 1
    picker.proxy.setData(
        picker.proxy.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert model.picked == {"b"}
    picker.search.clear()
    assert model.picked == {"b"} and "1 entry picked, of 2 entries" in picker.count.text()
    model.set_entries([summary("a", "Sea", True)])  # "b" is no longer in the dates
    assert model.picked == frozenset()


def test_the_backup_list_model(qtmodeltester: ModelTester) -> None:
    model = BackupListModel()
    model.set_backups(
        [BackupInfo(Path("/b/companion-20260105-090000.companion-backup"), WHEN, 2048, True)]
    )
    qtmodeltester.check(model)
    assert "2 KB" in model.data(model.index(0, 0))
