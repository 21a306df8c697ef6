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

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.profile import Profile
from companion.ui.context import UiContext
from companion.ui.export.page import ExportPage
from companion.ui.first_run.numbers import remember_numbers
from companion.ui.help_keys import HelpKeys
from companion.ui.inhibit import ScreenSaverInhibitor
from companion.ui.pages.home import HomePage
from companion.ui.pages.settings import SettingsPage
from companion.ui.reflections.wiring import ReviewPages
from companion.ui.session.audio import AudioFactory
from companion.ui.session.page import SessionPage
from companion.ui.session.tray import ReminderTray
from companion.ui.widgets.page import SideColumn
from companion.ui.widgets.text import button, char_width, label

PAGE_NAMES = ("Home", "Session", "Journal", "Reflections", "Insights", "Export", "Settings")
SESSION_PAGE = 1
LOCK_SHORTCUT = "Ctrl+L"


def help_line(profile: Profile | None) -> str:
    if profile is None or not profile.emergency_number.strip():
        return "If you feel unwell: call your local emergency number (for example 911)."
    text = f"If you feel unwell: call {profile.emergency_number.strip()} for emergency help"
    if profile.crisis_line.strip():
        text += f", or {profile.crisis_line.strip()} to talk to someone now"
    return text + "."


class NavFrame(QFrame):
    """The navigation column; its width follows the text size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "nav")
        self.setAccessibleName("Navigation")
        self._update_width()

    def _update_width(self) -> None:
        self.setMinimumWidth(char_width(self) * 22)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._update_width()
        super().changeEvent(event)


class Shell(QWidget):
    lock_requested = Signal()

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
        self.setAccessibleName("Companion")

        self.home = HomePage(ctx)
        self.settings_page = SettingsPage(ctx, audio)
        self.session_page = SessionPage(ctx, audio, voice_engine=voice_engine)
        # Journal, Reflections and Insights (and their wiring): companion/ui/reflections/wiring.py
        self.export_page = ExportPage(ctx)
        self.review = ReviewPages(ctx, lambda page: self.show_page(self.pages.index(page)), self)
        self.pages: list[QWidget] = [
            self.home,
            self.session_page,
            *self.review.pages,
            self.export_page,
            self.settings_page,
        ]
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)

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
                name, role="nav", accessible_name=name, description=f"Shortcut: {shortcut}"
            )
            nav_button.setCheckable(True)
            nav_button.setAutoDefault(False)
            nav_button.setToolTip(f"{name} ({shortcut})")
            self.nav_group.addButton(nav_button, index)
            self.nav_buttons.append(nav_button)
            nav_layout.addWidget(nav_button)
            self.nav_shortcuts.append(
                QShortcut(QKeySequence(shortcut), self, lambda i=index: self.show_page(i))
            )
        nav_layout.addStretch(1)
        self.lock_button: QPushButton = button(
            "Lock", accessible_name="Lock Companion", description=f"Shortcut: {LOCK_SHORTCUT}"
        )
        self.lock_button.setToolTip(f"Lock Companion now ({LOCK_SHORTCUT})")
        self.lock_button.setAutoDefault(False)
        self.lock_button.clicked.connect(self.lock_requested)
        nav_layout.addWidget(self.lock_button)
        self.lock_shortcut = QShortcut(QKeySequence(LOCK_SHORTCUT), self, self.lock_requested.emit)
        self.help_keys = HelpKeys(self.open_help, self.isVisible, self)
        self.help_keys.install()
        self.inhibitor = ScreenSaverInhibitor(parent=self)  # no screen saver during a session
        self.nav_group.idClicked.connect(self.show_page)
        self.settings_page.profile.saved.connect(self._on_profile)

        footer = QFrame()
        self.footer = footer
        footer.setProperty("role", "footer")
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(line, line // 2, line, line // 2)
        self.help_label: QLabel = label(help_line(None), "emergency")
        self.help_label.setAccessibleName("If you feel unwell")
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
        self.home.plan_changed.connect(self.session_page.refresh_plan)
        self.tray.show_requested.connect(self._show_window)
        self.session_page.immersive_changed.connect(self.set_immersive)
        self.session_page.resume_offered.connect(lambda: self.show_page(SESSION_PAGE))
        self.session_page.running_changed.connect(self._on_session_running)
        self.settings_page.protocol.changed.connect(lambda _p: self.session_page.load())
        self.settings_page.music.volume_changed.connect(self.session_page.set_user_volume)
        self.session_page.reflection_requested.connect(self.review.open_reflection)
        self.settings_page.appearance.changed.connect(self.review.apply_style)
        self.settings_page.appearance.changed.connect(self.export_page.apply_style)
        self.settings_page.data.data_changed.connect(self.review.load)
        self.settings_page.data.data_changed.connect(self.home.refresh)
        self.settings_page.data.lock_requested.connect(self.lock_requested)
        self.review.attach_nav(self.nav_buttons[PAGE_NAMES.index("Journal")])
        self.show_page(0)

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
            "Locking waits until the session is over."
            if running
            else f"Lock Companion now ({LOCK_SHORTCUT})"
        )
        self.settings_page.data.set_session_running(running)
        if not running:
            self.home.refresh()

    def _show_window(self) -> None:
        window = self.window()
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def show_page(self, index: int) -> None:
        focus_in_nav = any(button.hasFocus() for button in self.nav_buttons)
        self.stack.setCurrentIndex(index)
        self.nav_buttons[index].setChecked(True)
        if focus_in_nav:  # keep the focus ring on the page that is shown (Ctrl+1..6)
            self.nav_buttons[index].setFocus()
        if self.pages[index] is self.home:
            self.home.refresh()

    def focus_current_nav(self) -> None:
        self.nav_buttons[self.stack.currentIndex()].setFocus()

    def flush_private_work(self) -> Future[Any] | None:
        """Before any lock or quit: what is being typed goes into the draft now (the worker runs
        it before the lock that follows, so a draft is never lost to an idle lock)."""
        return self.review.flush_drafts()

    def load(self) -> None:
        """Fetches what the pages show once the vault is unlocked."""
        self.session_page.load()
        self.settings_page.load()
        self.review.load()
        self.tray.start()
        ctx = self._ctx
        ctx.tasks.run(
            lambda: ctx.services.profile.load(),
            receiver=self,
            on_result=self._on_profile_loaded,
            on_error=lambda error: self.home.show_error(str(error)),
        )

    def _on_profile_loaded(self, profile: Profile) -> None:
        self.settings_page.profile.show_loaded(profile)
        self._on_profile(profile)

    def _on_profile(self, profile: Profile) -> None:
        remember_numbers(self._ctx.settings, profile.emergency_number, profile.crisis_line)
        self.help_label.setText(help_line(profile))
        self.home.show_profile(profile)
        self.session_page.show_profile(profile)

    def clear(self) -> None:
        self.inhibitor.release()
        self.tray.stop()
        self.session_page.clear()
        self.home.clear()
        self.settings_page.clear()
        self.review.clear()
        self.export_page.clear()
        self.help_label.setText(help_line(None))
