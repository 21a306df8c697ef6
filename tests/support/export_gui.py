"""Export UI helpers: the vault the export page tests use (made through the real services),
the opened page, the preview and the save dialog's answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.journal_model import Answer, EntryInput
from companion.ui.export.page import ExportPage
from companion.ui.main_window import MainWindow
from companion.ui.pages.settings_data import DataSection
from companion.ui.shell import Shell
from tests.support.gui import click
from tests.support.services import make_profile
from tests.support.steps import complete_session, settle
from tests.support.vault import PASSPHRASE

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


def wait_for_preview(qtbot: QtBot, opened: Opened) -> str:
    """Clicks "Preview what will be shared" and returns the preview's text."""
    page = opened.page
    click(qtbot, page.choices.preview_button)
    qtbot.waitUntil(lambda: page.currentWidget() is page.preview, timeout=15_000)
    settle(qtbot, opened.window)
    return page.preview.pane.toPlainText()


def save_to(page: ExportPage, target: Path, calls: list[Path] | None = None) -> None:
    """Answers the save dialog with ``target`` (the dialog itself is Qt's, not ours)."""

    def choose(suggested: Path) -> Path:
        if calls is not None:
            calls.append(suggested)
        return target

    page.choose_save_path = choose  # type: ignore[method-assign]
