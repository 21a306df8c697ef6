"""The slow list stays true to the tests: an entry for a test that no longer exists (renamed)
would quietly put that test back in the default tier, so collecting its file stops the run."""

from __future__ import annotations

from types import SimpleNamespace

from tests.tiers import SLOW, stale_entries


def test_a_listed_test_missing_from_its_module_is_reported() -> None:
    path, _, test = SLOW[0].partition("::")
    assert stale_entries({path: SimpleNamespace()}) == [SLOW[0]]
    assert stale_entries({path: SimpleNamespace(**{test: None})}) == []


def test_entries_of_files_not_collected_are_not_reported() -> None:
    assert stale_entries({"tests/unit/test_tiers.py": SimpleNamespace()}) == []
