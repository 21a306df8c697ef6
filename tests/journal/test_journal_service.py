"""Writing entries on a real vault: saving, editing with kept versions, drafts, validation."""

from __future__ import annotations

import pytest

from companion.domain.clock import ManualClock
from companion.domain.journal import draft_key_for_entry, draft_key_for_new
from companion.errors import InvalidInputError
from companion.services.container import Services
from companion.services.journal_model import Answer, Dissociation, EntryInput, EntryNotFoundError
from companion.storage.models import DraftRow, TagRow
from tests.support.vault import PASSPHRASE


def reflection(**changes: object) -> EntryInput:
    base = EntryInput(
        kind="reflection",
        title="After the first session",
        body="I felt *light* and calm.\n\nThe music was like a river.",
        answers=(
            Answer("felt", "What did you feel?", "Warm, a little sad, then open."),
            Answer("images", "What images or insights came?", "   "),
        ),
        mood=7,
        dissociation=Dissociation(body=2, surroundings=1, time=3),
        tags=("Calm", "#music", "calm"),
    )
    return EntryInput(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, **changes})


def test_create_stores_a_normalised_entry(unlocked_services: Services) -> None:
    journal = unlocked_services.journal
    entry = journal.create(reflection())
    stored = journal.get(entry.id)
    assert stored == entry
    content = stored.content
    assert content.tags == ("calm", "music")
    assert [a.prompt_id for a in content.answers] == ["felt"]  # blank answers are not kept
    assert content.dissociation == Dissociation(2, 1, 3)
    assert content.mood == 7 and content.shared_with_provider is False
    assert stored.word_count == 11 + 6


def test_invalid_entries_are_refused_with_each_problem_named(unlocked_services: Services) -> None:
    with pytest.raises(InvalidInputError) as caught:
        unlocked_services.journal.create(
            reflection(mood=11, dissociation=Dissociation(body=7), kind="poem")
        )
    assert set(caught.value.problems) == {"mood", "dissociation_body", "kind"}
    assert unlocked_services.search.list_entries() == []


def test_editing_keeps_earlier_versions(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    entry = journal.create(reflection())
    manual_clock.advance(60)
    journal.update(entry.id, reflection(body="Second thoughts.", tags=("sleep",)))
    manual_clock.advance(60)
    latest = journal.update(entry.id, reflection(body="Third version.", mood=8))
    unchanged = journal.update(entry.id, reflection(body="Third version.", mood=8))
    assert unchanged.updated_at == latest.updated_at  # nothing changed: no new version

    revisions = journal.revisions(entry.id)
    assert [r.content.body for r in revisions] == [
        "Second thoughts.",
        "I felt *light* and calm.\n\nThe music was like a river.",
    ]
    assert revisions[0].content.tags == ("sleep",)
    assert revisions[1].version_updated_at == entry.updated_at
    assert revisions[0].saved_at > revisions[1].saved_at
    assert journal.get(entry.id).content.mood == 8
    assert latest.created_at == entry.created_at and latest.updated_at > entry.updated_at


def test_tags_no_entry_uses_any_more_are_removed(unlocked_services: Services) -> None:
    journal = unlocked_services.journal
    entry = journal.create(reflection(tags=("grief",)))
    journal.create(reflection(tags=("calm",)))
    journal.update(entry.id, reflection(tags=("calm",)))
    with unlocked_services.vault.unit_of_work() as session:
        assert sorted(t.name for t in session.query(TagRow)) == ["calm"]
    assert [(t.name, t.entries) for t in journal.tags()] == [("calm", 2)]


def test_sharing_switch_is_off_by_default_and_keeps_no_version(
    unlocked_services: Services,
) -> None:
    journal = unlocked_services.journal
    entry = journal.create(EntryInput(kind="free", title="Private"))
    assert entry.content.shared_with_provider is False
    journal.set_shared(entry.id, True)
    assert journal.get(entry.id).content.shared_with_provider is True
    assert journal.revisions(entry.id) == []
    [summary] = unlocked_services.search.list_entries()
    assert summary.shared is True


def test_missing_entries_say_so(unlocked_services: Services) -> None:
    journal = unlocked_services.journal
    with pytest.raises(EntryNotFoundError):
        journal.get("nope")
    with pytest.raises(EntryNotFoundError):
        journal.update("nope", EntryInput())
    with pytest.raises(EntryNotFoundError):
        journal.delete("nope")


def test_drafts_upsert_survive_lock_and_unlock_and_go_when_published(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    key = draft_key_for_new("free")
    journal.save_draft(key, {"title": "Half", "body": "I was wri"})
    manual_clock.advance(3)
    journal.save_draft(key, {"title": "Half", "body": "I was writing"})
    other = draft_key_for_new("reflection", None)
    manual_clock.advance(3)
    journal.save_draft(other, {"body": "x"}, kind="reflection")
    with unlocked_services.vault.unit_of_work() as session:
        assert session.query(DraftRow).count() == 2

    unlocked_services.vault.lock()
    unlocked_services.vault.unlock(PASSPHRASE)
    pending = journal.pending_drafts()
    assert [d.key for d in pending] == [other, key]  # newest first
    assert pending[1].content == {"title": "Half", "body": "I was writing"}
    assert journal.get_draft(key) == pending[1]

    journal.create(EntryInput(title="Half", body="I was writing"), draft_key=key)
    journal.discard_draft(other)
    assert journal.pending_drafts() == []


def test_editing_drafts_are_removed_when_the_edit_is_saved(unlocked_services: Services) -> None:
    journal = unlocked_services.journal
    entry = journal.create(EntryInput(title="One"))
    journal.save_draft(draft_key_for_entry(entry.id), {"title": "Two"}, entry_id=entry.id)
    journal.update(entry.id, EntryInput(title="Two"))
    assert journal.pending_drafts() == []


def test_drafts_refuse_content_that_is_not_json(unlocked_services: Services) -> None:
    with pytest.raises(InvalidInputError):
        unlocked_services.journal.save_draft("k", {"when": object()})
