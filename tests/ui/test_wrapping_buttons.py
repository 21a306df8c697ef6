"""Buttons, check boxes and radio buttons wrap their label in a narrow row instead of widening
the page: a longer language at 200 % text on 1366x768 (issue 15). In a wide row they look and
measure exactly as Qt's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.ui.theme import apply_theme
from companion.ui.widgets.text import button, relayout_now
from companion.ui.widgets.wrap import WrapCheckBox, WrapRadioButton, wrap_words

LONG = "Unlock with the recovery key and save a new passphrase for this computer"
WIDEST = "passphrase"


@pytest.fixture(autouse=True)
def large_text(qapp: QApplication) -> Iterator[None]:
    apply_theme(qapp, "dark", 200)
    yield
    apply_theme(qapp, "dark", 100)


def shown_in_row(qtbot: QtBot, widget: QAbstractButton, width: int) -> QWidget:
    """``widget`` beside a second button in a row ``width`` pixels wide, in a column."""
    page = QWidget()
    column = QVBoxLayout(page)
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addWidget(button("Back"))
    column.addLayout(row)
    column.addStretch(1)
    qtbot.addWidget(page)
    page.resize(width, 900)
    page.show()
    qtbot.waitExposed(page)
    relayout_now()
    return page


@pytest.mark.parametrize(
    "make", [lambda: button(LONG), lambda: WrapCheckBox(LONG), lambda: WrapRadioButton(LONG)]
)
def test_a_long_label_wraps_in_a_narrow_row_and_is_never_cut(qtbot: QtBot, make: object) -> None:
    assert callable(make)
    widget = make()
    assert isinstance(widget, QAbstractButton)
    one_line = widget.sizeHint()
    metrics = widget.fontMetrics()
    # It asks for no more width than its widest word needs, so it never widens the page
    assert widget.minimumSizeHint().width() < metrics.horizontalAdvance(WIDEST) * 2
    assert widget.minimumSizeHint().width() < one_line.width() // 3
    page = shown_in_row(qtbot, widget, one_line.width() // 2)
    assert page.width() <= one_line.width() // 2
    assert widget.width() < one_line.width()
    # ... and is as tall as its wrapped lines: nothing is cut
    lines = wrap_words(LONG, metrics, widget.width()).count("\n") + 1
    assert lines >= 2
    assert widget.height() >= widget.heightForWidth(widget.width()) > one_line.height()
    assert widget.height() >= metrics.lineSpacing() * lines
    assert widget.text() == LONG  # what a screen reader and the tests read is unchanged
    image = widget.grab().toImage()
    assert not image.isNull()


def test_in_a_wide_row_it_is_qt_s_own_button(qtbot: QtBot) -> None:
    ours, theirs = button(LONG), QPushButton(LONG)
    assert ours.sizeHint() == theirs.sizeHint()
    page = shown_in_row(qtbot, ours, ours.sizeHint().width() * 2)
    assert page.isVisible() and ours.height() == theirs.sizeHint().height()
    for mine, qt in (
        (WrapCheckBox(LONG), QCheckBox(LONG)),
        (WrapRadioButton(LONG), QRadioButton(LONG)),
    ):
        assert mine.sizeHint() == qt.sizeHint()


def test_a_click_on_any_line_of_a_wrapped_check_box_ticks_it(qtbot: QtBot) -> None:
    box = WrapCheckBox(LONG)
    one_line = QCheckBox(LONG).sizeHint()
    page = shown_in_row(qtbot, box, one_line.width() // 2)
    assert page.isVisible() and box.height() > one_line.height() * 3 // 2  # two lines or more
    last_line = QPoint(box.width() // 2, box.height() - 4)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=last_line)
    assert box.isChecked()


def test_a_single_word_keeps_its_width(qtbot: QtBot) -> None:
    widget = button("Configuración")
    assert widget.minimumSizeHint().width() == widget.sizeHint().width()


def test_a_wrapped_buttons_remembered_heights_follow_its_text_font_style_and_default(
    qtbot: QtBot,
) -> None:
    """A wrapping button remembers its height per width (a layout pass asks the same width
    many times): a new text, font, style or default-button look gives the height a button that
    never answered before gives."""
    holder = QWidget()
    qtbot.addWidget(holder)
    big = QFont(holder.font())
    big.setPixelSize(48)

    def restyle(b: QPushButton) -> None:
        b.setStyleSheet("QPushButton { padding: 30px; }")
        b.ensurePolished()

    named: dict[str, Callable[[QPushButton], None]] = {
        "text": lambda b: b.setText(f"{LONG} {LONG}"),
        "font": lambda b: b.setFont(big),
        "style": restyle,
        "default": lambda b: b.setDefault(True),
    }
    made = button(LONG)
    made.setParent(holder)
    heights = [made.heightForWidth(300)]
    for done, (name, change) in enumerate(named.items(), start=1):
        change(made)
        heights.append(made.heightForWidth(300))
        fresh = button(LONG)
        fresh.setParent(holder)
        for earlier in list(named.values())[:done]:
            earlier(fresh)
        assert heights[-1] == fresh.heightForWidth(300), f"after a new {name}"
    assert len(set(heights[:-1])) == len(heights) - 1  # text, font and style each moved it
