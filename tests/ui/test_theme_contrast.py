"""WCAG 2.2 AA non-text contrast (SC 1.4.11, 3:1) over both theme palettes: the edges of fields,
buttons, check boxes and radio buttons, checked marks, scroll bars and every focus indicator,
against every background they sit on. The stylesheet is read as applied, so a control whose
edge is drawn in a decorative colour is caught too."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.ui.theme import THEMES, Palette, apply_theme, palette_for, stylesheet
from tests.support.screen import NON_TEXT, contrast

BACKGROUNDS = ("window", "surface", "raised", "raised_hover", "input", "emergency_bg")
# the rules that draw the edge or the mark of something to use, and the colour they must use
CONTROL_EDGES = (
    "QPushButton",
    "QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QSpinBox",
    "QCheckBox::indicator, QRadioButton::indicator",
)
FOCUS_RULES = (
    "QPushButton:focus",
    'QPushButton[role="primary"]:focus',
    'QPushButton[role="link"]:focus',
    'QPushButton[role="nav"]:focus',
    "QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus, QSpinBox:focus",
    "QCheckBox:focus, QRadioButton:focus",
)


def rule(sheet: str, selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", sheet)
    assert match, f"no rule for {selector}"
    return match.group(1)


def colour_of(body: str, prop: str) -> str:
    match = re.search(prop + r"\s*:\s*(?:\d+px solid\s+)?(#[0-9a-fA-F]{6})", body)
    assert match, f"no {prop} in {body!r}"
    return match.group(1)


def test_the_contrast_formula_matches_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", THEMES)
def test_control_edges_marks_and_focus_have_3_to_1_on_every_background(theme: str) -> None:
    colours: Palette = palette_for(theme)
    needed = {
        "control": colours.control,
        "focus": colours.focus,
        "accent (checked boxes, primary buttons)": colours.accent,
    }
    low = [
        f"{name} {value} on {bg} {getattr(colours, bg)}: "
        f"{contrast(value, getattr(colours, bg)):.2f}"
        for name, value in needed.items()
        for bg in BACKGROUNDS
        if contrast(value, getattr(colours, bg)) < NON_TEXT
    ]
    assert not low, low


@pytest.mark.parametrize("theme", THEMES)
def test_the_stylesheet_draws_controls_and_focus_in_those_colours(theme: str) -> None:
    colours = palette_for(theme)
    sheet = stylesheet(theme, 100)
    for selector in CONTROL_EDGES:
        edge = colour_of(rule(sheet, selector), "border")
        assert edge == colours.control, selector
    for selector in FOCUS_RULES:
        assert colour_of(rule(sheet, selector), "border-color") == colours.focus, selector
    for bar in ("QScrollBar::handle:vertical", "QScrollBar::handle:horizontal"):
        handle = colour_of(rule(sheet, bar), "background")
        assert min(contrast(handle, getattr(colours, bg)) for bg in BACKGROUNDS) >= NON_TEXT


@pytest.mark.parametrize("theme", THEMES)
def test_a_radio_button_is_drawn_visibly_on_a_card(
    qtbot: QtBot, qapp: QApplication, theme: str
) -> None:
    """Rendered, not just declared: the ring of an unchecked Yes/No radio button stands out
    from the card it sits on (it was nearly invisible in the dark theme)."""
    colours = palette_for(theme)
    apply_theme(qapp, theme, 100)
    try:
        card = QWidget()
        card.setStyleSheet(f"background: {colours.surface};")
        layout = QVBoxLayout(card)
        radio = QRadioButton("Yes")
        layout.addWidget(radio)
        qtbot.addWidget(card)
        card.resize(200, 80)
        with qtbot.waitExposed(card):
            card.show()
        image: QImage = radio.grab().toImage()
        option = QStyleOptionButton()
        radio.initStyleOption(option)
        ring = radio.style().subElementRect(
            QStyle.SubElement.SE_RadioButtonIndicator, option, radio
        )
        assert ring.width() > 4  # the indicator only, never the text beside it
        pixels = {
            image.pixelColor(x, y).name()
            for x in range(ring.left(), ring.right() + 1)
            for y in range(ring.top(), ring.bottom() + 1)
        }
        best = max(contrast(p, colours.surface) for p in pixels)
        assert best >= NON_TEXT, f"the radio ring reaches only {best:.2f}:1"
    finally:
        apply_theme(qapp, "dark", 100)
