"""Draws one search result: the title and the passage with the matching words highlighted.

The marked texts come from the search service with ``MARK_START``/``MARK_END`` around matches;
``render.marked_html`` escapes everything else, so a person's words are never read as markup.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from companion.domain.journal import strip_marks
from companion.i18n import _
from companion.services.search import Hit
from companion.ui.common.render import local_day, marked_html
from companion.ui.reflections.model import ITEM_ROLE, kind_label, shown_title

Index = QModelIndex | QPersistentModelIndex


def hit_html(hit: object, mark_bg: str, mark_fg: str, muted: str) -> str:
    assert isinstance(hit, Hit)
    heading = marked_html(hit.title_marked, mark_bg, mark_fg) if hit.title else shown_title("", "")
    meta = f"{local_day(hit.created_at)} · {kind_label(hit.kind)}"
    if hit.shared:
        meta += _(" · Shared")
    snippet = marked_html(hit.snippet, mark_bg, mark_fg)
    return f'<div><b>{heading}</b><br><span style="color:{muted}">{meta}</span><br>{snippet}</div>'


class HitDelegate(QStyledItemDelegate):
    def __init__(self, colours: tuple[str, str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colours = colours  # (mark background, mark text, muted text)

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(max(6, option.fontMetrics.height() // 2))
        bg, fg, muted = self.colours
        doc.setHtml(hit_html(index.data(ITEM_ROLE), bg, fg, muted))
        doc.setTextWidth(max(50, width))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else None
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect
        doc = self._document(opt, index, rect.width())
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        palette = opt.palette
        text = palette.color(QPalette.ColorRole.Text)
        context.palette.setColor(QPalette.ColorRole.Text, QColor(text))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Measured with font metrics, not a laid-out document: the list asks for every row's
        height at once (100 rich documents would cost tens of milliseconds)."""
        widget = option.widget
        width = widget.viewport().width() if isinstance(widget, QAbstractItemView) else 600
        hit = index.data(ITEM_ROLE)
        if not isinstance(hit, Hit):
            return QSize(width, option.fontMetrics.height())
        metrics = option.fontMetrics
        margin = max(6, metrics.height() // 2)
        inner = QRect(0, 0, max(50, width - 2 * margin), 1_000_000)
        bold = QFont(option.font)
        bold.setBold(True)
        wrap = int(Qt.TextFlag.TextWordWrap)
        title = QFontMetrics(bold).boundingRect(inner, wrap, hit.title or _("Untitled")).height()
        snippet = QFontMetrics(bold).boundingRect(inner, wrap, strip_marks(hit.snippet)).height()
        height = 2 * margin + title + metrics.lineSpacing() + snippet + metrics.lineSpacing() // 2
        return QSize(width, height)
