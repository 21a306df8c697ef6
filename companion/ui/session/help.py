"""Help, at every moment: who to call, the signs that mean emergency care now, what to do
while help comes, and a big "Call my monitor" button.

Opening it lowers the music to a whisper; leaving it brings the music back. It never closes by
itself, and only the "Back to the session" button closes it: Esc opens it, and Enter does
nothing to it (keys pressed in a hurry must not hide it again). Ending the session early is here
too, with a short reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from companion.domain.profile import Profile
from companion.domain.protocol import DEFAULT_MONITOR_CALL_KEY, Emergency
from companion.i18n import N_, _
from companion.ui.widgets.fits_text import fit_to_text
from companion.ui.widgets.input_props import ENTER_NEVER_PRESSES
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import bullet, button, label, link_button, subtitle, title
from companion.ui.widgets.wrap import WrapButton


def contacts(profile: Profile) -> list[tuple[str, str, str]]:
    """(who, name, number) rows, emergency first; empty details are left out."""
    rows = [
        (_("Emergency"), "", profile.emergency_number.strip()),  # the caption says what it is
        (_("Crisis line"), "", profile.crisis_line.strip()),
        (_("Your monitor"), profile.monitor_name.strip(), profile.monitor_phone.strip()),
        (_("Your provider"), profile.provider_name.strip(), profile.provider_contact.strip()),
        (
            _("Emergency contact"),
            profile.emergency_contact_name.strip(),
            profile.emergency_contact_phone.strip(),
        ),
    ]
    return [row for row in rows if row[2]]


WHILE_WAITING_HEADING = N_("While you wait for help")
SEVERE_EFFECT_TITLE = N_("Please get help now")
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
BACK_TO_UNLOCK = N_("Back to unlock")
LOCKED_NOTE = N_(
    "Your monitor's and your provider's numbers show here once Companion is unlocked. "
    "If you cannot unlock it now and feel unwell, call the emergency number."
)


def severe_effect_message(names: str, numbers: str) -> str:
    """The card shown when a side effect is rated severe. ``names``: the effects, lower case;
    ``numbers``: "who: number" pairs from the profile (may be empty)."""
    text = _(
        "You said this is very bad: {effects}. This can be serious. If you feel very unwell, "
        "call your emergency number now. If not, call your provider now and tell them."
    ).format(effects=names)
    return f"{text} {numbers}".strip()


def call_button_text(key: str = DEFAULT_MONITOR_CALL_KEY) -> str:
    return _("Call my monitor  ({key})").format(key=key)


def call_monitor_button(key: str = DEFAULT_MONITOR_CALL_KEY) -> WrapButton:
    """The big "Call my monitor" button (Help connects it itself; the journey's is in
    ``call_monitor``). Kept here, away from the audio, so Help loads fast on the unlock screen."""
    widget = button(
        call_button_text(key),
        role="help",
        accessible_name=_("Call my monitor"),
        description=_(
            "Shortcut: {key}. Plays a loud sound and shows a message for your monitor."
        ).format(key=key),
    )
    fit_to_text(widget, lambda line: widget.setMinimumHeight(line * 3))
    return widget


class ExplicitButton(WrapButton):
    """A button that Enter never presses: only a click, or Space while it has focus."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setProperty(ENTER_NEVER_PRESSES, True)  # the app-wide Enter rule skips it too

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            event.accept()
            return
        super().keyPressEvent(event)


