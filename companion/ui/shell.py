"""The unlocked shell: navigation on the left, the page on the right, help always in view.

During a session's timed part the Session page asks for quiet: the navigation and the footer
step aside so only the dim journey view (and its Help button) remains. F1 and Esc open Help from
every page and dialog (``HelpKeys``). While a session runs, the navigation shortcuts (Ctrl+1..7)
and Ctrl+L do nothing (auto-lock already waits for the session), so no key can leave the session
or hide its Help.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.profile import Profile
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.export.page import ExportPage
from companion.ui.first_run.numbers import remember_numbers
from companion.ui.help_keys import HelpKeys
from companion.ui.inhibit import ScreenSaverInhibitor
from companion.ui.pages.home import HomePage
from companion.ui.pages.settings import SettingsPage
from companion.ui.reflections.wiring import ReviewPages
from companion.ui.restyle import Restyler, style_new
from companion.ui.session.audio import AudioFactory
from companion.ui.session.page import SessionPage
from companion.ui.session.tray import ReminderTray
from companion.ui.tasks import Change, Changed
from companion.ui.theme import look_version
from companion.ui.widgets.page import SideColumn
from companion.ui.widgets.text import button, char_width, label

PAGE_NAMES = (
    N_("Home"),
    N_("Session"),
    N_("Journal"),
    N_("Reflections"),
    N_("Insights"),
    N_("Export"),
    N_("Settings"),
)
SESSION_PAGE = 1
# Built after Home without being asked: Session (the offer to resume an unfinished session,
# Help) and the Journal with Reflections and Insights (the Journal's draft marker). Settings and
# Export, the largest pages (100-500 ms each on this machine), wait until they are first shown.
BUILD_ORDER = (1, 2, 3, 4)
BUILD_GAP_MS = 30  # between two pages built in the background: input and paint go first
LOCK_SHORTCUT = "Ctrl+L"


def help_line(profile: Profile | None) -> str:
    if profile is None or not profile.emergency_number.strip():
        return _("If you feel unwell: call your local emergency number (for example 911).")
    emergency, crisis = profile.emergency_number.strip(), profile.crisis_line.strip()
    if crisis:
        return _(
            "If you feel unwell: call {emergency} for emergency help, or {crisis} to talk to "
            "someone now."
        ).format(emergency=emergency, crisis=crisis)
    return _("If you feel unwell: call {emergency} for emergency help.").format(emergency=emergency)


class NavFrame(QFrame):
    """The navigation column; its width follows the text size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "nav")
        self.setAccessibleName(_("Navigation"))
        self._update_width()

    def _update_width(self) -> None:
        self.setMinimumWidth(char_width(self) * 22)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._update_width()
        super().changeEvent(event)


