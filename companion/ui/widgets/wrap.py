"""Buttons, check boxes and radio buttons whose label wraps onto more lines when their row is
narrow: a longer language at 200 % text never cuts a word off or widens the window.

Qt's own buttons never wrap, so a long label made the whole page (and the window) as wide as
the label. These keep Qt's look and behaviour (style sheet, states, ``text()``, mnemonics,
accessible names) and only break the label at spaces when the width given is less than one
line needs; their height then follows the width (``heightForWidth``), like a wrapped label.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QSize
from PySide6.QtGui import QFontMetrics, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from companion.ui.widgets.fits_text import FitsText
from companion.ui.widgets.qt_numbers import TEXT_SHOW_MNEMONIC

_FLAGS = TEXT_SHOW_MNEMONIC  # a number: no ``Qt`` at start-up (``qt_numbers``)
_WIDE = 10_000  # contents wide enough that the style's minimum widths do not count
_RESIZING = frozenset(  # what changes a button's size for the same text, state and icon
    {
        QEvent.Type.FontChange,
        QEvent.Type.StyleChange,
        QEvent.Type.ContentsRectChange,
        QEvent.Type.LayoutDirectionChange,
        QEvent.Type.ScreenChangeInternal,
    }
)


REMEMBERED_HEIGHTS = 8  # heights remembered per widget: the widths (and states) asked last


def remembered(heights: dict[Hashable, int], key: Hashable, measure: Callable[[], int]) -> int:
    """``heights[key]``, measured when not remembered; only the ``REMEMBERED_HEIGHTS`` keys
    asked about last are kept (a window resized by dragging asks a new width at every step: a
    long-lived widget would otherwise keep a height for each)."""
    height = heights.pop(key, None)  # taken out and put back: the newest last
    if height is None:
        height = measure()
        if len(heights) >= REMEMBERED_HEIGHTS:
            del heights[next(iter(heights))]  # the one asked about longest ago
    heights[key] = height
    return height


def wrap_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` with line breaks at spaces so no line is wider than ``width`` (a word wider
    than that keeps a line of its own)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and metrics.size(_FLAGS, trial).width() > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


def widest_word(text: str, metrics: QFontMetrics) -> int:
    return max((metrics.size(_FLAGS, word).width() for word in text.split()), default=0)


if TYPE_CHECKING:  # what the mixin is mixed into; a Qt base twice would crash shiboken
    _Button = QAbstractButton
else:
    _Button = object


class _Wrapping(FitsText, _Button):
    """What the three wrapping buttons share; mixed in before the Qt class (Qt calls these
    overrides; ``super()`` reaches the Qt class's own)."""

    _CONTENTS: QStyle.ContentsType
    _CONTROL: QStyle.ControlElement

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)
        # May be narrower than one line (down to the widest word); the height keeps Qt's
        # policy (a button is as tall as its label, never stretched), with the wrapped
        # label's height as its hint (``sizeHint``)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._laid_width: int | None = None  # the width of the last resize
        # Heights per width (and text, state, features and icon), until the font or the style
        # changes: a page's layouts ask the same width many times over in one pass.
        self._heights: dict[Hashable, int] = {}

    # -- Qt's overrides ----------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        """One line's width; the height of the label as wrapped at the width it was last given.
        A row of buttons gives its buttons no more height than their hint, so the hint grows
        with the lines (the layout asks again after a resize changes them)."""
        return self._wrapped_hint(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        one_line = self._one_line()
        if " " not in self.text().strip():
            return one_line
        narrowest = widest_word(self.text(), self.fontMetrics()) + self._chrome()
        return QSize(min(one_line.width(), narrowest), one_line.height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        option = self._option()
        icon = option.iconSize
        key: tuple[object, ...] = (self.text(), width, option.features, option.state)
        key = (*key, option.icon.cacheKey(), icon.width(), icon.height())
        return remembered(
            self._heights, key, lambda: max(self._height_at(width), self._one_line().height())
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _RESIZING:
            self._heights.clear()
        super().changeEvent(event)

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)  # a click on any line of the label counts

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        before = self._wrapped_hint(QSize(0, 0)).height()
        self._laid_width = self.width()
        if self._wrapped_hint(QSize(0, 0)).height() != before:
            self.updateGeometry()  # wrapped onto another number of lines

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._wraps_at(self.width()):
            super().paintEvent(event)
            return
        option = self._option()
        option.text = self._text_for(self.width())
        painter = QStylePainter(self)
        painter.drawControl(self._CONTROL, option)

    # -- measuring ---------------------------------------------------------------------------

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)  # type: ignore[attr-defined]  # each Qt class has its own
        return option

    def _outer(self, contents: QSize) -> QSize:
        """The button's size around text (and icon) of size ``contents``."""
        option = self._option()
        if not option.icon.isNull():
            contents = QSize(
                contents.width() + option.iconSize.width() + 4,
                max(contents.height(), option.iconSize.height()),
            )
        return self.style().sizeFromContents(self._CONTENTS, option, contents, self)

    def _chrome(self) -> int:
        """Width taken by padding, border, indicator and icon: what the text does not get."""
        return self._outer(QSize(_WIDE, 1)).width() - _WIDE

    def _one_line(self) -> QSize:
        return self._outer(self.fontMetrics().size(_FLAGS, self.text()))

    def _text_for(self, width: int) -> str:
        return wrap_words(self.text(), self.fontMetrics(), width - self._chrome())

    def _height_at(self, width: int) -> int:
        return self._outer(self.fontMetrics().size(_FLAGS, self._text_for(width))).height()

    def _wraps_at(self, width: int) -> bool:
        return " " in self.text().strip() and width < self._one_line().width()

    def _wrapped_hint(self, base: QSize) -> QSize:
        if self._laid_width is None or not self._wraps_at(self._laid_width):
            return base
        return QSize(base.width(), max(base.height(), self._height_at(self._laid_width)))


class WrapButton(_Wrapping, QPushButton):
    """A push button whose label wraps at spaces when its row is narrower than the label."""

    _CONTENTS = QStyle.ContentsType.CT_PushButton
    _CONTROL = QStyle.ControlElement.CE_PushButton


class WrapCheckBox(_Wrapping, QCheckBox):
    """A check box whose text wraps at spaces; a click anywhere on it toggles it."""

    _CONTENTS = QStyle.ContentsType.CT_CheckBox
    _CONTROL = QStyle.ControlElement.CE_CheckBox


class WrapRadioButton(_Wrapping, QRadioButton):
    """A radio button whose text wraps at spaces; a click anywhere on it chooses it."""

    _CONTENTS = QStyle.ContentsType.CT_RadioButton
    _CONTROL = QStyle.ControlElement.CE_RadioButton
