"""Settings: appearance, locking, the profile, sessions (protocol, music) and the passphrase.
Changes apply at once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from companion.i18n import N_, _, n_
from companion.settings import AUTOLOCK_MINUTES, LOCK_ON_SCREEN_LOCK, TEXT_SCALE, THEME
from companion.ui.context import UiContext
from companion.ui.pages.settings_data import DataSection
from companion.ui.pages.settings_language import LanguageSection
from companion.ui.pages.settings_passphrase import PassphraseSection
from companion.ui.pages.settings_profile import ProfileSection
from companion.ui.pages.settings_protocol import ProtocolSection
from companion.ui.pages.settings_session import MusicSection
from companion.ui.session.audio import AudioFactory
from companion.ui.tasks import Change, Changed
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import label, title
from companion.ui.widgets.wrap import WrapCheckBox

THEME_CHOICES = ((N_("Calm dark"), "dark"), (N_("Light"), "light"))
AUTOLOCK_PRESETS = (1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240)
SAVED = N_("Saved.")
SCREEN_LOCK = N_("Lock when the screen locks")
SCREEN_LOCK_UNAVAILABLE = N_(
    "Companion cannot notice the screen lock on this computer, so this is off. "
    "Lock it yourself with Ctrl+L or the Lock button."
)


def minutes_text(minutes: int) -> str:
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return n_("{n} hour", "{n} hours", hours)
    return n_("{n} minute", "{n} minutes", minutes)


class AppearanceSection(Card):
    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Appearance"), _("Changes apply straight away."), parent)
        self._settings = ctx.settings
        self.theme = QComboBox()
        for text, value in THEME_CHOICES:
            self.theme.addItem(_(text), value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self._settings.get(THEME))))
        self.body.addWidget(FormField(_("Theme"), self.theme))
        self.text_size = QComboBox()
        for percent in TEXT_SCALE.choices:
            self.text_size.addItem(f"{percent} %", percent)
        self.text_size.setCurrentIndex(
            max(0, self.text_size.findData(self._settings.get(TEXT_SCALE)))
        )
        self.body.addWidget(FormField(_("Text size"), self.text_size))
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self.theme.currentIndexChanged.connect(self._save)
        self.text_size.currentIndexChanged.connect(self._save)

    def _save(self) -> None:
        self._settings.set(THEME, str(self.theme.currentData()))
        self._settings.set(TEXT_SCALE, int(self.text_size.currentData()))
        self.status.setText(_(SAVED))
        self.status.show()
        self.changed.emit()


class LockingSection(Card):
    autolock_changed = Signal(int)
    screen_lock_changed = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Locking"),
            _(
                "Companion locks itself when you step away, but never during a session. "
                "You can also lock it any time with Ctrl+L."
            ),
            parent,
        )
        self._settings = ctx.settings
        self.delay = QComboBox()
        current = self._settings.get(AUTOLOCK_MINUTES)
        presets = sorted({*AUTOLOCK_PRESETS, current})
        for minutes in presets:
            self.delay.addItem(minutes_text(minutes), minutes)
        self.delay.setCurrentIndex(self.delay.findData(current))
        self.body.addWidget(
            FormField(
                _("Lock after this long without activity"),
                self.delay,
                accessible_name=_("Auto-lock delay"),
            )
        )
        self.screen_lock = WrapCheckBox(_(SCREEN_LOCK))
        self.screen_lock.setAccessibleName(_(SCREEN_LOCK))
        self.screen_lock.setAccessibleDescription(
            _("Where the system lets Companion notice it. Ctrl+L always works.")
        )
        self.screen_lock.setChecked(self._settings.get(LOCK_ON_SCREEN_LOCK))
        self.body.addWidget(self.screen_lock)
        self.screen_lock_note: QLabel = label(_(SCREEN_LOCK_UNAVAILABLE), "muted")
        self.screen_lock_note.hide()
        self.body.addWidget(self.screen_lock_note)
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self.delay.currentIndexChanged.connect(self._save_delay)
        self.screen_lock.toggled.connect(self._save_screen_lock)

    def set_detection_available(self, available: bool | None) -> None:
        """Greys the box out, unticked, with the reason, where no screen lock can be noticed
        (None: not known yet). The saved choice is kept for a computer where it works."""
        unavailable = available is False
        self.screen_lock.blockSignals(True)
        self.screen_lock.setChecked(
            False if unavailable else self._settings.get(LOCK_ON_SCREEN_LOCK)
        )
        self.screen_lock.blockSignals(False)
        self.screen_lock.setEnabled(not unavailable)
        self.screen_lock.setAccessibleDescription(
            _(SCREEN_LOCK_UNAVAILABLE)
            if unavailable
            else _("Where the system lets Companion notice it. Ctrl+L always works.")
        )
        self.screen_lock_note.setVisible(unavailable)

    def _save_delay(self) -> None:
        minutes = int(self.delay.currentData())
        self._settings.set(AUTOLOCK_MINUTES, minutes)
        self.status.setText(_(SAVED))
        self.status.show()
        self.autolock_changed.emit(minutes)

    def _save_screen_lock(self, checked: bool) -> None:
        self._settings.set(LOCK_ON_SCREEN_LOCK, checked)
        self.status.setText(_(SAVED))
        self.status.show()
        self.screen_lock_changed.emit(checked)


class SettingsPage(ScrollPage):
    def __init__(self, ctx: UiContext, audio: AudioFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        col = self.column
        col.addWidget(title(_("Settings")))
        self.language = LanguageSection(ctx)
        self.appearance = AppearanceSection(ctx)
        self.locking = LockingSection(ctx)
        self.profile = ProfileSection(ctx)
        self.music = MusicSection(ctx, audio)
        self.protocol = ProtocolSection(ctx)
        self.passphrase = PassphraseSection(ctx)
        self.data = DataSection(ctx)
        for section in (
            self.language,
            self.appearance,
            self.locking,
            self.profile,
            self.music,
            self.protocol,
            self.passphrase,
            self.data,
        ):
            col.addWidget(section)
        col.addStretch(1)
        ctx.tasks.changed.connect(self._on_changed)

    def load(self) -> None:
        self.protocol.load()
        self.data.load()

    def _on_changed(self, changed: Changed) -> None:
        """An import or a restore brought a protocol, a provider key or backups; the profile
        form is filled by the shell, which reloads the profile for every page."""
        if changed.came_from(self):
            return
        if changed.touches(Change.PROTOCOL):
            self.protocol.load()
        if changed.touches(Change.SHARING, Change.BACKUPS):
            self.data.load()

    def clear(self) -> None:
        self.music.stop_preview()
        self.profile.clear()
        self.passphrase.clear()
        self.data.clear()
