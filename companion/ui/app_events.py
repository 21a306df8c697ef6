"""The application's input, seen where it arrives: at its top-level windows, not at every widget.

Help keys, auto-lock and the input rules need the key presses, clicks, wheel turns and pointer
moves of the whole application. An application event filter would see them, but Qt calls it
for every event of every object: a session turn that builds or shows a view sends thousands
(child, polish, layout, move, resize and paint events), and a Python filter costs each a call
into Python and a wrapper for its object. Those calls were a large part of the session's longest
stalls (issue 16). Input from the window system reaches a top-level window (its ``QWindow``)
first, and the window hands it to the widget it is for; so this one filter watches the windows
only (a handful of events a frame besides the input), and hands each input event on with the
widget it is for: the focus widget for a key, the widget under the pointer for a click or a
wheel turn.

Windows are watched as they come: every top-level window already made when this starts, and
again whenever the focused window or widget changes (a dialog gets the focus when it shows, a
drop-down's list when it opens), a watched window is blocked by a modal one, or the pointer
leaves a watched window.

Handlers are asked in the order Qt would have asked them as filters of their own: the one added
last first; the first that returns True takes the event (the widget never sees it). A handler
whose Qt object is gone is dropped (Qt drops a deleted filter the same way).
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QGuiApplication, QInputEvent, QSinglePointEvent, QWindow
from PySide6.QtWidgets import QApplication, QWidget

_WATCHED = "companion_input_watched"  # a window's property
_ANOTHER_WINDOW = frozenset(  # a watched window's events that may mean another window came
    {QEvent.Type.WindowBlocked, QEvent.Type.Leave}
)
POINTED = frozenset(  # input handed on with the widget under the pointer
    {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel}
)


def window_widget(window: QWindow) -> QWidget | None:
    """The top-level widget ``window`` shows (None for a window that is not a widget's); asked
    only of a window input arrived at, so its native window is made already."""
    return QWidget.find(window.winId())


def target_of(window: QWindow, event: QEvent) -> QObject:
    """The widget ``event`` (arriving at ``window``) is for, as Qt will deliver it: a key goes
    to the open popup's focus, else the window's focus; a click or a wheel turn to the widget
    under the pointer. The window itself for other input (a pointer move, a touch), or when
    there is no widget."""
    kind = event.type()
    if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup.focusWidget() or popup
        return window.focusObject() or window
    if kind not in POINTED or not isinstance(event, QSinglePointEvent):
        return window  # a pointer move or a touch: who gets it is not asked (auto-lock)
    root = window_widget(window)
    if root is None:
        return window
    return root.childAt(event.position().toPoint()) or root


class AppEvents(QObject):
    """Watches the application's top-level windows (``app_events``)."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self._handlers: list[tuple[QObject, frozenset[QEvent.Type]]] = []  # the newest first
        self._wanted: frozenset[QEvent.Type] = frozenset()
        app.focusWindowChanged.connect(self.watch_windows)
        if isinstance(app, QApplication):  # a drop-down's list takes the focus as it opens
            app.focusChanged.connect(self.watch_windows)
        self.watch_windows()

    def watch_windows(self, *_why: object) -> None:
        """Watches every top-level window not watched yet (marked on the window itself, so a
        new window at a dead one's address is watched too; Qt drops the filter with the
        window). A watched window's filters are left alone: changing them while the window
        hands an event through them crashes Qt."""
        for window in QGuiApplication.topLevelWindows():
            if not window.property(_WATCHED):
                window.setProperty(_WATCHED, True)
                window.installEventFilter(self)

    def add(self, handler: QObject, wants: Iterable[QEvent.Type]) -> None:
        self.discard(handler)
        self._handlers.insert(0, (handler, frozenset(wants)))
        self._update()

    def discard(self, handler: QObject) -> None:
        self._handlers = [(h, w) for h, w in self._handlers if h is not handler]
        self._update()

    def _update(self) -> None:
        self._wanted = frozenset().union(*(w for _h, w in self._handlers))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The cheap test first: most of a window's events are not input (no type read).
        if not isinstance(event, QInputEvent) or not isinstance(watched, QWindow):
            if type(event) is QEvent and event.type() in _ANOTHER_WINDOW:
                self.watch_windows()  # another window may have come, maybe without the focus
            return False
        kind = event.type()
        if kind not in self._wanted:
            return False
        target: QObject | None = None
        for handler, wants in list(self._handlers):
            if not shiboken6.isValid(handler):
                self.discard(handler)
            elif kind in wants:
                if target is None:
                    target = target_of(watched, event)
                if handler.eventFilter(target, event):
                    return True
        return False


def app_events() -> AppEvents | None:
    """The application's one watcher of input (made the first time it is asked for); None
    when there is no application."""
    app = QCoreApplication.instance()
    if not isinstance(app, QGuiApplication):
        return None
    found = app.findChild(AppEvents)
    if found is None:
        found = AppEvents(app)
    return found
