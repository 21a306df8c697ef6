"""Insights series and the sample-data generator, on real vaults."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from companion.domain.clock import ManualClock
from companion.errors import InvalidInputError
from companion.services.container import Services
from companion.services.demo import DemoOptions, VaultNotEmptyError
from companion.services.demo.text import WORDS_FILE, load_words, read_words
from companion.services.journal_model import EntryInput
from companion.storage.models import (
    AssessmentRow,
    DoseLogRow,
    JournalEntryRow,
    MonitorCheckinRow,
    SessionEventRow,
    SessionRow,
    VitalReadingRow,
)

SMALL = DemoOptions(sessions=6, entries=14, seed=3, min_words=30, max_words=120)


def count(services: Services, model: type) -> int:
    with services.vault.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def session_events(services: Services) -> list[str]:
    with services.vault.unit_of_work() as session:
        return list(session.scalars(select(SessionEventRow.kind)))


def test_empty_vault_series_say_what_will_appear(unlocked_services: Services) -> None:
    insights = unlocked_services.insights.overview()
    for series in (
        insights.mood,
        insights.phq9,
        insights.gad7,
        insights.vitals,
        insights.side_effects,
        insights.sessions_per_week,
    ):
        assert series.is_empty
        assert series.empty_text
    assert "PHQ-9" in insights.phq9.empty_text
    assert insights.phq9.bands[0].key == "minimal" and insights.phq9.max_total == 27


def test_demo_fills_every_part_of_the_app(unlocked_services: Services) -> None:
    report = unlocked_services.demo.generate(SMALL)
    assert (report.sessions, report.entries, report.reflections) == (6, 14, 6)
    assert report.integration + report.free == 8
    assert count(unlocked_services, SessionRow) == 6
    assert count(unlocked_services, JournalEntryRow) == 14
    assert count(unlocked_services, VitalReadingRow) == 12  # before and after each session
    assert count(unlocked_services, DoseLogRow) == 6
    # Recorded step by step through the session service, as a real session is: the default
    # protocol's check-ins (every 15 minutes from the dose while the journey lasts), each
    # session signed off by the monitor and completed.
    checkins = [e for e in session_events(unlocked_services) if e == "checkin_answers"]
    assert count(unlocked_services, MonitorCheckinRow) == len(checkins) == 6 * 3
    assert session_events(unlocked_services).count("signed_off") == 6
    with unlocked_services.vault.unit_of_work() as db:
        assert set(db.scalars(select(SessionRow.status))) == {"completed"}
    # before session 1, after sessions 2 and 4, then every 14 days; both questionnaires
    assert count(unlocked_services, AssessmentRow) == report.assessments >= 6
    assert report.words > 14 * 25

    entries = unlocked_services.search.list_entries()
    assert len(entries) == 14
    reflections = [e for e in entries if e.kind == "reflection"]
    assert len({e.session_id for e in reflections}) == 6
    assert all(e.title.startswith("After session") for e in reflections)
    first = unlocked_services.journal.get(reflections[-1].id)
    assert len(first.content.answers) >= 3 and first.content.dissociation.body is not None
    assert unlocked_services.search.search("session")  # indexed as it was written
    assert unlocked_services.journal.tags()

    # the session layer can read what the demo wrote
    facts = unlocked_services.sessions.session_facts(reflections[0].session_id or "")
    assert facts.dose is not None and len(facts.vitals) == 2


def test_demo_is_deterministic_for_a_seed(tmp_path: object, manual_clock: ManualClock) -> None:
    from companion.crypto.kdf import KdfParams
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from tests.support.vault import PASSPHRASE

    def titles(root: str) -> list[tuple[str, str, str]]:
        paths = DataPaths(tmp_path / root)  # type: ignore[operator]
        paths.ensure()
        built = build_services(paths, manual_clock, kdf=KdfParams.for_tests())
        try:
            built.vault.create(PASSPHRASE)
            built.demo.generate(SMALL)
            # the same words for a seed (the ids are the services' own, as for any entry)
            listed = built.search.list_entries()
            return [(e.title, e.kind, built.journal.get(e.id).content.body) for e in listed]
        finally:
            built.vault.lock()
            built.worker.shutdown()

    assert titles("one") == titles("two")


def test_demo_refuses_a_vault_with_the_patients_own_data(unlocked_services: Services) -> None:
    unlocked_services.journal.create(EntryInput(title="Mine"))
    with pytest.raises(VaultNotEmptyError):
        unlocked_services.demo.generate(SMALL)
    assert count(unlocked_services, SessionRow) == 0


def test_insights_series_from_demo_data(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    report = unlocked_services.demo.generate(SMALL)
    insights = unlocked_services.insights.overview()

    mood = insights.mood
    assert not mood.is_empty and [p.number for p in mood.points] == list(range(1, 7))
    assert all(p.before is not None and p.after is not None for p in mood.points)

    phq9 = insights.phq9
    assert not phq9.is_empty and phq9.baseline is not None
    assert phq9.points[0].total == phq9.baseline  # taken the day before session 1
    assert phq9.response_line == phq9.baseline / 2
    assert phq9.remission_line == (5 if phq9.baseline >= 10 else None)
    assert phq9.change is not None and phq9.change.drop > 0  # the sample trend improves
    assert len(phq9.points) + len(insights.gad7.points) == report.assessments

    vitals = insights.vitals
    assert not vitals.is_empty
    point = vitals.points[0]
    assert point.before is not None and point.after is not None
    assert point.before.systolic is not None and 90 < point.before.systolic < 160

    effects = insights.side_effects
    assert sum(c.total for c in effects.counts) == report.side_effects
    assert effects.sessions == 6
    assert [c.total for c in effects.counts] == sorted(
        (c.total for c in effects.counts), reverse=True
    )

    weeks = insights.sessions_per_week
    assert sum(w.sessions for w in weeks.weeks) == 6
    assert all(w.week_start.weekday() == 0 for w in weeks.weeks)
    assert weeks.weeks[-1].week_start <= manual_clock.now().date()
    assert isinstance(weeks.weeks[0].week_start, date)


def test_demo_words_are_a_data_file_and_a_broken_list_is_refused(tmp_path: Path) -> None:
    words = load_words()
    assert WORDS_FILE.is_file() and len(words.templates) > 20 and "calm" in words.tags
    text = WORDS_FILE.read_text(encoding="utf-8").replace("topics = [", "topics_gone = [")
    broken = tmp_path / "words.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="topics must be a non-empty list"):
        read_words(broken)


def test_entries_written_in_a_batch_obey_the_same_rules_as_one(
    unlocked_services: Services,
) -> None:
    at = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    journal = unlocked_services.journal
    with pytest.raises(InvalidInputError):
        journal.create_many([(EntryInput(title="Fine"), at), (EntryInput(mood=11), at)])
    assert count(unlocked_services, JournalEntryRow) == 0  # all or nothing
    ids = journal.create_many([(EntryInput(title="  Two   spaces ", tags=("Calm", "calm")), at)])
    entry = journal.get(ids[0])
    assert (entry.content.title, entry.content.tags) == ("Two spaces", ("calm",))
    assert entry.created_at == entry.updated_at == at
    assert unlocked_services.search.search("spaces")  # indexed as it was written
