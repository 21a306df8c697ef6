"""The one window: first run, unlock screen or the shell, and locking between them.

Locking (Ctrl+L, idle, the OS screen lock) closes the vault on the worker, takes our text off
the clipboard, clears and destroys every widget that showed private text, and shows the unlock
screen. Nothing private survives in a widget after a lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QChildEvent, QEvent, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QStackedWidget, QWidget

from companion.domain.clock import Clock
from companion.heap import let_go_of_long_lived, release_free_memory
from companion.i18n import _
from companion.settings import (
    AUTOLOCK_MINUTES,
    LANGUAGE,
    LOCK_ON_SCREEN_LOCK,
    TEXT_SCALE,
    THEME,
    Settings,
)
from companion.ui.autolock import DEFAULT_POLL_MS, AutoLock
from companion.ui.clipboard import OwnClipboard
from companion.ui.context import DemoFactory, UiContext
from companion.ui.first_frame import when_painted
from companion.ui.preload import preload_shell
from companion.ui.restyle import style_new
from companion.ui.screen_lock import ScreenLockWatcher
from companion.ui.services_handle import ServicesHandle
from companion.ui.tasks import TaskRunner
from companion.ui.theme import (
    ICONS_DIR,
    applied_theme,
    apply_palette,
    apply_text_size,
    note_text_size,
    note_theme,
    text_size_sheet,
)
from companion.ui.unlock import UnlockScreen
from companion.ui.window_close import ClosingWindow
from companion.ui.window_questions import (
    WORDS_BACK_TEXT,
    WORDS_HELD_TEXT,
    ask_quit_session,
    failure_reason,
    written,
    yes_close,
)

if TYPE_CHECKING:  # imported when first shown, to keep start-up to the unlock screen short
    from companion.services.container import Services
    from companion.ui.first_run.flow import FirstRunFlow
    from companion.ui.journal.content import EditorState
    from companion.ui.session.audio import AudioFactory
    from companion.ui.shell import Shell

log = logging.getLogger(__name__)


def window_context(
    window: QWidget,
    services: Services | ServicesHandle,
    settings: Settings,
    clock: Clock | None,
    demo: DemoFactory | None,
) -> UiContext:
    """What every screen of the window shares: the services, settings, tasks, clock."""
    handle = services if isinstance(services, ServicesHandle) else ServicesHandle.ready(services)
    if clock is None:
        if isinstance(services, ServicesHandle):
            raise TypeError("pass the clock explicitly when the services are still starting")
        clock = services.clock
    return UiContext(
        handle=handle,
        settings=settings,
        tasks=TaskRunner(handle, window),
        clipboard=OwnClipboard(),
        clock=clock,
        demo=demo,
    )


def never_in_session() -> bool:
    return False


class MainWindow(ClosingWindow):
    locked = Signal()
    unlocked = Signal()
    restart_requested = Signal()  # a new language: app.py closes the window and starts again

    def __init__(
        self,
        services: Services | ServicesHandle,
        settings: Settings,
        *,
        clock: Clock | None = None,
        session_running: Callable[[], bool] | None = None,
        autolock_poll_ms: int = DEFAULT_POLL_MS,
        ask_before_losing_key: bool = True,
        audio: AudioFactory | None = None,
        voice_engine: str | None = None,
        demo: DemoFactory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ask_before_losing_key, parent)
        self.setWindowTitle("Companion")
        when_painted(self._set_icon)  # at start-up after the first frame: not painted in it
        self.ctx = window_context(self, services, settings, clock, demo)
        self._session_running = session_running or self.session_in_progress
        self._audio = audio  # None: the real players, chosen when the shell is first built
        self._voice_engine = voice_engine
        self._ask_before_losing_key = ask_before_losing_key
        # Quitting mid-session asks first (``ask_before_losing_key=False``, for tests, skips
        # every closing question; a test may set its own answer here).
        self.confirm_quit_session: Callable[[QWidget], bool] = (
            ask_quit_session if ask_before_losing_key else yes_close
        )
        self.autolock, self.screen_lock = self._lock_watchers(autolock_poll_ms)
        self._stack = QStackedWidget()
        self.setCentralWidget(self._stack)
        self.first_run: FirstRunFlow | None = None
        self.unlock_screen: UnlockScreen | None = None
        self.shell: Shell | None = None
        self._restore_geometry()
        if self.ctx.vault_exists():
            self.show_unlock()
        else:
            self.show_first_run()

    def _set_icon(self) -> None:
        """The window's icon (the title bar's, the task bar's): drawn from its SVG and handed to
        the window manager, ~15M instructions that the first frame does not need (issue 16)."""
        from PySide6.QtGui import QIcon

        icon = ICONS_DIR / "companion.svg"
        if icon.exists() and shiboken6.isValid(self):
            self.setWindowIcon(QIcon(str(icon)))

    def _lock_watchers(self, poll_ms: int) -> tuple[AutoLock, ScreenLockWatcher]:
        """Idle (auto-lock) and the desktop's screen lock, each locking this window."""
        autolock = AutoLock(
            self.ctx.clock,
            self.ctx.settings.get(AUTOLOCK_MINUTES),
            self._session_running,
            poll_ms=poll_ms,
            parent=self,
        )
        autolock.lock_due.connect(self.lock)
        screen_lock = ScreenLockWatcher(self)
        screen_lock.screen_locked.connect(self._on_screen_locked)
        screen_lock.availability_known.connect(self._show_screen_lock_availability)
        return autolock, screen_lock

    def session_in_progress(self) -> bool:
        """True while a session or a rehearsal runs (the auto-lock then waits)."""
        return self.shell is not None and self.shell.session_running

    # --- screens ------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        """True while the window shows something only an unlocked vault may show."""
        return self.shell is not None or (
            self.first_run is not None and self.first_run.currentWidget() is self.first_run.profile
        )

    def _set_screen(self, screen: QWidget) -> None:
        for old in (self.first_run, self.unlock_screen, self.shell):
            if old is not None and old is not screen:
                old.clear()
                self._stack.removeWidget(old)
                old.deleteLater()
        self._stack.addWidget(screen)
        self._stack.setCurrentWidget(screen)
        screen.setFocus()

    def show_first_run(self) -> None:
        from companion.ui.first_run.flow import FirstRunFlow

        flow = FirstRunFlow(self.ctx)
        flow.recovery.confirmed.connect(self.autolock.start)  # not earlier: the key is shown once
        flow.completed.connect(self.show_shell)
        flow.welcome.language_chosen.connect(self._first_run_language)
        style_new(flow)  # the text size now (not yet polished: cheap)
        self._set_screen(flow)
        self.first_run, self.unlock_screen, self.shell = flow, None, None
        flow.welcome.setFocus()

    def _first_run_language(self, code: str) -> None:
        """Nothing is entered before the first step's choice: the flow is simply built again
        in the new language, with the choice still in focus."""
        from companion.ui.language import apply_language

        self.ctx.settings.set(LANGUAGE, code)
        apply_language(code)
        self.show_first_run()
        if self.first_run is not None:
            self.first_run.welcome.language.setFocus()

    def show_unlock(self) -> None:
        screen = UnlockScreen(self.ctx)
        screen.unlocked.connect(self.show_shell)
        style_new(screen)  # the text size now (not yet polished: cheap)
        screen.form.passphrase.edit.textEdited.connect(preload_shell)
        self._set_screen(screen)
        self.first_run, self.unlock_screen, self.shell = None, screen, None
        screen.form.setFocus()

    def show_shell(self) -> None:
        from companion.ui.session.audio import default_audio_factory
        from companion.ui.shell import Shell

        if self._audio is None:
            self._audio = default_audio_factory(self.ctx.clock)
        shell = Shell(self.ctx, self._audio, voice_engine=self._voice_engine)
        shell.lock_requested.connect(self.lock)
        shell.appearance_changed.connect(self.apply_appearance)
        shell.restart_requested.connect(self.restart_requested)
        shell.restyler.finished.connect(self._restyled)
        shell.autolock_changed.connect(self.autolock.set_delay_minutes)
        shell.stack.currentChanged.connect(lambda _i: QTimer.singleShot(0, self._widen_if_needed))
        shell.set_screen_lock_available(self.screen_lock.available)
        self._set_screen(shell)
        self.first_run, self.unlock_screen, self.shell = None, None, shell
        shell.load()
        shell.focus_current_nav()
        self._bring_back_held_words()
        self.autolock.start()
        self.unlocked.emit()
        # Home is painted first; the other pages follow one at a time (or when first shown).
        # The shell as the timer's context: a lock in this same turn deletes it, and the call.
        QTimer.singleShot(0, shell, shell.build_rest_later)

    # --- locking ------------------------------------------------------------------------------
    def lock(self) -> None:
        """Every way of locking (Ctrl+L, the Lock button, idle, the desktop's screen lock).

        The editor's words are written as a draft first (the worker runs that write before the
        lock). Until the lock is done they are also held here, in memory only: if the write
        failed, they stay held, the unlock screen says so, and they come back after unlocking.
        """
        self.autolock.stop()
        write: Future[Any] | None = None
        held: EditorState | None = None
        if self.shell is not None:
            write = self.shell.flush_private_work()
            editor = self.shell.review.journal_editor  # None: the Journal is not built
            if write is not None and editor is not None and not written(write):
                held = editor.state()
        self.ctx.clipboard.clear_if_ours()
        self.ctx.tasks.forget_pending()  # a late result must not refill a cleared widget
        ctx = self.ctx

        def locked(_outcome: object) -> None:
            self._after_lock(write, held)

        ctx.tasks.run(lambda s: s.vault.lock(), receiver=self, on_result=locked, on_error=locked)
        if ctx.vault_exists():
            self.show_unlock()
        else:
            self.show_first_run()
        self.locked.emit()

    def _after_lock(self, write: Future[Any] | None, held: EditorState | None) -> None:
        """The vault is locked (the draft write ran before it). Words whose write failed stay
        held in memory and the unlock screen tells the patient; written ones are let go."""
        # The shell and everything it showed are gone: what was kept out of the collector's
        # reach is collected (one full collection, here where nothing moves), and the memory
        # goes back to the system.
        let_go_of_long_lived()
        self.ctx.tasks.run_without_db(release_free_memory, receiver=self)
        if write is None or held is None or written(write):
            return
        self._held_words = held
        self._held_reason = failure_reason(write)
        log.warning("lock.draft_write_failed")  # never the words, never the error's text
        if self.unlock_screen is not None:
            self.unlock_screen.form.show_note(_(WORDS_HELD_TEXT).format(reason=self._held_reason))
        elif self.shell is not None:  # unlocked again already: the words come straight back
            self._bring_back_held_words()

    def _bring_back_held_words(self) -> None:
        held, self._held_words = self._held_words, None
        if held is None or self.shell is None:
            return
        journal = self.shell.review.journal
        self.shell.show_page(self.shell.stack.indexOf(journal))
        journal.bring_back(held, _(WORDS_BACK_TEXT))

    def _on_screen_locked(self) -> None:
        if (
            self.is_open
            and self.ctx.settings.get(LOCK_ON_SCREEN_LOCK)
            and not self._session_running()
        ):
            self.lock()

    def _show_screen_lock_availability(self, available: bool) -> None:
        if self.shell is not None:
            self.shell.set_screen_lock_available(available)

    def watch_screen_lock(self) -> list[str]:
        return self.screen_lock.watch()

    def prepare_to_quit(self) -> None:
        """Called as the application quits: drafts, clipboard, private widgets, geometry."""
        self.autolock.stop()
        if self.shell is not None:
            self.shell.flush_private_work()
        self.ctx.tasks.hand_over()  # a session's last records, before the vault is locked
        self.ctx.clipboard.clear_if_ours()
        self.save_geometry()
        for screen in (self.first_run, self.unlock_screen, self.shell):
            if screen is not None:
                screen.clear()

    # --- appearance and geometry --------------------------------------------------------------
    def apply_appearance(self) -> None:
        """A new theme or text size never re-polishes the whole application (1-2.5 s of frozen
        window for a size, 2-6 s for a theme): the palette or the font changes, and what is on
        screen is restyled a piece per turn; the other pages when next shown (see ``ui.theme``)."""
        app = QApplication.instance()
        theme, percent = self.ctx.settings.get(THEME), self.ctx.settings.get(TEXT_SCALE)
        self.setUpdatesEnabled(False)  # one repaint at the end, not one per restyled widget
        new_theme = theme != applied_theme()
        note_theme(theme)
        note_text_size(percent)
        if self.shell is not None:
            # Planned before the font changes (the pieces are found while nothing moves).
            self.shell.restyle_shown()  # painting stays held until its last piece
        if isinstance(app, QApplication):
            if new_theme:
                apply_palette(app, theme)
            apply_text_size(app, percent)
        if self.shell is None or not self.shell.restyler.busy:
            self.setUpdatesEnabled(True)
            self._restyled()

    def _restyled(self) -> None:
        # Larger text must not push the window past the screen; smaller text brings back
        # the size the patient chose. Layouts settle first, then the window is fitted.
        QTimer.singleShot(0, self._return_to_chosen_size)

    def event(self, event: QEvent) -> bool:
        # A dialog of this window (a question, a warning) takes the text size now, as the
        # pages do: the application's stylesheet keeps the size it was made for.
        if isinstance(event, QChildEvent) and event.type() == QEvent.Type.ChildPolished:
            child = event.child()
            sizes = text_size_sheet()
            if isinstance(child, QDialog) and sizes and not child.styleSheet():
                child.setStyleSheet(sizes)
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if (
            self._ask_before_losing_key
            and self.first_run is not None
            and self.first_run.showing_recovery_key
        ):
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self,
                _("Close Companion?"),
                _("Your recovery key will not be shown again. Close anyway?"),
                QMessageBox.StandardButton.No | QMessageBox.StandardButton.Yes,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if not self._words_safe_to_close():
            event.ignore()
            return
        if self.session_in_progress():
            if not self.confirm_quit_session(self):
                self._close_without_words = False
                event.ignore()
                return
            assert self.shell is not None
            self.shell.session_page.quit_during_session()
        self.save_geometry()
        super().closeEvent(event)

    # --- the editor's words before closing ----------------------------------------------------