class Shell(QWidget):
    """Home is built at unlock; the pages in ``BUILD_ORDER`` follow one per event-loop turn
    once Home is painted (Session first: it offers to resume an unfinished session and holds
    Help); the others are built when first shown. Unlocking so never freezes the window while
    seven pages are built; a page asked for early (a click, F1, a test) is built at once."""

    lock_requested = Signal()
    appearance_changed = Signal()  # Settings changed the theme or the text size
    restart_requested = Signal()  # Settings: "Restart now" after choosing another language
    autolock_changed = Signal(int)

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
        self.setAccessibleName("Companion")
        self._loaded = False  # load() was called: a page built later loads itself
        self._profile: Profile | None = None
        self._running = False
        self._screen_lock_available: bool | None = None
        self._session_page: SessionPage | None = None
        self._settings_page: SettingsPage | None = None
        self._export_page: ExportPage | None = None
        self._review: ReviewPages | None = None

        self.home = HomePage(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        for _name in PAGE_NAMES[1:]:
            self.stack.addWidget(QWidget())  # a placeholder until the page is built

        nav = NavFrame()
        self.nav = nav
        nav_layout = QVBoxLayout(nav)
        line = self.fontMetrics().height()
        nav_layout.setContentsMargins(line * 3 // 4, line, line * 3 // 4, line)
        nav_layout.setSpacing(max(4, line // 4))
        brand = label("Companion", "brand", wrap=False)
        brand.setIndent(line)
        nav_layout.addWidget(brand)
        nav_layout.addSpacing(line // 4)  # at 200 % the column must fit a 768-pixel screen
        self.nav_group = QButtonGroup(self)
        self.nav_buttons: list[QPushButton] = []
        self.nav_shortcuts: list[QShortcut] = []
        for index, name in enumerate(PAGE_NAMES):
            shortcut = f"Ctrl+{index + 1}"
            nav_button = button(
                _(name),
                role="nav",
                accessible_name=_(name),
                description=_("Shortcut: {keys}").format(keys=shortcut),
            )
            nav_button.setCheckable(True)
            nav_button.setAutoDefault(False)
            nav_button.setToolTip(_("{page} ({keys})").format(page=_(name), keys=shortcut))
            self.nav_group.addButton(nav_button, index)
            self.nav_buttons.append(nav_button)
            nav_layout.addWidget(nav_button)
            self.nav_shortcuts.append(
                QShortcut(QKeySequence(shortcut), self, lambda i=index: self.show_page(i))
            )
        nav_layout.addStretch(1)
        self.lock_button: QPushButton = button(
            _("Lock"),
            accessible_name=_("Lock Companion"),
            description=_("Shortcut: {keys}").format(keys=LOCK_SHORTCUT),
        )
        self.lock_button.setToolTip(_("Lock Companion now ({keys})").format(keys=LOCK_SHORTCUT))
        self.lock_button.setAutoDefault(False)
        self.lock_button.clicked.connect(self.lock_requested)
        nav_layout.addWidget(self.lock_button)
        self.lock_shortcut = QShortcut(QKeySequence(LOCK_SHORTCUT), self, self.lock_requested.emit)
        self.help_keys = HelpKeys(self.open_help, self.isVisible, self)
        self.help_keys.install()
        self.inhibitor = ScreenSaverInhibitor(parent=self)  # no screen saver during a session
        self.nav_group.idClicked.connect(self.show_page)

        footer = QFrame()
        self.footer = footer
        footer.setProperty("role", "footer")
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(line, line // 2, line, line // 2)
        self.help_label: QLabel = label(help_line(None), "emergency")
        self.help_label.setAccessibleName(_("If you feel unwell"))
        # A long sentence (a longer language, 200 % text) wraps: it never widens the window
        self.help_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        footer_layout.addWidget(self.help_label)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.stack, 1)
        right.addWidget(footer)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav_area = SideColumn(nav)  # scrolls when 200 % text makes it taller than the screen
        layout.addWidget(self.nav_area)
        layout.addLayout(right, 1)
        self.tray = ReminderTray(ctx, self)
        self.tray.reminded.connect(self.home.show_reminder)
        ctx.tasks.changed.connect(self._on_changed)  # the profile is the shell's to share
        self.tray.show_requested.connect(self._show_window)
        self.restyler = Restyler(self)
        self._styled: dict[int, int] = {}  # id of a part of the window -> look_version()
        self.stack.currentChanged.connect(self._restyle_current)
        for part in (self.nav_area, self.footer, self.home):  # nothing polished yet: cheap
            self._restyle(part, at_once=True)
        self._build_queue: list[int] = []
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(BUILD_GAP_MS)
        self._build_timer.timeout.connect(self._build_next)
        self.show_page(0)

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
            self._place(PAGE_NAMES.index("Settings"), page)
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
            self._place(PAGE_NAMES.index("Export"), page)
        return self._export_page

    @property
    def review(self) -> ReviewPages:
        """Journal, Reflections and Insights, built (and wired to each other) together."""
        if self._review is None:
            review = ReviewPages(ctx=self._ctx, show=self._show_widget, parent=self)
            self._review = review
            first = PAGE_NAMES.index("Journal")
            for offset, page in enumerate(review.pages):
                self._place(first + offset, page)
            review.attach_nav(self.nav_buttons[first])
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
        name = PAGE_NAMES[index]
        if name == "Session":
            return self.session_page
        if name in ("Journal", "Reflections", "Insights"):
            return self.review.pages[index - PAGE_NAMES.index("Journal")]
        if name == "Export":
            return self.export_page
        if name == "Settings":
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
        name = PAGE_NAMES[index]
        if name == "Home":
            return self.home
        if name == "Session":
            return self._session_page
        if name == "Export":
            return self._export_page
        if name == "Settings":
            return self._settings_page
        if self._review is None:
            return None
        return self._review.pages[index - PAGE_NAMES.index("Journal")]

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

    def _show_window(self) -> None:
        window = self.window()
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def show_page(self, index: int) -> None:
        focus_in_nav = any(button.hasFocus() for button in self.nav_buttons)
        page = self._page_at(index)  # built now if its turn has not come yet
        self.stack.setCurrentIndex(index)
        self.nav_buttons[index].setChecked(True)
        if focus_in_nav:  # keep the focus ring on the page that is shown (Ctrl+1..6)
            self.nav_buttons[index].setFocus()
        if page is self.home:
            self.home.refresh()

    def focus_current_nav(self) -> None:
        self.nav_buttons[self.stack.currentIndex()].setFocus()

    def flush_private_work(self) -> Future[Any] | None:
        """Before any lock or quit: what is being typed goes into the draft now (the worker runs
        it before the lock that follows, so a draft is never lost to an idle lock)."""
        if self._review is None:  # not built yet: nothing can be typed in it
            return None
        return self._review.flush_drafts()

    def load(self) -> None:
        """Fetches what the built pages show once the vault is unlocked (a page built later
        fetches its own when it is built)."""
        self._loaded = True
        if self._session_page is not None:
            self._session_page.load()
        if self._settings_page is not None:
            self._settings_page.load()
        if self._review is not None:
            self._review.load()
        self.tray.start()
        self._load_profile(fill_form=True)

    def _on_changed(self, changed: Changed) -> None:
        """The profile changed (Settings, an import): every page that shows it hears it. The
        Settings form that saved it already shows it, so it is refilled only otherwise."""
        if self._loaded and changed.touches(Change.PROFILE):
            page = self._settings_page
            self._load_profile(fill_form=page is None or not changed.came_from(page))

    def _load_profile(self, *, fill_form: bool) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.profile.load(),
            receiver=self,
            on_result=self._on_profile_loaded if fill_form else self._on_profile,
            on_error=lambda error: self.home.show_error(str(error)),
        )

    def _on_profile_loaded(self, profile: Profile) -> None:
        if self._settings_page is not None:
            self._settings_page.profile.show_loaded(profile)
        self._on_profile(profile)

    def _on_profile(self, profile: Profile) -> None:
        remember_numbers(self._ctx.settings, profile.emergency_number, profile.crisis_line)
        self.help_label.setText(help_line(profile))
        self._profile = profile
        self.home.show_profile(profile)
        if self._session_page is not None:
            self._session_page.show_profile(profile)

    def clear(self) -> None:
        self._build_timer.stop()
        self._build_queue.clear()
        self._profile = None
        self.inhibitor.release()
        self.tray.stop()
        self.home.clear()
        for page in (self._session_page, self._settings_page, self._review, self._export_page):
            if page is not None:
                page.clear()
        self.help_label.setText(help_line(None))
