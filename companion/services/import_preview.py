"""What an import will bring in, said before anything is written: counts, the entries' dates
and first titles, how many are marked to share, the tags. Built from records in memory or from
what the import's first pass kept of a file it did not hold (``import_scan.Survey``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from companion.i18n import _, format_date, n_


def preview_lines(
    records: Mapping[str, Sequence[Mapping[str, Any]]], zone: tzinfo, limit: int = 8
) -> list[str]:
    """What a file will bring in, before anything is written: counts, the entries' dates and
    their first titles, and how many are marked to share."""
    entries = sorted(records.get("journal_entry", ()), key=lambda e: e["created_at"])
    return summary_lines(
        Summary(
            entries=len(entries),
            others=sum(len(v) for k, v in records.items() if k not in JOURNAL_KINDS),
            shared=sum(1 for e in entries if e["shared_with_provider"]),
            tags=[t["name"] for t in records.get("tag", ())],
            first=[(e["created_at"], e["title"]) for e in entries[:limit]],
            latest=entries[-1]["created_at"] if entries else None,
        ),
        zone,
        limit,
    )


@dataclass(frozen=True)
class Summary:
    """What the preview says of a file, gathered from its records or while they were read."""

    entries: int
    others: int
    shared: int
    tags: Sequence[str]
    first: Sequence[tuple[datetime, str]]  # the earliest entries' dates and titles, in order
    latest: datetime | None


def summary_lines(summary: Summary, zone: tzinfo, limit: int = 8) -> list[str]:
    lines = [n_("{n} journal entry.", "{n} journal entries.", summary.entries)]
    if summary.others:
        lines.append(n_("{n} other record.", "{n} other records.", summary.others))
    if summary.first and summary.latest is not None:
        first = format_date(summary.first[0][0].astimezone(zone).date())
        last = format_date(summary.latest.astimezone(zone).date())
        lines.append(_("Written from {first} to {last}.").format(first=first, last=last))
        shared = summary.shared
        lines.append(
            n_(
                "{n} is marked to share with your provider.",
                "{n} are marked to share with your provider.",
                shared,
            )
            if shared
            else _("All of them stay private: none is marked to share with your provider.")
        )
    tags = sorted(summary.tags)
    if tags:
        lines.append(
            _("Tags: {tags}.").format(tags=", ".join(tags[:12]) + (", …" if len(tags) > 12 else ""))
        )
    for created, title in summary.first[:limit]:
        day = format_date(created.astimezone(zone).date())
        lines.append(f"  {day}  {title.strip() or _('(untitled)')}")
    if summary.entries > limit:
        more = summary.entries - limit
        lines.append("  " + n_("… and {n} more.", "… and {n} more.", more))
    return lines


JOURNAL_KINDS = frozenset({"journal_entry", "tag", "entry_tag", "journal_answer"})
