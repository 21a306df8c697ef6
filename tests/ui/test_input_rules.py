"""The application-wide input rules, on real widgets: the wheel never changes an unfocused
drop-down, number box or slider (the page scrolls instead); a slider goes where it is clicked;
Enter presses a focused link-style button; Tab scrolls the focused widget into view."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import label, link_button
from tests.support.window_input import key_click, mouse_click, wheel


def tall_page(qtbot: QtBot, *widgets: QWidget) -> ScrollPage:
    page = ScrollPage()
    for n in range(12):
        page.column.addWidget(label(f"Line {n} of a long page that has to scroll."))
    for widget in widgets:
        page.column.addWidget(widget)
    for n in range(40):
        page.column.addWidget(label(f"More {n}"))
    qtbot.addWidget(page)
    page.resize(600, 300)
    with qtbot.waitExposed(page):
        page.show()
    return page


def test_the_wheel_over_an_unfocused_drop_down_scrolls_the_page_not_the_value(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    combo = QComboBox()
    combo.addItems(["None", "Mild", "Moderate", "Severe"])
    spin = QSpinBox()
    spin.setRange(0, 300)
    spin.setValue(120)
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 10)
    slider.setValue(5)
    other = QPushButton("Elsewhere")
    page = tall_page(qtbot, other, combo, spin, slider)
    other.setFocus()
    page.ensureWidgetVisible(combo)
    bar = page.verticalScrollBar()
    before = bar.value()
    wheel(combo)
    wheel(spin.lineEdit())
    wheel(slider)
    assert (combo.currentText(), spin.value(), slider.value()) == ("None", 120, 5)
    assert bar.value() > before  # the page scrolled instead
    assert not combo.hasFocus()  # the wheel does not hand out the focus either

    combo.setFocus()
    wheel(combo)
    assert combo.currentText() == "Mild"  # focused: the wheel is the patient's choice


def test_a_slider_goes_where_it_is_clicked(qtbot: QtBot, themed_app: QApplication) -> None:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 10)
    slider.setValue(0)
    qtbot.addWidget(slider)
    slider.resize(500, 40)
    with qtbot.waitExposed(slider):
        slider.show()
    point = QPoint(round(slider.width() * 0.8), slider.height() // 2)
    mouse_click(slider, point)
    assert slider.value() in (7, 8, 9)  # near the click, not one page step (1) from 0


def test_enter_presses_a_focused_link_button(qtbot: QtBot, themed_app: QApplication) -> None:
    back = link_button("← Back to the list", accessible_name="Back to the list")
    back.setAutoDefault(False)  # as the reflections viewer has it
    qtbot.addWidget(back)
    with qtbot.waitExposed(back):
        back.show()
    back.setFocus()
    pressed: list[bool] = []
    back.clicked.connect(lambda: pressed.append(True))
    key_click(back, Qt.Key.Key_Return)
    key_click(back, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert pressed == [True, True]
    back.setEnabled(False)
    key_click(back, Qt.Key.Key_Return)
    assert pressed == [True, True]


def test_tab_from_outside_a_page_scrolls_the_focused_button_into_view(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    """Focus coming from outside the page (the navigation, the footer) is not seen by the
    scroll area's own Tab handling: the rule scrolls anyway."""
    last = QPushButton("Far below")
    page = ScrollPage()
    page.column.addWidget(QPushButton("First"))
    for n in range(60):
        page.column.addWidget(label(f"Line {n}"))
    page.column.addWidget(last)
    outside = QPushButton("Outside the page")
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(page)
    layout.addWidget(outside)
    qtbot.addWidget(window)
    window.resize(500, 340)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    outside.setFocus()
    assert page.verticalScrollBar().value() == 0
    qtbot.keyClick(outside, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(last.hasFocus)
    top_left = last.mapTo(page.viewport(), QPoint(0, 0))
    assert top_left.y() >= 0 and top_left.y() + last.height() <= page.viewport().height()


def test_a_click_that_moves_the_focus_does_not_scroll_but_the_app_moving_it_does(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    """A field half in view at the bottom, clicked: the page stays put (the click's own focus
    move). The app then moving the focus to a button far below scrolls that into view."""
    first = QPushButton("First")
    field = QLineEdit()
    far = QPushButton("Far below")
    page = tall_page(qtbot, first, field)
    page.column.addWidget(far)
    page.activateWindow()  # as a window manager does
    qtbot.waitUntil(page.isActiveWindow)
    first.setFocus()
    bar = page.verticalScrollBar()
    column = page.widget()
    assert column is not None
    top = field.mapTo(column, QPoint(0, 0)).y()
    bar.setValue(top - page.viewport().height() + field.height() // 2)  # half of it in view
    before = bar.value()
    mouse_click(field, QPoint(field.width() // 2, 2))
    assert field.hasFocus()
    assert bar.value() == before
    far.setFocus()
    top_left = far.mapTo(page.viewport(), QPoint(0, 0))
    assert top_left.y() >= 0 and top_left.y() + far.height() <= page.viewport().height()
