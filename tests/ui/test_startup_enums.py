"""The unlock screen's widgets set a few Qt enum values by number before the first frame
(issue 16: PySide builds the whole ``Qt`` namespace on its first use, ~120M instructions), and
the hand cursor of its buttons waits for that frame: the widgets end up exactly as Qt's enums
would have set them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.ui import first_frame
from companion.ui.widgets import qt_numbers
from companion.ui.widgets.page import ScrollPage, SideColumn
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.text import button, label

IMH = Qt.InputMethodHint


def test_each_number_is_qt_s_own_value(qapp: QApplication) -> None:
    expected = {
        "NO_FOCUS": Qt.FocusPolicy.NoFocus,
        "SCROLL_BAR_ALWAYS_OFF": Qt.ScrollBarPolicy.ScrollBarAlwaysOff,
        "SCROLL_BAR_AS_NEEDED": Qt.ScrollBarPolicy.ScrollBarAsNeeded,
        "PLAIN_TEXT": Qt.TextFormat.PlainText,
        "RICH_TEXT": Qt.TextFormat.RichText,
        "NO_TEXT_INTERACTION": Qt.TextInteractionFlag.NoTextInteraction,
        "NO_CONTEXT_MENU": Qt.ContextMenuPolicy.NoContextMenu,
        "SECRET_HINTS": IMH.ImhSensitiveData | IMH.ImhNoPredictiveText | IMH.ImhNoAutoUppercase,
        "TEXT_SHOW_MNEMONIC": Qt.TextFlag.TextShowMnemonic,
    }
    assert {name: getattr(qt_numbers, name) for name in expected} == {
        name: value.value for name, value in expected.items()
    }
    metrics = QFontMetrics(qapp.font())  # the flag as a number measures as the enum does
    text = "&Unlock now"
    assert metrics.size(qt_numbers.TEXT_SHOW_MNEMONIC, text) == metrics.size(
        Qt.TextFlag.TextShowMnemonic, text
    )


def test_the_first_screen_s_widgets_take_the_values_set_by_number(qtbot: QtBot) -> None:
    page, side = ScrollPage(), SideColumn(label("Home"))
    field = PassphraseField("Passphrase")
    paragraph, plain = label("Your notes are locked."), label("Companion", "brand")
    for widget in (page, side, field, paragraph, plain):
        qtbot.addWidget(widget)
    for area in (page, side):
        assert area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        assert area.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded
        assert area.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert field.edit.inputMethodHints() == (
        IMH.ImhSensitiveData | IMH.ImhNoPredictiveText | IMH.ImhNoAutoUppercase
    )
    assert field.edit.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert paragraph.textFormat() == Qt.TextFormat.RichText
    assert paragraph.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    assert plain.textFormat() == Qt.TextFormat.PlainText


@pytest.fixture
def held() -> Iterator[None]:
    first_frame.hold()
    yield
    first_frame.release()


@pytest.mark.usefixtures("held")
def test_a_button_s_hand_cursor_waits_for_the_first_frame(qtbot: QtBot) -> None:
    before, gone = button("Unlock"), button("Show")
    qtbot.addWidget(before)
    gone.deleteLater()  # a button gone before the frame: its cursor is skipped, not an error
    qtbot.waitUntil(lambda: not shiboken6.isValid(gone), timeout=1_000)
    assert before.cursor().shape() == Qt.CursorShape.ArrowCursor  # still held
    first_frame.release()
    assert before.cursor().shape() == Qt.CursorShape.PointingHandCursor
    after = button("Help")  # nothing held once the frame is painted: at once
    qtbot.addWidget(after)
    assert after.cursor().shape() == Qt.CursorShape.PointingHandCursor
