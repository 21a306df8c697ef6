"""The person's local time zone, and local calendar days as UTC instants.

One place answers "which zone is this computer in": a named ``ZoneInfo`` whenever the system
says which (``TZ``, ``/etc/localtime``, ``/etc/timezone``), so daylight saving time is
followed. The fallback, a fixed offset from the C library, is right only until the next
change of offset, which is why everything asks here instead of calling ``astimezone()``.

Stored times are aware UTC instants; local dates ("from 1 March to 31 March") become the
UTC instants of their local midnights, each with that day's own offset.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCALTIME = Path("/etc/localtime")
TIMEZONE_FILE = Path("/etc/timezone")


def _zone_names() -> list[str]:
    names = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):  # not POSIX: no such files
        target = os.path.realpath(LOCALTIME)
        if "zoneinfo/" in target:
            names.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        names.append(TIMEZONE_FILE.read_text(encoding="utf-8").strip())
    return names


def local_zone() -> tzinfo:
    """The system's zone, as a ``ZoneInfo`` when it can be named (so DST is followed)."""
    for name in _zone_names():
        if name and not name.startswith("/"):
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


def local_midnight(day: date, zone: tzinfo | None = None) -> datetime:
    """The UTC instant at which ``day`` begins in ``zone`` (the local zone by default)."""
    return datetime.combine(day, time(0, 0), tzinfo=zone or local_zone()).astimezone(UTC)


def local_days(
    first: date | None, last: date | None, zone: tzinfo | None = None
) -> tuple[datetime | None, datetime | None]:
    """Both days included, as a half-open UTC range [start of ``first``, start of the day
    after ``last``). Each end takes its own day's offset: a range across a DST change is
    23 or 25 hours longer or shorter than whole days of 24, as the wall clock says."""
    zone = zone or local_zone()
    low = None if first is None else local_midnight(first, zone)
    high = None if last is None else local_midnight(last + timedelta(days=1), zone)
    return low, high


def local_date(instant: datetime, zone: tzinfo | None = None) -> date:
    """The calendar day an aware instant falls on in ``zone`` (the local zone by default)."""
    return instant.astimezone(zone or local_zone()).date()
