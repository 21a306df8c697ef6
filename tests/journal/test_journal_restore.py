"""Restoring an earlier version of an entry on a real vault: the words come back, the version
they replace is kept (so the undo is one more restore), sharing never changes, search follows,
and a version of another entry is refused."""

from __future__ import annotations

import pytest

from companion.domain.clock import ManualClock
from companion.domain.journal import draft_key_for_entry
from companion.services.container import Services
from companion.services.journal_model import EntryInput, RevisionNotFoundError
from companion.services.search import EntryFilters


def test_restoring_brings_the_words_back_and_keeps_what_it_replaced(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    first = journal.create(EntryInput(title="Morning", body="Version one, quiet.", tags=("a",)))
    manual_clock.advance(60)
    journal.update(first.id, EntryInput(title="Morning", body="Version two, louder.", mood=3))
    [older] = journal.revisions(first.id)
    manual_clock.advance(60)

    restored = journal.restore(first.id, older.id)
    now = journal.get(first.id)
    assert now.content.body == "Version one, quiet." and now.content.tags == ("a",)
    assert now.content.mood is None
    assert restored.entry == now
    assert restored.version_of == first.updated_at
    assert restored.draft_kept is False
    versions = journal.revisions(first.id)
    assert [v.content.body for v in versions] == ["Version two, louder.", "Version one, quiet."]
    assert restored.undo_revision_id == versions[0].id

    # The undo is one more restore: back to version two, and still nothing lost.
    assert restored.undo_revision_id is not None
    undone = journal.restore(first.id, restored.undo_revision_id)
    assert journal.get(first.id).content.body == "Version two, louder."
    assert journal.get(first.id).content.mood == 3
    assert [v.content.body for v in journal.revisions(first.id)] == [
        "Version one, quiet.",
        "Version two, louder.",
        "Version one, quiet.",
    ]
    assert undone.undo_revision_id == journal.revisions(first.id)[0].id


def test_restoring_never_changes_sharing(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    entry = journal.create(EntryInput(body="Shared once.", shared_with_provider=True))
    manual_clock.advance(60)
    journal.update(entry.id, EntryInput(body="Now private.", shared_with_provider=False))
    [older] = journal.revisions(entry.id)
    assert older.content.shared_with_provider is True
    journal.restore(entry.id, older.id)
    assert journal.get(entry.id).content.body == "Shared once."
    assert journal.get(entry.id).content.shared_with_provider is False


def test_search_finds_the_restored_words(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    entry = journal.create(EntryInput(body="a heron by the river"))
    manual_clock.advance(60)
    journal.update(entry.id, EntryInput(body="a crow on the roof"))
    assert search.search("heron") == []
    journal.restore(entry.id, journal.revisions(entry.id)[0].id)
    assert [h.entry_id for h in search.search("heron")] == [entry.id]
    assert search.search("crow") == []
    assert [e.id for e in search.list_entries(EntryFilters())] == [entry.id]


def test_restoring_the_same_words_keeps_no_new_version(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    entry = journal.create(EntryInput(body="One."))
    manual_clock.advance(60)
    journal.update(entry.id, EntryInput(body="Two."))
    manual_clock.advance(60)
    journal.update(entry.id, EntryInput(body="One."))
    same = next(v for v in journal.revisions(entry.id) if v.content.body == "One.")
    result = journal.restore(entry.id, same.id)
    assert result.undo_revision_id is None
    assert len(journal.revisions(entry.id)) == 2


def test_a_version_of_another_entry_is_refused_and_nothing_changes(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    mine = journal.create(EntryInput(body="Mine."))
    other = journal.create(EntryInput(body="Other, first."))
    manual_clock.advance(60)
    journal.update(other.id, EntryInput(body="Other, second."))
    [foreign] = journal.revisions(other.id)
    with pytest.raises(RevisionNotFoundError):
        journal.restore(mine.id, foreign.id)
    with pytest.raises(RevisionNotFoundError):
        journal.restore(mine.id, "no-such-version")
    assert journal.get(mine.id).content.body == "Mine."
    assert journal.revisions(mine.id) == []


def test_an_unsaved_edit_draft_is_left_alone_and_reported(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    entry = journal.create(EntryInput(body="One."))
    manual_clock.advance(60)
    journal.update(entry.id, EntryInput(body="Two."))
    key = draft_key_for_entry(entry.id)
    journal.save_draft(key, {"body": "Two, and more"}, kind="free", entry_id=entry.id)
    result = journal.restore(entry.id, journal.revisions(entry.id)[0].id)
    assert result.draft_kept is True
    draft = journal.get_draft(key)
    assert draft is not None and draft.content["body"] == "Two, and more"


def test_versions_saved_in_the_same_instant_keep_their_order(
    unlocked_services: Services,
) -> None:
    """The clock does not move: each kept version still lists after the one made before."""
    journal = unlocked_services.journal
    entry = journal.create(EntryInput(body="One."))
    journal.update(entry.id, EntryInput(body="Two."))
    journal.update(entry.id, EntryInput(body="Three."))
    journal.restore(entry.id, journal.revisions(entry.id)[-1].id)  # back to "One."
    assert [v.content.body for v in journal.revisions(entry.id)] == ["Three.", "Two.", "One."]
