"""Sizes taken from the text (margins, spacing) follow a text-size change made while Companion
runs: a widget built at 100 % and changed to 200 % has the sizes of one built at 200 %."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from companion.ui.journal.revisions import RestoredNotice
from companion.ui.questionnaires.safety import SafetyCard
from companion.ui.session.dose import PrescriptionCard
from companion.ui.theme import apply_text_size, text_size_sheet
from companion.ui.widgets.field import FormField
from tests.support.python_calls import python_calls

BUILDERS: dict[str, Callable[[], QWidget]] = {
    "form field": lambda: FormField("Name", QLineEdit()),
    "safety card": SafetyCard,
    "prescription card": PrescriptionCard,
    "restored notice": RestoredNotice,
}


def sizes(widget: QWidget) -> tuple[int, ...]:
    layout = widget.layout()
    assert layout is not None
    margins = layout.contentsMargins()
    return (margins.left(), margins.top(), margins.right(), margins.bottom(), layout.spacing())


def test_margins_from_the_text_follow_a_live_text_size_change(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    part = QWidget()  # a part of the window, restyled as a whole on a change
    qtbot.addWidget(part)
    built = {name: build() for name, build in BUILDERS.items()}
    for widget in built.values():
        widget.setParent(part)
    part.ensurePolished()
    at_100 = {name: sizes(widget) for name, widget in built.items()}
    apply_text_size(themed_app, 200)  # as a live change: the font, then each part's sheet
    part.setStyleSheet(text_size_sheet())
    live = {name: sizes(widget) for name, widget in built.items()}
    fresh = {name: sizes(build()) for name, build in BUILDERS.items()}
    assert all(fresh[name] != at_100[name] for name in BUILDERS)
    assert live == fresh


def test_a_widget_fitted_to_its_text_is_not_handed_its_other_events(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    """Issue 16: the fits run again from the widget's own change event, not from an event
    filter, which Qt called for each of the widget's events (moves, resizes, layouts, paints:
    thousands in a session turn). A text-size change still reaches them (the test above)."""
    built = {name: build() for name, build in BUILDERS.items()}
    holder = QWidget()
    qtbot.addWidget(holder)
    for widget in built.values():
        widget.setParent(holder)
    holder.show()
    qtbot.waitExposed(holder)

    def move_and_resize() -> None:
        for step in range(40):
            for widget in built.values():
                widget.setGeometry(step, step, 300 + step * 5, 200 + step * 3)
            QApplication.processEvents()

    calls = python_calls(move_and_resize)
    filters = [name for name in calls if name.endswith("eventFilter")]
    # The window's own watcher sees the window's few events (``ui.app_events``), no widget's.
    assert set(filters) <= {"app_events.eventFilter"}, sorted(set(calls))
    assert not [name for name in calls if name.startswith("fits_text.")]
