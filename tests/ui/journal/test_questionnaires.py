"""PHQ-9 and GAD-7 as published: item 9 shows the safety card at once; the score, band and the
change against the starting point are shown exactly."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.scales import PHQ9
from companion.services.container import Services
from companion.ui.questionnaires.form import QuestionnaireForm, ResultView
from tests.support.gui import WindowFactory, click
from tests.support.services import make_profile
from tests.support.steps import on_worker, open_window, settle, show
from tests.support.vault import PASSPHRASE


def answer(qtbot: QtBot, form: QuestionnaireForm, item: int, value: int) -> None:
    click(qtbot, form.groups[item - 1].button(value))


def test_item_9_shows_the_safety_card_at_once_and_the_score_is_exact(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    services.vault.create(PASSPHRASE)
    services.profile.save(replace(make_profile(), crisis_line="13 11 14", emergency_number="000"))
    services.assessments.record("phq9", [2, 2, 2, 2, 1, 1, 1, 1, 0], context="before_session")
    services.vault.lock()
    manual_clock.advance(timedelta(days=21).total_seconds())
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    show(shell, "Journal")
    click(qtbot, journal.start.phq9_button)
    form = journal.form
    assert isinstance(form, QuestionnaireForm)
    settle(qtbot, window)  # the profile, for the card's numbers
    assert form.stem.text() == PHQ9.stem
    texts = [b.text() for b in form.groups[8].buttons()]
    assert texts == ["Not at all", "Several days", "More than half the days", "Nearly every day"]
    assert not form.submit_button.isEnabled()

    assert form.safety.isHidden()
    answer(qtbot, form, 9, 1)  # "Several days": the card shows now, before anything is saved
    assert form.safety.isVisible()
    card = form.safety.text()
    assert "You can call now" in card and "13 11 14" in card and "000" in card
    assert "Dr. Rivera" in card and "+1 555 0100" in card
    assert on_worker(window, lambda s: len(s.assessments.history("phq9"))) == 1  # nothing yet
    answer(qtbot, form, 9, 0)
    assert form.safety.isHidden()
    answer(qtbot, form, 9, 2)
    assert form.safety.isVisible()

    for item, value in zip(range(1, 9), (1, 1, 0, 1, 0, 0, 0, 0), strict=True):
        answer(qtbot, form, item, value)
    assert form.progress.text() == "All 9 answered. Score 5: mild."
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: journal.result is not None, timeout=10_000)
    result = journal.result
    assert isinstance(result, ResultView)
    assert result.score.text() == "5 of 27"
    assert result.band.text() == "Mild (5 to 9)"
    assert "down 7 from 12" in result.change.text()
    assert "response" in result.change.text()
    assert result.safety.isVisible() and "13 11 14" in result.safety.text()
    stored = on_worker(window, lambda s: s.assessments.history("phq9"))
    assert [a.total for a in stored] == [12, 5] and stored[-1].safety_flag
    click(qtbot, result.done_button)
    settle(qtbot, window)
    assert "Latest PHQ-9: 5 (mild)" in journal.start.scores.text()


def test_gad7_on_demand_and_what_is_due(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.vault.lock()
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    assert "is due" in journal.start.due.text()  # before session 1: the starting point
    show(shell, "Journal")
    click(qtbot, journal.start.gad7_button)
    form = journal.form
    assert isinstance(form, QuestionnaireForm)
    assert form.safety.isHidden()
    for item in range(1, 8):
        answer(qtbot, form, item, 3)
    assert form.safety.isHidden()  # GAD-7 has no safety item
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: journal.result is not None, timeout=10_000)
    assert journal.result is not None
    assert journal.result.score.text() == "21 of 21"
    assert journal.result.band.text() == "Severe (15 to 21)"
    assert "starting point" in journal.result.change.text()
    stored = on_worker(window, lambda s: s.assessments.history("gad7"))
    assert stored[0].context == "before_session"


def test_the_forms_end_with_the_unscored_difficulty_question(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.vault.lock()
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    show(shell, "Journal")
    click(qtbot, journal.start.phq9_button)
    form = journal.form
    assert isinstance(form, QuestionnaireForm)
    settle(qtbot, window)
    assert form.difficulty_card.isVisible()
    assert [b.text() for b in form.difficulty.buttons()] == [
        "Not difficult at all",
        "Somewhat difficult",
        "Very difficult",
        "Extremely difficult",
    ]
    for item in range(1, 10):
        answer(qtbot, form, item, 0 if item == 9 else 1)
    assert form.submit_button.isEnabled(), "the last question may be left blank"
    click(qtbot, form.difficulty.button(1))
    assert form.progress.text() == "All 9 answered. Score 8: mild.", "and it is not scored"
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: journal.result is not None, timeout=10_000)
    stored = on_worker(window, lambda s: s.assessments.history("phq9"))
    assert [(a.total, a.difficulty) for a in stored] == [(8, 1)]


def test_no_response_is_declared_from_a_low_starting_score() -> None:
    from companion.domain.scales import change_from_baseline
    from companion.ui.questionnaires.form import NOT_MEANINGFUL, REMISSION_WORDS, trial_words

    assert trial_words(change_from_baseline(PHQ9, 2, 1)) == NOT_MEANINGFUL
    assert "below 10" in NOT_MEANINGFUL
    assert trial_words(change_from_baseline(PHQ9, 12, 3)) == REMISSION_WORDS
    assert "few or no signs" in REMISSION_WORDS
