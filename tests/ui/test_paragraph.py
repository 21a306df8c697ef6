"""A wrapped label (a paragraph, a title) remembers its height per width (a page's layouts ask
the same width many times over, and a label lays its whole text out for each question): what it
remembers is forgotten whenever the text, the font, the style, the indent or the margin
changes, or the text is cleared."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from companion.ui.widgets.text import WrappedLabel, label
from companion.ui.widgets.wrap import REMEMBERED_HEIGHTS

WIDTH = 180
WORDS = "Take your time. Nothing here is urgent, and every step can wait until you are ready."


def restyle(widget: WrappedLabel) -> None:
    widget.setStyleSheet("QLabel { padding: 20px; }")
    widget.ensurePolished()


def fresh_like(role: str, changes: list[Callable[[WrappedLabel], None]], parent: QWidget) -> int:
    """The height a label that never answered before gives after the same changes."""
    fresh = label(WORDS, role)
    fresh.setParent(parent)
    assert isinstance(fresh, WrappedLabel)
    for change in changes:
        change(fresh)
    return fresh.heightForWidth(WIDTH)


@pytest.mark.parametrize("role", ["muted", "title"])  # a paragraph (rich text), a plain title
def test_a_wrapped_labels_remembered_heights_follow_its_text_font_style_and_indent(
    qtbot: QtBot, themed_app: QApplication, role: str
) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    paragraph = label(WORDS, role)
    paragraph.setParent(holder)
    assert isinstance(paragraph, WrappedLabel)
    big = QFont(paragraph.font())
    big.setPixelSize(32)
    named: dict[str, Callable[[WrappedLabel], None]] = {
        "text": lambda p: p.setText(WORDS + " " + WORDS),
        "font": lambda p: p.setFont(big),
        "style": restyle,
        "indent": lambda p: p.setIndent(40),
        "margin": lambda p: p.setMargin(12),
        "clear": lambda p: p.clear(),
    }
    changes = list(named.values())
    heights = [paragraph.heightForWidth(WIDTH)]
    for done, (name, change) in enumerate(named.items(), start=1):
        change(paragraph)
        heights.append(paragraph.heightForWidth(WIDTH))
        assert heights[-1] == fresh_like(role, changes[:done], holder), f"after a new {name}"
    assert len(set(heights)) == len(heights)  # each change moved the height: none went unseen


def test_a_wrapped_label_remembers_only_the_widths_asked_about_last(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    """A window dragged wider asks a new width at every step: a long-lived label keeps the
    heights of the last few widths (the one asked again stays), not one for every width."""
    paragraph = label(WORDS, "muted")
    qtbot.addWidget(paragraph)
    assert isinstance(paragraph, WrappedLabel)
    measured: list[int] = []
    plain = QLabel.heightForWidth

    def counting(widget: QLabel, width: int) -> int:
        measured.append(width)
        return plain(widget, width)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QLabel, "heightForWidth", counting)
        for width in range(100, 100 + 3 * REMEMBERED_HEIGHTS):
            paragraph.heightForWidth(width)
            paragraph.heightForWidth(WIDTH)  # asked again and again: always remembered
    assert measured.count(WIDTH) == 1
    assert len(paragraph._heights) == REMEMBERED_HEIGHTS  # not one for each of 24 widths
