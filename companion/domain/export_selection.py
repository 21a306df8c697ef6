"""What an export includes: a date range, the parts the patient ticked, and which journal entries.

Pure rules, no storage: the export service asks these functions about each record it reads, so
the preview, every file format and the tests agree on exactly what leaves the device.

Journal entries are private by default. An entry is included only when it is marked "share
with provider" (``EntryChoice.SHARED``, the default), when the patient picked it by hand
(``EntryChoice.PICKED``: picked entries are included whatever their date), or when the patient
exports their whole record to move it (``EntryChoice.ALL``, and ``complete`` exports).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from companion.i18n import _


class Part(StrEnum):
    """The kinds of data a patient can tick on the Export page."""

    SESSIONS = "sessions"  # session summaries: dose as logged, moods, check-ins, side effects
    VITALS = "vitals"  # blood pressure and pulse
    QUESTIONNAIRES = "questionnaires"  # PHQ-9 and GAD-7 with their answers
    ENTRIES = "entries"  # journal entries, as chosen by ``EntryChoice``


ALL_PARTS = frozenset(Part)


class EntryChoice(StrEnum):
    SHARED = "shared"  # entries marked "share with provider" (the default)
    PICKED = "picked"  # exactly the entries picked one by one
    ALL = "all"  # every entry in the range, private ones too (moving one's own record)
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Selection:
    """An export's scope. ``start``/``end`` are local calendar days, both included; ``None``
    leaves that side open. ``complete`` means the whole vault (every table, drafts and earlier
    versions too) for moving to a new computer: the range, parts and entry choice are ignored.
    """

    start: date | None = None
    end: date | None = None
    parts: frozenset[Part] = ALL_PARTS
    entries: EntryChoice = EntryChoice.SHARED
    picked: frozenset[str] = frozenset()
    complete: bool = False
    zone: tzinfo = field(default=UTC)

    @classmethod
    def whole_vault(cls) -> Selection:
        return cls(complete=True, entries=EntryChoice.ALL)

    # --- the range ----------------------------------------------------------------------------
    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The range as instants: [start of ``start`` day, start of the day after ``end``)."""
        low = None if self.start is None else _midnight(self.start, self.zone)
        high = None if self.end is None else _midnight(self.end + timedelta(days=1), self.zone)
        return low, high

    def in_range(self, instant: datetime) -> bool:
        if self.complete:
            return True
        low, high = self.bounds()
        return (low is None or instant >= low) and (high is None or instant < high)

    # --- parts and entries --------------------------------------------------------------------
    def wants(self, part: Part) -> bool:
        return self.complete or part in self.parts

    def includes_entry(self, entry_id: str, shared: bool, created_at: datetime) -> bool:
        if self.complete:
            return True
        if not self.wants(Part.ENTRIES):
            return False
        if self.entries is EntryChoice.PICKED:
            return entry_id in self.picked
        if self.entries is EntryChoice.NONE or not self.in_range(created_at):
            return False
        return self.entries is EntryChoice.ALL or shared

    @property
    def may_include_private_entries(self) -> bool:
        """True when entries not marked shared can leave: the UI asks for a confirmation."""
        return self.complete or (
            self.wants(Part.ENTRIES) and self.entries in (EntryChoice.ALL, EntryChoice.PICKED)
        )

    def problems(self) -> dict[str, str]:
        """{field: plain problem}; empty when the selection can be exported."""
        found: dict[str, str] = {}
        if self.complete:
            return found
        if self.start is not None and self.end is not None and self.start > self.end:
            found["range"] = _("The start date is after the end date.")
        if not self.parts:
            found["parts"] = _("Choose at least one kind of data to export.")
        if Part.ENTRIES in self.parts and self.entries is EntryChoice.PICKED and not self.picked:
            found["entries"] = _("Pick at least one journal entry, or choose another option.")
        return found

    def describe(self) -> dict[str, object]:
        """The scope as written into exports (JSON ``scope``), without entry ids."""
        return {
            "complete": self.complete,
            "from": None if self.start is None or self.complete else self.start.isoformat(),
            "to": None if self.end is None or self.complete else self.end.isoformat(),
            "parts": sorted(p.value for p in (ALL_PARTS if self.complete else self.parts)),
            "entries": EntryChoice.ALL.value if self.complete else self.entries.value,
        }


def parse_parts(names: Iterable[str]) -> frozenset[Part]:
    """Parts from their names (``sessions``, ``vitals``...); ValueError names a bad one."""
    parts = set()
    for name in names:
        cleaned = name.strip().lower()
        if not cleaned:
            continue
        try:
            parts.add(Part(cleaned))
        except ValueError:
            known = ", ".join(p.value for p in Part)
            raise ValueError(f"unknown part {name!r} (known: {known})") from None
    return frozenset(parts)


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)
