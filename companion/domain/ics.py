"""The plan as an iCalendar file (RFC 5545).

The file leaves the vault, so it says only "Companion session" and the preparation times: no
medicine, no dose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from companion.domain.planning import Plan, PlannedSession, SessionStatus, require_aware
from companion.domain.protocol import Protocol
from companion.domain.reminders import preparation_timeline
from companion.i18n import _, format_time

PRODID = "-//Companion//Session plan 1.0//EN"
ICS_LINE_OCTETS = 75


def ics_escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Folds a content line to at most 75 octets per physical line, never inside a character.

    Continuation lines start with one space, which counts toward their 75 octets (§3.1).
    """
    parts: list[str] = []
    current, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > ICS_LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += ch
        size += n
    parts.append(current)
    return "\r\n".join(parts)


def _utc(when: datetime) -> str:
    return require_aware(when).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(hours: float) -> str:
    minutes = round(hours * 60)
    h, m = divmod(minutes, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else "")


def plan_to_ics(
    plan: Plan, protocol: Protocol, *, dtstamp: datetime, summary: str = "Companion session"
) -> str:
    """The plan as an iCalendar file: one VEVENT per session, with two alarms for planned ones.

    Cancelled sessions stay in the file with STATUS:CANCELLED (and a higher SEQUENCE) so a
    calendar that imported the plan before removes them.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    total = max((s.shown_number or 0 for s in plan.sessions), default=0)
    for s in sorted(plan.sessions, key=lambda s: s.number):
        lines += _vevent(s, total, protocol, dtstamp, summary)
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def _vevent(
    s: PlannedSession, total: int, protocol: Protocol, dtstamp: datetime, summary: str
) -> list[str]:
    end = s.starts_at + timedelta(minutes=protocol.timeline.planned_minutes)
    status = "CANCELLED" if s.status is SessionStatus.CANCELLED else "CONFIRMED"
    steps = preparation_timeline(s.starts_at, protocol)
    description = "\n".join(step.text for step in steps)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{s.uid}",
        f"DTSTAMP:{_utc(dtstamp)}",
        f"DTSTART:{_utc(s.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SEQUENCE:{s.sequence}",
        f"STATUS:{status}",
        f"SUMMARY:{ics_escape(_summary(summary, s, total))}",
        f"DESCRIPTION:{ics_escape(description)}",
        "TRANSP:OPAQUE",
    ]
    if s.status is SessionStatus.PLANNED:
        stop = s.starts_at - timedelta(hours=protocol.preparation.fasting_hours)
        lines += _valarm(
            "-P1D",
            _("{summary} tomorrow at {time}").format(
                summary=summary, time=format_time(s.starts_at)
            ),
        )
        lines += _valarm(
            f"-{_duration(protocol.preparation.fasting_hours)}",
            _("Time to stop eating ({stop}). Your session is at {start}.").format(
                stop=format_time(stop), start=format_time(s.starts_at)
            ),
        )
    lines.append("END:VEVENT")
    return lines


def _summary(summary: str, s: PlannedSession, total: int) -> str:
    return f"{summary} {s.shown_number} of {total}" if s.shown_number else summary


def _valarm(trigger: str, text: str) -> Sequence[str]:
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{ics_escape(text)}",
        f"TRIGGER:{trigger}",
        "END:VALARM",
    ]
