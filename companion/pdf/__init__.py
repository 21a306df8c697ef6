"""The PDF report for the provider, with Qt's own PDF engine (QtGui only: QPdfWriter,
QTextDocument, QPainter; no widgets, so it runs on a worker thread or in the CLI).

This is the only Qt below the user interface, so it sits outside the core layers: the
services never import it. The composition roots (``companion.app`` and ``companion.cli``)
build a ``QtPdfRenderer`` and hand it to ``build_services``, which gives it to the export
service as a plain ``(report, check) -> bytes`` callable.

Pages: a cover (patient, provider, date range, generation time, what is included); a one-page
summary (sessions done, PHQ-9 and GAD-7 baseline -> latest with response and remission, blood
pressure before/after ranges, side effects, PHQ-9 item-9 flags); a table per session; the score,
mood and blood-pressure charts, drawn as vectors with QPainter; then the shared reflections in
full. Every page has a footer with the page number. 11 pt DejaVu Sans (a hinted screen
and print font that ships with every Linux and is embedded in the file).

For the record:

* PDF/A-1b, so record systems can archive it as it is;
* Letter paper in the US and Canada, A4 everywhere else (from the locale);
* its own palette (dark ink on white paper), never the screen's theme: the text document is
  drawn with a fixed palette and a stylesheet colour, so a dark window cannot make light text;
* the patient's words are text, never markup: every value is escaped, and Markdown is reduced
  to plain words without dropping anything between ``<`` and ``>``;
* a heading is never the last line of a page: it moves to the next page with its text;
* chart axes are marked on round numbers (0, 5, 10, ...).

Modules: ``render`` (the bytes and ``QtPdfRenderer``), ``layout`` (pages, text, footer), ``keep``
(headings kept with their text, in one pass) and
``charts``; the words and tables themselves are HTML from ``companion.export.report_html``.
"""

from __future__ import annotations

from companion.pdf.render import QtPdfRenderer

__all__ = ["QtPdfRenderer"]
