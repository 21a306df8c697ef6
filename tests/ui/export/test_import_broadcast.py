"""An import changes what several pages show; the op says what it changed and each built page
reloads itself (issue 14). Before, only Review and Home were wired to an import, and the
Session page kept saying "No session is planned" after an import brought the plan."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.domain.export_selection import Selection
from companion.i18n import format_time
from companion.paths import DataPaths
from companion.services.container import Services, build_services
from companion.services.export import ExportFormat, ExportRequest, Protection
from companion.ui.main_window import MainWindow
from companion.ui.shell import Shell
from companion.ui.shell_pages import PAGE_NAMES, SESSION_PAGE
from tests.support.export_gui import fill
from tests.support.gui import WindowFactory, click
from tests.support.services import fresh_vault
from tests.support.steps import open_window, settle, show
from tests.support.vault import PASSPHRASE

NOT_PLANNED = "No session is planned"


def planned(text: str) -> bool:
    """The Session page names the first imported visit (the finished one counts as 1 of 5)."""
    five_pm = format_time(dt.time(17, 0))  # "5:00 PM" in English, as the locale writes it
    return text.startswith("Session 2 of 5, planned for") and five_pm in text


def an_export_with_a_plan(tmp_path: Path, clock: ManualClock, kdf: KdfParams) -> Path:
    """A whole-vault JSON export from another computer: a finished session, entries, a
    questionnaire, and four sessions planned from three days on."""
    paths = DataPaths(tmp_path / "old-computer")
    paths.ensure()
    old = build_services(paths, clock, kdf=kdf)
    try:
        fill(old, clock)
        old.vault.unlock(PASSPHRASE)
        first = (clock.now() + timedelta(days=3)).astimezone()
        old.planning.plan_series(first.replace(hour=17, minute=0, second=0, microsecond=0))
        out = tmp_path / "moving.json"
        request = ExportRequest(
            Selection.whole_vault(), ExportFormat.JSON, Protection.plaintext(confirmed=True)
        )
        old.export.export(request, out)
    finally:
        old.worker.shutdown()
        old.vault.lock()
    return out


def import_file(qtbot: QtBot, window: MainWindow, shell: Shell, path: Path) -> None:
    show(shell, "Settings")
    data = shell.settings_page.data
    data.choose_import_file = lambda: path  # type: ignore[method-assign]
    click(qtbot, data.import_button)
    qtbot.waitUntil(lambda: data.import_status.text().startswith("Imported"), timeout=15_000)
    settle(qtbot, window)


def test_an_import_that_brings_a_plan_refreshes_session_home_and_review(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    fast_kdf: KdfParams,
    tmp_path: Path,
) -> None:
    exported = an_export_with_a_plan(tmp_path, manual_clock, fast_kdf)
    fresh_vault(services)
    window, shell = open_window(qtbot, make_window)
    window.autolock.stop()
    session, review = shell.session_page, shell.review  # built and loaded before the import
    settle(qtbot, window)
    assert session.start_view.next_text.text().startswith(NOT_PLANNED)
    assert shell.home.plan.visits == ()
    assert shell.home.completed.value.text() == "0"
    assert review.reflections.model.rowCount() == 0
    export_page = PAGE_NAMES.index("Export")
    assert not shell.is_built(export_page)

    import_file(qtbot, window, shell, exported)

    # The Session page's "next session" (the bug), Home's plan and facts, and Review all follow.
    assert planned(session.start_view.next_text.text())
    assert len(shell.home.plan.visits) == 4
    assert shell.home.completed.value.text() == "1"
    assert review.reflections.model.rowCount() == 2
    assert review.journal.start.session_box.count() >= 1  # the imported session to reflect on
    assert not shell.is_built(export_page)  # a broadcast reloads built pages, never builds one


def test_a_page_built_after_the_import_loads_what_it_brought(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    fast_kdf: KdfParams,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only pages asked for are built (and the unlock helper waits for no other).
    monkeypatch.setattr("companion.ui.shell_pages.BUILD_ORDER", ())
    monkeypatch.setattr("tests.support.gui.BUILD_ORDER", ())
    exported = an_export_with_a_plan(tmp_path, manual_clock, fast_kdf)
    fresh_vault(services)
    window, shell = open_window(qtbot, make_window)
    window.autolock.stop()
    import_file(qtbot, window, shell, exported)
    assert not shell.is_built(SESSION_PAGE)  # the broadcast did not build it

    session = shell.session_page  # built now, after the import: it loads fresh
    settle(qtbot, window)
    assert planned(session.start_view.next_text.text())
    assert len(shell.home.plan.visits) == 4
