"""A paragraph remembers its height per width (a page's layouts ask the same width many times
over, and a rich-text label lays its whole text out for each question): what it remembers is
forgotten whenever the text, the font, the style, the indent or the margin changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.ui.widgets.text import Paragraph

WIDTH = 180
WORDS = "Take your time. Nothing here is urgent, and every step can wait until you are ready."


def fresh_like(changes: list[Callable[[Paragraph], None]], parent: QWidget) -> int:
    """The height a paragraph that never answered before gives after the same changes."""
    fresh = Paragraph(WORDS, parent)
    for change in changes:
        change(fresh)
    return fresh.heightForWidth(WIDTH)


def test_a_paragraphs_remembered_heights_follow_its_text_font_style_and_indent(
    qtbot: QtBot, qapp: QApplication
) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    paragraph = Paragraph(WORDS, holder)
    big = QFont(paragraph.font())
    big.setPixelSize(32)
    named: dict[str, Callable[[Paragraph], None]] = {
        "text": lambda p: p.setText(WORDS + " " + WORDS),
        "font": lambda p: p.setFont(big),
        "style": lambda p: p.setStyleSheet("QLabel { padding: 20px; }"),
        "indent": lambda p: p.setIndent(40),
        "margin": lambda p: p.setMargin(12),
    }
    changes = list(named.values())
    heights = [paragraph.heightForWidth(WIDTH)]
    for done, (name, change) in enumerate(named.items(), start=1):
        change(paragraph)
        heights.append(paragraph.heightForWidth(WIDTH))
        assert heights[-1] == fresh_like(changes[:done], holder), f"after a new {name}"
    assert len(set(heights)) == len(heights)  # each change moved the height: none went unseen
