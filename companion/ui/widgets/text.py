"""Labels and buttons with the stylesheet roles used across the app (title, muted, error, ...)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

LINE_HEIGHT_PERCENT = 135  # paragraphs breathe a little more than Qt's default line spacing
PLAIN_ROLES = frozenset({"title", "subtitle", "figure", "key", "step", "brand"})


def set_role(widget: QWidget, role: str) -> None:
    """Sets the ``role`` property the stylesheet keys on, and re-applies the style."""
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class Paragraph(QLabel):
    """A wrapped paragraph with comfortable line spacing.

    The text is always escaped (it may hold the person's own words); ``text()`` returns it as
    given, without the markup used for the spacing.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plain = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._plain = text
        if not text:
            super().setText("")
            return
        body = html.escape(text, quote=False).replace("\n", "<br>")
        super().setText(f'<div style="line-height:{LINE_HEIGHT_PERCENT}%">{body}</div>')

    def text(self) -> str:
        return self._plain

    def clear(self) -> None:
        self.setText("")


def label(text: str = "", role: str | None = None, *, wrap: bool = True) -> QLabel:
    widget: QLabel
    if wrap and role not in PLAIN_ROLES:
        widget = Paragraph(text)
    else:
        widget = QLabel(text)
        widget.setWordWrap(wrap)
        widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    return widget


def bullet(text: str, role: str | None = None) -> QWidget:
    """A list item whose wrapped lines stay aligned after the bullet."""
    item = QWidget()
    row = QHBoxLayout(item)
    row.setContentsMargins(0, 0, 0, 0)
    mark = QLabel("•")
    mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
    mark.setMinimumWidth(mark.fontMetrics().horizontalAdvance("•") * 3)
    body = label(text, role)
    row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(body, 1)
    return item


def rich_label(html: str, role: str | None = None) -> QLabel:
    """A label with simple trusted markup (our own texts only, never user data)."""
    widget = QLabel(html)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.RichText)
    if role:
        widget.setProperty("role", role)
    return widget


def title(text: str) -> QLabel:
    widget = label(text, "title")
    widget.setAccessibleName(text)
    return widget


def subtitle(text: str) -> QLabel:
    return label(text, "subtitle")


def button(
    text: str,
    *,
    role: str | None = None,
    accessible_name: str | None = None,
    description: str = "",
) -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(accessible_name or text.replace("&", "").rstrip(".… "))
    if description:
        widget.setAccessibleDescription(description)
    if role:
        widget.setProperty("role", role)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setAutoDefault(True)
    return widget


def primary_button(
    text: str, *, accessible_name: str | None = None, description: str = ""
) -> QPushButton:
    return button(text, role="primary", accessible_name=accessible_name, description=description)


def link_button(
    text: str, *, accessible_name: str | None = None, description: str = ""
) -> QPushButton:
    widget = button(text, role="link", accessible_name=accessible_name, description=description)
    widget.setFlat(True)
    return widget


def char_width(widget: QWidget) -> int:
    """The width of an average character of the widget's font (cheaper than averageCharWidth)."""
    return max(1, widget.fontMetrics().horizontalAdvance("abcdefghijklmnopqrstuvwxyz") // 26)
