"""The shell's pages: built when first needed (or one per turn after Home is painted), restyled
when shown after a change of look, and wired to each other whether built yet or not."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QFrame, QPushButton, QStackedWidget, QWidget

from companion.domain.profile import Profile
from companion.heap import keep_long_lived
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.export.page import ExportPage
from companion.ui.inhibit import ScreenSaverInhibitor
from companion.ui.pages.home import HomePage
from companion.ui.pages.settings import SettingsPage
from companion.ui.reflections.wiring import ReviewPages
from companion.ui.restyle import Restyler, style_new
from companion.ui.session.audio import AudioFactory
from companion.ui.session.page import SessionPage
from companion.ui.theme import look_version
from companion.ui.widgets.page import SideColumn

PAGE_NAMES = (
    N_("Home"),
    N_("Session"),
    N_("Journal"),
    N_("Reflections"),
    N_("Insights"),
    N_("Export"),
    N_("Settings"),
)


class Page(IntEnum):
    """Each page's place in the stack and the navigation (the labels above are for showing)."""

    HOME = 0
    SESSION = 1
    JOURNAL = 2
    REFLECTIONS = 3
    INSIGHTS = 4
    EXPORT = 5
    SETTINGS = 6


REVIEW = (Page.JOURNAL, Page.REFLECTIONS, Page.INSIGHTS)  # wired to each other
SESSION_PAGE = Page.SESSION
# Built after Home without being asked, one per turn: Session (the offer to resume an
# unfinished session, Help), the Journal (its draft marker), Reflections and Insights. Settings and
# Export, the largest pages (100-500 ms each on this machine), wait until they are first shown.
BUILD_ORDER = (Page.SESSION, *REVIEW)
BUILD_GAP_MS = 30  # between two pages built in the background: input and paint go first
LOCK_SHORTCUT = "Ctrl+L"


