"""The preview's viewer: one scrolling document that lays out only the pieces on screen.

A preview of three months at 10k entries is ~1.1 M characters. In one ``QTextBrowser`` Qt
parsed all of it (~20 MB) and kept every laid-out line (~30 MB) while it was shown, and the
parse ran on the GUI thread in one go. Here the document is a list of HTML pieces (what the file
will hold, one piece a journal entry, the scores and sessions: ``preview_html.preview_parts``),
one row each of a list view. A row's height is measured by laying the piece out in a document
that is then kept only in a small cache of recently used pieces; the list measures its rows a
few at a time between events (``LayoutMode.Batched``), so the first screen shows at once and the
GUI thread never lays out the whole document in one go. Only the pieces on screen (and the last
few drawn) are ever held laid out: at most ``CACHED_PIECES``.

Keys scroll by lines and pages like a text view (a piece can be taller than the window); the
piece at the top of the view is the current item, so a screen reader reads it as it comes in.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
CACHED_PIECES = 6  # laid-out pieces kept: a screen's worth and the ones just scrolled past
BATCH = 1  # rows measured between two turns of the event loop
MARGIN = 4  # around the whole document, as QTextBrowser's document margin


def piece_document(html: str, font: QFont) -> QTextDocument:
    """One piece as a document (not laid out until it is measured or drawn)."""
    document = QTextDocument()
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setUndoRedoEnabled(False)
    document.setHtml(html)
    return document


class PiecesModel(QAbstractListModel):
    """The pieces in order; the display text (a screen reader's) is the piece's plain text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pieces: list[str] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.pieces)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        return piece_document(self.pieces[index.row()], QFont()).toPlainText()

    def set_pieces(self, pieces: Sequence[str]) -> None:
        self.beginResetModel()
        self.pieces = list(pieces)
        self.endResetModel()


class PieceDelegate(QStyledItemDelegate):
    """Measures and draws a piece; keeps at most ``CACHED_PIECES`` laid out."""

    def __init__(self, view: PreviewPane) -> None:
        super().__init__(view)
        self._view = view
        self._laid_out: OrderedDict[int, QTextDocument] = OrderedDict()
        self._key: tuple[int, str] = (0, "")

    @property
    def held(self) -> int:
        """How many pieces are laid out now (the bound the tests check)."""
        return len(self._laid_out)

    def forget(self) -> None:
        self._laid_out.clear()

    def _width(self) -> int:
        return max(50, self._view.viewport().width() - 2 * MARGIN)

    def _document(self, row: int, font: QFont, keep: bool) -> QTextDocument:
        """The piece laid out at the view's width: from the cache, else laid out now and, when
        ``keep`` (it is drawn), cached. A row only measured is not kept: measuring every row
        must not push the rows on screen out of the cache."""
        width = self._width()
        key = (width, font.key())
        if key != self._key:  # another width or text size: every cached layout is stale
            self._laid_out.clear()
            self._key = key
        document = self._laid_out.get(row)
        if document is not None:
            self._laid_out.move_to_end(row)
            return document
        document = piece_document(self._view.pieces.pieces[row], font)
        document.setTextWidth(width)
        if keep:
            self._laid_out[row] = document
            while len(self._laid_out) > CACHED_PIECES:
                self._laid_out.popitem(last=False)
        return document

    def _top(self, row: int) -> int:
        return MARGIN if row == 0 else 0

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row = index.row()
        height = self._document(row, option.font, keep=False).size().height()
        last = row == self._view.pieces.rowCount() - 1
        extra = self._top(row) + (MARGIN if last else 0)
        return QSize(self._view.viewport().width(), int(height + 0.999) + extra)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.row()
        document = self._document(row, option.font, keep=True)
        rect = option.rect
        left, top = rect.left() + MARGIN, rect.top() + self._top(row)
        painter.save()
        painter.translate(left, top)
        context = QAbstractTextDocumentLayout.PaintContext()
        text = option.palette.color(QPalette.ColorRole.Text)
        context.palette.setColor(QPalette.ColorRole.Text, QColor(text))
        context.clip = QRectF(self._view.viewport().rect()).translated(-left, -top)  # on screen
        document.documentLayout().draw(painter, context)
        painter.restore()


class PreviewPane(QListView):
    """The whole preview, scrolled as one document, laid out a screen at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.pieces = PiecesModel(self)
        self.setModel(self.pieces)
        self.delegate = PieceDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setSpacing(0)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(BATCH)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a bar that comes and goes changes the width, and every row again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setAutoScroll(False)  # the current piece follows the view, not the other way
        self.verticalScrollBar().valueChanged.connect(self._follow_top)

    def set_pieces(self, pieces: Sequence[str]) -> None:
        self.delegate.forget()
        self.pieces.set_pieces(pieces)
        self.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        self.set_pieces(())

    def toPlainText(self) -> str:
        """The whole document's text, as a text browser gives it."""
        return "\n".join(document.toPlainText() for document in self.documents())

    def documents(self) -> Iterator[QTextDocument]:
        """Every piece as a fresh document (not laid out), in order."""
        for html in self.pieces.pieces:
            yield piece_document(html, self.font())

    def updateGeometries(self) -> None:
        super().updateGeometries()
        bar = self.verticalScrollBar()
        bar.setSingleStep(self.fontMetrics().height() * 3)  # a text view's step, not a row's
        bar.setPageStep(max(1, self.viewport().height() - self.fontMetrics().height()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.verticalScrollBar()
        key = Qt.Key(event.key())
        steps = {
            Qt.Key.Key_Down: bar.singleStep(),
            Qt.Key.Key_Up: -bar.singleStep(),
            Qt.Key.Key_PageDown: bar.pageStep(),
            Qt.Key.Key_Space: bar.pageStep(),
            Qt.Key.Key_PageUp: -bar.pageStep(),
        }
        if key in steps:
            bar.setValue(bar.value() + steps[key])
        elif key == Qt.Key.Key_Home:
            bar.setValue(bar.minimum())
        elif key == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        else:
            super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """Typing does not jump to a piece (it would read every piece's text)."""

    def _follow_top(self) -> None:
        index = self.indexAt(self.viewport().rect().topLeft())
        if index.isValid() and index != self.currentIndex():
            self.setCurrentIndex(index)
