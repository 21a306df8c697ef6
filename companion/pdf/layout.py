"""The report's pages: size, fonts, colours, the text document laid out on them (headings kept
with their text), and the footer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QPointF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)

from companion.export.report_model import Report
from companion.i18n import (
    _,
)
from companion.pdf.keep import keep_headings_with_text

RESOLUTION = 300  # dots per inch of the PDF's coordinate space
FONT_FAMILY = "DejaVu Sans"
BODY_PT = 11
MARGIN_MM = 18
FOOTER_MM = 10
INK = QColor("#1f2328")
MUTED = QColor("#59636e")
ACCENT = QColor("#2f5d8a")
SECOND = QColor("#b5651d")
PAPER = QColor("#ffffff")
BAND_COLOURS = ("#e8f3ea", "#f3f1de", "#f7e8d6", "#f5dcd6", "#efd0d0")


@dataclass(frozen=True, slots=True)
class Page:
    width: float
    height: float  # the body, above the footer
    footer: float
    dpi: int

    def pt(self, value: float) -> float:
        return value / 72 * self.dpi


def text_document(writer: QPdfWriter, page: Page, body: str) -> QTextDocument:
    """``body`` on pages, each heading kept with its text."""
    doc = html_document(writer, page, body)
    keep_headings_with_text(doc, page.height)
    return doc


def html_document(writer: QPdfWriter, page: Page, body: str) -> QTextDocument:
    """``body`` in the report's fonts and styles on pages of ``page``'s size, not laid out yet
    (Qt lays it out when asked)."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(BODY_PT)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(
        f"body {{ color: {INK.name()}; background-color: {PAPER.name()}; }} "
        "h1 { font-size: 22pt; } h2 { font-size: 16pt; color: #2f5d8a; } "
        "h3 { font-size: 12.5pt; } p { margin-top: 0; margin-bottom: 6pt; } "
        "td { vertical-align: top; }"
    )
    doc.setPageSize(QSizeF(page.width, page.height))
    doc.setHtml(f"<html><body>{body}</body></html>")
    return doc


def report_palette() -> QPalette:
    """The report's own colours: whatever the screen's theme, ink on white paper."""
    palette = QPalette()
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(role, INK)
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        palette.setColor(role, PAPER)
    palette.setColor(QPalette.ColorRole.Link, ACCENT)
    return palette


def draw_document_pages(
    painter: QPainter, doc: QTextDocument, page: Page, new_page: Callable[[], None]
) -> int:
    """Draws ``doc`` page by page. Each line of text is drawn on one page only: the PDF's text
    layer (what copy and paste, pdftotext and screen readers get) must not repeat a line that
    the clip hides."""
    count = doc.pageCount()
    for index in range(count):
        if index:
            new_page()
        painter.save()
        painter.translate(0, -index * page.height)
        clip = QRectF(0, index * page.height, page.width, page.height)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = report_palette()
        # Layout positions carry rounding: a line that starts a page can sit a dot or so above
        # its top. What overlaps the page by a dot at the top is drawn; a line that starts in
        # the last few dots belongs to the next page.
        drawn = clip.adjusted(0, 1, 0, -_ROUNDING)
        carried = _paragraph_carried_over(doc, clip.top())
        if carried is not None:
            # Of a block that began on an earlier page, Qt also draws the last line above the
            # clip (QTextLayout::draw): invisible, but in the text layer, so pdftotext found
            # that line twice. Such a paragraph's lines on this page are drawn one by one.
            _draw_lines_on_page(painter, carried, clip)
            drawn.setTop(doc.documentLayout().blockBoundingRect(carried).bottom() + 1)
        if drawn.height() > 0:  # else the paragraph fills the page (an empty clip is no clip)
            context.clip = drawn
            doc.documentLayout().draw(painter, context)
        painter.restore()
    return count


_ROUNDING = 3  # dots (of 300 an inch): how far a line's place can be off a page's edge


def _paragraph_carried_over(doc: QTextDocument, top: float) -> QTextBlock | None:
    """The paragraph or list item (not in a table) that began on an earlier page and goes on
    below ``top``, if there is one."""
    if top <= 0:
        return None
    layout = doc.documentLayout()
    block = doc.findBlock(max(layout.hitTest(QPointF(0, top + 1), Qt.HitTestAccuracy.FuzzyHit), 0))
    if not block.isValid():
        return None
    if QTextCursor(block).currentFrame() != doc.rootFrame():
        return None  # in a table: Qt draws it, cell borders and all
    rect = layout.blockBoundingRect(block)
    return block if rect.top() < top - _ROUNDING and rect.bottom() > top + _ROUNDING else None


def _draw_lines_on_page(painter: QPainter, block: QTextBlock, clip: QRectF) -> None:
    """Draws the lines of ``block`` that start on the page ``clip``, in the report's ink."""
    lines = block.layout()
    origin = lines.position()
    painter.save()
    painter.setPen(INK)
    for number in range(lines.lineCount()):
        line = lines.lineAt(number)
        top = origin.y() + line.y()
        if clip.top() - _ROUNDING <= top < clip.bottom() - _ROUNDING:
            line.draw(painter, origin)
    painter.restore()


def font(pt: float, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(pt)
    font.setBold(bold)
    return font


def draw_footer(painter: QPainter, page: Page, report: Report, number: int, total: int) -> None:
    painter.save()
    painter.setFont(font(8.5))
    painter.setPen(MUTED)
    y = page.height + page.footer * 0.25
    rect = QRectF(0, y, page.width, page.footer * 0.75)
    who = (
        _("Companion report · {name}").format(name=report.patient_name)
        if report.patient_name
        else _("Companion report")
    )
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), who)
    painter.drawText(
        rect,
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        _("Page {number} of {total}").format(number=number, total=total),
    )
    painter.restore()


# --------------------------------------------------------------------------------------------
