"""The Export page and Settings → Your data in every state a person meets (not only the empty
first view that tests/ui/test_accessibility.py and test_text_scale.py walk): every focusable
control has a name for screen readers, and at 200 % text nothing is clipped, in both themes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.domain.export_selection import EntryChoice
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.common.jobs import settle_layouts
from companion.ui.theme import apply_theme
from tests.support.export_gui import Opened, OpenExport, save_to, wait_for_preview
from tests.support.gui import click
from tests.support.screen import LAPTOP, clipped, focusable, spoken_name
from tests.support.steps import settle, show


def each_state(qtbot: QtBot, opened: Opened, out: Path) -> Iterator[str]:
    page, window = opened.page, opened.window
    choices = page.choices
    yield "choices"
    choices.when.setCurrentIndex(choices.when.count() - 1)  # dates of one's own
    click(qtbot, choices.entry_buttons[EntryChoice.PICKED])
    click(qtbot, choices.preview_button)  # nothing picked: the problem is shown
    settle(qtbot, window)
    yield "custom dates, picking, a problem"
    choices.when.setCurrentIndex(1)
    click(qtbot, choices.entry_buttons[EntryChoice.SHARED])
    wait_for_preview(qtbot, opened)
    yield "preview"
    save_to(page, out / "report.pdf.age")
    gate = threading.Event()
    window.ctx.handle.submit(gate.wait, 20)
    try:
        click(qtbot, page.preview.save_button)
        qtbot.waitUntil(page.preview.progress.isVisible)
        yield "saving, with Cancel"
        click(qtbot, page.preview.progress.cancel_button)
    finally:
        gate.set()
    qtbot.waitUntil(page.preview.status.isVisible, timeout=15_000)
    yield "cancelled: nothing was written"
    click(qtbot, page.preview.save_button)
    qtbot.waitUntil(lambda: page.currentWidget() is page.done, timeout=20_000)
    settle(qtbot, window)
    yield "saved, with the passphrase"
    click(qtbot, page.done.done_button)

    show(opened.shell, "Settings")
    data = opened.data
    data.choose_backup_folder = lambda: out  # type: ignore[method-assign]
    click(qtbot, data.folder_button)
    click(qtbot, data.backup_button)
    qtbot.waitUntil(lambda: data.backup_status.text().startswith("Backed up"), timeout=20_000)
    settle(qtbot, window)
    encrypted = out / "report.pdf.age"
    data.choose_import_file = lambda: encrypted  # type: ignore[method-assign]
    click(qtbot, data.import_button)
    qtbot.waitUntil(data.secret_box.isVisible, timeout=15_000)
    settle(qtbot, window)
    yield "your data: a backup listed, an encrypted file asking for its passphrase"
    data.backup_list.setCurrentIndex(data.backups.index(0))
    click(qtbot, data.restore_button)
    assert data.restore_dialog is not None
    settle(qtbot, window)
    yield "restore confirmation"
    data.restore_dialog.reject()


def test_every_control_on_the_export_screens_has_a_name(
    qtbot: QtBot, open_export: OpenExport, tmp_path: Path
) -> None:
    opened = open_export()
    for state in each_state(qtbot, opened, tmp_path):
        widgets = focusable(opened.window)
        if opened.data.restore_dialog is not None:
            dialog = opened.data.restore_dialog
            widgets += [w for w in focusable(dialog) if w not in widgets]  # type: ignore[arg-type]
        unnamed = [f"{type(w).__name__}({w.objectName()})" for w in widgets if not spoken_name(w)]
        assert not unnamed, f"{state}: no accessible name for {unnamed}"


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_nothing_on_the_export_screens_is_clipped_at_200_percent(
    qtbot: QtBot,
    open_export: OpenExport,
    settings: Settings,
    themed_app: QApplication,
    tmp_path: Path,
    theme: str,
) -> None:
    settings.set(TEXT_SCALE, 200)
    settings.set(THEME, theme)
    apply_theme(themed_app, theme, 200)
    opened = open_export(size=LAPTOP)
    for state in each_state(qtbot, opened, tmp_path):
        settle_layouts()  # (not the task queue: the "saving" state holds the worker on purpose)
        problems = clipped(opened.window)
        assert not problems, f"{state} at 200 % ({theme}): {problems[:5]}"
