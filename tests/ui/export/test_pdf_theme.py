"""A PDF saved from the window is dark ink on white paper in BOTH screen themes: the report has
its own palette. Checked on the rendered page (poppler's pdftoppm), word by word, where
pdftotext -bbox says the patient's name, a summary value and the journal text are."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.ui.export.choice_options import PLAINTEXT
from companion.ui.export.page import SAVE_PLAIN
from companion.ui.theme import apply_theme
from tests.support.export_gui import OpenExport, save_to, wait_for_preview
from tests.support.gui import click
from tests.support.steps import settle

DPI = 144  # 2 pixels per PDF point
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: QColor) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def word_contrast(pdf: Path, word: str, tmp_path: Path) -> float:
    """The contrast against white of the darkest pixel inside ``word``'s box."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    for number, page in enumerate(_PAGE.findall(boxes), start=1):
        for x0, y0, x1, y1, text in _WORD.findall(page):
            if unescape(text) != word:
                continue
            prefix = tmp_path / f"page{number}"
            pages = ["-f", str(number), "-l", str(number), "-singlefile"]
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), *pages, str(pdf), str(prefix)],
                check=True,
                timeout=60,
            )
            image = QImage(str(prefix) + ".png")
            scale = DPI / 72
            darkest = 1.0
            for y in range(int(float(y0) * scale), int(float(y1) * scale)):
                for x in range(int(float(x0) * scale), int(float(x1) * scale)):
                    darkest = min(darkest, _luminance(image.pixelColor(x, y)))
            return 1.05 / (darkest + 0.05)
    raise AssertionError(f"{word!r} is not in the PDF")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_pdf_from_the_window_is_dark_ink_on_white_in_either_theme(
    theme: str, qtbot: QtBot, open_export: OpenExport, qapp: QApplication, tmp_path: Path
) -> None:
    opened = open_export()
    apply_theme(qapp, theme, 100)  # the window's theme while the PDF is made
    settle(qtbot, opened.window)
    text_colour = qapp.palette().text().color()
    if theme == "dark":  # the screen's text colour would be unreadable on paper
        assert contrast_with_white(text_colour) < 2
    page = opened.page
    click(qtbot, page.choices.protection_buttons[PLAINTEXT])
    wait_for_preview(qtbot, opened)
    target = tmp_path / "report.pdf"
    save_to(page, target)
    click(qtbot, page.preview.save_button)
    dialog = page.plaintext_dialog
    assert dialog is not None
    next(b for b in dialog.buttons() if b.text() == SAVE_PLAIN).click()
    qtbot.waitUntil(lambda: page.currentWidget() is page.done, timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")
    # The patient's name (cover), a summary value and the journal text: WCAG AAA (7:1) or more.
    for word in ("Sam", "completed", "sadness"):
        assert word_contrast(target, word, tmp_path) >= 7, (theme, word)
