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

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.profile import Profile
from companion.i18n import _
from companion.ui.context import UiContext
from companion.ui.first_run.numbers import remember_numbers
from companion.ui.help_keys import HelpKeys
from companion.ui.inhibit import ScreenSaverInhibitor
from companion.ui.pages.home import HomePage
from companion.ui.session.audio import AudioFactory
from companion.ui.session.tray import ReminderTray
from companion.ui.shell_pages import LOCK_SHORTCUT, PAGE_NAMES, ShellPages
from companion.ui.tasks import Change, Changed
from companion.ui.widgets.fits_text import looks_changed
from companion.ui.widgets.page import SideColumn
from companion.ui.widgets.text import button, char_width, label


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
    """The navigation column; its width, margins and spacing follow the text size (after a
    change while Companion runs as at a start at the new size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "nav")
        self.setAccessibleName(_("Navigation"))
        self.brand_gap = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.brand: QLabel | None = None
        self.fit_to_text()

    def fit_to_text(self) -> None:
        self.setMinimumWidth(char_width(self) * 22)
        line = self.fontMetrics().height()
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(line * 3 // 4, line, line * 3 // 4, line)
            layout.setSpacing(max(4, line // 4))
        # at 200 % the column must fit a 768-pixel screen
        self.brand_gap.changeSize(
            0, line // 4, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
        )
        if self.brand is not None:
            self.brand.setIndent(line)

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            self.fit_to_text()
        super().changeEvent(event)


class FooterFrame(QFrame):
    """The footer; its margins follow the text size (after a change while Companion runs as at
    a start at the new size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "footer")
        QHBoxLayout(self)
        self.fit_to_text()

    def fit_to_text(self) -> None:
        line = self.fontMetrics().height()
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(line, line // 2, line, line // 2)

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            self.fit_to_text()
        super().changeEvent(event)


class Shell(ShellPages):
    """Home is built at unlock; the pages in ``BUILD_ORDER`` follow one per event-loop turn
    once Home is painted (Session first: it offers to resume an unfinished session and holds
    Help); the others are built when first shown. Unlocking so never freezes the window while
    seven pages are built; a page asked for early (a click, F1, a test) is built at once."""

    def __init__(
        self,
        ctx: UiContext,
        audio: AudioFactory,
        *,
        voice_engine: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, audio, voice_engine=voice_engine, parent=parent)
        self.setAccessibleName("Companion")

        self.home = HomePage(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        for _name in PAGE_NAMES[1:]:
            self.stack.addWidget(QWidget())  # a placeholder until the page is built

        nav = self._build_nav()
        footer = self._build_footer()

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
        self.stack.currentChanged.connect(self._restyle_current)
        for part in (self.nav_area, self.footer, self.home):  # nothing polished yet: cheap
            self._restyle(part, at_once=True)
        self.show_page(0)

    def _build_nav(self) -> NavFrame:
        """The navigation column: the brand, a button (and Ctrl+number) per page, Lock."""
        nav = NavFrame()
        self.nav = nav
        nav_layout = QVBoxLayout(nav)
        nav.brand = label("Companion", "brand", wrap=False)
        nav_layout.addWidget(nav.brand)
        nav_layout.addItem(nav.brand_gap)
        nav.fit_to_text()  # margins, spacing, gap and indent from the text size
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
        return nav

    def _build_footer(self) -> QFrame:
        """The footer: who to call if unwell, always in view."""
        footer = FooterFrame()
        self.footer = footer
        footer_layout = footer.layout()
        assert footer_layout is not None
        self.help_label: QLabel = label(help_line(None), "emergency")
        self.help_label.setAccessibleName(_("If you feel unwell"))
        # A long sentence (a longer language, 200 % text) wraps: it never widens the window
        self.help_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        footer_layout.addWidget(self.help_label)
        return footer

    def _show_window(self) -> None:
        window = self.window()
        window.showNormal()
        window.raise_()
        window.activateWindow()

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
