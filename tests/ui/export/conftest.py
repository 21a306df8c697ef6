"""Export UI fixtures: a vault with a session, a questionnaire, one entry marked to share and
one private entry (carrying a canary), made through the real services; a window unlocked on it."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from tests.support.export_gui import Ids, Opened, OpenExport, fill
from tests.support.gui import WindowFactory
from tests.support.steps import open_window, settle, show


@pytest.fixture
def ids(services: Services, manual_clock: ManualClock) -> Ids:
    return fill(services, manual_clock)


@pytest.fixture
def open_export(qtbot: QtBot, make_window: WindowFactory, ids: Ids) -> OpenExport:
    def opened(**kwargs: object) -> Opened:
        window, shell = open_window(qtbot, make_window, **kwargs)
        show(shell, "Export")
        page = shell.export_page
        qtbot.waitUntil(lambda: page.choices.picker.model.rowCount() > 0, timeout=10_000)
        settle(qtbot, window)
        return Opened(window, shell)

    return opened
