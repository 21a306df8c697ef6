"""The Journal, Reflections and Insights pages with real content (not only their empty states,
which tests/ui/test_accessibility.py and test_text_scale.py walk): every focusable control has a
name for screen readers, and at 200 % text nothing is clipped, in both themes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.main_window import MainWindow
from companion.ui.shell import Shell
from companion.ui.theme import apply_theme
from tests.support.gui import WindowFactory, click
from tests.support.screen import LAPTOP, clipped, focusable, spoken_name
from tests.support.steps import complete_session, open_window, settle, show
from tests.support.vault import PASSPHRASE


def filled_vault(services: Services, clock: ManualClock) -> str:
    from tests.support.services import make_profile

    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.assessments.record("phq9", [2, 2, 1, 1, 1, 1, 1, 1, 0], context="before_session")
    sid = complete_session(services, clock)
    services.journal.create(
        EntryInput(
            kind="reflection",
            title="Soft edges of the afternoon, and a long title that has to wrap somewhere",
            body="The **sea** was quiet. " * 30,
            mood=7,
            tags=("calm", "sea"),
            session_id=sid,
        )
    )
    services.journal.create(
        EntryInput(title="Sleep", body="Slept well, sea dreams.", tags=("sleep",))
    )
    services.vault.lock()
    return sid


def each_state(qtbot: QtBot, window: MainWindow, shell: Shell, sid: str) -> Iterator[str]:
    review = shell.review
    journal, reflections, insights = review.journal, review.reflections, review.insights
    show(shell, "Journal")
    settle(qtbot, window)
    yield "journal start"
    shell.session_page.reflection_requested.emit(sid)
    qtbot.waitUntil(lambda: journal.editor is not None, timeout=10_000)
    yield "reflection editor"
    assert journal.editor is not None
    journal.editor.prompts.one_button.setChecked(True)
    journal.editor.prompts.show_question(1)
    yield "one question at a time"
    journal.editor.close_editor()
    settle(qtbot, window)
    journal.open_questionnaire("phq9")
    form = journal.form
    assert form is not None
    click(qtbot, form.groups[8].button(1))
    settle(qtbot, window)
    yield "PHQ-9 with the safety card"
    show(shell, "Reflections")
    qtbot.waitUntil(lambda: reflections.model.rowCount() == 2, timeout=10_000)
    yield "reflections list"
    qtbot.keyClicks(reflections.listing.search, "sea")
    reflections.run_search()
    qtbot.waitUntil(lambda: reflections.hits_model.rowCount() == 2, timeout=10_000)
    yield "search results"
    reflections.listing.when.setCurrentIndex(reflections.listing.when.count() - 1)
    yield "custom dates"
    reflections.open_entry(reflections.hits_model.hit_at(0).entry_id, ("sea",))
    qtbot.waitUntil(lambda: reflections.view is not None, timeout=10_000)
    yield "an entry with its session"
    assert reflections.view is not None
    click(qtbot, reflections.view.delete_button)
    yield "delete confirmation"
    assert reflections.dialog is not None
    reflections.dialog.reject()
    show(shell, "Insights")
    qtbot.waitUntil(lambda: insights.data is not None and not insights.drawing, timeout=10_000)
    settle(qtbot, window)
    yield "insights with charts"


def test_every_control_on_the_review_pages_has_a_name(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    sid = filled_vault(services, manual_clock)
    window, shell = open_window(qtbot, make_window)
    for state in each_state(qtbot, window, shell, sid):
        widgets = focusable(window)
        unnamed = [f"{type(w).__name__}" for w in widgets if not spoken_name(w)]
        assert not unnamed, f"{state}: no accessible name for {unnamed}"


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_nothing_on_the_review_pages_is_clipped_at_200_percent(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    settings: Settings,
    themed_app: QApplication,
    theme: str,
) -> None:
    sid = filled_vault(services, manual_clock)
    settings.set(TEXT_SCALE, 200)
    settings.set(THEME, theme)
    apply_theme(themed_app, theme, 200)
    window, shell = open_window(qtbot, make_window, size=LAPTOP)
    for state in each_state(qtbot, window, shell, sid):
        settle(qtbot, window)
        problems = clipped(window)
        assert not problems, f"{state} at 200 % ({theme}): {problems[:5]}"
