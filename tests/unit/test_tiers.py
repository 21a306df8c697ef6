"""The slow list stays true to the tests: an entry for a test that no longer exists (renamed,
or listed with the wrong parameter brackets) would quietly put that test back in the default
tier, so collecting its file stops the run."""

from __future__ import annotations

from tests.tiers import SLOW, stale_entries


def test_a_listed_test_that_was_not_collected_is_reported() -> None:
    entry = SLOW[0]
    path = entry.split("::", 1)[0]
    assert stale_entries(set(SLOW) - {entry}, {path}) == [entry]


def test_entries_of_files_not_collected_are_not_reported() -> None:
    assert stale_entries(set(), {"tests/unit/test_tiers.py"}) == []
    assert stale_entries(set(SLOW), {name.split("::", 1)[0] for name in SLOW}) == []
