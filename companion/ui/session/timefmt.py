"""How times and durations read on the session screens (plain, local, no seconds unless useful)."""

from __future__ import annotations

import math
from datetime import datetime

from companion.i18n import _, format_time, n_


def clock_time(moment: datetime) -> str:
    """ "2:05 PM" / "14:05" in the local zone, as the language writes times."""
    return format_time(moment.astimezone())


def countdown(seconds: float) -> str:
    """ "4:09" for the hold timer: minutes and seconds, rounded up so 0:00 means done."""
    whole = max(0, math.ceil(seconds - 1e-9))
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def elapsed(seconds: float) -> str:
    """ "23:41" or "1:02:05": what has passed, rounded down."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def spoken_minutes(seconds: float) -> str:
    """ "23 minutes" for screen readers (the big clock says 23:41)."""
    minutes = max(0, int(seconds // 60))
    return _("less than a minute") if minutes == 0 else n_("{n} minute", "{n} minutes", minutes)
