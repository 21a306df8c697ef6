"""At 200 % text size nothing is clipped: every label and control gets at least the room it asks
for, on every screen, in a window of an ordinary laptop size (pages scroll vertically)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.main_window import MainWindow
from companion.ui.theme import apply_theme, pixel_size
from tests.ui.conftest import WindowFactory
from tests.ui.helpers import each_screen

LAPTOP = (1280, 860)


def clipped(window: MainWindow) -> list[str]:
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        name = f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r:.40}"
        size, hint = widget.size(), widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            if size.height() < needed:
                problems.append(f"{name}: height {size.height()} < {needed}")
        elif isinstance(widget, QLabel | QAbstractButton) and widget.text():
            if size.width() < hint.width() or size.height() < hint.height():
                problems.append(f"{name}: {size.toTuple()} < {hint.toTuple()}")
        elif isinstance(widget, QLineEdit | QComboBox) and size.height() < hint.height():
            problems.append(f"{name}: height {size.height()} < {hint.height()}")
    for area in window.findChildren(QScrollArea):
        inner = area.widget()
        visible = area.isVisibleTo(window) and inner is not None
        if visible and inner.width() > area.viewport().width():
            problems.append(f"page wider than its window: {inner.width()}")
    return problems


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
