"""At 200 % text size nothing is clipped: every label and control gets at least the room it asks
for, on every screen, in a window of an ordinary laptop size (pages scroll vertically)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QApplication,
)
from pytestqt.qtbot import QtBot

from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.theme import apply_theme, pixel_size
from tests.support.gui import WindowFactory, each_screen
from tests.support.screen import LAPTOP, clipped


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_nothing_is_clipped_at_200_percent(
    qtbot: QtBot,
    make_window: WindowFactory,
    settings: Settings,
    themed_app: QApplication,
    theme: str,
) -> None:
    settings.set(TEXT_SCALE, 200)
    settings.set(THEME, theme)
    apply_theme(themed_app, theme, 200)
    assert themed_app.font().pixelSize() == pixel_size(200) == 32
    window = make_window(size=LAPTOP)
    assert window.width() <= LAPTOP[0] and window.height() <= LAPTOP[1]
    for screen, _page in each_screen(qtbot, window):
        qtbot.waitUntil(lambda: not window.ctx.tasks.pending)
        problems = clipped(window)
        assert not problems, f"{screen} at 200 %: {problems[:5]}"
