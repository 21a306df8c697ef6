"""Local dates and times across a daylight-saving change, under a real DST zone (TZ set and
time.tzset() called, as a person's machine in New York or London would be).

Export date ranges used to take the current UTC offset for both ends, so a range reaching
across a DST change was an hour off at one end."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from companion.domain import localtime
from companion.domain.export_selection import Selection
from companion.domain.localtime import local_date, local_days, local_midnight, local_zone
from companion.services.export import default_zone

Zone = Callable[[str], None]


@pytest.fixture
def in_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Zone]:
    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("name", ["America/New_York", "Europe/London", "Australia/Sydney"])
def test_local_zone_is_the_named_zone_from_tz(in_zone: Zone, name: str) -> None:
    in_zone(name)
    assert local_zone() == ZoneInfo(name)
    assert default_zone() == ZoneInfo(name)


def test_local_zone_follows_dst_not_todays_offset(in_zone: Zone) -> None:
    in_zone("America/New_York")
    zone = local_zone()
    winter = datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset()
    summer = datetime(2026, 7, 15, 12, tzinfo=zone).utcoffset()
    assert (winter, summer) == (timedelta(hours=-5), timedelta(hours=-4))


def test_a_range_across_spring_forward_maps_each_end_with_its_own_offset(in_zone: Zone) -> None:
    in_zone("America/New_York")  # DST begins 8 March 2026
    low, high = local_days(date(2026, 3, 1), date(2026, 3, 31))
    assert low == datetime(2026, 3, 1, 5, tzinfo=UTC)  # EST, UTC-5
    assert high == datetime(2026, 4, 1, 4, tzinfo=UTC)  # EDT, UTC-4
    assert high - low == timedelta(days=31) - timedelta(hours=1)


def test_a_range_across_fall_back_is_25_hours_longer_than_its_days(in_zone: Zone) -> None:
    in_zone("Europe/London")  # BST ends 25 October 2026
    low, high = local_days(date(2026, 10, 25), date(2026, 10, 25))
    assert (low, high) == (
        datetime(2026, 10, 24, 23, tzinfo=UTC),
        datetime(2026, 10, 26, 0, tzinfo=UTC),
    )
    assert low is not None and high is not None and high - low == timedelta(hours=25)


def test_export_selection_bounds_use_the_local_zone_across_dst(in_zone: Zone) -> None:
    in_zone("America/New_York")
    selection = Selection(start=date(2026, 10, 1), end=date(2026, 11, 30), zone=default_zone())
    low, high = selection.bounds()
    assert low == datetime(2026, 10, 1, 4, tzinfo=UTC)  # EDT
    assert high == datetime(2026, 12, 1, 5, tzinfo=UTC)  # EST
    late_on_the_last_day = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 23:30 on 30 November
    just_after = datetime(2026, 12, 1, 5, 30, tzinfo=UTC)  # 00:30 on 1 December
    early_on_the_first_day = datetime(2026, 10, 1, 4, 30, tzinfo=UTC)  # 00:30 on 1 October
    the_evening_before = datetime(2026, 10, 1, 3, 30, tzinfo=UTC)  # 23:30 on 30 September
    assert selection.in_range(late_on_the_last_day)
    assert selection.in_range(early_on_the_first_day)
    assert not selection.in_range(just_after)
    assert not selection.in_range(the_evening_before)


def test_local_date_of_an_instant_near_midnight(in_zone: Zone) -> None:
    in_zone("America/New_York")
    assert local_date(datetime(2026, 7, 1, 3, 30, tzinfo=UTC)) == date(2026, 6, 30)
    assert local_date(datetime(2026, 7, 1, 4, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert local_midnight(date(2026, 7, 1)) == datetime(2026, 7, 1, 4, tzinfo=UTC)


def test_without_tz_the_system_zone_file_names_the_zone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(localtime, "LOCALTIME", tmp_path / "no-localtime")
    zone_file = tmp_path / "timezone"
    zone_file.write_text("Europe/London\n", encoding="utf-8")
    monkeypatch.setattr(localtime, "TIMEZONE_FILE", zone_file)
    assert local_zone() == ZoneInfo("Europe/London")


def test_an_unknown_zone_name_falls_back_to_the_c_library_offset(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TZ", "Not/AZone")
    monkeypatch.setattr(localtime, "LOCALTIME", tmp_path / "no-localtime")
    monkeypatch.setattr(localtime, "TIMEZONE_FILE", tmp_path / "no-timezone")
    zone = local_zone()
    assert datetime(2026, 1, 1, tzinfo=zone).utcoffset() is not None
