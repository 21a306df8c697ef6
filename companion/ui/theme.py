"""The calm look: two palettes (muted dark by default, a soft light one) and one stylesheet.

Every size in the stylesheet is computed from the text scale, so 200 % text grows paddings,
radii, check boxes and headings with it and nothing is clipped.

Changing the text size or the theme while the app runs does not replace the application's
stylesheet: Qt then re-polishes every widget of every page, several times over (1-2.5 s for a
text size, 2-6 s for a theme on this machine with every page built). Instead the application
font (or palette) changes, cheap, and the whole stylesheet of the look now, ``text_size_sheet()``,
is set on the parts of the window, a few at a time: what is on screen first, a page not shown
when it is next shown (see ``ui.restyle``). The stylesheet has no rule for the main window
itself (it would stay at the look the application's stylesheet was made for): its background
is the palette's, the same colour.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
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


@cache
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
    return _template().substitute({**asdict(colours), **{k: str(v) for k, v in sizes.items()}})


@cache
def _template() -> Template:
    return Template(STYLE_FILE.read_text(encoding="utf-8"))


@dataclass(slots=True)
class _Look:
    theme: str = "dark"  # the theme now
    sheet_theme: str = "dark"  # the theme the application's stylesheet was made for
    sheet_percent: int = 100  # the text size the application's stylesheet was made for
    percent: int = 100  # the text size now
    version: int = 0  # changes with every change of the look


_LOOK = _Look()


def text_size_sheet() -> str:
    """What a part of the window sets on itself (before its own rules) so that it follows the
    text size and theme now rather than those the application's stylesheet was made for: the
    whole stylesheet of the look now (a sheet on a widget wins over the application's, rule for
    rule), or nothing when the look is the one the application's stylesheet was made for."""
    if (_LOOK.theme, _LOOK.percent) == (_LOOK.sheet_theme, _LOOK.sheet_percent):
        return ""
    return stylesheet(_LOOK.theme, _LOOK.percent)


def look_sheet() -> str:
    """The whole stylesheet of the look now (theme and text size)."""
    return stylesheet(_LOOK.theme, _LOOK.percent)


def with_text_size(own_sheet: str) -> str:
    """A page's own stylesheet with the text size sheet first (the page's rules win)."""
    sizes = text_size_sheet()
    return f"{sizes}\n{own_sheet}" if sizes else own_sheet


def look_version() -> int:
    """Changes whenever the theme or the text size changes: a part of the window styled at an
    older version is restyled before it is shown again."""
    return _LOOK.version


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
    """Applies palette, font size and stylesheet to the whole application at once (start-up and
    a change of theme: every widget is re-polished)."""
    install_input_rules(app)  # Fusion, sliders that go where clicked, wheel and Enter rules
    _set_font(app, scale_percent)
    app.setPalette(qpalette(palette_for(theme)))
    app.setStyleSheet(stylesheet(theme, scale_percent))
    _LOOK.theme, _LOOK.sheet_theme = theme, theme
    _LOOK.sheet_percent, _LOOK.percent = scale_percent, scale_percent
    _LOOK.version += 1


def note_theme(theme: str) -> None:
    """The theme now, for ``text_size_sheet()``; the palette follows (``apply_palette``)."""
    if theme != _LOOK.theme:
        _LOOK.theme = theme
        _LOOK.version += 1


def apply_palette(app: QApplication, theme: str) -> None:
    """A new theme without touching the application's stylesheet: the palette changes at once
    (every widget takes it, ~10 ms); each part of the window takes ``text_size_sheet()``."""
    note_theme(theme)
    app.setPalette(qpalette(palette_for(theme)))


def note_text_size(scale_percent: int) -> None:
    """The text size now, for ``text_size_sheet()``; the font follows (``apply_text_size``)."""
    if scale_percent != _LOOK.percent:
        _LOOK.percent = scale_percent
        _LOOK.version += 1


def apply_text_size(app: QApplication, scale_percent: int) -> None:
    """A new text size without touching the application's stylesheet: the font changes at once;
    each part of the window takes ``text_size_sheet()`` (see ``ui.restyle``)."""
    note_text_size(scale_percent)
    if app.font().pixelSize() != pixel_size(scale_percent):
        _set_font(app, scale_percent)


def applied_theme() -> str:
    return _LOOK.theme


def _set_font(app: QApplication, scale_percent: int) -> None:
    font = QFont(app.font())
    font.setPixelSize(pixel_size(scale_percent))
    app.setFont(font)
