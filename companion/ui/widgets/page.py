"""A scrolling page with a centred, readable column: long lines are hard to follow."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion.ui.widgets.fits_text import FitsText, fit_to_text, looks_changed
from companion.ui.widgets.qt_numbers import NO_FOCUS, SCROLL_BAR_ALWAYS_OFF, SCROLL_BAR_AS_NEEDED
from companion.ui.widgets.text import char_width

COLUMN_CHARACTERS = 64  # a comfortable line length, in average character widths


class Column(QWidget):
    """A vertical column whose maximum width follows the font size."""

    def __init__(self, characters: int = COLUMN_CHARACTERS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._characters = characters
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self._update_width()

    def _update_width(self) -> None:
        em = char_width(self)
        self.setMaximumWidth(em * self._characters)
        spacing = max(12, self.fontMetrics().height() * 3 // 4)
        self.column.setSpacing(spacing)

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            self._update_width()
        super().changeEvent(event)


class ScrollPage(FitsText, QScrollArea):
    """A page: scrolls vertically when the text is large, never horizontally."""

    def __init__(self, characters: int = COLUMN_CHARACTERS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # By number: no ``Qt`` before the first frame (``qt_numbers``)
        self.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        self.setProperty("focusPolicy", NO_FOCUS)
        inner = QWidget()
        outer = QHBoxLayout(inner)
        self._outer = outer
        outer.addStretch(1)
        self.body = Column(characters)
        outer.addWidget(self.body, 100)
        outer.addStretch(1)
        self.setWidget(inner)
        fit_to_text(self, self._update_margins)

    @property
    def column(self) -> QVBoxLayout:
        return self.body.column

    def _update_margins(self, line: int) -> None:
        em = char_width(self)
        self._outer.setContentsMargins(em * 3, line * 2, em * 3, line * 2)


class SideColumn(QScrollArea):
    """A fixed side column (the navigation) that scrolls when large text makes it taller than
    the screen, and is always as wide as its content needs."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        self.setProperty("verticalScrollBarPolicy", SCROLL_BAR_AS_NEEDED)
        self.setProperty("focusPolicy", NO_FOCUS)
        self.setWidget(content)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def _width(self) -> int:
        content = self.widget()
        inner = content.minimumSizeHint().width() if content is not None else 0
        inner = max(inner, content.minimumWidth() if content is not None else 0)
        return inner + self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:
        return QSize(self._width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(), 0)


def button_row(*trailing: QWidget, leading: tuple[QWidget, ...] = ()) -> QHBoxLayout:
    """Secondary actions on the left, the main action on the right (reading order = tab order)."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for widget in leading:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in trailing:
        row.addWidget(widget)
    return row
