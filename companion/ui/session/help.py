"""Help, at every moment: who to call, and the signs that mean emergency care now.

Opening it lowers the music to a whisper; leaving it brings the music back. It never closes by
itself and Esc never closes it (Esc opens it: a key pressed in a hurry must not hide it again).
Ending the session early is here too, with a short reason.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from companion.domain.profile import Profile
from companion.domain.protocol import Emergency
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import (
    bullet,
    button,
    label,
    link_button,
    primary_button,
    subtitle,
    title,
)


def contacts(profile: Profile) -> list[tuple[str, str, str]]:
    """(who, name, number) rows, emergency first; empty details are left out."""
    rows = [
        ("Emergency", "", profile.emergency_number.strip()),  # the caption says what it is
        ("Crisis line", "", profile.crisis_line.strip()),
        ("Your monitor", profile.monitor_name.strip(), profile.monitor_phone.strip()),
        ("Your provider", profile.provider_name.strip(), profile.provider_contact.strip()),
        (
            "Emergency contact",
            profile.emergency_contact_name.strip(),
            profile.emergency_contact_phone.strip(),
        ),
    ]
    return [row for row in rows if row[2]]


class HelpView(ScrollPage):
    closed = Signal()
    abort_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        col = self.column
        # Who to call comes first, so the numbers show without scrolling (1366x768 at 200 %).
        col.addWidget(title("Help: who to call"))
        self.contact_grid = QGridLayout()
        self.contact_grid.setHorizontalSpacing(self.fontMetrics().height() * 2)
        self.contact_grid.setColumnStretch(1, 1)
        col.addLayout(self.contact_grid)
        self.music_note: QLabel = label("The music is turned down to a whisper.", "muted")
        col.addWidget(self.music_note)
        self.back_button: QPushButton = primary_button(
            "Back to the session", accessible_name="Back to the session"
        )
        self.back_button.clicked.connect(self.closed)
        self.end_button: QPushButton = link_button(
            "End the session early…", accessible_name="End the session early"
        )
        self.end_button.clicked.connect(self._ask_reason)
        col.addLayout(button_row(self.back_button, leading=(self.end_button,)))
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Why are you ending the session?")
        self.reason.setPlaceholderText("A few words, for example: felt unwell")
        self.reason.setMaxLength(300)
        self.reason_caption: QLabel = label(
            "Why are you ending the session? A few words are enough."
        )
        self.reason_caption.setBuddy(self.reason)
        self.confirm_end: QPushButton = button(
            "End the session", accessible_name="End the session now"
        )
        self.confirm_end.clicked.connect(self._confirm_abort)
        self.reason.returnPressed.connect(self._confirm_abort)
        for widget in (self.reason_caption, self.reason):
            widget.hide()
            col.addWidget(widget)
        self.confirm_end.hide()
        col.addLayout(button_row(self.confirm_end))
        line = self.fontMetrics().height()
        self.signs_heading: QLabel = subtitle("Call your emergency number now if you notice")
        col.addWidget(self.signs_heading)
        self.signs = QFrame()
        self.signs.setProperty("role", "stop-card")
        self._signs_layout = QGridLayout(self.signs)
        self._signs_layout.setContentsMargins(line, line, line, line)
        col.addWidget(self.signs)
        col.addStretch(1)
        self.allow_abort(False)

    def show_content(self, profile: Profile | None, emergency: Emergency | None) -> None:
        _clear_layout(self._signs_layout)
        if emergency is not None:
            self.signs_heading.setText(emergency.intro)
            for row, sign in enumerate(emergency.signs):
                self._signs_layout.addWidget(bullet(sign.text), row, 0)
        grid = self.contact_grid
        _clear_layout(grid)
        rows = contacts(profile) if profile is not None else []
        if not rows:
            rows = [("Emergency", "Your local emergency number", "for example 911")]
        for row, (who, name, number) in enumerate(rows):
            caption = label(who, "muted", wrap=False)
            value = label(f"{name}  {number}".strip(), "figure", wrap=True)
            value.setAccessibleName(f"{who}: {name}, {number}" if name else f"{who}: {number}")
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)

    def allow_abort(self, allowed: bool, rehearsal: bool = False) -> None:
        self.end_button.setVisible(allowed)
        self.end_button.setText("End the rehearsal…" if rehearsal else "End the session early…")
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
        text = self.reason.text().strip() or "Ended from Help"
        self._hide_reason()
        self.abort_requested.emit(text)


def _clear_layout(layout: QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
