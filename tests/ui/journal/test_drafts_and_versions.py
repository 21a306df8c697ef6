"""Drafts autosave (after a pause, on a focus change, before a lock) and come back after the
next unlock; editing keeps earlier versions; deleting asks first and says what it cannot undo."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.journal import draft_key_for_new
from companion.services.container import Services
from companion.services.journal_model import Draft, EntryInput
from companion.ui.journal.dialogs import EXPORTS_NOT_RECALLED, ConfirmDeleteDialog
from companion.ui.journal.editor import EntryEditor
from companion.ui.journal.page import JournalPage
from companion.ui.journal.revisions import RevisionsDialog
from tests.support.gui import WindowFactory, click, unlock, visible_texts
from tests.support.steps import on_worker, open_window, prepare_vault, settle, show
from tests.support.vault import PASSPHRASE

WORDS = "The light through the curtains felt kind"


def wait_editor(qtbot: QtBot, journal: JournalPage) -> EntryEditor:
    qtbot.waitUntil(lambda: journal.editor is not None, timeout=10_000)
    assert journal.editor is not None
    return journal.editor


def test_a_draft_autosaves_after_a_pause_and_is_offered_back_after_unlock(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    show(shell, "Journal")
    click(qtbot, journal.start.free_button)
    editor = wait_editor(qtbot, journal)
    key = draft_key_for_new("free")
    qtbot.keyClicks(editor.writing, WORDS)

    def draft() -> Draft | None:
        return on_worker(window, lambda s: s.journal.get_draft(key))

    manual_clock.advance(1.0)
    editor.autosave.tick()  # the timer woke early: not quiet long enough yet
    settle(qtbot, window)
    assert draft() is None
    manual_clock.advance(2.5)
    editor.autosave.tick()
    settle(qtbot, window)
    saved = draft()
    assert saved is not None and saved.content["body"] == WORDS
    assert "Draft kept safe" in editor.status.text()

    # A focus change saves at once, without waiting for the pause.
    qtbot.keyClicks(editor.writing, " and warm.")
    editor.title_edit.setFocus()
    qtbot.waitUntil(editor.title_edit.hasFocus)
    settle(qtbot, window)
    saved = draft()
    assert saved is not None and saved.content["body"] == WORDS + " and warm."

    # Typing, then Ctrl+L at once: the lock itself writes the last words first.
    qtbot.keyClicks(editor.title_edit, "Morning")
    shell.lock_requested.emit()
    qtbot.waitUntil(lambda: window.unlock_screen is not None, timeout=10_000)
    assert WORDS not in " ".join(visible_texts(window))
    shell = unlock(qtbot, window, PASSPHRASE)
    settle(qtbot, window)
    journal = shell.review.journal
    nav = shell.nav_buttons[2]
    assert nav.text() == "Journal · draft"
    rows = journal.start.draft_rows
    assert len(rows) == 1 and "“Morning”" in rows[0].text.text()
    show(shell, "Journal")
    click(qtbot, rows[0].continue_button)
    editor = wait_editor(qtbot, journal)
    assert editor.writing.text() == WORDS + " and warm."
    assert editor.title_edit.text() == "Morning"
    assert "unfinished words" in editor.note.text()
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: journal.editor is None, timeout=10_000)
    settle(qtbot, window)
    assert draft() is None  # publishing removed the draft in the same step
    assert nav.text() == "Journal"


def test_a_draft_can_be_discarded_after_confirming(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    services.vault.unlock(PASSPHRASE)
    services.journal.save_draft(draft_key_for_new("free"), {"body": "let it go"})
    services.vault.lock()
    window, shell = open_window(qtbot, make_window)
    row = shell.review.journal.start.draft_rows[0]
    show(shell, "Journal")
    click(qtbot, row.discard_button)
    assert row.confirm_button.isVisible() and row.keep_button.isVisible()
    click(qtbot, row.confirm_button)
    settle(qtbot, window)
    assert on_worker(window, lambda s: s.journal.pending_drafts()) == []
    assert not shell.review.journal.start.drafts.isVisible()


def test_editing_keeps_earlier_versions_and_deleting_asks_first(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    services.vault.unlock(PASSPHRASE)
    entry = services.journal.create(EntryInput(title="First try", body="Version one."))
    services.vault.lock()
    window, shell = open_window(qtbot, make_window)
    review = shell.review
    show(shell, "Reflections")
    review.reflections.open_entry(entry.id)
    qtbot.waitUntil(lambda: review.reflections.view is not None, timeout=10_000)
    view = review.reflections.view
    assert view is not None
    click(qtbot, view.edit_button)
    editor = wait_editor(qtbot, review.journal)
    assert shell.stack.currentWidget() is review.journal
    assert editor.heading.text() == "Editing: free writing"
    editor.writing.selectAll()
    qtbot.keyClicks(editor.writing, "Version two, **kinder**.")
    manual_clock.advance(60)
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: review.journal.editor is None, timeout=10_000)
    settle(qtbot, window)

    review.journal.edit_entry(entry.id)
    editor = wait_editor(qtbot, review.journal)
    assert editor.writing.text() == "Version two, **kinder**."
    click(qtbot, editor.revisions_button)
    qtbot.waitUntil(lambda: isinstance(review.journal.dialog, RevisionsDialog), timeout=10_000)
    dialog = review.journal.dialog
    assert isinstance(dialog, RevisionsDialog) and dialog.isVisible()
    assert dialog.list.count() == 1
    assert "Version one." in dialog.view.toPlainText()
    click(qtbot, dialog.close_button)

    click(qtbot, editor.delete_button)
    confirm = review.journal.dialog
    assert isinstance(confirm, ConfirmDeleteDialog) and confirm.isVisible()
    assert confirm.exports.text() == EXPORTS_NOT_RECALLED
    assert "not recalled" in EXPORTS_NOT_RECALLED
    click(qtbot, confirm.keep_button)  # changing one's mind keeps it
    assert not confirm.isVisible()
    settle(qtbot, window)
    assert on_worker(window, lambda s: s.journal.get(entry.id)).content.title == "First try"

    click(qtbot, editor.delete_button)
    confirm = review.journal.dialog
    assert isinstance(confirm, ConfirmDeleteDialog)
    click(qtbot, confirm.delete_button)
    qtbot.waitUntil(lambda: review.journal.editor is None, timeout=10_000)
    settle(qtbot, window)
    assert on_worker(window, lambda s: s.search.list_entries()) == []
    assert on_worker(window, lambda s: s.journal.revisions(entry.id)) == []
    assert "deleted" in review.journal.start.notice.text()


def test_an_idle_lock_also_keeps_the_last_words(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    show(shell, "Journal")
    click(qtbot, journal.start.free_button)
    editor = wait_editor(qtbot, journal)
    qtbot.keyClicks(editor.writing, WORDS)  # no pause, no focus change: nothing saved yet
    window.autolock.lock_due.emit()  # what the idle timer sends (and the desktop screen lock)
    qtbot.waitUntil(lambda: window.unlock_screen is not None, timeout=10_000)
    shell = unlock(qtbot, window, PASSPHRASE)
    settle(qtbot, window)
    rows = shell.review.journal.start.draft_rows
    assert len(rows) == 1
    saved = on_worker(window, lambda s: s.journal.get_draft(draft_key_for_new("free")))
    assert saved is not None and saved.content["body"] == WORDS
