"""The dim (eyes-closed) journey view shows keyboard focus in both themes (issue 13, finding 8):
WCAG 2.2 AA non-text contrast, 3:1, for the focus ring against the dim background, the button
it rings and the edge it replaces, and for the edges of the dim view's controls. Checked on
the colours, on the stylesheet as written and on the pixels Qt draws."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.services.protocol_files import default_protocol
from companion.ui.session.journey import JourneyView
from companion.ui.session.style import QUIET, QUIET_HELP, session_stylesheet
from companion.ui.theme import THEMES, apply_theme
from tests.support.screen import NON_TEXT, contrast

QUIET_FOCUS_RULES = (
    'QWidget[role="quiet"] QPushButton:focus',
    'QWidget[role="quiet"] QPushButton[role="help"]:focus',
    'QWidget[role="quiet"] QCheckBox:focus',
    'QWidget[role="quiet"] QLineEdit:focus',
)


def quiet_of(theme: str) -> tuple[str, str, str, str, str]:
    return QUIET["light" if theme == "light" else "dark"]


@pytest.mark.parametrize("theme", THEMES)
def test_dim_view_focus_ring_has_3_to_1_in_both_themes(theme: str) -> None:
    bg, _dim, raised, edge, focus = quiet_of(theme)
    help_bg, _help_text, help_edge = QUIET_HELP
    pairs = {
        "focus on the dim background": (focus, bg),
        "focus on a dim button": (focus, raised),
        "focus against the edge it replaces": (focus, edge),
        "focus on Help": (focus, help_bg),
        "focus against Help's edge": (focus, help_edge),
        "button edge on the dim background": (edge, bg),
        "Help's edge on the dim background": (help_edge, bg),
    }
    low = {name: round(contrast(a, b), 2) for name, (a, b) in pairs.items()
           if contrast(a, b) < NON_TEXT}  # fmt: skip
    assert not low, low


@pytest.mark.parametrize("theme", THEMES)
def test_dim_view_stylesheet_rings_focus_in_that_colour(theme: str) -> None:
    *_rest, edge, focus = quiet_of(theme)
    for scale in (100, 200):
        sheet = session_stylesheet(theme, scale)
        for selector in QUIET_FOCUS_RULES:
            body = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", sheet)
            assert body, selector
            assert f"border-color: {focus}" in body.group(1), selector
        plain = re.search(r'QWidget\[role="quiet"\] QPushButton \{([^}]*)\}', sheet)
        assert plain and f"solid {edge}" in plain.group(1)


def _ring_pixels(image: QImage, button: QPushButton, width: int) -> set[str]:
    """The colours drawn on the button's outer edge band (where the border is)."""
    rect = button.geometry()
    ratio = image.devicePixelRatio()
    found: set[str] = set()
    y_mid = round((rect.top() + rect.height() // 2) * ratio)
    x_mid = round((rect.left() + rect.width() // 2) * ratio)
    for offset in range(round(width * ratio) + 1):
        for x, y in (
            (round(rect.left() * ratio) + offset, y_mid),
            (round(rect.right() * ratio) - offset, y_mid),
            (x_mid, round(rect.top() * ratio) + offset),
            (x_mid, round(rect.bottom() * ratio) - offset),
        ):
            found.add(image.pixelColor(x, y).name())
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_dim_view_focus_is_drawn_visibly(qtbot: QtBot, qapp: QApplication, theme: str) -> None:
    bg, _dim, _raised, _edge, focus = quiet_of(theme)
    apply_theme(qapp, theme, 100)
    try:
        holder = QWidget()
        holder.setStyleSheet(session_stylesheet(theme, 100))
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        journey = JourneyView(default_protocol())
        layout.addWidget(journey)
        qtbot.addWidget(holder)
        holder.resize(1000, 620)
        with qtbot.waitExposed(holder):
            holder.show()
        holder.activateWindow()
        qtbot.waitUntil(holder.isActiveWindow, timeout=5_000)
        button = journey.mark_button
        unfocused = _ring_pixels(journey.grab().toImage(), button, 3)
        journey.music_button.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.keyClick(journey.music_button, Qt.Key.Key_Tab)  # keyboard focus, as a patient
        qtbot.waitUntil(button.hasFocus, timeout=5_000)
        image = journey.grab().toImage()
        focused = _ring_pixels(image, button, 3)
        best = max(contrast(p, bg) for p in focused)
        assert best >= NON_TEXT, f"the focus ring reaches only {best:.2f}:1 ({theme})"
        assert any(contrast(p, focus) < 1.2 for p in focused), focused  # the ring's colour
        change = max(contrast(a, b) for a in focused for b in unfocused)
        assert change >= NON_TEXT, f"focus changes the edge by only {change:.2f}:1"
        folder = os.environ.get("COMPANION_SHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            image.save(str(Path(folder) / f"quiet_focus_{theme}.png"))
    finally:
        apply_theme(qapp, "dark", 100)
