"""PHQ-9 / GAD-7 on a real vault: stored scoring, the safety flag, baseline and the schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from companion.domain.clock import ManualClock
from companion.domain.scales import DueRule
from companion.errors import InvalidInputError
from companion.services.container import Services
from companion.storage.models import AssessmentItemRow, AssessmentRow, SessionRow


def add_session(services: Services, started_at: datetime, status: str = "completed") -> str:
    with services.vault.unit_of_work() as session:
        row = SessionRow(
            status=status, started_at=started_at, ended_at=started_at + timedelta(hours=2)
        )
        session.add(row)
        session.flush()
        return row.id


def test_answers_total_band_and_items_are_stored(unlocked_services: Services) -> None:
    recorded = unlocked_services.assessments.record("phq9", [1, 2, 1, 2, 1, 1, 1, 1, 0])
    view = recorded.assessment
    assert (view.total, view.band.key, view.safety_flag) == (10, "moderate", False)
    assert recorded.needs_safety_card is False
    with unlocked_services.vault.unit_of_work() as session:
        row = session.get(AssessmentRow, view.id)
        assert row is not None
        assert (row.instrument, row.total, row.context) == ("PHQ-9", 10, "on_demand")
        items = session.query(AssessmentItemRow).filter_by(assessment_id=view.id).all()
        assert sorted((i.item_number, i.answer) for i in items) == list(
            enumerate([1, 2, 1, 2, 1, 1, 1, 1, 0], start=1)
        )
    assert unlocked_services.assessments.get(view.id) == view
    assert view.answers == (1, 2, 1, 2, 1, 1, 1, 1, 0)


def test_item_nine_above_zero_sets_the_safety_flag(unlocked_services: Services) -> None:
    recorded = unlocked_services.assessments.record("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert recorded.needs_safety_card is True
    assert recorded.assessment.safety_flag is True
    assert recorded.assessment.total == 1 and recorded.assessment.band.key == "minimal"
    gad = unlocked_services.assessments.record("gad7", [3] * 7)
    assert gad.needs_safety_card is False and gad.assessment.band.key == "severe"


@pytest.mark.parametrize(
    ("scale_id", "answers"),
    [("phq9", [1] * 8), ("phq9", [4] + [0] * 8), ("gad7", [1] * 9), ("bdi", [0] * 21)],
)
def test_invalid_answers_are_refused(
    unlocked_services: Services, scale_id: str, answers: list[int]
) -> None:
    with pytest.raises(InvalidInputError):
        unlocked_services.assessments.record(scale_id, answers)


def test_history_and_change_against_the_pre_treatment_baseline(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    a = unlocked_services.assessments
    a.record("phq9", [2, 2, 2, 2, 2, 2, 1, 1, 0], context="before_session")  # 14
    manual_clock.advance(86400)
    add_session(unlocked_services, manual_clock.now())
    manual_clock.advance(7 * 86400)
    middle = a.record("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0])  # 8
    assert middle.progress.change is not None
    assert middle.progress.change.response is False  # 14 -> 8 is less than half
    manual_clock.advance(7 * 86400)
    last = a.record("phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0])  # 4
    progress = last.progress
    assert progress.baseline_is_pre_treatment is True
    assert progress.baseline is not None and progress.baseline.total == 14
    assert progress.change is not None
    assert progress.change.drop == 10 and progress.change.response and progress.change.remission
    assert [h.total for h in a.history("phq9")] == [14, 8, 4]
    assert a.history("gad7") == []
    assert a.progress("gad7").baseline is None


def test_without_a_pre_treatment_score_the_first_one_is_the_baseline(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    add_session(unlocked_services, manual_clock.now())
    manual_clock.advance(3600)
    a = unlocked_services.assessments
    first = a.record("gad7", [2] * 7)  # 14
    assert first.progress.change is None and first.progress.baseline_is_pre_treatment is False
    manual_clock.advance(86400)
    second = a.record("gad7", [1, 1, 1, 0, 0, 0, 0])  # 3
    assert second.progress.change is not None and second.progress.change.remission


def test_due_follows_the_protocol_schedule(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    a = unlocked_services.assessments
    due = a.due()
    assert [(d.scale_id, d.rule) for d in due] == [
        ("phq9", DueRule.BEFORE_SESSION),
        ("gad7", DueRule.BEFORE_SESSION),
    ]
    a.record("phq9", [1] * 9, context="before_session")
    a.record("gad7", [1] * 7, context="before_session")
    assert a.due() == ()
    for _ in range(2):
        manual_clock.advance(7 * 86400)
        add_session(unlocked_services, manual_clock.now())
    manual_clock.advance(3 * 3600)
    after = a.due()
    assert [(d.rule, d.session_number) for d in after] == [(DueRule.AFTER_SESSION, 2)] * 2
