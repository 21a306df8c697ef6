"""PHQ-9 and GAD-7: wording and codes, scoring at every band edge, item 9, change and schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.domain.profile import Profile
from companion.domain.scales import (
    ANSWERS,
    GAD7,
    PHQ9,
    SCALES,
    AssessmentRecord,
    DueRule,
    Scale,
    SessionRecord,
    change_from_baseline,
    find_baseline,
    questionnaires_due,
    safety_card,
    scale,
)
from companion.services.protocol_files import default_protocol


def answers_for(scale_: Scale, total: int, item9: int | None = None) -> list[int]:
    """Answers adding up to ``total``, filling items from the first.

    The safety item (PHQ-9 item 9) gets ``item9`` if given, otherwise whatever is left over.
    """
    answers = [0] * len(scale_.items)
    safety = None if scale_.safety_item is None else scale_.safety_item - 1
    left = total - (item9 or 0)
    for i in range(len(answers)):
        if i != safety:
            answers[i] = min(3, left)
            left -= answers[i]
    if safety is not None:
        answers[safety] = item9 if item9 is not None else left
        left -= 0 if item9 is not None else answers[safety]
    assert left == 0 and sum(answers) == total
    return answers


# --------------------------------------------------------------------------------------------
# Wording and codes


def test_phq9_wording_and_loinc_codes() -> None:
    assert PHQ9.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert [i.loinc for i in PHQ9.items] == [
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ]
    assert (PHQ9.loinc_panel, PHQ9.loinc_total) == ("44249-1", "44261-6")
    assert PHQ9.items[0].text == "Little interest or pleasure in doing things"
    assert PHQ9.items[8].text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [i.number for i in PHQ9.items] == list(range(1, 10))
    assert PHQ9.max_total == 27


def test_gad7_wording_and_loinc_codes() -> None:
    assert GAD7.stem == (
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    )
    assert [i.loinc for i in GAD7.items] == [
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]
    assert (GAD7.loinc_panel, GAD7.loinc_total) == ("69737-5", "70274-6")
    assert GAD7.items[0].text == "Feeling nervous, anxious or on edge"
    assert GAD7.items[6].text == "Feeling afraid as if something awful might happen"
    assert GAD7.max_total == 21


def test_answer_options() -> None:
    assert [(a.value, a.text) for a in ANSWERS] == [
        (0, "Not at all"),
        (1, "Several days"),
        (2, "More than half the days"),
        (3, "Nearly every day"),
    ]
    assert [a.loinc for a in ANSWERS] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


def test_scale_lookup() -> None:
    assert scale("phq9") is PHQ9 and scale("gad7") is GAD7
    assert set(SCALES) == {"phq9", "gad7"}
    with pytest.raises(KeyError, match="unknown questionnaire"):
        scale("beck")


# --------------------------------------------------------------------------------------------
# Scoring at every band edge


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_at_their_edges(total: int, band: str) -> None:
    result = PHQ9.score(answers_for(PHQ9, total))
    assert result.total == total and result.band.key == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands_at_their_edges(total: int, band: str) -> None:
    result = GAD7.score(answers_for(GAD7, total))
    assert result.total == total and result.band.key == band
    assert not result.needs_safety_card


def test_band_labels_read_plainly() -> None:
    assert [b.label for b in PHQ9.bands] == [
        "Minimal",
        "Mild",
        "Moderate",
        "Moderately severe",
        "Severe",
    ]
    assert [b.label for b in GAD7.bands] == ["Minimal", "Mild", "Moderate", "Severe"]


@pytest.mark.parametrize("s", [PHQ9, GAD7], ids=["phq9", "gad7"])
def test_bands_cover_every_total_once(s: Scale) -> None:
    for total in range(s.max_total + 1):
        assert sum(b.contains(total) for b in s.bands) == 1
    with pytest.raises(ValueError):
        s.band_for(s.max_total + 1)
    with pytest.raises(ValueError):
        s.band_for(-1)


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_phq9_total_is_the_sum_and_its_band_holds_it(answers: list[int]) -> None:
    result = PHQ9.score(answers)
    assert result.total == sum(answers)
    assert result.band.low <= result.total <= result.band.high
    assert result.answers == tuple(answers)
    assert result.needs_safety_card == (answers[8] > 0)


@given(st.lists(st.integers(0, 3), min_size=7, max_size=7))
def test_gad7_total_is_the_sum(answers: list[int]) -> None:
    result = GAD7.score(answers)
    assert result.total == sum(answers) and result.band.contains(result.total)


@pytest.mark.parametrize(
    "answers",
    [[0] * 8, [0] * 10, [0] * 8 + [4], [0] * 8 + [-1], [0] * 8 + [True], [0] * 8 + [1.5]],
)
def test_invalid_answers_are_refused(answers: list[int]) -> None:
    with pytest.raises(ValueError):
        PHQ9.score(answers)


# --------------------------------------------------------------------------------------------
# Item 9


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_any_answer_above_zero_on_item_9_shows_the_safety_card(item9: int) -> None:
    result = PHQ9.score(answers_for(PHQ9, item9, item9=item9))
    assert result.needs_safety_card
    assert result.band.key == "minimal"  # even when the total is low


def test_item_9_at_zero_shows_no_card_even_when_severe() -> None:
    result = PHQ9.score(answers_for(PHQ9, 24, item9=0))
    assert result.band.key == "severe" and not result.needs_safety_card


def test_the_card_shows_as_soon_as_item_9_is_answered() -> None:
    assert PHQ9.triggers_safety_card(9, 1)
    assert not PHQ9.triggers_safety_card(9, 0)
    assert not PHQ9.triggers_safety_card(8, 3)
    assert not GAD7.triggers_safety_card(7, 3)


def test_safety_card_uses_the_patients_own_numbers() -> None:
    profile = Profile(
        provider_name="Dr. Rivera",
        provider_contact="555-0100",
        crisis_line="116 123",
        emergency_number="112",
        monitor_name="Sam",
    )
    card = safety_card(profile)
    text = " ".join(card.lines)
    assert "116 123" in text and "112" in text and "Dr. Rivera (555-0100)" in text and "Sam" in text
    assert card.title == "You can call now"
    bare = " ".join(safety_card(Profile()).lines)
    assert "988" in bare and "911" in bare and "Dr." not in bare


# --------------------------------------------------------------------------------------------
# Response and remission


@pytest.mark.parametrize(
    ("baseline", "current", "response", "remission"),
    [
        (20, 10, True, False),  # exactly half
        (20, 11, False, False),  # just under half
        (12, 4, True, True),
        (10, 4, True, True),  # baseline exactly 10
        (10, 5, True, False),  # 5 is not below 5
        (9, 2, False, False),  # baseline under 10: neither is declared (Hull et al. 2022)
        (2, 1, False, False),  # a minimal start: halving it means nothing
        (15, 18, False, False),  # worse
        (0, 0, False, False),
    ],
)
def test_response_and_remission(
    baseline: int, current: int, response: bool, remission: bool
) -> None:
    change = change_from_baseline(PHQ9, baseline, current)
    assert (change.response, change.remission) == (response, remission)
    assert change.drop == baseline - current


def test_percent_drop() -> None:
    assert change_from_baseline(PHQ9, 20, 5).percent_drop == 75
    assert change_from_baseline(PHQ9, 10, 15).percent_drop == -50
    assert change_from_baseline(PHQ9, 0, 3).percent_drop is None
    assert change_from_baseline(PHQ9, 9, 2).remission_possible is False
    assert change_from_baseline(GAD7, 16, 4).remission  # the same thresholds for GAD-7
    with pytest.raises(ValueError):
        change_from_baseline(GAD7, 22, 4)
    with pytest.raises(ValueError):
        change_from_baseline(PHQ9, 10, -1)


def test_find_baseline() -> None:
    first = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    records = [
        AssessmentRecord("phq9", first - timedelta(days=20), 18),
        AssessmentRecord("phq9", first - timedelta(days=2), 16),
        AssessmentRecord("gad7", first - timedelta(days=1), 12),
        AssessmentRecord("phq9", first + timedelta(days=8), 9),
    ]
    baseline = find_baseline(records, "phq9", first)
    assert baseline is not None and baseline.total == 16
    assert find_baseline(records, "phq9", first - timedelta(days=30)) is None


# --------------------------------------------------------------------------------------------
# The schedule: before session 1, after sessions 2 and 4, then every 14 days

SCHEDULE = default_protocol().questionnaires
DAY0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


def done(*numbers: int) -> list[SessionRecord]:
    """Sessions 1.. done on days 1, 8, 15, 22 (one a week)."""
    return [SessionRecord(n, day(1 + 7 * (n - 1))) for n in numbers]


def taken(*days: float) -> list[AssessmentRecord]:
    return [AssessmentRecord(s, day(d)) for d in days for s in ("phq9", "gad7")]


def due_now(
    sessions: list[SessionRecord], assessments: list[AssessmentRecord], now: float
) -> list[tuple[str, DueRule, int | None]]:
    return [
        (d.scale_id, d.rule, d.session_number)
        for d in questionnaires_due(SCHEDULE, sessions, assessments, day(now))
    ]


def test_before_the_first_session_both_are_due() -> None:
    assert due_now([], [], 0) == [
        ("phq9", DueRule.BEFORE_SESSION, 1),
        ("gad7", DueRule.BEFORE_SESSION, 1),
    ]
    assert due_now([], taken(0), 0.5) == []
    assert due_now([], taken(-20), 0) != []  # a baseline older than two weeks is asked again


def test_only_one_scale_answered() -> None:
    only_phq = [AssessmentRecord("phq9", day(0))]
    assert due_now([], only_phq, 0.5) == [("gad7", DueRule.BEFORE_SESSION, 1)]


def test_after_session_one_nothing_is_due_until_session_two() -> None:
    assert due_now(done(1), taken(0), 2) == []


def test_after_session_two_and_its_answers() -> None:
    assert due_now(done(1, 2), taken(0), 8.2) == [
        ("phq9", DueRule.AFTER_SESSION, 2),
        ("gad7", DueRule.AFTER_SESSION, 2),
    ]
    assert due_now(done(1, 2), taken(0, 9), 10) == []


def test_a_missed_point_passes_when_the_next_session_is_done() -> None:
    assert due_now(done(1, 2, 3), taken(0), 16) == []


def test_after_session_four_then_every_fourteen_days() -> None:
    sessions = done(1, 2, 3, 4)
    assert due_now(sessions, taken(0, 9), 22.5) == [
        ("phq9", DueRule.AFTER_SESSION, 4),
        ("gad7", DueRule.AFTER_SESSION, 4),
    ]
    assessments = taken(0, 9, 23)
    assert due_now(sessions, assessments, 36.9) == []
    assert due_now(sessions, assessments, 37) == [
        ("phq9", DueRule.REPEAT, None),
        ("gad7", DueRule.REPEAT, None),
    ]
    assert due_now(sessions, [*assessments, *taken(37)], 40) == []
    reason = questionnaires_due(SCHEDULE, sessions, assessments, day(40))[0].reason
    assert reason == "Every 14 days (17 days since the last)"


def test_repeats_start_even_if_the_last_point_was_skipped() -> None:
    sessions = [*done(1, 2, 3, 4), SessionRecord(5, day(29))]  # a maintenance session
    assert due_now(sessions, taken(0, 9), 30) == []  # session 4 + 14 days not reached yet
    assert due_now(sessions, taken(0, 9), 36) == [
        ("phq9", DueRule.REPEAT, None),
        ("gad7", DueRule.REPEAT, None),
    ]


def test_future_assessments_are_ignored() -> None:
    assert due_now([], taken(5), 0) != []


# --------------------------------------------------------------------------------------------
# The functional-difficulty question (published, not scored)


def test_both_forms_end_with_the_published_difficulty_question() -> None:
    published = (
        "If you checked off any problems, how difficult have these problems made it for you to "
        "do your work, take care of things at home, or get along with other people?"
    )
    for s in (PHQ9, GAD7):
        assert s.difficulty.text == published
        assert [a.text for a in s.difficulty.answers] == [
            "Not difficult at all",
            "Somewhat difficult",
            "Very difficult",
            "Extremely difficult",
        ]
        assert s.difficulty.loinc == "69722-7"
        assert s.difficulty_number == len(s.items) + 1


def test_the_difficulty_answer_is_never_scored() -> None:
    answers = [1, 1, 1, 1, 1, 1, 1, 1, 0]
    plain = PHQ9.score(answers)
    hard = PHQ9.score(answers, difficulty=3)
    assert plain.total == hard.total == 8 and plain.band == hard.band
    assert (plain.difficulty, hard.difficulty) == (None, 3)
    with pytest.raises(ValueError, match="item 10"):
        PHQ9.score(answers, difficulty=4)
    with pytest.raises(ValueError, match="item 8"):
        GAD7.score([0] * 7, difficulty=-1)


def test_response_and_remission_need_a_meaningful_baseline() -> None:
    low = change_from_baseline(PHQ9, 2, 1)
    assert not low.meaningful and not low.response and not low.remission
    assert change_from_baseline(GAD7, 9, 0).response is False
    assert (
        change_from_baseline(GAD7, 10, 5).response and change_from_baseline(GAD7, 10, 5).meaningful
    )