class ShellPages(QWidget):
    """The pages of the shell (``Shell`` builds Home, the navigation and the footer)."""

    lock_requested = Signal()
    appearance_changed = Signal()  # Settings changed the theme or the text size
    restart_requested = Signal()  # Settings: "Restart now" after choosing another language
    autolock_changed = Signal(int)

    # Made by ``Shell``: Home, the stack of pages, the navigation column and the footer.
    home: HomePage
    stack: QStackedWidget
    nav_area: SideColumn
    nav_buttons: list[QPushButton]
    nav_shortcuts: list[QShortcut]
    lock_button: QPushButton
    lock_shortcut: QShortcut
    inhibitor: ScreenSaverInhibitor
    footer: QFrame

    def __init__(
        self,
        ctx: UiContext,
        audio: AudioFactory,
        *,
        voice_engine: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._audio = audio
        self._voice_engine = voice_engine
        self._loaded = False  # load() was called: a page built later loads itself
        self._profile: Profile | None = None
        self._running = False
        self._screen_lock_available: bool | None = None
        self._session_page: SessionPage | None = None
        self._settings_page: SettingsPage | None = None
        self._export_page: ExportPage | None = None
        self._review: ReviewPages | None = None
        self.restyler = Restyler(self)
        self._styled: dict[int, int] = {}  # id of a part of the window -> look_version()
        self._build_queue: list[int] = []
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(BUILD_GAP_MS)
        self._build_timer.timeout.connect(self._build_next)

    # --- pages, built when first needed --------------------------------------------------------
    @property
    def session_page(self) -> SessionPage:
        if self._session_page is None:
            page = SessionPage(self._ctx, self._audio, voice_engine=self._voice_engine)
            self._session_page = page
            self._place(SESSION_PAGE, page)
            page.immersive_changed.connect(self.set_immersive)
            page.resume_offered.connect(lambda: self.show_page(SESSION_PAGE))
            page.running_changed.connect(self._on_session_running)
            page.reflection_requested.connect(lambda sid: self.review.open_reflection(sid))
            if self._profile is not None:
                page.show_profile(self._profile)
            if self._settings_page is not None:
                self._settings_page.music.use_voice(page.voice)
            if self._loaded:
                page.load()
        return self._session_page

    @property
    def settings_page(self) -> SettingsPage:
        if self._settings_page is None:
            page = SettingsPage(self._ctx, self._audio)
            self._settings_page = page
            self._place(Page.SETTINGS, page)
            page.music.volume_changed.connect(self._volume_changed)
            page.appearance.changed.connect(self.appearance_changed)
            page.language.restart_requested.connect(self.restart_requested)
            page.locking.autolock_changed.connect(self.autolock_changed)
            page.locking.set_detection_available(self._screen_lock_available)
            page.data.lock_requested.connect(self.lock_requested)
            page.data.set_session_running(self._running)
            if self._session_page is not None:
                page.music.use_voice(self._session_page.voice)
            if self._loaded:
                page.load()
                if self._profile is not None:
                    page.profile.show_loaded(self._profile)
        return self._settings_page

    @property
    def export_page(self) -> ExportPage:
        if self._export_page is None:
            page = ExportPage(self._ctx)
            self._export_page = page
            self._place(Page.EXPORT, page)
        return self._export_page

    @property
    def review(self) -> ReviewPages:
        """Journal, Reflections and Insights, wired to each other; each page is built when it
        is first asked for (``ReviewPages``) and placed in the stack then."""
        if self._review is None:
            review = ReviewPages(
                ctx=self._ctx,
                show=self._show_widget,
                place=lambda offset, page: self._place(Page.JOURNAL + offset, page),
                parent=self,
            )
            self._review = review
            review.attach_nav(self.nav_buttons[Page.JOURNAL])
            if self._loaded:
                review.load()
        return self._review

    @property
    def pages(self) -> list[QWidget]:
        """Every page, in navigation order (building those not built yet)."""
        return [
            self.home,
            self.session_page,
            *self.review.pages,
            self.export_page,
            self.settings_page,
        ]

    def _page_at(self, index: int) -> QWidget:
        if index == Page.SESSION:
            return self.session_page
        if index in REVIEW:
            return self.review.page_at(index - Page.JOURNAL)
        if index == Page.EXPORT:
            return self.export_page
        if index == Page.SETTINGS:
            return self.settings_page
        return self.home

    def _place(self, index: int, page: QWidget) -> None:
        self._restyle(page, at_once=True)  # not yet polished: cheap
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, page)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        if current == index:
            self.stack.setCurrentIndex(index)

    def _show_widget(self, page: QWidget) -> None:
        self.show_page(self.stack.indexOf(page))

    def is_built(self, index: int) -> bool:
        return self.stack.widget(index) is self._built_page(index)

    def _built_page(self, index: int) -> QWidget | None:
        if index == Page.HOME:
            return self.home
        if index == Page.SESSION:
            return self._session_page
        if index == Page.EXPORT:
            return self._export_page
        if index == Page.SETTINGS:
            return self._settings_page
        if self._review is None:
            return None
        return self._review.built_page(index - Page.JOURNAL)

    def build_rest_later(self) -> None:
        """Once Home is painted: the pages of ``BUILD_ORDER``, one per turn of the event loop."""
        self._build_queue = [i for i in BUILD_ORDER if not self.is_built(i)]
        if self._build_queue:
            self._build_timer.start()

    def _build_next(self) -> None:
        if self.session_running:  # never a page build in the middle of a session
            self._build_timer.start(BUILD_GAP_MS * 10)
            return
        while self._build_queue:
            index = self._build_queue.pop(0)
            if not self.is_built(index):
                self._page_at(index)
                break
        if self._build_queue:
            self._build_timer.start()
        else:  # the pages built after unlock stay until the lock: collections leave them be
            keep_long_lived()

    @property
    def session_running(self) -> bool:
        return self._session_page is not None and self._session_page.running

    # --- wiring between pages that may not be built yet ---------------------------------------
    # What the vault holds is not wired here: every op that changes it broadcasts the kinds it
    # changed (``TaskRunner.changed``) and each built page reloads what it shows. A page built
    # later loads fresh when it is built; a broadcast never builds one.
    def _volume_changed(self, volume: int) -> None:
        if self._session_page is not None:
            self._session_page.set_user_volume(volume)

    def restyle_shown(self) -> None:
        """The look changed: what is on screen takes it now; a page not shown takes it when it
        is next shown (restyling every page at once froze the window for seconds)."""
        for part in (self.nav_area, self.footer, self.stack.currentWidget()):
            self._restyle(part)

    def _restyle_current(self, _index: int) -> None:
        self._restyle(self.stack.currentWidget())

    def _restyle(self, part: QWidget | None, at_once: bool = False) -> None:
        if part is not None and self._styled.get(id(part), 0) != look_version():
            self._styled[id(part)] = look_version()
            if at_once:
                style_new(part)
            else:
                self.restyler.restyle(part)

    def set_screen_lock_available(self, available: bool | None) -> None:
        self._screen_lock_available = available
        if self._settings_page is not None:
            self._settings_page.locking.set_detection_available(available)

    def set_immersive(self, quiet: bool) -> None:
        """The dim journey: only the session page shows."""
        self.nav_area.setVisible(not quiet)
        self.footer.setVisible(not quiet)

    def open_help(self) -> None:
        """F1 or Esc anywhere: the Session page's Help (who to call, emergency signs)."""
        self.show_page(SESSION_PAGE)
        self.session_page.open_help()

    def _on_session_running(self, running: bool) -> None:
        for shortcut in (*self.nav_shortcuts, self.lock_shortcut):
            shortcut.setEnabled(not running)
        self.lock_button.setEnabled(not running)
        self.inhibitor.set_running(running)
        self.lock_button.setToolTip(
            _("Locking waits until the session is over.")
            if running
            else _("Lock Companion now ({keys})").format(keys=LOCK_SHORTCUT)
        )
        self._running = running
        if self._settings_page is not None:
            self._settings_page.data.set_session_running(running)
        if not running:
            self.home.refresh()

    def show_page(self, index: int) -> None:
        focus_in_nav = any(button.hasFocus() for button in self.nav_buttons)
        page = self._page_at(index)  # built now if its turn has not come yet
        self.stack.setCurrentIndex(index)
        self.nav_buttons[index].setChecked(True)
        if focus_in_nav:  # keep the focus ring on the page that is shown (Ctrl+1..6)
            self.nav_buttons[index].setFocus()
        if page is self.home:
            self.home.refresh()
