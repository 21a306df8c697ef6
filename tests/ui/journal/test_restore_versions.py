"""Earlier versions can be read and restored (issue 13, finding 9), from Reflections and from
the editor: a calm confirmation first, the words they replace kept as one more earlier version,
an undo right where the entry is shown, and sharing never changed by going back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.journal.editor import EntryEditor
from companion.ui.journal.page import JournalPage
from companion.ui.journal.revisions import RevisionsDialog
from companion.ui.reflections.page import ReflectionsPage
from companion.ui.theme import apply_theme
from tests.support.gui import WindowFactory, click
from tests.support.steps import on_worker, open_window, prepare_vault, settle, show
from tests.support.vault import PASSPHRASE

ONE = "Version one: the *quiet* morning."
TWO = "Version two: a louder afternoon."


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("COMPANION_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def two_versions(services: Services, clock: ManualClock, *, shared: bool = False) -> str:
    prepare_vault(services, clock, sessions=0)
    services.vault.unlock(PASSPHRASE)
    entry = services.journal.create(EntryInput(title="Morning", body=ONE))
    clock.advance(60)
    services.journal.update(
        entry.id, EntryInput(title="Morning", body=TWO, shared_with_provider=shared)
    )
    services.vault.lock()
    return entry.id


def open_revisions(
    qtbot: QtBot, owner: JournalPage | ReflectionsPage, button: object
) -> RevisionsDialog:
    from PySide6.QtWidgets import QPushButton

    assert isinstance(button, QPushButton)
    click(qtbot, button)
    qtbot.waitUntil(lambda: isinstance(owner.dialog, RevisionsDialog), timeout=10_000)
    dialog = owner.dialog
    assert isinstance(dialog, RevisionsDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_restore_from_reflections_asks_keeps_and_can_be_undone(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    entry_id = two_versions(services, manual_clock, shared=True)
    window, shell = open_window(qtbot, make_window)
    reflections = shell.review.reflections
    show(shell, "Reflections")
    reflections.open_entry(entry_id)
    qtbot.waitUntil(lambda: reflections.view is not None, timeout=10_000)
    view = reflections.view
    assert view is not None and not view.restored.isVisible()
    dialog = open_revisions(qtbot, reflections, view.revisions_button)
    assert dialog.list.count() == 1 and "quiet" in dialog.view.toPlainText()
    assert "*quiet*" not in dialog.view.toPlainText()  # Markdown shown as it reads

    # Asking first; "Not now" changes nothing.
    shoot(dialog, "versions_100")
    click(qtbot, dialog.restore_button)
    assert dialog.confirm_box.isVisible()
    assert "nothing is lost" in dialog.confirm_keeps.text()
    assert dialog.confirm_button.hasFocus()
    shoot(window, "restore_confirm")
    click(qtbot, dialog.cancel_button)
    assert not dialog.confirm_box.isVisible()
    settle(qtbot, window)
    assert on_worker(window, lambda s: s.journal.get(entry_id)).content.body == TWO

    click(qtbot, dialog.restore_button)
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: reflections.dialog is None, timeout=10_000)
    settle(qtbot, window)
    view = reflections.view
    assert view is not None and view.entry_id == entry_id
    assert "quiet" in view.all_text() and "louder" not in view.all_text()
    assert view.restored.isVisible() and view.restored.undo_button.isVisible()
    assert "is back" in view.restored.text.text()
    stored = on_worker(window, lambda s: s.journal.get(entry_id)).content
    assert stored.body == ONE
    assert stored.shared_with_provider is True  # sharing is as it was just before
    versions = on_worker(window, lambda s: s.journal.revisions(entry_id))
    assert [v.content.body for v in versions] == [TWO, ONE]  # nothing lost
    shoot(window, "restore_done")

    click(qtbot, view.restored.undo_button)
    qtbot.waitUntil(
        lambda: reflections.view is not None and "louder" in reflections.view.all_text(),
        timeout=10_000,
    )
    settle(qtbot, window)
    view = reflections.view
    assert view is not None
    assert "back as it was before" in view.restored.text.text()
    assert not view.restored.undo_button.isVisible()
    assert on_worker(window, lambda s: s.journal.get(entry_id)).content.body == TWO
    assert len(on_worker(window, lambda s: s.journal.revisions(entry_id))) == 3


def test_restore_from_the_editor_keeps_unsaved_words_as_a_version(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    entry_id = two_versions(services, manual_clock)
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    show(shell, "Journal")
    journal.edit_entry(entry_id)
    qtbot.waitUntil(lambda: journal.editor is not None, timeout=10_000)
    editor = journal.editor
    assert isinstance(editor, EntryEditor)
    editor.writing.setFocus()
    editor.writing.moveCursor(editor.writing.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.writing, " Not saved yet.")
    dialog = open_revisions(qtbot, journal, editor.revisions_button)
    click(qtbot, dialog.restore_button)
    assert "saved or not" in dialog.confirm_keeps.text()
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: journal.dialog is None, timeout=10_000)
    settle(qtbot, window)
    editor = journal.editor
    assert isinstance(editor, EntryEditor)
    assert editor.writing.text() == ONE
    assert editor.restored.isVisible()
    versions = on_worker(window, lambda s: s.journal.revisions(entry_id))
    assert [v.content.body for v in versions] == [TWO + " Not saved yet.", TWO, ONE]

    click(qtbot, editor.restored.undo_button)
    qtbot.waitUntil(
        lambda: (
            journal.editor is not None and journal.editor.writing.text() == TWO + " Not saved yet."
        ),
        timeout=10_000,
    )
    settle(qtbot, window)
    assert on_worker(window, lambda s: s.journal.get(entry_id)).content.body == (
        TWO + " Not saved yet."
    )


def test_a_restore_that_fails_says_so_and_changes_nothing(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    entry_id = two_versions(services, manual_clock)
    window, shell = open_window(qtbot, make_window)
    reflections = shell.review.reflections
    show(shell, "Reflections")
    reflections.open_entry(entry_id)
    qtbot.waitUntil(lambda: reflections.view is not None, timeout=10_000)
    view = reflections.view
    assert view is not None
    dialog = open_revisions(qtbot, reflections, view.revisions_button)
    # The version goes away meanwhile (the entry was deleted and written again elsewhere).
    on_worker(window, lambda s: s.journal.delete(entry_id))
    click(qtbot, dialog.restore_button)
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10_000)
    assert "Nothing was changed" in dialog.problem.text()
    assert dialog.restore_button.isVisible() and dialog.close_button.isEnabled()
    assert not dialog.confirm_box.isVisible()


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_earlier_versions_fit_a_small_screen_at_200_percent(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    settings: Settings,
    themed_app: QApplication,
    theme: str,
) -> None:
    entry_id = two_versions(services, manual_clock)
    settings.set(TEXT_SCALE, 200)
    settings.set(THEME, theme)
    apply_theme(themed_app, theme, 200)
    _window, shell = open_window(qtbot, make_window, size=(1366, 768))
    reflections = shell.review.reflections
    show(shell, "Reflections")
    reflections.open_entry(entry_id)
    qtbot.waitUntil(lambda: reflections.view is not None, timeout=10_000)
    view = reflections.view
    assert view is not None
    dialog = open_revisions(qtbot, reflections, view.revisions_button)
    screen = dialog.screen().availableGeometry()

    def fits(*widgets: QWidget) -> None:
        assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
        for widget in widgets:
            assert widget.isVisible(), widget
            top_left = widget.mapTo(dialog, widget.rect().topLeft())
            bottom_right = widget.mapTo(dialog, widget.rect().bottomRight())
            inside = dialog.rect().contains(top_left) and dialog.rect().contains(bottom_right)
            assert inside, widget
            assert widget.height() >= widget.minimumSizeHint().height(), widget

    qtbot.wait(50)
    fits(dialog.list, dialog.view, dialog.restore_button, dialog.close_button, dialog.intro)
    shoot(dialog, f"versions_200_{theme}")
    click(qtbot, dialog.restore_button)
    qtbot.wait(50)
    fits(dialog.confirm_question, dialog.confirm_keeps, dialog.confirm_button,
         dialog.cancel_button, dialog.close_button)  # fmt: skip
    shoot(dialog, f"restore_200_{theme}")
    click(qtbot, dialog.cancel_button)
    assert dialog.restore_button.hasFocus() and dialog.list.isVisible()
