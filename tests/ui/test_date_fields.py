"""Date fields that open a calendar (Home's plan, the Reflections and Export ranges) show the
same drop-down area and chevron as the drop-downs, inside their edge: Fusion's own arrow was
a few pixels wide and squeezed against the border at 100 %."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QDateTimeEdit,
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.ui.common.style import review_stylesheet
from companion.ui.session.planning import date_edit
from companion.ui.session.style import editor_stylesheet
from companion.ui.theme import apply_theme, pixel_size


def arrow_area(edit: QDateTimeEdit) -> tuple[int, int, int]:
    """The calendar button's width and its gaps to the field's right and left edges, as the
    field paints it (a combo box's arrow, ``QDateTimeEdit.paintEvent`` with a popup)."""
    option = QStyleOptionComboBox()
    option.initFrom(edit)
    rect = edit.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxArrow, edit
    )
    return rect.width(), edit.width() - rect.right() - 1, rect.left()


@pytest.mark.parametrize("percent", [100, 200])
def test_calendar_date_fields_show_a_full_size_drop_down_inside_their_edge(
    qapp: QApplication, qtbot: QtBot, percent: int
) -> None:
    apply_theme(qapp, "light", percent)
    try:
        host = QWidget()
        qtbot.addWidget(host)
        column = QVBoxLayout(host)
        planned = date_edit("Day and time")
        planned.setStyleSheet(editor_stylesheet("light", percent))
        ranged = QDateEdit()
        ranged.setCalendarPopup(True)
        ranged.setStyleSheet(review_stylesheet("light", percent))
        column.addWidget(planned)
        column.addWidget(ranged)
        host.resize(600, 200)
        host.show()
        qtbot.waitExposed(host)
        icon = round(pixel_size(percent) * 1.6)  # the drop-downs' area (the app sheet's icon)
        for edit in (planned, ranged):
            width, right_gap, left = arrow_area(edit)
            assert width >= icon, (edit, width, icon)
            assert right_gap >= 2, (edit, right_gap)  # not on the edge
            assert left > edit.width() // 2
    finally:
        apply_theme(qapp, "dark", 100)
