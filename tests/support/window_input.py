"""Input as the window system delivers it: to the widget's top-level window, which hands it to
the widget it is for (a key to the focus, a click or a wheel turn to the widget under the
pointer). ``qtbot.keyClick(widget, ...)`` sends straight to the widget and skips the window,
where Companion's help keys, auto-lock and input rules see the input (``ui.app_events``)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def window_of(widget: QWidget) -> QWindow:
    handle = widget.window().windowHandle()
    assert handle is not None, "the widget's window is not shown"
    return handle


def key_click(
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A key pressed and released in ``widget``'s window (it goes to that window's focus)."""
    QTest.keyClick(window_of(widget), key, modifier)


def mouse_click(
    widget: QWidget,
    pos: QPoint | None = None,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
) -> None:
    """A click at ``pos`` in ``widget`` (its centre when None), through its window."""
    point = widget.rect().center() if pos is None else pos
    QTest.mouseClick(
        window_of(widget),
        button,
        Qt.KeyboardModifier.NoModifier,
        widget.mapTo(widget.window(), point),
    )


def wheel(widget: QWidget, steps: int = -1) -> None:
    """The wheel turned ``steps`` notches (negative: towards the user) over ``widget``'s centre,
    through its window."""
    centre = widget.mapTo(widget.window(), widget.rect().center())
    event = QWheelEvent(
        QPointF(centre),
        QPointF(widget.window().mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(window_of(widget), event)


def move_pointer(widget: QWidget) -> None:
    """The pointer moved over ``widget``'s centre, through its window (activity, as auto-lock
    sees it)."""
    QTest.mouseMove(window_of(widget), widget.mapTo(widget.window(), widget.rect().center()))
