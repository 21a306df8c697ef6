"""The session's own look, on top of the app's stylesheet: larger type, and a quiet dim view.

Built from the same palettes and text scale as ``companion.ui.theme``, so 200 % text grows
the prompt and the clock with everything else.
"""

from __future__ import annotations

from companion.ui.theme import palette_for, pixel_size

# (background, dim text, raised, edge, focus) of the dimmed journey view; dark in both themes.
# The view is dark even in the light theme, so it has its own focus colour: the light theme's
# dark blue ring was 2.41:1 there. Checked by tests/ui/session/test_quiet_focus.py (WCAG 2.2 AA
# non-text contrast): edges 3:1 on the background; the focus ring 3:1 on the background, the
# button it rings and the edge it replaces (so focus shows as a change, not just a colour).
QUIET = {
    "dark": ("#0b0e12", "#8a96a3", "#1a2029", "#5b6675", "#b8e6de"),
    "light": ("#1b1f24", "#9aa6b2", "#262c34", "#66717f", "#a9d4f5"),
}
QUIET_HELP = ("#2a2226", "#e8d9c8", "#8a6a45")  # Help in the dim view: background, text, edge


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
    bg, dim, raised, edge, focus = QUIET["light" if theme == "light" else "dark"]
    help_bg, help_text, help_edge = QUIET_HELP
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
QLabel[role="checkin"] {{ font-weight: 600; }}
QLabel[role="dose"] {{ font-size: {round(f * 1.5)}px; font-weight: 600; }}
QPushButton[role="help"] {{
    background: {c.emergency_bg}; color: {c.text}; border: 2px solid {c.warning};
    border-radius: {radius}px; padding: {max(8, pad // 2)}px {pad}px; font-size: {round(f * 1.3)}px;
    font-weight: 600;
}}
QPushButton[role="help"]:focus {{ border-color: {c.focus}; }}
QWidget[role="quiet"] {{ background: {bg}; }}
QWidget[role="quiet"] QLabel {{ color: {dim}; }}
QWidget[role="quiet"] QLabel[role="countdown"] {{ color: {dim}; }}
QWidget[role="quiet"] QLabel[role="prompt"] {{ color: #d5dbe2; }}
QWidget[role="quiet"] QPushButton {{
    background: {raised}; color: {dim}; border: 2px solid {edge};
}}
QWidget[role="quiet"] QPushButton:focus {{ border-color: {focus}; color: #d5dbe2; }}
QWidget[role="quiet"] QPushButton[role="help"] {{
    background: {help_bg}; color: {help_text}; border: 2px solid {help_edge};
}}
QWidget[role="quiet"] QPushButton[role="help"]:focus {{ border-color: {focus}; }}
QWidget[role="quiet"] QLabel[role="checkin"] {{ color: #d5dbe2; }}
QWidget[role="quiet"] QLabel[role="check"] {{ color: #c5ccd4; }}
QWidget[role="quiet"] QCheckBox {{ color: #c5ccd4; font-size: {round(f * 1.3)}px; }}
QWidget[role="quiet"] QCheckBox:focus {{ border-color: {focus}; }}
QWidget[role="quiet"] QLineEdit {{ background: {raised}; color: #d5dbe2; border-color: {edge}; }}
QWidget[role="quiet"] QLineEdit:focus {{ border-color: {focus}; }}
"""
    )
