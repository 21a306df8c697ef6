"""The whole report as PDF/A-1b bytes, and the renderer a composition root hands the services."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLocale,
    QMarginsF,
)
from PySide6.QtGui import (
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from companion.export.report_html import cover_html, entries_html, sessions_html, summary_html
from companion.export.report_model import Report
from companion.pdf.charts import chart_pages
from companion.pdf.layout import (
    FOOTER_MM,
    MARGIN_MM,
    RESOLUTION,
    Page,
    draw_document_pages,
    draw_footer,
    text_document,
)

LETTER_TERRITORIES = frozenset({QLocale.Country.UnitedStates, QLocale.Country.Canada})


def paper_for(locale: QLocale) -> QPageSize.PageSizeId:
    """Letter in the United States and Canada, A4 everywhere else."""
    if locale.territory() in LETTER_TERRITORIES:
        return QPageSize.PageSizeId.Letter
    return QPageSize.PageSizeId.A4


def render_pdf(
    report: Report,
    check: Callable[[], None] | None = None,
    locale: QLocale | None = None,
) -> bytes:
    """The whole report as PDF/A-1b bytes, built in memory, on the locale's paper. Needs a
    ``QGuiApplication`` (fonts and painting): ``QtPdfRenderer`` makes sure there is one."""
    if QGuiApplication.instance() is None:
        raise RuntimeError("the PDF renderer needs a QGuiApplication (use QtPdfRenderer)")
    paper = paper_for(locale if locale is not None else QLocale.system())
    tick = check or (lambda: None)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, paper)
    page = page_of(writer)

    tick()
    first = text_document(
        writer,
        page,
        cover_html(report)
        + '<div style="page-break-before:always;"></div>'
        + summary_html(report)
        + sessions_html(report),
    )
    tick()
    charts = chart_pages(report)
    reflections = text_document(writer, page, entries_html(report)) if report.entries else None
    tick()
    _paint(writer, page, report, tick, first, charts, reflections)
    buffer.close()
    return bytes(data.data())


def page_of(writer: QPdfWriter) -> Page:
    """The body and footer of ``writer``'s pages, in its dots."""
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer = FOOTER_MM / 25.4 * RESOLUTION
    # A whole number of dots: with a fractional page height, Qt's page edges drift from
    # ours (0.015 dot a page: 4 dots by page 250), and a line pushed to a new page was drawn
    # on both (hidden on one by the clip, but in the text layer).
    height = float(math.floor(area.height() - footer))
    return Page(float(area.width()), height, area.height() - height, RESOLUTION)


def pdf_writer(buffer: QBuffer, paper: QPageSize.PageSizeId) -> QPdfWriter:
    """The report's PDF/A-1b writer into ``buffer``, on ``paper``."""
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle("Companion report")
    writer.setCreator("Companion")
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_A1b)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(paper),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM - FOOTER_MM / 2),
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer


def _paint(
    writer: QPdfWriter,
    page: Page,
    report: Report,
    tick: Callable[[], None],
    first: QTextDocument,
    charts: Sequence[Callable[[QPainter, Page], None]],
    reflections: QTextDocument | None,
) -> None:
    """Draws the pages in order (text, charts, reflections), each with its numbered footer."""
    total = first.pageCount() + len(charts) + (reflections.pageCount() if reflections else 0)
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("could not start the PDF")
    number = 0
    try:

        def new_page() -> None:
            nonlocal number
            number += 1
            draw_footer(painter, page, report, number, total)
            writer.newPage()

        draw_document_pages(painter, first, page, new_page)
        for draw in charts:
            tick()
            new_page()
            draw(painter, page)
        if reflections is not None:
            tick()
            new_page()
            draw_document_pages(painter, reflections, page, new_page)
        number += 1
        draw_footer(painter, page, report, number, total)
    finally:
        painter.end()


class QtPdfRenderer:
    """The export service's PDF renderer, built by a composition root. In the app the
    ``QApplication`` already exists; on the command line the renderer makes an offscreen
    ``QGuiApplication`` the first time a PDF is wanted and keeps it for the process."""

    def __init__(self, locale: QLocale | None = None) -> None:
        self._locale = locale
        self._app: QGuiApplication | None = None

    def __call__(self, report: Report, check: Callable[[], None] | None = None) -> bytes:
        if QGuiApplication.instance() is None:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            self._app = QGuiApplication(["companion-export"])
        return render_pdf(report, check, self._locale)
