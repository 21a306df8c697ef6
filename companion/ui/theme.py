"""The calm look: two palettes (muted dark by default, a soft light one) and one stylesheet.

Every size in the stylesheet is computed from the text scale, so 200 % text grows paddings,
radii, check boxes and headings with it and nothing is clipped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from string import Template

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from companion.paths import RESOURCES_DIR
from companion.ui.widgets.input_rules import install_input_rules

STYLE_FILE = RESOURCES_DIR / "styles" / "companion.qss"
ICONS_DIR = RESOURCES_DIR / "icons"
BASE_PIXEL_SIZE = 16  # the body text at 100 %: larger than most desktop defaults, on purpose
THEMES = ("dark", "light")


@dataclass(frozen=True, slots=True)
class Palette:
    window: str
    surface: str
    raised: str
    raised_hover: str
    input: str
    border: str  # decoration only (cards, dividers)
    control: str  # edges of things to use (fields, buttons, boxes): 3:1 on every background
    text: str
    muted: str
    disabled: str
    accent: str
    accent_hover: str
    on_accent: str
    focus: str
    link: str
    selection: str
    warning: str
    fair: str
    emergency_bg: str


DARK = Palette(
    window="#1d2430",
    surface="#232c39",
    raised="#2b3543",
    raised_hover="#334050",
    input="#27303d",
    border="#3b4757",
    control="#8a96a8",
    text="#e4e8ed",
    muted="#a3adba",
    disabled="#6f7987",
    accent="#6cb7ad",
    accent_hover="#7fc4ba",
    on_accent="#11201e",
    focus="#b8e6de",
    link="#8fd3c8",
    selection="#324556",
    warning="#e2b873",
    fair="#c9c27a",
    emergency_bg="#2a2a33",
)

LIGHT = Palette(
    window="#f2f0eb",
    surface="#faf8f4",
    raised="#e8e5de",
    raised_hover="#dedad2",
    input="#fcfbf8",
    border="#c9c4ba",
    control="#736d62",
    text="#252b33",
    muted="#545d69",
    disabled="#9a9a94",
    accent="#2e746b",
    accent_hover="#276259",
    on_accent="#fbfaf7",
    focus="#1f5f8a",
    link="#23655d",
    selection="#d7e6e2",
    warning="#8a5410",
    fair="#7a6d12",
    emergency_bg="#f1e7df",
)


def palette_for(theme: str) -> Palette:
    return LIGHT if theme == "light" else DARK


def pixel_size(scale_percent: int) -> int:
    return round(BASE_PIXEL_SIZE * scale_percent / 100)


def stylesheet(theme: str, scale_percent: int) -> str:
    colours = palette_for(theme)
    f = pixel_size(scale_percent)
    variant = "light" if theme == "light" else "dark"
    sizes = {
        "size_title": round(f * 1.75),
        "size_subtitle": round(f * 1.3),
        "size_small": round(f * 0.875),
        "size_key": round(f * 1.4),
        "pad_s": max(4, round(f * 0.4)),
        "pad_m": max(6, round(f * 0.6)),
        "pad_l": max(10, round(f * 1.0)),
        "radius_s": max(3, round(f * 0.25)),
        "radius": max(6, round(f * 0.45)),
        "radius_l": max(8, round(f * 0.75)),
        "focus_w": 2 if f < 28 else 3,
        "indicator": round(f * 1.2),
        "indicator_r": round(f * 1.2) // 2 + (2 if f < 28 else 3),
        "icon": round(f * 1.6),
        "icon_s": round(f * 0.9),
        "bar": max(8, round(f * 0.5)),
        "scrollbar": max(10, round(f * 0.7)),
        "check": (ICONS_DIR / f"check-{variant}.svg").as_posix(),
        "chevron": (ICONS_DIR / f"chevron-{variant}.svg").as_posix(),
    }
    template = Template(STYLE_FILE.read_text(encoding="utf-8"))
    return template.substitute({**asdict(colours), **{k: str(v) for k, v in sizes.items()}})


def qpalette(colours: Palette) -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: colours.window,
        QPalette.ColorRole.WindowText: colours.text,
        QPalette.ColorRole.Base: colours.input,
        QPalette.ColorRole.AlternateBase: colours.surface,
        QPalette.ColorRole.Text: colours.text,
        QPalette.ColorRole.Button: colours.raised,
        QPalette.ColorRole.ButtonText: colours.text,
        QPalette.ColorRole.BrightText: colours.text,
        QPalette.ColorRole.Highlight: colours.accent,
        QPalette.ColorRole.HighlightedText: colours.on_accent,
        QPalette.ColorRole.ToolTipBase: colours.raised,
        QPalette.ColorRole.ToolTipText: colours.text,
        QPalette.ColorRole.PlaceholderText: colours.muted,
        QPalette.ColorRole.Link: colours.link,
        QPalette.ColorRole.LinkVisited: colours.link,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(colours.disabled))
    return pal


def apply_theme(app: QApplication, theme: str, scale_percent: int) -> None:
    """Applies palette, font size and stylesheet to the whole application at once."""
    install_input_rules(app)  # Fusion, sliders that go where clicked, wheel and Enter rules
    font = QFont(app.font())
    font.setPixelSize(pixel_size(scale_percent))
    app.setFont(font)
    app.setPalette(qpalette(palette_for(theme)))
    app.setStyleSheet(stylesheet(theme, scale_percent))
