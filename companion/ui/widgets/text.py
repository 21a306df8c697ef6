"""Labels and buttons with the stylesheet roles used across the app (title, muted, error, ...)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from companion.ui.first_frame import when_painted
from companion.ui.widgets.qt_numbers import NO_TEXT_INTERACTION, PLAIN_TEXT, RICH_TEXT
from companion.ui.widgets.wrap import WrapButton, remembered

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

LINE_HEIGHT_PERCENT = 135  # paragraphs breathe a little more than Qt's default line spacing
PLAIN_ROLES = frozenset({"title", "subtitle", "figure", "key", "step", "brand"})


def escape_html(text: str) -> str:
    """``html.escape(text, quote=False)``, without importing ``html`` (and its 2,000 named
    entities) before the first frame (issue 16)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def set_role(widget: QWidget, role: str) -> None:
    """Sets the ``role`` property the stylesheet keys on, and re-applies the style."""
    widget.setProperty("role", role)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Re-applies the stylesheet after a property it keys on changed (role, invalid, level)."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class WrappedLabel(QLabel):
    """A label that wraps and remembers its height per width: a label lays its whole text out
    again for every height question (a rich-text one a whole document), and a page's layouts
    ask the same width many times over (for the minimum and the preferred height, once per
    pass): most of the layout turn of a text-size change. What it remembers is forgotten when
    the text, indent, margin, wrapping or format changes (their setters), or its font, style,
    margins or screen (their change events). Only the widths asked about last are kept
    (``remembered``)."""

    _RESIZING = frozenset(
        {
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.ContentsRectChange,
            QEvent.Type.LayoutDirectionChange,
            QEvent.Type.ScreenChangeInternal,
        }
    )

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[Hashable, int] = {}
        self.setWordWrap(True)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)

    def setIndent(self, indent: int) -> None:
        self._heights.clear()
        super().setIndent(indent)

    def setMargin(self, margin: int) -> None:
        self._heights.clear()
        super().setMargin(margin)

    def setWordWrap(self, on: bool) -> None:
        self._heights.clear()
        super().setWordWrap(on)

    def setTextFormat(self, text_format: Qt.TextFormat) -> None:
        self._heights.clear()
        super().setTextFormat(text_format)

    def clear(self) -> None:
        self.setText("")

    def heightForWidth(self, width: int) -> int:
        return remembered(
            self._heights, width, lambda: super(WrappedLabel, self).heightForWidth(width)
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in self._RESIZING:
            self._heights.clear()
        super().changeEvent(event)


class Paragraph(WrappedLabel):
    """A wrapped paragraph with comfortable line spacing.

    The text is always escaped (it may hold the person's own words); ``text()`` returns it as
    given, without the markup used for the spacing.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__("", parent)  # the text is set below, as a paragraph sets it
        # By number: no ``Qt`` before the first frame (``qt_numbers``)
        self.setProperty("textFormat", RICH_TEXT)
        self.setOpenExternalLinks(False)
        self.setProperty("textInteractionFlags", NO_TEXT_INTERACTION)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._plain = text
        if not text:
            super().setText("")
            return
        body = escape_html(text).replace("\n", "<br>")
        super().setText(f'<div style="line-height:{LINE_HEIGHT_PERCENT}%">{body}</div>')

    def text(self) -> str:
        return self._plain


def label(text: str = "", role: str | None = None, *, wrap: bool = True) -> QLabel:
    widget: QLabel
    if wrap and role not in PLAIN_ROLES:
        widget = Paragraph(text)
    else:
        widget = WrappedLabel(text) if wrap else QLabel(text)
        widget.setWordWrap(wrap)
        widget.setProperty("textFormat", PLAIN_TEXT)  # a number: see ``qt_numbers``
    if role:
        widget.setProperty("role", role)
    return widget


def discard(widget: QWidget, layout: QBoxLayout | None = None) -> None:
    """Takes a widget off the screen now, and frees it later.

    ``deleteLater`` alone leaves the widget visible, at its old size, until the event loop runs
    again: for that moment it overlaps the widgets that replace it, squeezed and clipped."""
    widget.hide()
    if layout is not None:
        layout.removeWidget(widget)
    widget.deleteLater()


def relayout_now() -> None:
    """Runs the pending layout passes at once, from the changed widget up to its window.

    Each pass asks the parent for the next one, so a few rounds reach the top of any page;
    without this a card whose text just changed keeps its old height until the next loop turn."""
    for _ in range(LAYOUT_DEPTH):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


LAYOUT_DEPTH = 12  # card -> column -> page -> scroll area -> stack -> shell -> window, with room


def set_paragraphs(
    layout: QBoxLayout,
    labels: list[QLabel],
    texts: tuple[str, ...] | list[str],
    at: int,
    role: str | None = None,
) -> list[QLabel]:
    """Shows ``texts`` as wrapped paragraphs at position ``at`` of ``layout``, reusing the
    labels already there. Returns the labels now shown, in order.

    Changing text in place keeps every paragraph inside the layout, so its height always
    comes from ``heightForWidth``; the new height applies before this returns."""
    kept = list(labels[: len(texts)])
    for old in labels[len(texts) :]:
        discard(old, layout)
    for widget, text in zip(kept, texts, strict=False):
        widget.setText(text)
    for n in range(len(kept), len(texts)):
        widget = label(texts[n], role)
        layout.insertWidget(at + n, widget)
        widget.show()  # with its card, not one loop turn later (a hidden card stays hidden)
        kept.append(widget)
    relayout_now()
    return kept


def bullet(text: str, role: str | None = None) -> QWidget:
    """A list item whose wrapped lines stay aligned after the bullet."""
    item = QWidget()
    row = QHBoxLayout(item)
    row.setContentsMargins(0, 0, 0, 0)
    mark = QLabel("•")
    top = QtCore.Qt.AlignmentFlag.AlignTop
    mark.setAlignment(top | QtCore.Qt.AlignmentFlag.AlignHCenter)
    mark.setMinimumWidth(mark.fontMetrics().horizontalAdvance("•") * 3)
    body = label(text, role)
    row.addWidget(mark, 0, top)
    row.addWidget(body, 1)
    return item


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
) -> WrapButton:
    widget = WrapButton(text)  # a long label (a longer language, 200 % text) wraps
    widget.setAccessibleName(accessible_name or text.replace("&", "").rstrip(".… "))
    if description:
        widget.setAccessibleDescription(description)
    if role:
        widget.setProperty("role", role)
    when_painted(lambda: point_at(widget))  # Qt's cursors need the ``Qt`` namespace
    widget.setAutoDefault(True)
    return widget


def point_at(widget: QWidget) -> None:
    """The hand cursor over something to click (held back until the first frame, so the
    widget may be gone by then)."""
    if shiboken6.isValid(widget):
        widget.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)


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