class HelpView(ScrollPage):
    closed = Signal()
    abort_requested = Signal(str)
    call_monitor_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, locked: bool = False) -> None:
        """``locked``: Help on the unlock screen. Only the public numbers kept in the
        preferences are known there (the monitor's and provider's are in the vault), and there
        is no session to go back to or monitor alarm to sound."""
        super().__init__(parent=parent)
        col = self.column
        # Who to call comes first, so the numbers show without scrolling (1366x768 at 200 %).
        col.addWidget(title(_("Help: who to call")))
        self.contact_grid = QGridLayout()
        self.contact_grid.setHorizontalSpacing(self.fontMetrics().height() * 2)
        self.contact_grid.setColumnStretch(1, 1)
        col.addLayout(self.contact_grid)
        self.locked_note: QLabel = label(_(LOCKED_NOTE), "muted")
        self.locked_note.setVisible(locked)
        col.addWidget(self.locked_note)
        self.music_note: QLabel = label(_("The music is turned down to a whisper."), "muted")
        col.addWidget(self.music_note)
        self.call_button: QPushButton = call_monitor_button()
        self.call_button.clicked.connect(self.call_monitor_requested)
        col.addWidget(self.call_button)
        self._build_back_row(locked)
        self._build_end_reason()
        self._build_signs()
        col.addStretch(1)
        self.allow_abort(False)
        if locked:
            self.music_note.hide()
            self.call_button.hide()

    def _build_back_row(self, locked: bool) -> None:
        col = self.column
        back = _(BACK_TO_UNLOCK) if locked else _("Back to the session")
        self.back_button: QPushButton = ExplicitButton(back)
        self.back_button.setAccessibleName(back)
        self.back_button.setProperty("role", "primary")
        self.back_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.closed)
        self.end_button: QPushButton = link_button(
            _("End the session early…"), accessible_name=_("End the session early")
        )
        self.end_button.clicked.connect(self._ask_reason)
        col.addLayout(button_row(self.back_button, leading=(self.end_button,)))

    def _build_end_reason(self) -> None:
        col = self.column
        self.reason = QLineEdit()
        self.reason.setAccessibleName(_("Why are you ending the session?"))
        self.reason.setPlaceholderText(_("A few words, for example: felt unwell"))
        self.reason.setMaxLength(300)
        self.reason_caption: QLabel = label(
            _("Why are you ending the session? A few words are enough.")
        )
        self.reason_caption.setBuddy(self.reason)
        self.confirm_end: QPushButton = button(
            _("End the session"), accessible_name=_("End the session now")
        )
        self.confirm_end.clicked.connect(self._confirm_abort)
        self.reason.returnPressed.connect(self._confirm_abort)
        for widget in (self.reason_caption, self.reason):
            widget.hide()
            col.addWidget(widget)
        self.confirm_end.hide()
        col.addLayout(button_row(self.confirm_end))

    def _build_signs(self) -> None:
        col = self.column
        self.signs_heading: QLabel = subtitle(_("Call your emergency number now if you notice"))
        col.addWidget(self.signs_heading)
        self.signs = QFrame()
        self.signs.setProperty("role", "stop-card")
        self._signs_layout = QGridLayout(self.signs)
        fit_to_text(self, lambda h: self._signs_layout.setContentsMargins(h, h, h, h))
        col.addWidget(self.signs)
        self.waiting_heading: QLabel = subtitle(_(WHILE_WAITING_HEADING))
        col.addWidget(self.waiting_heading)
        self.waiting = QFrame()
        self._waiting_layout = QGridLayout(self.waiting)
        self._waiting_layout.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.waiting)

    def show_content(self, profile: Profile | None, emergency: Emergency | None) -> None:
        _clear_layout(self._signs_layout)
        _clear_layout(self._waiting_layout)
        key = emergency.monitor_call_key if emergency is not None else DEFAULT_MONITOR_CALL_KEY
        self.call_button.setText(call_button_text(key))
        self.call_button.setAccessibleDescription(
            _("Shortcut: {key}. Plays a loud sound and shows a message for your monitor.").format(
                key=key
            )
        )
        steps = emergency.while_waiting if emergency is not None else ()
        self.waiting_heading.setVisible(bool(steps))
        self.waiting.setVisible(bool(steps))
        for row, step in enumerate(steps):
            self._waiting_layout.addWidget(bullet(step.text), row, 0)
        if emergency is not None:
            self.signs_heading.setText(emergency.intro)
            for row, sign in enumerate(emergency.signs):
                self._signs_layout.addWidget(bullet(sign.text), row, 0)
        grid = self.contact_grid
        _clear_layout(grid)
        rows = contacts(profile) if profile is not None else []
        if not rows:
            rows = [(_("Emergency"), _("Your local emergency number"), _("for example 911"))]
        for row, (who, name, number) in enumerate(rows):
            caption = label(who, "muted", wrap=False)
            value = label(f"{name}  {number}".strip(), "figure", wrap=True)
            value.setAccessibleName(f"{who}: {name}, {number}" if name else f"{who}: {number}")
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)

    def allow_abort(self, allowed: bool, rehearsal: bool = False) -> None:
        self.end_button.setVisible(allowed)
        self.end_button.setText(
            _("End the rehearsal…") if rehearsal else _("End the session early…")
        )
        if not allowed:
            self._hide_reason()

    def set_music_note(self, playing: bool) -> None:
        self.music_note.setVisible(playing)

    def _ask_reason(self) -> None:
        for widget in (self.reason_caption, self.reason, self.confirm_end):
            widget.show()
        self.reason.setFocus()

    def _hide_reason(self) -> None:
        for widget in (self.reason_caption, self.reason, self.confirm_end):
            widget.hide()
        self.reason.clear()

    def _confirm_abort(self) -> None:
        text = self.reason.text().strip() or _("Ended from Help")
        self._hide_reason()
        self.abort_requested.emit(text)


def _clear_layout(layout: QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
