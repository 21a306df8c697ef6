"""May the session start? Required items, timing, fasting, health changes and vitals."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.domain.checklist import FindingLevel, Readiness, assess_readiness
from companion.domain.vitals import Reading, assess_vitals
from companion.i18n import format_time
from companion.services.protocol_files import default_protocol

PROTOCOL = default_protocol()
LOCAL = ZoneInfo("Europe/Berlin")
FIVE_PM = datetime(2026, 3, 2, 17, 0, tzinfo=LOCAL)
ALL_CHECKED = frozenset(item.id for item in PROTOCOL.checklist)
ALL_NO = {q.id: False for q in PROTOCOL.health.questions}
OK_VITALS = assess_vitals(PROTOCOL.limits, Reading(120, 80, 70))


def ready(**changes: object) -> Readiness:
    args: dict[str, object] = {
        "checked": ALL_CHECKED,
        "health_answers": ALL_NO,
        "start_at": FIVE_PM,
        "last_meal_at": FIVE_PM - timedelta(hours=6),
        "vitals": OK_VITALS,
    }
    args.update(changes)
    return assess_readiness(PROTOCOL, **args)  # type: ignore[arg-type]


def ids(readiness: Readiness) -> list[str]:
    return [f.id for f in readiness.findings]


def test_everything_in_order_means_go() -> None:
    result = ready()
    assert result.findings == () and result.can_start()


def test_an_unticked_required_item_blocks_and_says_why() -> None:
    result = ready(checked=ALL_CHECKED - {"monitor_present"})
    (block,) = result.blocks
    assert block.id == "checklist:monitor_present"
    assert "monitor" in block.title.lower()
    assert block.text.startswith("Your eyes will be covered")
    assert not result.can_start(acknowledged={"checklist:monitor_present"})  # a block is a block


def test_an_unticked_advisory_item_is_only_a_note() -> None:
    result = ready(checked=ALL_CHECKED - {"do_not_disturb"})
    assert [(f.id, f.level) for f in result.findings] == [
        ("checklist:do_not_disturb", FindingLevel.INFO)
    ]
    assert result.can_start()


def test_nothing_ticked_blocks_on_every_required_item() -> None:
    result = ready(checked=frozenset())
    required = {f"checklist:{i.id}" for i in PROTOCOL.checklist if i.required}
    assert {f.id for f in result.blocks} == required


@pytest.mark.parametrize(
    ("hour", "minute", "finding"),
    [
        (20, 0, None),
        (20, 1, "timing:late"),
        (22, 30, "timing:late"),
        (7, 0, None),
        (6, 59, "timing:early"),
        (2, 0, "timing:early"),
    ],
)
def test_start_time_window(hour: int, minute: int, finding: str | None) -> None:
    start = FIVE_PM.replace(hour=hour, minute=minute)
    result = ready(start_at=start, last_meal_at=start - timedelta(hours=6))
    assert ids(result) == ([] if finding is None else [finding])
    if finding:
        assert result.findings[0].level is FindingLevel.CONFIRM
        assert not result.can_start()
        assert result.can_start(acknowledged={finding})


def test_a_late_start_names_the_protocols_time() -> None:
    start = FIVE_PM.replace(hour=21)
    (late,) = ready(start_at=start, last_meal_at=start - timedelta(hours=7)).findings
    assert format_time(time(20, 0)) in late.text and "sleep" in late.text  # 8:00 PM in English


def test_fasting_too_short_must_be_confirmed() -> None:
    result = ready(last_meal_at=FIVE_PM - timedelta(hours=3, minutes=10))
    (short,) = result.findings
    assert short.id == "fasting:short" and short.level is FindingLevel.CONFIRM
    assert "3 h 10 min ago" in short.text
    assert "at least 4 hours" in short.text
    assert f"until {format_time(time(17, 50))}" in short.text
    assert not result.can_start() and result.can_start(acknowledged={"fasting:short"})


@pytest.mark.parametrize(
    ("hours", "finding"),
    [
        (3.99, "fasting:short"),
        (4, "fasting:below_recommended"),
        (5.5, "fasting:below_recommended"),
        (6, None),
    ],
)
def test_fasting_boundaries(hours: float, finding: str | None) -> None:
    result = ready(last_meal_at=FIVE_PM - timedelta(hours=hours))
    assert ids(result) == ([] if finding is None else [finding])


def test_below_recommended_is_a_note_only() -> None:
    result = ready(last_meal_at=FIVE_PM - timedelta(hours=5))
    assert result.findings[0].level is FindingLevel.INFO and result.can_start()


def test_no_meal_time_leaves_fasting_to_the_checklist() -> None:
    assert ready(last_meal_at=None).findings == ()


def test_a_meal_after_the_start_is_refused() -> None:
    with pytest.raises(ValueError):
        ready(last_meal_at=FIVE_PM + timedelta(minutes=1))


def test_a_health_change_means_check_with_the_provider_first() -> None:
    result = ready(health_answers={**ALL_NO, "new_medicines": True, "illness": True})
    assert [f.id for f in result.to_confirm] == ["health:new_medicines", "health:illness"]
    first = result.to_confirm[0]
    assert first.title == "Check with your provider first"
    assert PROTOCOL.health.notice in first.text
    assert not result.can_start(acknowledged={"health:new_medicines"})
    assert result.can_start(acknowledged={"health:new_medicines", "health:illness"})


@pytest.mark.parametrize("question", ["pregnancy", "chest_pain", "heart_fainting", "substances"])
def test_safety_stop_contraindication_cannot_be_acknowledged(question: str) -> None:
    result = ready(health_answers={**ALL_NO, question: True})
    assert [f.id for f in result.blocks] == [f"health:{question}"]
    assert PROTOCOL.health.stop_notice in result.blocks[0].text
    assert not result.can_start(acknowledged={f"health:{question}"})


def test_an_unanswered_health_question_blocks() -> None:
    answers = dict(ALL_NO)
    answers["illness"] = None  # type: ignore[assignment]
    del answers["substances"]
    result = ready(health_answers=answers)
    assert [f.id for f in result.blocks] == ["health:substances", "health:illness"]


def test_vitals_warn_must_be_acknowledged_and_stop_blocks() -> None:
    warn = ready(vitals=assess_vitals(PROTOCOL.limits, Reading(145, 85, 70)))
    assert ids(warn) == ["vitals:warn"] and warn.can_start(acknowledged={"vitals:warn"})
    stop = ready(vitals=assess_vitals(PROTOCOL.limits, Reading(165, 85, 70)))
    assert ids(stop) == ["vitals:stop"] and not stop.can_start(acknowledged={"vitals:stop"})
    assert "do not take your dose" in stop.findings[0].text


def test_missing_vitals_block_unless_not_required() -> None:
    assert ids(ready(vitals=None)) == ["vitals:missing"]
    assert ready(vitals=None, require_vitals=False).findings == ()


def test_blocks_come_first_then_confirmations_then_notes() -> None:
    start = FIVE_PM.replace(hour=21)
    result = ready(
        start_at=start,
        last_meal_at=start - timedelta(hours=5),
        checked=ALL_CHECKED - {"quiet_room", "mask_and_music"},
    )
    levels = [f.level for f in result.findings]
    assert levels == [
        FindingLevel.BLOCK,
        FindingLevel.CONFIRM,
        FindingLevel.INFO,
        FindingLevel.INFO,
    ]
    assert result.unacknowledged() == result.to_confirm
