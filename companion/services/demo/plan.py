"""The demo's calendar: sessions on the protocol's cadence, entries around them, and the
questionnaire moments of the protocol's schedule. Pure: nothing here writes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from companion.domain.protocol import Protocol
from companion.services.demo.text import TextGenerator


@dataclass(slots=True)
class PlannedSession:
    number: int
    started_at: datetime
    mood_before: int
    mood_after: int
    intention: str
    id: str = ""  # the session's id, once recorded


@dataclass(slots=True)
class PlannedEntry:
    kind: str
    created_at: datetime
    session: PlannedSession | None
    words: int


@dataclass(frozen=True, slots=True)
class QuestionnaireMoment:
    at: datetime
    context: str  # before_session, after_session, repeat
    session: PlannedSession | None


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def plan_sessions(
    rng: random.Random,
    text: TextGenerator,
    protocol: Protocol,
    count: int,
    now: datetime,
    zone: tzinfo,
) -> list[PlannedSession]:
    """``count`` sessions ending a few days before ``now``: the protocol's cadence for its
    series, then every three to six days; each starts between 9:00 and 11:00 local time."""
    weekly = protocol.cadence.interval_days
    gaps = [weekly if i < protocol.cadence.sessions else rng.randint(3, 6) for i in range(count)]
    span = sum(gaps[1:]) + 3 if count else 0
    day = (now - timedelta(days=span)).astimezone(zone)
    sessions: list[PlannedSession] = []
    for number in range(1, count + 1):
        if number > 1:
            day += timedelta(days=gaps[number - 1])
        start = day.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
            minutes=rng.randint(0, 120)
        )
        progress = min(1.0, number / 8)
        before = clamp(round(3 + 3 * progress + rng.gauss(0, 1)), 0, 10)
        after = clamp(before + rng.choice((0, 1, 1, 2, 2, 3)), 0, 10)
        sessions.append(PlannedSession(number, start, before, after, text.intention()))
    return sessions


def plan_entries(
    rng: random.Random,
    sessions: list[PlannedSession],
    count: int,
    now: datetime,
    words: tuple[int, int],
) -> list[PlannedEntry]:
    """A reflection after each of the latest sessions, next-day check-ins, then free and
    integration entries spread over the whole span; oldest first."""

    def length() -> int:  # most entries are short, some long: a skewed draw
        low, high = words
        return int(low + (high - low) * rng.random() ** 1.6)

    entries: list[PlannedEntry] = []
    reflections = min(count, len(sessions))
    for s in sessions[len(sessions) - reflections :]:
        entries.append(PlannedEntry("reflection", s.started_at + timedelta(hours=3), s, length()))
    rest = count - reflections
    next_day = min(rest * 2 // 3, len(sessions))
    for s in rng.sample(sessions, next_day) if next_day else []:
        at = s.started_at + timedelta(days=1, hours=rng.randint(-1, 4))
        entries.append(PlannedEntry("integration", min(at, now), s, length()))
    first = sessions[0].started_at if sessions else now - timedelta(days=60)
    span = max(1.0, (now - first).total_seconds())
    for _ in range(rest - next_day):
        at = first + timedelta(seconds=rng.uniform(0, span))
        kind = "integration" if rng.random() < 0.3 else "free"
        entries.append(PlannedEntry(kind, at, None, length()))
    entries.sort(key=lambda e: e.created_at)
    return entries


def questionnaire_moments(
    protocol: Protocol, sessions: list[PlannedSession], now: datetime
) -> list[QuestionnaireMoment]:
    """The protocol's schedule: the day before session 1, after the listed sessions, then
    every so many days after the last listed one, up to ``now``."""
    if not sessions:
        return []
    schedule = protocol.questionnaires
    first = sessions[0].started_at
    moments = [QuestionnaireMoment(first - timedelta(days=1), "before_session", None)]
    by_number = {s.number: s for s in sessions}
    for n in schedule.after_sessions:
        if n in by_number:
            at = by_number[n].started_at + timedelta(hours=5)
            moments.append(QuestionnaireMoment(at, "after_session", by_number[n]))
    last_listed = max(schedule.after_sessions, default=0)
    if schedule.every_days_after > 0 and last_listed in by_number:
        at = by_number[last_listed].started_at + timedelta(days=schedule.every_days_after)
        while at <= now:
            moments.append(QuestionnaireMoment(at, "repeat", None))
            at += timedelta(days=schedule.every_days_after)
    return moments
