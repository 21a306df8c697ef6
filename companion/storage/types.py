"""Column types shared by the models."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from companion.errors import DamagedDataError

YEAR_MIN, YEAR_MAX = 1900, 2199  # every date the app stores; outside it is damage


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware, so no naive time leaks in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a timezone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or not (YEAR_MIN <= value.year <= YEAR_MAX):
            raise DamagedDataError()
        return value.replace(tzinfo=UTC)

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None] | None:
        """A damaged page can hand the date parser NULs or garbage (SQLCipher gives back a
        zeroed overflow page): that is "this part of your vault is damaged", not a crash."""
        inner = super().result_processor(dialect, coltype)
        if inner is None:
            return None

        def process(value: Any) -> datetime | None:
            try:
                return inner(value)
            except (ValueError, TypeError, OverflowError) as exc:
                raise DamagedDataError() from exc

        return process


def new_id() -> str:
    """Stable, random ids: an export imported twice never duplicates a record."""
    return uuid.uuid4().hex
