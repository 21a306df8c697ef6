"""Dates in the words the pages use (local time, weekday first)."""

from __future__ import annotations

from datetime import datetime


def friendly_date(moment: datetime) -> str:
    """ "Tuesday 3 March 2026, 18:30" in the computer's time zone."""
    local = moment.astimezone()
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"
