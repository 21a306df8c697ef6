"""Closing the window with words in the journal editor: they go into an encrypted draft first.
The close waits for that write without blocking (at most ``CLOSE_WAIT_S``); if the words
cannot be kept, the patient is told why and chooses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from companion.ui.fitted_window import FittedWindow
from companion.ui.window_questions import (
    ask_close_losing_words,
    close_anyway,
    failure_reason,
    written,
)

if TYPE_CHECKING:
    from companion.ui.journal.content import EditorState

log = logging.getLogger("companion.ui.main_window")

CLOSE_WAIT_S = 5.0  # the longest a close waits for the editor's last words to reach the vault
CLOSE_POLL_MS = 50  # how often it looks (the injected clock decides when the wait is over)


class ClosingWindow(FittedWindow):
    """The main window's close, as far as the editor's words go."""

    def __init__(self, ask_before_losing_key: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Closing while the last words could not be kept as a draft: the patient decides
        # (``ask_before_losing_key=False``, for tests, closes; a test may set its own answer).
        self.confirm_close_losing_words: Callable[[QWidget, str], bool] = (
            ask_close_losing_words if ask_before_losing_key else close_anyway
        )
        self._keeping: Future[Any] | None = None  # the draft write a close is waiting for
        self._keeping_until = 0.0
        self._close_without_words = False  # the patient chose to close without them
        # Journal words whose draft could not be written before a lock: in memory only, never
        # on disk, until the next unlock puts them back in the editor.
        self._held_words: EditorState | None = None
        self._held_reason = ""
        self.close_wait = QTimer(self)
        self.close_wait.setInterval(CLOSE_POLL_MS)
        self.close_wait.timeout.connect(self._check_words_kept)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._close_without_words = False  # a choice made for one close, not for ever

    @property
    def keeping_words(self) -> bool:
        """True while a close waits for the editor's last words to be written as a draft."""
        return self._keeping is not None

    def _words_safe_to_close(self) -> bool:
        """The words in the editor go into an encrypted draft before the window closes. True
        when they are safe (or there are none, or the patient chose to close without them).
        Otherwise the close waits, without blocking, for the draft write (at most
        ``CLOSE_WAIT_S``) and closes the window itself once it is done."""
        if self._close_without_words:
            return True
        if self.shell is None:
            if self._held_words is None:
                return True
            return self._decide_about_lost_words(self._held_reason)
        if self._keeping is not None:
            return False  # already waiting (the close button pressed again)
        write = self.shell.flush_private_work()
        if write is None or (write.done() and write.exception() is None):
            return True
        if write.done():  # the write failed at once
            return self._decide_about_lost_words(failure_reason(write))
        self._keeping = write
        self._keeping_until = self.ctx.clock.monotonic() + CLOSE_WAIT_S
        self.close_wait.start()
        return False

    def _check_words_kept(self) -> None:
        write = self._keeping
        if write is None:
            self.close_wait.stop()
            return
        if write.done():
            self.close_wait.stop()
            self._keeping = None
            if written(write) or self._decide_about_lost_words(failure_reason(write)):
                self.close()
            return
        if self.ctx.clock.monotonic() >= self._keeping_until:
            # The worker is slow. The write is queued ahead of the vault's lock, and quitting
            # waits for both on the worker (``app.shut_down``): the window need not wait too.
            log.warning("close.draft_write_slow")
            self.close_wait.stop()
            self._keeping = None
            self._close_without_words = True
            self.close()

    def _decide_about_lost_words(self, reason: str) -> bool:
        """The words are not in a draft: the patient is told why and chooses. True: close."""
        log.warning("close.words_not_kept")  # never the words, never the error's text
        if self.confirm_close_losing_words(self, reason):
            self._close_without_words = True
            return True
        if self.shell is not None:
            self.shell.show_page(self.shell.stack.indexOf(self.shell.review.journal))
            editor = self.shell.review.journal.editor
            if editor is not None:
                editor.writing.setFocus()
        return False
