"""Closing the window or locking with words typed but not yet saved in the journal editor:
the words are kept as an encrypted draft in the vault first, the window closes promptly even
when the worker is slow, and a draft that cannot be written is told to the patient, who then
chooses (never a silent loss, never a hang)."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.journal import draft_key_for_new
from companion.paths import DataPaths
from companion.services.container import Services
from companion.ui.journal.editor import EntryEditor
from companion.ui.main_window import MainWindow
from companion.ui.window_close import CLOSE_WAIT_S
from tests.support.gui import WindowFactory, click, unlock, visible_texts
from tests.support.steps import on_worker, open_window, prepare_vault, settle, show
from tests.support.vault import PASSPHRASE

WORDS = "Quiet morning, the kettle singing"
KEY = draft_key_for_new("free")


def writing(qtbot: QtBot, window: MainWindow) -> EntryEditor:
    """The free-writing editor with words typed and nothing saved yet (no pause, no focus
    change: the autosave has not written them)."""
    shell = window.shell
    assert shell is not None
    journal = shell.review.journal
    show(shell, "Journal")
    click(qtbot, journal.start.free_button)
    qtbot.waitUntil(lambda: journal.editor is not None, timeout=10_000)
    editor = journal.editor
    assert editor is not None
    qtbot.keyClicks(editor.writing, WORDS)
    assert editor.autosave.dirty
    return editor


def kept_draft(window: MainWindow) -> str | None:
    draft = on_worker(window, lambda s: s.journal.get_draft(KEY))
    return None if draft is None else str(draft.content["body"])


def plain_on_disk(paths: DataPaths) -> bool:
    """True if the words can be read in any file of the data folder without the key."""
    needle = WORDS.encode()
    return any(needle in path.read_bytes() for path in paths.root.rglob("*") if path.is_file())


def test_closing_with_unsaved_words_keeps_a_draft_and_closes_within_the_wait(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    data_paths: DataPaths,
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, _shell = open_window(qtbot, make_window)
    writing(qtbot, window)
    started = time.monotonic()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=round(CLOSE_WAIT_S * 1000))
    assert time.monotonic() - started < CLOSE_WAIT_S  # the write's own time, not the limit
    assert kept_draft(window) == WORDS  # in the vault before anything locks it
    assert not plain_on_disk(data_paths)  # encrypted: no file holds the words readable


def test_closing_waits_no_longer_than_the_limit_when_the_worker_is_slow(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, _shell = open_window(qtbot, make_window)
    writing(qtbot, window)
    busy = threading.Event()
    window.ctx.handle.submit(lambda: busy.wait(60))  # a long call holds the worker
    window.close()
    assert window.isVisible() and window.keeping_words  # waiting, the GUI thread free
    manual_clock.advance(CLOSE_WAIT_S - 0.5)
    qtbot.wait(200)
    assert window.isVisible()
    manual_clock.advance(1.0)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    busy.set()  # the worker catches up: the draft was queued, it is written now
    settle(qtbot, window)
    assert kept_draft(window) == WORDS


def test_a_draft_that_cannot_be_written_on_close_is_told_and_the_patient_chooses(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, _shell = open_window(qtbot, make_window)
    editor = writing(qtbot, window)
    on_worker(window, lambda s: s.vault.lock())  # the vault is closed under the editor
    asked: list[str] = []
    answers = [False, True]

    def answer(_parent: QWidget, reason: str) -> bool:
        asked.append(reason)
        return answers.pop(0)

    window.confirm_close_losing_words = answer
    window.close()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5_000)  # told, not hung
    assert "locked" in asked[0].lower()
    assert window.isVisible()  # "go back to my words": nothing closed, nothing lost
    assert editor.writing.text() == WORDS
    qtbot.waitUntil(lambda: "could not be kept" in editor.status.text(), timeout=5_000)

    window.close()  # the second time the patient chooses to close without them
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5_000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def test_ctrl_l_with_unsaved_words_keeps_a_draft_before_the_vault_locks(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    data_paths: DataPaths,
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, _shell = open_window(qtbot, make_window)
    editor = writing(qtbot, window)
    qtbot.keyClick(editor.writing, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.unlock_screen is not None, timeout=5_000)
    settle(qtbot, window)
    assert not on_worker(window, lambda s: s.vault.is_unlocked)
    assert not plain_on_disk(data_paths)
    unlock(qtbot, window, PASSPHRASE)
    settle(qtbot, window)
    assert kept_draft(window) == WORDS


def test_a_draft_that_cannot_be_written_on_lock_is_told_and_the_words_come_back(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    data_paths: DataPaths,
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, _shell = open_window(qtbot, make_window)
    editor = writing(qtbot, window)
    on_worker(window, lambda s: s.vault.lock())  # the draft write will fail
    qtbot.keyClick(editor.writing, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.unlock_screen is not None, timeout=5_000)
    screen = window.unlock_screen
    assert screen is not None
    qtbot.waitUntil(screen.form.note.isVisible, timeout=5_000)  # told, calmly, before unlocking
    assert "could not be kept" in screen.form.note.text()
    assert "memory only, not on disk" in screen.form.note.text()
    assert WORDS not in " ".join(visible_texts(window))  # locked: no widget shows them
    assert not plain_on_disk(data_paths)

    asked: list[str] = []

    def stay(_parent: QWidget, reason: str) -> bool:
        asked.append(reason)
        return False

    window.confirm_close_losing_words = stay
    window.close()  # closing now would lose them: the patient is asked first
    assert len(asked) == 1 and window.isVisible()

    shell = unlock(qtbot, window, PASSPHRASE)
    journal = shell.review.journal
    qtbot.waitUntil(lambda: journal.editor is not None, timeout=5_000)
    back = journal.editor
    assert back is not None and back.writing.text() == WORDS
    assert shell.stack.currentWidget() is journal
    assert "from before the lock" in back.note.text()
    settle(qtbot, window)
    assert kept_draft(window) == WORDS  # written at once after unlocking
    assert not plain_on_disk(data_paths)


def test_an_idle_lock_with_unsaved_words_keeps_a_draft(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, _shell = open_window(qtbot, make_window)
    writing(qtbot, window)
    manual_clock.advance(10 * 60 + 1)  # the default auto-lock delay has passed, no typing
    qtbot.waitUntil(lambda: window.unlock_screen is not None, timeout=5_000)
    settle(qtbot, window)
    assert not on_worker(window, lambda s: s.vault.is_unlocked)
    unlock(qtbot, window, PASSPHRASE)
    settle(qtbot, window)
    assert kept_draft(window) == WORDS
