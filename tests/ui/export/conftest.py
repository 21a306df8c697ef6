"""Export UI fixtures: a vault with a session, a questionnaire, one entry marked to share and
one private entry (carrying a canary), made through the real services; a window unlocked on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.journal import Answer, EntryInput
from companion.ui.export.page import ExportPage
from companion.ui.main_window import MainWindow
from companion.ui.pages.settings_data import DataSection
from companion.ui.shell import Shell
from tests.conftest import PASSPHRASE
from tests.services.conftest import make_profile
from tests.ui.conftest import WindowFactory
from tests.ui.helpers import click
from tests.ui.journal.steps import complete_session, open_window, settle, show

CANARY = "CANARY-7f2a-only-for-me-lighthouse"
SHARED_TITLE = "What I want Dr. Rivera to know"
SHARED_TEXT = "The music helped me stay with the feeling, and the sadness passed."
PRIVATE_TITLE = "Only for me"


@dataclass(frozen=True, slots=True)
class Ids:
    shared: str
    private: str


def fill(services: Services, clock: ManualClock) -> Ids:
    """The vault the export tests use (created unlocked, locked again at the end)."""
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.assessments.record("phq9", [2, 2, 1, 1, 1, 1, 1, 1, 0], context="before_session")
    complete_session(services, clock)
    now = clock.now()
    private = services.journal.create(
        EntryInput(kind="free", title=PRIVATE_TITLE, body=f"Something private: {CANARY}"),
        created_at=now - timedelta(days=3),
    )
    shared = services.journal.create(
        EntryInput(
            kind="integration",
            title=SHARED_TITLE,
            body=SHARED_TEXT,
            answers=(Answer("felt", "What did you feel?", "Calm, then tired."),),
            mood=7,
            tags=("music",),
            shared_with_provider=True,
        ),
        created_at=now - timedelta(days=2),
    )
    services.vault.lock()
    return Ids(shared.id, private.id)


@pytest.fixture
def ids(services: Services, manual_clock: ManualClock) -> Ids:
    return fill(services, manual_clock)


@dataclass(slots=True)
class Opened:
    window: MainWindow
    shell: Shell

    @property
    def page(self) -> ExportPage:
        return self.shell.export_page

    @property
    def data(self) -> DataSection:
        return self.shell.settings_page.data


OpenExport = Callable[..., Opened]


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


def wait_for_preview(qtbot: QtBot, opened: Opened) -> str:
    """Clicks "Preview what will be shared" and returns the preview's text."""
    page = opened.page
    click(qtbot, page.choices.preview_button)
    qtbot.waitUntil(lambda: page.currentWidget() is page.preview, timeout=15_000)
    settle(qtbot, opened.window)
    return page.preview.browser.toPlainText()


def save_to(page: ExportPage, target: Path, calls: list[Path] | None = None) -> None:
    """Answers the save dialog with ``target`` (the dialog itself is Qt's, not ours)."""

    def choose(suggested: Path) -> Path:
        if calls is not None:
            calls.append(suggested)
        return target

    page.choose_save_path = choose  # type: ignore[method-assign]
