"""Tell a screen reader about a message the moment it appears.

Safety cards (a stop-level reading, the PHQ-9 item 9 card, a severe side effect), journey
prompts and the monitor's check-in appear without the person asking for them. A screen reader
only speaks what has focus or what is announced, so ``announce`` does one of two things:

- with Qt 6.8 or later it raises a ``QAccessibleAnnouncementEvent`` (assertive: it interrupts
  whatever was being read) carrying the message;
- with an older Qt it moves keyboard focus to the message itself, so the reader speaks it (not
  to a button such as "I have read this", whose name says nothing about the message).

Every announcement is also reported by the application's ``AnnouncementLog`` (``announced``
signal): what was said and for which widget. Tests listen there; nothing is logged to disk.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel, QWidget

try:  # Qt 6.8+
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # pragma: no cover - the pinned PySide6 has it
    QAccessibleAnnouncementEvent = None  # type: ignore[assignment,misc]

HAS_ANNOUNCEMENT_EVENT = QAccessibleAnnouncementEvent is not None


class AnnouncementLog(QObject):
    """One per application (a child of it): reports each announcement as it is made."""

    announced = Signal(str, QObject)  # the text, the widget it came from

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companion-announcements")


def announcement_log() -> AnnouncementLog:
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("announcements need a running application")
    found = app.findChild(AnnouncementLog, "companion-announcements")
    return found if found is not None else AnnouncementLog(app)


def spoken_text(widget: QWidget) -> str:
    """What a screen reader would say for the widget: its accessible name, else its text."""
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name).strip() if interface is not None else ""
    if not name and isinstance(widget, QLabel):
        name = widget.text().strip()
    return name


def announce(widget: QWidget, text: str = "", *, use_event: bool = HAS_ANNOUNCEMENT_EVENT) -> str:
    """Announces ``text`` (default: what the widget says) for ``widget``; returns the text.

    ``use_event=False`` takes the fallback path (focus on the message) even where the event
    exists; the tests use it to check the fallback on a new Qt.
    """
    message = " ".join((text or spoken_text(widget)).split())
    if not message:
        return ""
    if use_event and QAccessibleAnnouncementEvent is not None:
        event = QAccessibleAnnouncementEvent(widget, message)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)
    else:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        if not widget.accessibleName():
            widget.setAccessibleName(message)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
    announcement_log().announced.emit(message, widget)
    return message
