"""A heading inside a card: bold body text, so the card's own title stays the larger one."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from companion.ui.widgets.text import label


def heading(text: str) -> QLabel:
    widget = label(text)  # wraps: a longer language at 200 % never widens the page
    bold = QFont()  # only the weight is set: the size still follows the text scale
    bold.setBold(True)
    widget.setFont(bold)
    widget.setAccessibleName(text)
    return widget
