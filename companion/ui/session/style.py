"""The session's own look, on top of the app's stylesheet: larger type, and a quiet dim view.

Built from the same palettes and text scale as ``companion.ui.theme``, so 200 % text grows
the prompt and the clock with everything else.
"""

from __future__ import annotations

from companion.ui.theme import palette_for, pixel_size

# (background, dim text, raised, border) of the dimmed journey view; dark in both themes.
QUIET = {
    "dark": ("#0b0e12", "#8a96a3", "#1a2029", "#2a3441"),
    "light": ("#1b1f24", "#9aa6b2", "#262c34", "#36404c"),
}


def editor_stylesheet(theme: str, scale_percent: int) -> str:
    """Date and time editors dressed like the app's spin boxes (the app sheet covers those)."""
    c = palette_for(theme)
    f = pixel_size(scale_percent)
    focus_w = 2 if f < 28 else 3
    pad_s, pad_m = max(4, round(f * 0.4)), max(6, round(f * 0.6))
    radius = max(6, round(f * 0.45))
    return f"""
QDateTimeEdit {{
    background: {c.input}; color: {c.text}; border: {focus_w}px solid {c.control};
    border-radius: {radius}px; padding: {pad_s}px {pad_m}px; min-height: {round(f * 1.5)}px;
}}
QDateTimeEdit:focus {{ border-color: {c.focus}; }}
QDateTimeEdit:disabled {{ color: {c.disabled}; }}
QDateTimeEdit::up-button, QDateTimeEdit::down-button {{ width: 0px; border: none; }}
"""


def session_stylesheet(theme: str, scale_percent: int) -> str:
    c = palette_for(theme)
    f = pixel_size(scale_percent)
    bg, dim, raised, border = QUIET["light" if theme == "light" else "dark"]
    big = round(f * 1.9)
    huge = round(f * 3.2)
    pad = max(10, round(f * 0.9))
    radius = max(8, round(f * 0.75))
    return (
        editor_stylesheet(theme, scale_percent)
        + f"""
QLabel[role="prompt"] {{ font-size: {big}px; font-weight: 500; }}
QLabel[role="countdown"] {{ font-size: {huge}px; font-weight: 300; color: {c.text}; }}
QLabel[role="finding-block"] {{ color: {c.warning}; font-weight: 600; }}
QFrame[role="stop-card"] {{
    background: {c.emergency_bg}; border: 2px solid {c.warning}; border-radius: {radius}px;
}}
QFrame[role="prescription"] {{
    background: {c.surface}; border: 2px solid {c.accent}; border-radius: {radius}px;
}}
QLabel[role="dose"] {{ font-size: {round(f * 1.5)}px; font-weight: 600; }}
QPushButton[role="help"] {{
    background: {c.emergency_bg}; color: {c.text}; border: 2px solid {c.warning};
    border-radius: {radius}px; padding: {pad}px {pad * 2}px; font-size: {round(f * 1.3)}px;
    font-weight: 600;
}}
QPushButton[role="help"]:focus {{ border-color: {c.focus}; }}
QWidget[role="quiet"] {{ background: {bg}; }}
QWidget[role="quiet"] QLabel {{ color: {dim}; }}
QWidget[role="quiet"] QLabel[role="countdown"] {{ color: {dim}; }}
QWidget[role="quiet"] QLabel[role="prompt"] {{ color: #d5dbe2; }}
QWidget[role="quiet"] QPushButton {{
    background: {raised}; color: {dim}; border: 2px solid {border};
}}
QWidget[role="quiet"] QPushButton:focus {{ border-color: {c.focus}; color: #d5dbe2; }}
QWidget[role="quiet"] QPushButton[role="help"] {{
    background: #2a2226; color: #e8d9c8; border: 2px solid #8a6a45;
}}
QWidget[role="quiet"] QPushButton[role="help"]:focus {{ border-color: {c.focus}; }}
QWidget[role="quiet"] QCheckBox {{ color: #c5ccd4; font-size: {round(f * 1.3)}px; }}
QWidget[role="quiet"] QLineEdit {{ background: {raised}; color: #d5dbe2; border-color: {border}; }}
"""
    )
