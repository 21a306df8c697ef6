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

from PySide6.QtCore import QByteArray, QChildEvent, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon, QResizeEvent, QScreen, QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget, QWidget

from companion.domain.clock import Clock
from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.settings import (
    AUTOLOCK_MINUTES,
    LANGUAGE,
    LOCK_ON_SCREEN_LOCK,
    TEXT_SCALE,
    THEME,
    WINDOW_GEOMETRY,
    Settings,
)
from companion.ui.autolock import DEFAULT_POLL_MS, AutoLock
from companion.ui.clipboard import OwnClipboard
from companion.ui.context import DemoFactory, UiContext
from companion.ui.preload import preload_shell
from companion.ui.restyle import style_new
from companion.ui.screen_lock import ScreenLockWatcher
from companion.ui.services_handle import ServicesHandle
from companion.ui.session.audio import AudioFactory, default_audio_factory
from companion.ui.tasks import TaskRunner
from companion.ui.theme import (
    ICONS_DIR,
    applied_theme,
    apply_text_size,
    apply_theme,
    note_text_size,
    text_size_sheet,
)
from companion.ui.unlock import UnlockScreen

if TYPE_CHECKING:  # imported when first shown, to keep start-up to the unlock screen short
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from companion.services.container import Services
    from companion.ui.first_run.flow import FirstRunFlow
    from companion.ui.journal.content import EditorState
    from companion.ui.shell import Shell

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1120, 800)
CLOSE_WAIT_S = 5.0  # the longest a close waits for the editor's last words to reach the vault
CLOSE_POLL_MS = 50  # how often it looks (the injected clock decides when the wait is over)


def never_in_session() -> bool:
    return False


