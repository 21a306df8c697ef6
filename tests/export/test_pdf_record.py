"""The PDF for the record, checked with the tools a clinic uses (poppler's pdftotext, pdfinfo
and pdftoppm): the patient's words are text, PDF/A-1b, paper from the locale, no heading at
the bottom of a page, round axis marks."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QPageSize

from companion.domain.export_selection import Selection
from companion.export.report_html import plain_words
from companion.pdf.charts import round_ticks
from companion.pdf.render import QtPdfRenderer, paper_for
from companion.services.container import Services
from companion.services.journal_model import EntryInput
from tests.support.pdftext import pdftotext, squash

HOSTILE_BODY = (
    "my partner said <you should rest> and I agreed.\n\n"
    'A picture: <img src="file:///etc/hostname"> and <b>bold?</b> '
    "and <a href='https://example.org'>a link</a>.\n\n"
    "Entities stay as typed: &amp; &lt;tag&gt; &#60;x&#62; &nbsp; done."
)
HOSTILE_TITLE = "<h1>Not a heading</h1> & <script>"


def _shared(services: Services, title: str, body: str, at: datetime) -> None:
    services.journal.create(
        EntryInput(kind="free", title=title, body=body, shared_with_provider=True), created_at=at
    )


def _report_pdf(services: Services, locale: QLocale | None = None) -> bytes:
    preview = services.export.preview(Selection())
    renderer = QtPdfRenderer(locale or QLocale(QLocale.Language.English))
    return renderer(preview.report)


def test_markup_in_an_entry_is_printed_as_text_and_loads_nothing(
    filled: Services, tmp_path: Path
) -> None:
    _shared(filled, HOSTILE_TITLE, HOSTILE_BODY, datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
    data = _report_pdf(filled)
    text = squash(pdftotext(data, tmp_path))  # lines may wrap anywhere; "fi" is a ligature
    for literal in (
        "my partner said <you should rest> and I agreed.",
        '<img src="file:///etc/hostname">',
        "<b>bold?</b>",
        "<a href='https://example.org'>a link</a>",
        "&amp; &lt;tag&gt; &#60;x&#62; &nbsp; done.",
        "<h1>Not a heading</h1> & <script>",
    ):
        assert squash(literal) in text, literal
    # Nothing was loaded or embedded: no image in the file, no link annotation.
    listed = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "report.pdf")],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode()
    assert len(listed.strip().splitlines()) == 2  # the header lines only
    assert b"/URI" not in data and b"/Subtype /Image" not in data


def test_plain_words_keep_angle_brackets_and_drop_only_markdown_emphasis() -> None:
    assert plain_words("**so** tired <you should rest>") == "so tired <you should rest>"
    assert plain_words("<https://example.org>") == "<https://example.org>"


def test_pdf_is_pdf_a_1b(filled: Services) -> None:
    data = _report_pdf(filled)
    assert data.startswith(b"%PDF-1.4")
    assert b'pdfaid:part="1"' in data and b'pdfaid:conformance="B"' in data
    assert b"/OutputIntents" in data  # the colour profile PDF/A requires


def _page_size(data: bytes, tmp_path: Path) -> str:
    source = tmp_path / "size.pdf"
    source.write_bytes(data)
    info = subprocess.run(
        ["pdfinfo", str(source)], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found is not None
    return f"{round(float(found.group(1)))}x{round(float(found.group(2)))}"


def test_paper_is_letter_in_the_us_and_canada_and_a4_elsewhere(
    filled: Services, tmp_path: Path
) -> None:
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    canada = QLocale(QLocale.Language.French, QLocale.Country.Canada)
    germany = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    uk = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    assert paper_for(us) == paper_for(canada) == QPageSize.PageSizeId.Letter
    assert paper_for(germany) == paper_for(uk) == QPageSize.PageSizeId.A4
    assert _page_size(_report_pdf(filled, us), tmp_path) == "612x792"
    assert _page_size(_report_pdf(filled, germany), tmp_path) == "595x842"


def test_no_entry_title_is_stranded_at_the_bottom_of_a_page(
    filled: Services, tmp_path: Path
) -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    # Bodies of varied length, so some title lands near each page's bottom.
    for n in range(40):
        words = " ".join(f"word{n}x{i}" for i in range(7 + (n * 37) % 90))
        _shared(filled, f"Title number {n:02d}", f"Startof{n:02d} {words}", start + timedelta(n))
    data = _report_pdf(filled)
    pages = pdftotext(data, tmp_path).split("\f")
    checked = 0
    for n in range(40):
        title_pages = [i for i, p in enumerate(pages) if f"Title number {n:02d}" in p]
        body_pages = [i for i, p in enumerate(pages) if f"Startof{n:02d}" in p]
        assert title_pages and body_pages, n
        assert title_pages[0] == body_pages[0], f"title {n} is alone at the bottom of a page"
        checked += 1
    assert checked == 40 and len(pages) > 6


def test_every_line_is_in_the_text_layer_once_when_paragraphs_cross_pages(
    filled: Services, tmp_path: Path
) -> None:
    """A page that begins inside a paragraph used to carry, hidden by the clip, the last line
    of the page before in its text layer (pdftotext and copy and paste showed it twice)."""
    start = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    expected: list[str] = []
    for n in range(10):
        words = [f"w{n}x{i}" for i in range(700 + 61 * n)]  # one long paragraph each
        expected += words
        _shared(filled, f"Long entry {n}", " ".join(words), start + timedelta(n))
    pages = pdftotext(_report_pdf(filled), tmp_path).split("\f")
    assert len(pages) > 15
    printed = re.findall(r"\bw\d+x\d+\b", "\n".join(pages))
    assert printed == expected


def test_chart_ticks_are_round_numbers() -> None:
    assert round_ticks(0, 27) == [0, 5, 10, 15, 20, 25]
    assert round_ticks(0, 21) == [0, 5, 10, 15, 20]
    assert round_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert round_ticks(40, 200) == [40, 60, 80, 100, 120, 140, 160, 180, 200]
    for low, high in ((0, 27), (0, 21), (0, 10), (40, 200), (3, 97)):
        ticks = round_ticks(low, high)
        assert 2 <= len(ticks) <= 9
        step = ticks[1] - ticks[0]
        assert all(t % step == 0 for t in ticks)
        assert ticks[0] >= low and ticks[-1] <= high
