"""The Export page with real services and vault files: the preview shows exactly what leaves,
picking includes an entry, plaintext needs a confirmation, encrypted files land and open with
the passphrase shown once, Cancel and failures write nothing."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyrage
import pytest
from pyrage import passphrase as age_passphrase
from pyrage import x25519
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from companion.domain.export_selection import EntryChoice
from companion.ui.common.messages import NOTHING_WRITTEN, PLAINTEXT_QUESTION
from companion.ui.export.choice_options import PLAINTEXT, RECIPIENT
from companion.ui.export.page import SAVE_PLAIN
from tests.support.cli import read_only_folder
from tests.support.export_gui import (
    CANARY,
    PRIVATE_TITLE,
    SHARED_TEXT,
    SHARED_TITLE,
    Ids,
    Opened,
    OpenExport,
    save_to,
    wait_for_preview,
)
from tests.support.gui import click
from tests.support.steps import settle, show

AGE = b"age-encryption.org/v1"


def saved(qtbot: QtBot, opened: Opened) -> None:
    page = opened.page
    qtbot.waitUntil(lambda: page.currentWidget() is page.done, timeout=20_000)
    settle(qtbot, opened.window)


def test_preview_shows_the_shared_entry_and_not_the_private_one(
    qtbot: QtBot, open_export: OpenExport, tmp_path: Path
) -> None:
    opened = open_export()
    page = opened.page
    assert page.choices.entry_choice() is EntryChoice.SHARED  # the default
    shown = wait_for_preview(qtbot, opened)
    assert SHARED_TITLE in shown and SHARED_TEXT in shown  # the full text, readable
    assert "Calm, then tired." in shown  # answers to guided questions too
    assert PRIVATE_TITLE not in shown and CANARY not in shown
    assert "1 session summary" in shown and "1 journal entry, in full below" in shown
    assert "PHQ-9" in shown and "Dr. Rivera" in shown
    assert list(tmp_path.glob("*.age")) == []  # a preview writes nothing
    click(qtbot, page.preview.back_button)
    assert page.currentWidget() is page.choices
    assert page.preview.pane.toPlainText() == ""


def test_picking_an_entry_includes_it(qtbot: QtBot, open_export: OpenExport, ids: Ids) -> None:
    opened = open_export()
    choices = opened.page.choices
    click(qtbot, choices.entry_buttons[EntryChoice.PICKED])
    assert choices.picker.isVisible()
    click(qtbot, choices.preview_button)  # nothing picked yet: the page says so
    qtbot.waitUntil(choices.problem.isVisible)
    assert "Pick at least one" in choices.problem.text()
    listing = choices.picker.listing
    qtbot.keyClicks(choices.picker.search, PRIVATE_TITLE)
    assert choices.picker.proxy.rowCount() == 1
    listing.setFocus()
    listing.setCurrentIndex(choices.picker.proxy.index(0, 0))
    qtbot.keyClick(listing, Qt.Key.Key_Space)  # ticks it, as a person would
    assert choices.picker.model.picked == {ids.private}
    assert "1 entry picked" in choices.picker.count.text()
    shown = wait_for_preview(qtbot, opened)
    assert PRIVATE_TITLE in shown and CANARY in shown
    assert "private: included because you picked it" in shown
    assert "1 entry is private" in shown
    assert SHARED_TITLE not in shown  # not picked, so not included


def test_plaintext_needs_the_confirmation_and_declining_writes_nothing(
    qtbot: QtBot, open_export: OpenExport, tmp_path: Path
) -> None:
    opened = open_export()
    page = opened.page
    click(qtbot, page.choices.protection_buttons[PLAINTEXT])
    wait_for_preview(qtbot, opened)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.pdf"
    asked: list[Path] = []
    save_to(page, target, asked)
    click(qtbot, page.preview.save_button)
    dialog = page.plaintext_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.text() == PLAINTEXT_QUESTION
    assert "anyone who gets it can read it" in dialog.text()
    dialog.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: page.plaintext_dialog is None)
    assert asked == [] and list(folder.iterdir()) == []
    assert NOTHING_WRITTEN in page.preview.status.text()

    click(qtbot, page.preview.save_button)
    dialog = page.plaintext_dialog
    assert dialog is not None
    plain = next(b for b in dialog.buttons() if b.text() == SAVE_PLAIN)
    plain.click()
    saved(qtbot, opened)
    assert target.read_bytes().startswith(b"%PDF")
    assert not page.done.passphrase_label.isVisibleTo(page.done)  # no passphrase to show
    assert "not encrypted" in page.done.protection.text()


def test_an_encrypted_pdf_lands_and_the_passphrase_shown_once_opens_it(
    qtbot: QtBot, open_export: OpenExport, tmp_path: Path
) -> None:
    opened = open_export()
    page = opened.page
    wait_for_preview(qtbot, opened)
    asked: list[Path] = []
    target = tmp_path / "for-dr-rivera.pdf.age"
    save_to(page, target, asked)
    click(qtbot, page.preview.save_button)
    saved(qtbot, opened)
    assert asked and asked[0].name.endswith(".pdf.age")  # the suggested name says what it is
    data = target.read_bytes()
    assert data.startswith(AGE)
    shown = page.done.passphrase_label.text()
    assert shown and page.done.passphrase_label.isVisibleTo(page.done)
    assert "by phone" in page.done.note.text()
    plain = age_passphrase.decrypt(data, shown)
    assert plain.startswith(b"%PDF") and CANARY.encode() not in plain
    click(qtbot, page.done.copy_button)
    assert opened.window.ctx.clipboard.holds_ours()
    click(qtbot, page.done.done_button)
    assert page.currentWidget() is page.choices
    assert page.done.passphrase == "" and page.done.passphrase_label.text() == ""


def test_a_json_export_for_the_providers_key_saved_in_settings(
    qtbot: QtBot, open_export: OpenExport, tmp_path: Path
) -> None:
    opened = open_export()
    page, data = opened.page, opened.data
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    assert not page.choices.protection_buttons[RECIPIENT].isEnabled()  # no key saved yet
    show(opened.shell, "Settings")
    data.key_edit.setText("age1-not-a-key")
    click(qtbot, data.key_save)
    qtbot.waitUntil(data.key_status.isVisible)
    assert "not an age public key" in data.key_status.text()
    data.key_edit.setText(recipient)
    click(qtbot, data.key_save)
    qtbot.waitUntil(lambda: data.key_status.text().startswith("Saved"))
    show(opened.shell, "Export")
    radio = page.choices.protection_buttons[RECIPIENT]
    qtbot.waitUntil(radio.isEnabled)
    click(qtbot, radio)
    click(qtbot, page.choices.format_buttons["json"])
    shown = wait_for_preview(qtbot, opened)
    assert "only your provider can open it" in shown
    target = tmp_path / "for-dr-rivera.json.age"
    save_to(page, target)
    click(qtbot, page.preview.save_button)
    saved(qtbot, opened)
    encrypted = target.read_bytes()
    assert encrypted.startswith(AGE)
    assert not page.done.passphrase_label.isVisibleTo(page.done)  # nothing to pass on
    document = json.loads(pyrage.decrypt(encrypted, [identity]))
    assert {e["title"] for e in document["records"]["journal_entry"]} == {SHARED_TITLE}

    with read_only_folder(tmp_path / "ro") as folder:  # and a folder that cannot be written
        click(qtbot, page.done.done_button)
        wait_for_preview(qtbot, opened)
        save_to(page, folder / "report.json.age")
        click(qtbot, page.preview.save_button)
        qtbot.waitUntil(page.preview.status.isVisible, timeout=15_000)
        assert "cannot be written" in page.preview.status.text()
        assert NOTHING_WRITTEN in page.preview.status.text()
        assert list(folder.iterdir()) == []
    assert page.currentWidget() is page.preview


def test_cancel_leaves_no_file(qtbot: QtBot, open_export: OpenExport, tmp_path: Path) -> None:
    opened = open_export()
    page = opened.page
    wait_for_preview(qtbot, opened)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.pdf.age"
    save_to(page, target)
    gate = threading.Event()
    opened.window.ctx.handle.submit(gate.wait, 20)  # the worker is busy with something else
    try:
        click(qtbot, page.preview.save_button)
        panel = page.preview.progress
        qtbot.waitUntil(lambda: panel.isVisible() and panel.cancel_button.isEnabled())
        assert not page.preview.save_button.isEnabled()
        click(qtbot, panel.cancel_button)
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=15_000)
    assert page.preview.status.text() == f"Cancelled. {NOTHING_WRITTEN}"
    assert list(folder.iterdir()) == []  # no file, no temp file
    assert page.currentWidget() is page.preview and page.preview.save_button.isEnabled()
    opened.window.lock()  # locking forgets what the preview showed
    assert page.preview.pane.toPlainText() == "" and page.previewed is None
    assert page.choices.picker.model.rowCount() == 0


def test_the_preview_gives_freed_memory_back_off_the_gui_thread(
    qtbot: QtBot, open_export: OpenExport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: after a preview is built and after it is left, glibc kept the freed ~50 MB
    (10k entries) as the process's own; ``release_free_memory`` runs then, on a thread."""
    import companion.ui.export.page as export_page

    released: list[bool] = []
    real = export_page.release_free_memory  # type: ignore[attr-defined]

    def release() -> bool:
        released.append(threading.current_thread() is not threading.main_thread())
        return real()

    monkeypatch.setattr(export_page, "release_free_memory", release)
    opened = open_export()
    wait_for_preview(qtbot, opened)
    qtbot.waitUntil(lambda: len(released) == 1, timeout=5_000)
    click(qtbot, opened.page.preview.back_button)
    qtbot.waitUntil(lambda: len(released) == 2, timeout=5_000)
    assert released == [True, True]
