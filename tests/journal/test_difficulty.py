"""The unscored "how difficult" question, on a real vault: stored after the last item, read
back apart from the scored answers, and optional."""

from __future__ import annotations

import pytest

from companion.errors import InvalidInputError
from companion.services.container import Services
from companion.storage.models import AssessmentItemRow


def test_the_difficulty_answer_is_stored_but_not_scored(unlocked_services: Services) -> None:
    a = unlocked_services.assessments
    with_it = a.record("gad7", [1, 1, 1, 1, 1, 1, 1], difficulty=2).assessment
    without = a.record("gad7", [1, 1, 1, 1, 1, 1, 1]).assessment
    assert with_it.total == without.total == 7
    assert with_it.answers == without.answers == (1,) * 7
    assert (with_it.difficulty, without.difficulty) == (2, None)
    with unlocked_services.vault.unit_of_work() as session:
        rows = session.query(AssessmentItemRow).filter_by(assessment_id=with_it.id).all()
        assert sorted(r.item_number for r in rows) == list(range(1, 9))
        assert {r.item_number: r.answer for r in rows}[8] == 2
    assert a.get(with_it.id) == with_it
    assert {h.id: h.difficulty for h in a.history("gad7")} == {with_it.id: 2, without.id: None}


def test_a_wrong_difficulty_answer_is_refused(unlocked_services: Services) -> None:
    with pytest.raises(InvalidInputError, match="item 10"):
        unlocked_services.assessments.record("phq9", [0] * 9, difficulty=7)
    assert unlocked_services.assessments.history("phq9") == []