class MainWindow(QMainWindow):
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
        super().__init__(parent)
        self.setWindowTitle("Companion")
        icon = ICONS_DIR / "companion.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        handle = (
            services if isinstance(services, ServicesHandle) else ServicesHandle.ready(services)
        )
        if clock is None:
            if isinstance(services, ServicesHandle):
                raise TypeError("pass the clock explicitly when the services are still starting")
            clock = services.clock
        self.ctx = UiContext(
            handle=handle,
            settings=settings,
            tasks=TaskRunner(handle, self),
            clipboard=OwnClipboard(),
            clock=clock,
            demo=demo,
        )
        if session_running is None:
            session_running = self.session_in_progress
        self._session_running = session_running
        self._audio = audio or default_audio_factory(clock)
        self._voice_engine = voice_engine
        self._ask_before_losing_key = ask_before_losing_key
        # Quitting mid-session asks first (``ask_before_losing_key=False``, for tests, skips
        # every closing question; a test may set its own answer here).
        self.confirm_quit_session: Callable[[QWidget], bool] = (
            ask_quit_session if ask_before_losing_key else _yes
        )
        # Closing while the last words could not be kept as a draft: the patient decides.
        self.confirm_close_losing_words: Callable[[QWidget, str], bool] = (
            ask_close_losing_words if ask_before_losing_key else _close_anyway
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
        self.autolock = AutoLock(
            self.ctx.clock,
            settings.get(AUTOLOCK_MINUTES),
            session_running,
            poll_ms=autolock_poll_ms,
            parent=self,
        )
        self.autolock.lock_due.connect(self.lock)
        self.screen_lock = ScreenLockWatcher(self)
        self.screen_lock.screen_locked.connect(self._on_screen_locked)
        self.screen_lock.availability_known.connect(self._show_screen_lock_availability)

        self._stack = QStackedWidget()
        self.setCentralWidget(self._stack)
        self.first_run: FirstRunFlow | None = None
        self.unlock_screen: UnlockScreen | None = None
        self.shell: Shell | None = None
        self._chosen_size = QSize(*DEFAULT_SIZE)  # the size the patient chose (or the default)
        self._restore_geometry()
        if handle.vault_exists():
            self.show_unlock()
        else:
            self.show_first_run()

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
        from companion.ui.shell import Shell

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
        QTimer.singleShot(0, shell.build_rest_later)

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
            editor = self.shell.review.journal.editor
            if write is not None and editor is not None and not _written(write):
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
        if write is None or held is None or _written(write):
            return
        self._held_words = held
        self._held_reason = _reason(write)
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
        self.ctx.clipboard.clear_if_ours()
        self.save_geometry()
        for screen in (self.first_run, self.unlock_screen, self.shell):
            if screen is not None:
                screen.clear()

    # --- appearance and geometry --------------------------------------------------------------
    def apply_appearance(self) -> None:
        """A new theme re-polishes the whole application (a rare, deliberate choice). A new text
        size only changes the font and restyles what is on screen; the other pages are
        restyled when next shown (see ``ui.theme``): 1-2.5 s of frozen window before."""
        app = QApplication.instance()
        theme, percent = self.ctx.settings.get(THEME), self.ctx.settings.get(TEXT_SCALE)
        self.setUpdatesEnabled(False)  # one repaint at the end, not one per restyled widget
        new_theme = theme != applied_theme()
        if isinstance(app, QApplication) and new_theme:
            apply_theme(app, theme, percent)
        note_text_size(percent)
        if self.shell is not None:
            # Planned (and its layouts held) before the font changes: the page is then laid
            # out once, at the end, not also for the new font with the old sheet.
            self.shell.restyle_shown()  # painting stays held until its last piece
        if isinstance(app, QApplication) and not new_theme:
            apply_text_size(app, percent)
        if self.shell is None or not self.shell.restyler.busy:
            self.setUpdatesEnabled(True)
            self._restyled()

    def _restyled(self) -> None:
        # Larger text must not push the window past the screen; smaller text brings back
        # the size the patient chose. Layouts settle first, then the window is fitted.
        QTimer.singleShot(0, self._return_to_chosen_size)

    def available_size(self) -> QSize | None:
        """The largest the window may be: the screen's free area less the window frame."""
        screen: QScreen | None = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return None
        frame = self.frameGeometry().size() - self.geometry().size()
        return screen.availableGeometry().size() - frame

    def fit_to_screen(self) -> None:
        """Never larger than the screen, never partly off it: every page scrolls instead."""
        limit = self.available_size()
        if limit is None:
            return
        self.setMaximumSize(limit)
        if self.width() > limit.width() or self.height() > limit.height():
            self.resize(self.size().boundedTo(limit))
        screen: QScreen | None = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None and self.isVisible():
            area = screen.availableGeometry()
            frame = self.frameGeometry()
            x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
            y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
            if (x, y) != (frame.x(), frame.y()):
                self.move(max(x, area.x()), max(y, area.y()))

    def _wanted_extra_width(self, shown_only: bool = False) -> int | None:
        """How much wider (or, below zero, narrower) the window could be with every page's
        column (or only those on screen) fitting without squeezing (large text): pages never
        scroll sideways, so they need the width. None when no page can be measured now."""
        from PySide6.QtWidgets import QScrollArea, QSizePolicy, QStackedWidget

        extra: int | None = None
        for area in self.findChildren(QScrollArea):
            inner = area.widget()
            policy = area.horizontalScrollBarPolicy()
            if inner is None or policy != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
                continue
            if area.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Fixed:
                continue  # sized to its own content (the navigation), not to the window
            holder = area.parentWidget()
            if area.isVisible():
                width = area.width()
            elif not shown_only and isinstance(holder, QStackedWidget) and holder.isVisible():
                width = holder.width()  # a page not shown now: it will have the stack's width
                area.ensurePolished()  # hidden pages take the new text size only when polished
            else:
                continue  # inside something hidden: its size means nothing yet
            bar = area.verticalScrollBar().sizeHint().width()
            wanted = inner.minimumSizeHint().width() + bar - width
            extra = wanted if extra is None else max(extra, wanted)
        return extra

    def _widen_if_needed(self) -> None:
        """A page shown for the first time after the text grew may need more width: the
        window widens within the screen rather than cutting the page's right side off. Not
        while the page is being restyled: its layouts wait then, so a resize would leave its
        wrapped labels at their old heights; the restyle's end fits the window instead."""
        if self.shell is not None and self.shell.restyler.busy:
            return
        extra = self._wanted_extra_width()
        limit = self.available_size()
        if extra is not None and extra > 0 and limit is not None:
            wider = QSize(self.width() + extra, self.height()).boundedTo(limit)
            if wider != self.size():
                self.resize(wider)
                self.fit_to_screen()

    def _return_to_chosen_size(self) -> None:
        """The size the patient chose, but never narrower than the width at which what is on
        screen fits: a window widened for the page shown (exactly to its width, so nothing more
        was wanted) was shrunk back here, cutting that page's right side off (the screen walk).
        A page not shown is restyled, and the window widened for it, when it is shown."""
        limit = self.available_size()
        target = self._chosen_size
        extra = self._wanted_extra_width(shown_only=True)
        if extra is not None:
            target = target.expandedTo(QSize(self.width() + extra, 0))
        if limit is not None:
            self.setMaximumSize(limit)
            target = target.boundedTo(limit)
        if target != self.size():
            self.resize(target)
        self.fit_to_screen()

    def event(self, event: QEvent) -> bool:
        # A dialog of this window (a question, a warning) takes the text size now, as the
        # pages do: the application's stylesheet keeps the size it was made for.
        if event.type() == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
            child = event.child()
            sizes = text_size_sheet()
            if isinstance(child, QDialog) and sizes and not child.styleSheet():
                child.setStyleSheet(sizes)
        return super().event(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._close_without_words = False  # a choice made for one close, not for ever
        self.fit_to_screen()
        handle = self.windowHandle()
        if handle is not None and not self.property("companion_watches_screen"):
            handle.screenChanged.connect(lambda _screen: self.fit_to_screen())
            self.setProperty("companion_watches_screen", True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.spontaneous():
            self._chosen_size = event.size()  # the patient (or the window manager) chose it

    def _restore_geometry(self) -> None:
        saved = self.ctx.settings.get(WINDOW_GEOMETRY)
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            self._chosen_size = self.size()
            return
        width, height = DEFAULT_SIZE
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width())
            height = min(height, available.height())
        self.resize(width, height)
        self._chosen_size = QSize(width, height)

    def save_geometry(self) -> None:
        encoded = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.ctx.settings.set(WINDOW_GEOMETRY, encoded)

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
            return self._decide_about_lost_words(_reason(write))
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
            if _written(write) or self._decide_about_lost_words(_reason(write)):
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


def _written(write: Future[Any]) -> bool:
    return write.done() and write.exception() is None


def _reason(write: Future[Any]) -> str:
    error = write.exception() if write.done() else None
    return str(error) if isinstance(error, CompanionError) else _(SOMETHING_WENT_WRONG)


SOMETHING_WENT_WRONG = N_("something unexpected went wrong.")
WORDS_HELD_TEXT = N_(
    "Your last journal words could not be kept as a draft before locking: {reason} They are "
    "held in memory only, not on disk, and come back in the editor when you unlock. If you "
    "close Companion before unlocking, they will be lost."
)
WORDS_BACK_TEXT = N_(
    "These are your words from before the lock. They could not be kept as a draft then; "
    "they are being kept now."
)
WORDS_NOT_KEPT_TEXT = N_(
    "Your last words could not be kept as a draft: {reason}\n\n"
    "If you close Companion now, these words will be lost. You can go back to them, copy "
    "them somewhere safe, and close afterwards."
)


def _close_anyway(_parent: QWidget, _reason: str) -> bool:
    return True


def words_not_kept_box(parent: QWidget, reason: str) -> tuple[QMessageBox, QPushButton]:
    """The question, and its "go back" button (the default and the Esc answer)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Your words are not saved yet"))
    box.setText(_(WORDS_NOT_KEPT_TEXT).format(reason=reason))
    back = box.addButton(_("Go back to my words"), QMessageBox.ButtonRole.RejectRole)
    box.addButton(_("Close and lose them"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    return box, back


def ask_close_losing_words(parent: QWidget, reason: str) -> bool:
    box, back = words_not_kept_box(parent, reason)
    box.exec()
    return box.clickedButton() is not back


QUIT_SESSION_TEXT = N_(
    "A session is running. If you close Companion now, the session stays open. After your "
    "dose, it goes on with the After step next time: blood pressure, side effects, after-care "
    "and your monitor's sign-off. Close Companion?"
)


def _yes(_parent: QWidget) -> bool:
    return True


def ask_quit_session(parent: QWidget) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        parent,
        _("Close Companion during the session?"),
        _(QUIT_SESSION_TEXT),
        QMessageBox.StandardButton.No | QMessageBox.StandardButton.Yes,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
