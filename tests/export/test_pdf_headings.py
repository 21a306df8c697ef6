"""Headings kept with their text on long reports (companion/pdf/keep.py): the same pages as
moving one heading per layout, no line across a page's edge, and a fixed number of layouts
however many headings move."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QPageSize, QPdfWriter, QTextBlock, QTextDocument

from companion.pdf.keep import KeepStats, keep_headings_with_text, keep_one_by_one, lay_out
from companion.pdf.layout import Page, html_document
from companion.pdf.render import page_of, pdf_writer


def _entries(count: int) -> str:
    """A report's shared reflections: a title, a date line, then words of varied length."""
    out = ["<h2>Shared reflections</h2>"]
    for n in range(count):
        words = " ".join(f"w{n}x{i}" for i in range(7 + (n * 37) % 150))
        out.append(f'<h3 style="margin-top:16pt;">Title {n}</h3>')
        out.append(f'<p style="color:#59636e;">Mon 2 March 2026 · free · mood {n % 10}/10</p>')
        out.append(f"<p>{words}</p>")
    return "".join(out)


def _document(body: str) -> tuple[QTextDocument, Page, QPdfWriter, QBuffer]:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, QPageSize.PageSizeId.A4)
    page = page_of(writer)
    return html_document(writer, page, body), page, writer, buffer  # the writer outlives it


def _lines(doc: QTextDocument) -> list[tuple[int, float, float]]:
    """(block number, top, height) of every line, as Qt placed it."""
    out = []
    block = doc.begin()
    while block.isValid():
        lines = block.layout()
        y = lines.position().y()
        for n in range(lines.lineCount()):
            line = lines.lineAt(n)
            out.append((block.blockNumber(), y + line.y(), line.height()))
        block = block.next()
    return out


def _first_line_top(block: QTextBlock) -> float:
    return block.layout().position().y() + block.layout().lineAt(0).y()


def test_headings_near_a_page_bottom_move_with_their_text_on_a_long_report(qapp: object) -> None:
    body = _entries(80)
    doc, page, *_keep = _document(body)
    stats = keep_headings_with_text(doc, page.height)
    assert stats.replayed and stats.moved >= 4 and doc.pageCount() >= 15

    # The same pages, to the dot, as moving one heading per whole layout.
    reference, _, *_keep2 = _document(body)
    expected = KeepStats()
    lay_out(reference, expected)
    keep_one_by_one(reference, page.height, expected)
    assert expected.moved == stats.moved
    assert _lines(doc) == _lines(reference)

    # No line crosses a page's bottom edge, and no title ends a page: its date line and the
    # first line of its words are on the title's page.
    for _, top, height in _lines(doc):
        assert top % page.height + height <= page.height, top
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 3:
            title = _first_line_top(block) // page.height
            assert _first_line_top(block.next().next()) // page.height == title, block.text()
        block = block.next()


def test_headings_are_kept_in_two_layouts_however_many_move(qapp: object) -> None:
    """Moving one heading per layout was quadratic in the report's length (16 layouts of a
    600-page report): now a report is laid out twice, however many headings move. Counted
    with Qt's own signal: the layout says ``update`` each time it lays the document out."""
    counts = []
    for entries in (20, 160):
        doc, page, *_keep = _document(_entries(entries))
        doc.pageCount()  # the first layout itself is not counted
        updates: list[tuple[object, ...]] = []
        doc.documentLayout().update.connect(lambda *rect, seen=updates: seen.append(rect))
        stats = keep_headings_with_text(doc, page.height)
        counts.append((stats.moved, len(updates), stats.layouts))
    (few, few_updates, few_layouts), (many, many_updates, many_layouts) = counts
    assert few >= 1 and many >= 4 * few
    assert few_updates == many_updates <= 2
    assert few_layouts == many_layouts == 2
