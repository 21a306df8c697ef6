"""What is on screen, checked: clipped widgets, the layout walk, focus order, spoken names,
contrast."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from companion.ui.main_window import MainWindow

LAPTOP = (1280, 860)


def clipped(window: MainWindow) -> list[str]:
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        name = f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r:.40}"
        size, hint = widget.size(), widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            if size.height() < needed:
                problems.append(f"{name}: height {size.height()} < {needed}")
        elif isinstance(widget, QAbstractButton) and widget.text() and widget.hasHeightForWidth():
            needed = widget.heightForWidth(widget.width())  # a wrapping button (widgets/wrap.py)
            narrowest = widget.minimumSizeHint().width()
            if size.height() < needed or size.width() < narrowest:
                problems.append(f"{name}: {size.toTuple()} < {narrowest} wide, {needed} high")
        elif isinstance(widget, QLabel | QAbstractButton) and widget.text():
            if size.width() < hint.width() or size.height() < hint.height():
                problems.append(f"{name}: {size.toTuple()} < {hint.toTuple()}")
        elif isinstance(widget, QLineEdit | QComboBox) and size.height() < hint.height():
            problems.append(f"{name}: height {size.height()} < {hint.height()}")
    for area in window.findChildren(QScrollArea):
        inner = area.widget()
        if inner is None or not area.isVisibleTo(window):
            continue
        if inner.width() > area.viewport().width():
            problems.append(f"page wider than its window: {inner.width()}")
    return problems


def layout_problems(root: QWidget) -> list[object]:
    """``tools/layout_check.problems``: what the screen walk finds, for one widget."""
    found: list[object] = layout_check().problems(root)
    return found


def layout_check() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "tools" / "layout_check.py"
    spec = importlib.util.spec_from_file_location("layout_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("layout_check", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def focusable(window: MainWindow) -> list[QWidget]:
    return [
        widget
        for widget in window.findChildren(QWidget)
        if widget.isVisibleTo(window)
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
    ]


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader announces (Qt derives it from accessibleName, text or buddy)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name).strip()


NON_TEXT = 3.0


def luminance(colour: str) -> float:
    c = QColor(colour)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
