"""The input rules themselves (``ui.widgets.input_rules`` says what they are), handed the
application's events once the first frame is painted: importing the widget classes they test
for (number boxes, sliders, the style's slider geometry) makes PySide build ~15 enum
types, which the first screen does not need (issue 16, start-up to the first painted frame).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QWidget,
)

from companion.ui.app_events import app_events
from companion.ui.widgets.input_props import ENTER_NEVER_PRESSES

WHEEL_GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
SCROLL_MARGIN = 24  # pixels kept around a widget scrolled into view
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
RULE_EVENTS = (  # what the rules look at, handed on as they reach a window (``ui.app_events``)
    QEvent.Type.Wheel,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
)


def _is_guarded(obj: QObject) -> bool:
    return isinstance(obj, WHEEL_GUARDED) and not isinstance(obj, QScrollBar)


def _in_window(widget: QWidget | None, found: Callable[[QWidget], bool]) -> QWidget | None:
    """``widget`` or the nearest widget holding it, inside its window, for which ``found``."""
    while widget is not None:
        if found(widget):
            return widget
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def _guarded(obj: QObject) -> QWidget | None:
    """The drop-down, number box or slider ``obj`` is (or is part of, like a spin box's field)."""
    return _in_window(obj if isinstance(obj, QWidget) else None, _is_guarded)


def _in_popup(widget: QWidget) -> bool:
    return widget.window().windowType() == Qt.WindowType.Popup


def _has_focus_within(widget: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))


def _scroll_area_above(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area holding ``widget`` (not a guarded one: a drop-down's list)."""
    found = _in_window(widget.parentWidget(), _plain_scroll_area)
    return found if isinstance(found, QAbstractScrollArea) else None


def _plain_scroll_area(widget: QWidget) -> bool:
    return isinstance(widget, QAbstractScrollArea) and not _is_guarded(widget)


def scroll_into_view(widget: QWidget) -> None:
    """Scrolls every scroll area that holds ``widget`` so that it can be seen."""
    child = widget
    parent = widget.parentWidget()
    while parent is not None and not child.isWindow():
        inner = parent.widget() if isinstance(parent, QScrollArea) else None
        holds = inner is not None and (inner is child or inner.isAncestorOf(widget))
        if isinstance(parent, QScrollArea) and holds:
            parent.ensureWidgetVisible(widget, SCROLL_MARGIN, SCROLL_MARGIN)
        child = parent
        parent = parent.parentWidget()


def _slider_jump(watched: QObject, event: QMouseEvent) -> None:
    """A left click on a slider's groove puts the value there first; the slider then sees the
    press on its handle, so dragging from there works as usual."""
    if not isinstance(watched, QSlider) or event.button() != Qt.MouseButton.LeftButton:
        return
    if not watched.isEnabled():
        return
    option = QStyleOptionSlider()
    watched.initStyleOption(option)
    style = watched.style()
    handle = style.subControlRect(
        QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, watched
    )
    point = watched.mapFromGlobal(event.globalPosition().toPoint())
    if handle.contains(point):
        return  # a press on the handle is a drag
    groove = style.subControlRect(
        QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, watched
    )
    horizontal = watched.orientation() == Qt.Orientation.Horizontal
    if horizontal:
        span = groove.width() - handle.width()
        offset = point.x() - groove.x() - handle.width() // 2
    else:
        span = groove.height() - handle.height()
        offset = point.y() - groove.y() - handle.height() // 2
    value = QStyle.sliderValueFromPosition(
        watched.minimum(),
        watched.maximum(),
        max(0, min(offset, span)),
        max(1, span),
        option.upsideDown,
    )
    watched.setValue(value)


class InputRules(QObject):
    """Applies the rules above: handed the input of ``RULE_EVENTS`` as it reaches a window,
    with the widget it is for (``ui.app_events``), before that widget sees it; and told of
    every change of the focus (``QApplication.focusChanged``)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._clicking = False  # a click is being handed out: the focus it moves stays put
        app.focusChanged.connect(self._focus_moved)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            return self._wheel(watched, event)
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._clicking = True
            QTimer.singleShot(0, self, self._clicked)  # after the click is handed out
            _slider_jump(watched, event)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._enter(watched, event)
        return False

    def _clicked(self) -> None:
        self._clicking = False

    def _focus_moved(self, old: QWidget | None, now: QWidget | None) -> None:
        """Tab, a shortcut or the app moved the focus: scrolled into view. Not a click's own
        move (what is clicked is in view; a move the app makes after it still scrolls), a
        window or a popup given back the focus, or a popup's own."""
        if self._clicking:
            self._clicking = False
            return
        if old is None or now is None:
            return
        if old.window() is not now.window() or _in_popup(now):
            return
        scroll_into_view(now)

    def _wheel(self, watched: QObject, event: QEvent) -> bool:
        """Taken before the widget under the pointer (or the one holding it) sees it, so an
        unfocused guarded widget is neither changed nor given the focus by the wheel."""
        guarded = _guarded(watched)
        if guarded is None or _has_focus_within(guarded):
            return False
        area = _scroll_area_above(guarded)
        if area is not None:
            QCoreApplication.sendEvent(area.verticalScrollBar(), event)
        event.accept()
        return True

    def _enter(self, watched: QObject, event: QKeyEvent) -> bool:
        if event.key() not in _ENTER_KEYS or event.isAutoRepeat():
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if not isinstance(watched, QPushButton | QToolButton):
            return False
        button: QAbstractButton = watched
        if not (button.isEnabled() and button.isVisible() and button.hasFocus()):
            return False
        if button.property(ENTER_NEVER_PRESSES) is True:
            return False  # e.g. Help's "Back to the session": only an explicit click leaves Help
        button.click()
        return True


def start_rules(app: QApplication) -> None:
    """The rules, once per application, handed the events they look at."""
    rules = app.findChild(InputRules)
    if rules is None:
        rules = InputRules(app)
    _hand_events_to(rules)  # (added once: adding again replaces)


def _hand_events_to(rules: InputRules) -> None:
    events = app_events()
    if events is not None:
        events.add(rules, RULE_EVENTS)
