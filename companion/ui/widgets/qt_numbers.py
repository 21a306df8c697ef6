"""The few Qt enum values the unlock screen sets before its first frame, as Qt's numbers.

PySide builds the whole ``Qt`` namespace (93 enum types, 1,195 members) the first time the
name ``Qt`` is imported: ~120M instructions, ~13 ms here, the largest part of what Companion's
start-up added to a bare window's (issue 16). The first screen's widgets set these values with
``setProperty(name, number)``, which Qt converts to the property's enum, and ``Qt`` is first
imported after the first frame. Each number is checked against Qt's own enum in
``tests/ui/test_startup_enums.py``.
"""

from __future__ import annotations

NO_FOCUS = 0  # Qt.FocusPolicy.NoFocus
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
SCROLL_BAR_AS_NEEDED = 0  # Qt.ScrollBarPolicy.ScrollBarAsNeeded
PLAIN_TEXT = 0  # Qt.TextFormat.PlainText
RICH_TEXT = 1  # Qt.TextFormat.RichText
NO_TEXT_INTERACTION = 0  # Qt.TextInteractionFlag.NoTextInteraction
NO_CONTEXT_MENU = 0  # Qt.ContextMenuPolicy.NoContextMenu
# Qt.InputMethodHint: ImhSensitiveData | ImhNoPredictiveText | ImhNoAutoUppercase
SECRET_HINTS = 0x2 | 0x40 | 0x4
TEXT_SHOW_MNEMONIC = 0x0800  # Qt.TextFlag.TextShowMnemonic (QFontMetrics.size takes an int)
