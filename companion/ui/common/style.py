"""The look of the writing and review pages, on top of the app's stylesheet.

Built from the same palettes and text scale as ``companion.ui.theme`` (so 200 % text grows the
list rows, radio buttons, sliders and the safety card with everything else). Each page applies
it to itself and again when the appearance changes (``apply_style``).
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.ui.theme import Palette, palette_for, pixel_size

# Highlight of matching words: readable in both themes (dark text on a warm light background).
MARK_COLOURS = {"dark": ("#e7cf8a", "#1d1a10"), "light": ("#f3dc8f", "#231d08")}


def mark_colours(theme: str) -> tuple[str, str]:
    """(background, text) of a highlighted word."""
    return MARK_COLOURS["light" if theme == "light" else "dark"]


@dataclass(frozen=True, slots=True)
class _Sizes:
    """The sizes of one text scale, in pixels."""

    f: int
    focus_w: int
    pad_s: int
    pad_m: int
    pad_l: int
    radius: int
    radius_l: int
    indicator: int
    bar: int


def cell_padding(font_px: int) -> int:
    """The space left and right of a table cell's or header's text, for a font this tall."""
    return max(6, round(font_px * 0.6))


def _sizes(scale_percent: int) -> _Sizes:
    f = pixel_size(scale_percent)
    return _Sizes(
        f=f,
        focus_w=2 if f < 28 else 3,
        pad_s=max(4, round(f * 0.4)),
        pad_m=cell_padding(f),
        pad_l=max(10, round(f * 1.0)),
        radius=max(6, round(f * 0.45)),
        radius_l=max(8, round(f * 0.75)),
        indicator=round(f * 1.2),
        bar=max(8, round(f * 0.5)),
    )


def review_stylesheet(theme: str, scale_percent: int) -> str:
    c, s = palette_for(theme), _sizes(scale_percent)
    return _lists_stylesheet(c, s) + _controls_stylesheet(c, s) + _cards_stylesheet(c, s)


def _lists_stylesheet(c: Palette, s: _Sizes) -> str:
    """Lists, tables and their headers."""
    focus_w, pad_s, pad_m, radius = s.focus_w, s.pad_s, s.pad_m, s.radius
    return f"""
QListView, QTableView, QListWidget {{
    background: {c.input}; color: {c.text}; border: {focus_w}px solid {c.border};
    border-radius: {radius}px; alternate-background-color: {c.surface};
    selection-background-color: {c.selection}; selection-color: {c.text}; outline: none;
}}
QListView:focus, QTableView:focus, QListWidget:focus {{ border-color: {c.focus}; }}
QTableView::item {{ padding: 0px {pad_m}px; border: none; }}
QTableView::item:selected, QListView::item:selected {{
    background: {c.selection}; color: {c.text};
}}
QHeaderView {{ background: {c.surface}; border: none; }}
QHeaderView::section {{
    background: {c.surface}; color: {c.muted}; border: none;
    border-bottom: 1px solid {c.border}; padding: {pad_s}px {pad_m}px; font-weight: 600;
}}
"""


def _controls_stylesheet(c: Palette, s: _Sizes) -> str:
    """Radio buttons, sliders and date fields, sized with the text."""
    focus_w, pad_s, pad_m, radius = s.focus_w, s.pad_s, s.pad_m, s.radius
    indicator, bar = s.indicator, s.bar
    return f"""QRadioButton {{
    spacing: {pad_m}px; padding: {pad_s}px; border: {focus_w}px solid transparent;
    border-radius: {radius}px;
}}
QRadioButton:focus {{ border-color: {c.focus}; }}
QRadioButton::indicator {{
    width: {indicator}px; height: {indicator}px; border: {focus_w}px solid {c.muted};
    border-radius: {indicator // 2 + focus_w}px; background: {c.input};
}}
QRadioButton::indicator:checked {{ background: {c.accent}; border-color: {c.accent}; }}
QSlider {{
    min-height: {indicator + 2 * pad_s}px; border: {focus_w}px solid transparent;
    border-radius: {radius}px; padding: 0px {pad_s}px;
}}
QSlider:focus {{ border-color: {c.focus}; }}
QSlider::groove:horizontal {{
    height: {bar}px; background: {c.input}; border: 1px solid {c.border};
    border-radius: {bar // 2}px;
}}
QSlider::sub-page:horizontal {{ background: {c.accent}; border-radius: {bar // 2}px; }}
QSlider::handle:horizontal {{
    width: {indicator}px; margin: -{(indicator - bar) // 2 + 1}px 0px;
    background: {c.text}; border-radius: {indicator // 2}px;
}}
QDateEdit {{
    background: {c.input}; color: {c.text}; border: {focus_w}px solid {c.control};
    border-radius: {radius}px; padding: {pad_s}px {pad_m}px;
}}
QDateEdit:focus {{ border-color: {c.focus}; }}
QDateEdit::up-button, QDateEdit::down-button {{ width: 0px; border: none; }}
QTextBrowser {{ background: {c.surface}; }}
QListView#preview {{
    background: {c.surface}; border-color: {c.control}; padding: {pad_s}px {pad_m}px;
}}
QListView#preview:focus {{ border-color: {c.focus}; }}
"""


def _cards_stylesheet(c: Palette, s: _Sizes) -> str:
    """The safety card, the demo banner, scores, chips, prompts and the writing toolbar."""
    f, focus_w, pad_s, pad_m, pad_l = s.f, s.focus_w, s.pad_s, s.pad_m, s.pad_l
    radius_l = s.radius_l
    return f"""QFrame[role="safety"] {{
    background: {c.emergency_bg}; border: {focus_w + 1}px solid {c.warning};
    border-radius: {radius_l}px;
}}
QLabel[role="safety-title"] {{ font-size: {round(f * 1.4)}px; font-weight: 700; }}
QFrame[role="demo-banner"] {{
    background: {c.emergency_bg}; border: none; border-bottom: {focus_w + 1}px solid {c.warning};
}}
QLabel[role="score"] {{ font-size: {round(f * 1.6)}px; font-weight: 600; }}
QPushButton[role="chip"] {{
    border-radius: {radius_l}px; padding: {max(2, pad_s // 2)}px {pad_m}px;
}}
QPushButton[role="chip"]:checked {{ background: {c.selection}; border-color: {c.accent}; }}
QFrame[role="prompt"] {{
    background: {c.surface}; border: 1px solid {c.border}; border-radius: {radius_l}px;
}}
QLabel[role="prompt-text"] {{ font-size: {round(f * 1.15)}px; font-weight: 600; }}
QFrame[role="toolbar"] {{ background: transparent; border: none; padding: 0px {pad_l // 4}px; }}
"""
