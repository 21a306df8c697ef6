"""Dates in the words the pages use (local time, weekday first)."""

from __future__ import annotations

from datetime import datetime

from companion.i18n import format_datetime


def friendly_date(moment: datetime) -> str:
    """ "Tuesday, March 3, 2026 6:30 PM" (English) in the computer's time zone."""
    return format_datetime(moment.astimezone(), "full")
