"""Dates in the words the pages use (local time, weekday first)."""

from __future__ import annotations

from datetime import datetime

from companion.i18n import format_datetime


def friendly_date(moment: datetime) -> str:
    """ "Tuesday, March 3, 2026 6:30 PM" (English) in the computer's time zone."""
    return format_datetime(moment.astimezone(), "full")


def time_edit_format() -> str:
    """A time edit's display format, 12- or 24-hour as the language's locale writes times."""
    from PySide6.QtCore import QLocale

    return QLocale().timeFormat(QLocale.FormatType.ShortFormat)
