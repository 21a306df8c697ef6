"""Buttons, check boxes and radio buttons whose label wraps onto more lines when their row is
narrow: a longer language at 200 % text never cuts a word off or widens the window.

Qt's own buttons never wrap, so a long label made the whole page (and the window) as wide as
the label. These keep Qt's look and behaviour (style sheet, states, ``text()``, mnemonics,
accessible names) and only break the label at spaces when the width given is less than one
line needs; their height then follows the width (``heightForWidth``), like a wrapped label.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt
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

_FLAGS = Qt.TextFlag.TextShowMnemonic
_WIDE = 10_000  # contents wide enough that the style's minimum widths do not count


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


class _Wrapping:
    """What the three wrapping buttons share; mixed in before the Qt class."""

    _CONTENTS: QStyle.ContentsType
    _CONTROL: QStyle.ControlElement

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)  # type: ignore[attr-defined]
        return option

    def _outer(self, contents: QSize) -> QSize:
        """The button's size around text (and icon) of size ``contents``."""
        widget = self._widget()
        option = self._option()
        if not option.icon.isNull():
            contents = QSize(
                contents.width() + option.iconSize.width() + 4,
                max(contents.height(), option.iconSize.height()),
            )
        return widget.style().sizeFromContents(self._CONTENTS, option, contents, widget)

    def _widget(self) -> QAbstractButton:
        assert isinstance(self, QAbstractButton)
        return self

    def _chrome(self) -> int:
        """Width taken by padding, border, indicator and icon: what the text does not get."""
        return self._outer(QSize(_WIDE, 1)).width() - _WIDE

    def _text_for(self, width: int) -> str:
        widget = self._widget()
        return wrap_words(widget.text(), widget.fontMetrics(), width - self._chrome())

    def _wrap_size_hint(self, base: QSize) -> QSize:
        widget = self._widget()
        if " " not in widget.text().strip():
            return base
        narrowest = widest_word(widget.text(), widget.fontMetrics()) + self._chrome()
        return QSize(min(base.width(), narrowest), base.height())

    def _wrap_height_for_width(self, width: int) -> int:
        widget = self._widget()
        text = self._text_for(width)
        return self._outer(widget.fontMetrics().size(_FLAGS, text)).height()

    def _one_line(self) -> QSize:
        widget = self._widget()
        return self._outer(widget.fontMetrics().size(_FLAGS, widget.text()))

    def _wraps_now(self) -> bool:
        widget = self._widget()
        return " " in widget.text().strip() and widget.width() < self._one_line().width()

    def _wrapped_hint(self, base: QSize) -> QSize:
        """One line's width; the height of the label as wrapped at the width it was last given.
        A row of buttons gives its buttons no more height than their hint, so the hint grows
        with the lines (the layout asks again after a resize changes them: ``_track_lines``)."""
        width = getattr(self, "_laid_width", None)
        widget = self._widget()
        if width is None or " " not in widget.text().strip() or width >= self._one_line().width():
            return base
        return QSize(base.width(), max(base.height(), self._wrap_height_for_width(width)))

    def _track_lines(self) -> None:
        """After a resize: a label that now wraps onto another number of lines asks the
        layout for a new height."""
        widget = self._widget()
        before = self._wrapped_hint(QSize(0, 0)).height()
        self._laid_width = widget.width()
        if self._wrapped_hint(QSize(0, 0)).height() != before:
            widget.updateGeometry()

    def _paint_wrapped(self) -> None:
        widget = self._widget()
        option = self._option()
        option.text = self._text_for(widget.width())
        painter = QStylePainter(widget)
        painter.drawControl(self._CONTROL, option)


def _wrapping_policy(widget: QWidget) -> None:
    """May be narrower than one line (down to the widest word); the height keeps Qt's policy
    (a button is as tall as its label, never stretched), with the wrapped label's height as
    its hint (see ``_Wrapping.sizeHint``)."""
    policy = widget.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    widget.setSizePolicy(policy)


class WrapButton(_Wrapping, QPushButton):
    """A push button whose label wraps at spaces when its row is narrower than the label."""

    _CONTENTS = QStyle.ContentsType.CT_PushButton
    _CONTROL = QStyle.ControlElement.CE_PushButton

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        _wrapping_policy(self)

    def minimumSizeHint(self) -> QSize:
        return self._wrap_size_hint(self._one_line())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self._wrap_height_for_width(width), self._one_line().height())

    def sizeHint(self) -> QSize:
        return self._wrapped_hint(super().sizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._track_lines()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._wraps_now():
            self._paint_wrapped()
        else:
            super().paintEvent(event)


class WrapCheckBox(_Wrapping, QCheckBox):
    """A check box whose text wraps at spaces; a click anywhere on it toggles it."""

    _CONTENTS = QStyle.ContentsType.CT_CheckBox
    _CONTROL = QStyle.ControlElement.CE_CheckBox

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        _wrapping_policy(self)

    def minimumSizeHint(self) -> QSize:
        return self._wrap_size_hint(self._one_line())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self._wrap_height_for_width(width), self._one_line().height())

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def sizeHint(self) -> QSize:
        return self._wrapped_hint(super().sizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._track_lines()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._wraps_now():
            self._paint_wrapped()
        else:
            super().paintEvent(event)


class WrapRadioButton(_Wrapping, QRadioButton):
    """A radio button whose text wraps at spaces; a click anywhere on it chooses it."""

    _CONTENTS = QStyle.ContentsType.CT_RadioButton
    _CONTROL = QStyle.ControlElement.CE_RadioButton

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        _wrapping_policy(self)

    def minimumSizeHint(self) -> QSize:
        return self._wrap_size_hint(self._one_line())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self._wrap_height_for_width(width), self._one_line().height())

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def sizeHint(self) -> QSize:
        return self._wrapped_hint(super().sizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._track_lines()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._wraps_now():
            self._paint_wrapped()
        else:
            super().paintEvent(event)
