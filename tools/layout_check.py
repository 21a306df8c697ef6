"""What the screen walk checks on every screen: nothing outside the window, nothing clipped by its
parent, no wrapped label cut short, no text cut off, and a window no larger than the screen.

Widgets inside a scroll area may be scrolled out of view (that is what scrolling is for), but
they must fit the width of the scrolled page: the pages never scroll sideways.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QScrollBar,
    QTabBar,
    QWidget,
)

TOLERANCE = 2  # pixels: rounding at fractional text sizes


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "window", "outside", "clipped", "wrapped-label-cut", "text-cut"
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget} ({self.detail})"


def describe(widget: QWidget) -> str:
    name = widget.accessibleName() or widget.objectName()
    text = ""
    if isinstance(widget, QLabel):
        text = widget.text()[:40]
    elif hasattr(widget, "text") and callable(widget.text):
        try:
            text = str(widget.text())[:40]
        except TypeError:
            text = ""
    parts = [type(widget).__name__]
    if name:
        parts.append(f"name={name!r}")
    if text:
        parts.append(f"text={text!r}")
    return " ".join(parts)


def _inside_internals(widget: QWidget) -> bool:
    """Parts of a composite control (a spin box's field, a combo's pieces, scroll bars)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox | QTabBar):
            return True
        if parent.isWindow():
            return False
        parent = parent.parentWidget()
    return isinstance(widget, QScrollBar)


def _is_viewport(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def _scroll_container(parent: QWidget | None) -> QWidget | None:
    """The viewport the widget is scrolled in, if any (the nearest one)."""
    while parent is not None and not parent.isWindow():
        if _is_viewport(parent):
            return parent
        parent = parent.parentWidget()
    return None


def _built_off_screen(widget: QWidget | None, window: QWidget) -> bool:
    """Inside a view laid out off screen before it becomes a page (the Session page's
    ``ahead.unseen_page``: below its stack, disabled, marked ``unseen``)."""
    while widget is not None and widget is not window:
        if widget.property("unseen"):
            return True
        widget = widget.parentWidget()
    return False


def problems(window: QWidget, available: QRect | None = None) -> list[Problem]:
    found: list[Problem] = []
    if available is not None:
        frame = window.frameGeometry()
        if frame.width() > available.width() + TOLERANCE or (
            frame.height() > available.height() + TOLERANCE
        ):
            found.append(
                Problem(
                    "window",
                    "the window",
                    f"{frame.width()}x{frame.height()} on a screen of "
                    f"{available.width()}x{available.height()}",
                )
            )
    window_rect = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.isWindow() or _inside_internals(widget):
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        parent = widget.parentWidget()
        if parent is None:
            continue
        where = describe(widget)
        scroller = _scroll_container(parent)
        geometry = widget.geometry()
        if _built_off_screen(widget, window):  # placed there on purpose: its text is checked
            found += _text_problems(widget, where)
            continue
        if not _is_viewport(parent) and not _fits(geometry, parent.rect()):
            found.append(Problem("clipped", where, f"{_r(geometry)} in {describe(parent)}"))
        if scroller is None:
            top_left = widget.mapTo(window, widget.rect().topLeft())
            mapped = QRect(top_left, widget.size())
            if not _fits(mapped, window_rect):
                found.append(Problem("outside", where, f"{_r(mapped)} in {_r(window_rect)}"))
        else:
            left = widget.mapTo(scroller, widget.rect().topLeft()).x()
            if left + widget.width() > scroller.width() + TOLERANCE or left < -TOLERANCE:
                found.append(Problem("outside", where, "wider than the page it scrolls in"))
        found += _text_problems(widget, where)
    return found


def _text_problems(widget: QWidget, where: str) -> list[Problem]:
    if isinstance(widget, QAbstractButton) and widget.text() and widget.hasHeightForWidth():
        needed = widget.heightForWidth(widget.width())  # a wrapping button (widgets/wrap.py)
        if needed > widget.height() + TOLERANCE:
            return [
                Problem("wrapped-button-cut", where, f"needs {needed} px, has {widget.height()}")
            ]
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        margins = widget.contentsMargins()
        inner_w = widget.width() - margins.left() - margins.right()
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + TOLERANCE:
                return [
                    Problem("wrapped-label-cut", where, f"needs {needed} px, has {widget.height()}")
                ]
        elif widget.sizeHint().width() - margins.left() - margins.right() > inner_w + TOLERANCE:
            return [
                Problem(
                    "text-cut", where, f"needs {widget.sizeHint().width()} px, has {widget.width()}"
                )
            ]
    return []


def _fits(inner: QRect, outer: QRect) -> bool:
    return (
        inner.left() >= outer.left() - TOLERANCE
        and inner.top() >= outer.top() - TOLERANCE
        and inner.right() <= outer.right() + TOLERANCE
        and inner.bottom() <= outer.bottom() + TOLERANCE
    )


def _r(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"
