"""The unlock screen: the passphrase, or "forgot it" with the recovery key and a new passphrase.

Help is reachable here too, before anything is unlocked: F1 or Esc, or the Help button, open
the same Help the session uses, with the emergency signs and what to do, and the emergency and
crisis numbers kept in the preferences (public numbers). Nothing in it needs the vault.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QWidget

from companion.errors import CompanionError, WrongPassphraseError
from companion.i18n import N_, _
from companion.settings import CRISIS_LINE, EMERGENCY_NUMBER, Settings
from companion.ui.context import UiContext
from companion.ui.first_frame import after_first_frame
from companion.ui.help_keys import HelpKeys, is_help_key
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.text import button, label, link_button, primary_button, title

if TYPE_CHECKING:
    from companion.domain.profile import Profile
    from companion.domain.protocol import Emergency
    from companion.ui.recovery import RecoveryForm
    from companion.ui.session.help import HelpView

log = logging.getLogger(__name__)

INTRO = N_("Your notes are locked. Enter your passphrase to open them.")
EMPTY = N_("Type your passphrase first, then choose Unlock.")


class UnlockForm(ScrollPage):
    unlocked = Signal()
    forgot_clicked = Signal()
    help_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(characters=58, parent=parent)
        self._ctx = ctx
        col = self.column
        col.addStretch(1)
        col.addWidget(label("Companion", "brand"))
        col.addWidget(title(_("Welcome back")))
        col.addWidget(label(_(INTRO)))
        # Set by the window when the journal's last words could not be kept before the lock.
        self.note: QLabel = label("", "note")
        self.note.setAccessibleName(_("About your last words"))
        self.note.hide()
        col.addWidget(self.note)
        self.passphrase = PassphraseField(_("Passphrase"))
        col.addWidget(FormField(_("Passphrase"), self.passphrase))
        self.passphrase.edit.setAccessibleName(_("Passphrase"))
        self.error: QLabel = label("", "error")
        self.error.setAccessibleName(_("Unlock problem"))
        self.error.hide()
        col.addWidget(self.error)
        self.busy = BusyIndicator()
        col.addWidget(self.busy)
        self.unlock_button: QPushButton = primary_button(_("Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        self.forgot_button: QPushButton = link_button(
            _("Forgot your passphrase?"),
            description=_("Open Companion with your recovery key and choose a new passphrase."),
        )
        self.forgot_button.clicked.connect(self.forgot_clicked)
        col.addLayout(button_row(self.unlock_button, leading=(self.forgot_button,)))
        # Who to call, readable before unlocking (kept in the preferences: public numbers).
        self.numbers: QLabel = label(numbers_line(ctx.settings), "emergency")
        self.numbers.setAccessibleName(_("If you feel unwell"))
        self.numbers.setVisible(bool(self.numbers.text()))
        col.addWidget(self.numbers)
        self.help_button: QPushButton = button(
            _("Help  (F1)"),
            role="help",
            accessible_name=_("Help"),
            description=_(
                "Shortcut: F1 or Esc. Shows the signs that need emergency care and "
                "who to call. Works without unlocking."
            ),
        )
        self.help_button.setAutoDefault(False)  # Enter in the passphrase field unlocks
        self.help_button.clicked.connect(self.help_requested)
        col.addLayout(button_row(leading=(self.help_button,)))
        col.addStretch(2)
        self.passphrase.return_pressed.connect(self.unlock)
        self.setFocusProxy(self.passphrase)

    def unlock(self) -> None:
        passphrase = self.passphrase.text()
        if self.busy.running:
            return
        if not passphrase:
            self._show_error(_(EMPTY))
            self.passphrase.setFocus()
            return
        self.error.hide()
        self._set_busy(True)
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.vault.unlock(passphrase),
            receiver=self,
            on_result=self._on_unlocked,
            on_error=self._on_error,
        )

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start(_("Unlocking… this takes about a second."))
        else:
            self.busy.stop()
        self.passphrase.setReadOnly(busy)
        self.forgot_button.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _on_unlocked(self, _result: object) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.unlocked.emit()

    def _on_error(self, error: CompanionError) -> None:
        self._set_busy(False)
        self._show_error(str(error))
        if isinstance(error, WrongPassphraseError):
            self.passphrase.clear()
        self.passphrase.setFocus()

    def clear(self) -> None:
        self.passphrase.clear()
        self.error.hide()


class UnlockScreen(QStackedWidget):
    unlocked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Unlock"))
        self._ctx = ctx
        self.form = UnlockForm(ctx)
        self._recovery: RecoveryForm | None = None  # built when first needed: faster start-up
        self._help: HelpView | None = None  # built when first opened, like the recovery form
        self._under_help: QWidget | None = None
        self.addWidget(self.form)
        self.form.unlocked.connect(self.unlocked)
        self.form.forgot_clicked.connect(self.show_recovery)
        self.form.help_requested.connect(self.open_help)
        # Application-wide once this screen is painted (an application-wide filter before the
        # first frame costs start-up ~20 ms: see ``ui.first_frame``); until then, keyPressEvent.
        self.help_keys = HelpKeys(self.open_help, self.isVisible, self)
        after_first_frame(self, self.help_keys.install)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F1 or Esc that no widget of this screen took, before the Help keys' filter is in."""
        if is_help_key(event):
            self.open_help()
            return
        super().keyPressEvent(event)

    # --- Help, before unlocking ---------------------------------------------------------------
    @property
    def help_view(self) -> HelpView:
        if self._help is None:
            from companion.ui.session.help import HelpView

            self._help = HelpView(locked=True)
            self._help.closed.connect(self.close_help)
            self.addWidget(self._help)
        return self._help

    @property
    def showing_help(self) -> bool:
        return self._help is not None and self.currentWidget() is self._help

    def open_help(self) -> None:
        """F1, Esc or the Help button: who to call and the emergency signs, vault or not."""
        view = self.help_view
        if not self.showing_help:
            self._under_help = self.currentWidget()
            view.show_content(self._public_profile(), _companion_emergency())
            self.setCurrentWidget(view)
        view.back_button.setFocus()
        view.verticalScrollBar().setValue(0)
        QTimer.singleShot(0, view, lambda: view.verticalScrollBar().setValue(0))

    def close_help(self) -> None:
        if not self.showing_help:
            return
        target = self._under_help if self._under_help is not None else self.form
        self._under_help = None
        self.setCurrentWidget(target)
        target.setFocus()

    def _public_profile(self) -> Profile:
        """Only the public numbers kept in the preferences; everything else is in the vault."""
        from companion.domain.profile import Profile

        settings = self._ctx.settings
        return Profile(
            emergency_number=settings.get(EMERGENCY_NUMBER), crisis_line=settings.get(CRISIS_LINE)
        )

    @property
    def recovery(self) -> RecoveryForm:
        if self._recovery is None:
            from companion.ui import recovery

            self._recovery = recovery.RecoveryForm(self._ctx)
            self.addWidget(self._recovery)
            self._recovery.unlocked.connect(self.unlocked)
            self._recovery.back_clicked.connect(self.show_passphrase)
        return self._recovery

    def show_recovery(self) -> None:
        self.form.clear()
        self.setCurrentWidget(self.recovery)
        self.recovery.setFocus()

    def show_passphrase(self) -> None:
        if self._recovery is not None:
            self._recovery.clear()
        self.setCurrentWidget(self.form)
        self.form.setFocus()

    def clear(self) -> None:
        self.form.clear()
        if self._recovery is not None:
            self._recovery.clear()


def _companion_emergency() -> Emergency | None:
    """Companion's own emergency signs and steps: every protocol has them (a clinic's file may
    only add to them), so they are right before the vault says which protocol is in use."""
    from companion.domain.protocol import ProtocolError
    from companion.services.protocol_files import core_emergency

    try:
        return core_emergency()
    except (ProtocolError, OSError) as exc:  # a damaged install: the numbers still show
        log.error(f"unlock.help_signs_unreadable.{type(exc).__name__}")
        return None


def numbers_line(settings: Settings) -> str:
    """Who to call, from the preferences: "" when nothing is known yet. Here rather than with
    the first run's number fields, whose module (a country table, combo boxes) the first frame
    does not need (issue 16)."""
    emergency = settings.get(EMERGENCY_NUMBER).strip()
    crisis = settings.get(CRISIS_LINE).strip()
    if not emergency:
        return ""
    if crisis:
        return _(
            "In an emergency, call {emergency}. To talk to someone now, call {crisis}."
        ).format(emergency=emergency, crisis=crisis)
    return _("In an emergency, call {emergency}.").format(emergency=emergency)
