"""The editor shows how the writing will read (issue 13, finding 12): Markdown drawn as in
Reflections, typed HTML shown as words, nothing clickable; it follows the typing."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.ui.journal.editor import EntryEditor
from tests.support.gui import WindowFactory, click
from tests.support.steps import open_window, prepare_vault, settle, show


def test_show_how_it_reads_renders_markdown_and_keeps_html_as_words(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    show(shell, "Journal")
    click(qtbot, journal.start.free_button)
    qtbot.waitUntil(lambda: journal.editor is not None, timeout=10_000)
    editor = journal.editor
    assert isinstance(editor, EntryEditor)
    assert not editor.preview.isVisible()
    editor.writing.setFocus()
    qtbot.keyClicks(editor.writing, "# Today")
    qtbot.keyClick(editor.writing, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.writing, "A **warm** light <img src=x onerror=alert(1)>")
    qtbot.keyClick(editor.writing, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.writing, "- see [this](https://example.org)")
    folder = os.environ.get("COMPANION_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / "editor_before_preview.png"))
    click(qtbot, editor.preview_button)
    assert editor.preview.isVisible() and editor.preview_button.text() == "Hide how it reads"
    shown = editor.preview_text.text()
    assert "<h3>Today</h3>" in shown and "<b>warm</b>" in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown and "<img" not in shown
    assert "<a " not in shown and "this (https://example.org)" in shown  # nothing to click
    qtbot.keyClicks(editor.writing, " *now*")  # it follows the typing
    assert "<i>now</i>" in editor.preview_text.text()
    assert editor.writing.text().startswith("# Today\n")  # the words themselves are unchanged
    if folder:
        window.grab().save(str(Path(folder) / "editor_preview.png"))
    click(qtbot, editor.preview_button)
    assert not editor.preview.isVisible() and editor.preview_text.text() == ""
    click(qtbot, editor.close_button)  # the words stay as a draft
    qtbot.waitUntil(lambda: journal.editor is None, timeout=10_000)
    settle(qtbot, window)
