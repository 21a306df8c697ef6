"""The one application-wide event filter, and what it hands events to.

Every event of the application passes through an application event filter: a restyle (a text
size or theme change) sends a font, style, layout and polish event to each of hundreds of
widgets, tens of thousands in all. A Python filter costs each of them a call into Python (the
event and the widget wrapped, ~1-3 us); with three such filters (help keys, auto-lock, input
rules) a restyle took about twice as long as with none. So only this one filter is installed on
the application, and it hands on only the types of event its handlers asked for (key presses,
clicks, wheel, focus in, polish); the flood of a restyle stops here after a class check.

Handlers are asked in the order Qt would have asked them as filters of their own: the one added
last first; the first that returns True takes the event. A handler whose Qt object is gone is
dropped (Qt drops a deleted filter the same way).
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QFocusEvent, QInputEvent

PLAIN_TYPES = frozenset({QEvent.Type.Polish})  # the types handed on that come as a plain QEvent


class AppEvents(QObject):
    """Installed once on the application (``app_events``)."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._handlers: list[tuple[QObject, frozenset[QEvent.Type]]] = []  # the newest first
        self._wanted: frozenset[QEvent.Type] = frozenset()
        self._plain = False  # a plain QEvent (Polish) is wanted: its type is read then

    def add(self, handler: QObject, wants: Iterable[QEvent.Type]) -> None:
        self.discard(handler)
        self._handlers.insert(0, (handler, frozenset(wants)))
        self._update()

    def discard(self, handler: QObject) -> None:
        self._handlers = [(h, w) for h, w in self._handlers if h is not handler]
        self._update()

    def _update(self) -> None:
        self._wanted = frozenset().union(*(w for _h, w in self._handlers))
        self._plain = bool(self._wanted & PLAIN_TYPES)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The cheap test first: most events are of none of these classes (no type read).
        if not isinstance(event, QInputEvent | QFocusEvent) and not (
            self._plain and type(event) is QEvent
        ):
            return False
        kind = event.type()
        if kind not in self._wanted:
            return False
        for handler, wants in list(self._handlers):
            if not shiboken6.isValid(handler):
                self.discard(handler)
            elif kind in wants and handler.eventFilter(watched, event):
                return True
        return False


def app_events() -> AppEvents | None:
    """The application's one event filter (installed the first time it is asked for); None
    when there is no application."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    found = app.findChild(AppEvents)
    if found is None:
        found = AppEvents(app)
        app.installEventFilter(found)
    return found
