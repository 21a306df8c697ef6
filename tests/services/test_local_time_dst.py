"""Planning in the person's own zone across a DST change: services built without an explicit
zone (as the app builds them) show each session at its local wall-clock time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from companion.services.container import Services


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_sessions_show_at_local_time_on_both_sides_of_dst(
    new_york: None, unlocked_services: Services
) -> None:
    planning = unlocked_services.planning
    before = planning.add_session(datetime(2026, 3, 2, 18, 0, tzinfo=UTC))  # EST
    after = planning.add_session(datetime(2026, 3, 16, 17, 0, tzinfo=UTC))  # EDT
    assert (before.starts_at.hour, before.starts_at.utcoffset()) == (13, timedelta(hours=-5))
    assert (after.starts_at.hour, after.starts_at.utcoffset()) == (13, timedelta(hours=-4))
