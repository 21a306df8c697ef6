"""Nothing moves under the cursor: on the passphrase step, the "Type it again" field and the
"Create my vault" button stay exactly where they are while the strength feedback and the
mismatch note come and go, at 100 % and 200 % text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.settings import TEXT_SCALE, Settings
from companion.ui.theme import apply_theme
from tests.support.gui import WindowFactory, click, type_text

STRONG = "lantern orchard quietly seventeen"


def place(widget: QWidget, page: QWidget) -> QPoint:
    """Where the widget sits on the scrolled page (scrolling is not jumping)."""
    return widget.mapTo(page, QPoint(0, 0))


@pytest.mark.parametrize("scale", [100, 200])
def test_type_it_again_and_create_never_jump(
    qtbot: QtBot,
    make_window: WindowFactory,
    themed_app: QApplication,
    settings: Settings,
    scale: int,
) -> None:
    settings.set(TEXT_SCALE, scale)
    apply_theme(themed_app, "dark", scale)
    window = make_window()
    flow = window.first_run
    assert flow is not None
    click(qtbot, flow.welcome.continue_button)
    step = flow.passphrase
    for _ in range(5):
        QApplication.processEvents()
    page = step.widget()
    assert page is not None
    confirm, create = place(step.confirm.edit, page), place(step.continue_button, page)
    places = []

    def still() -> None:
        QApplication.processEvents()
        places.append((place(step.confirm.edit, page), place(step.continue_button, page)))

    type_text(qtbot, step.passphrase.edit, "password1")  # weak: a reason and a suggestion
    still()
    assert not step.meter.reason.isHidden()
    type_text(qtbot, step.confirm.edit, "pass")  # does not match: the note shows
    still()
    assert step.mismatch.isVisibleTo(step)
    step.passphrase.clear()
    step.confirm.clear()
    still()
    type_text(qtbot, step.passphrase.edit, STRONG)
    type_text(qtbot, step.confirm.edit, STRONG)
    still()
    assert step.mismatch.isHidden() and step.continue_button.isEnabled()
    assert set(places) == {(confirm, create)}
