"""Each session's preparation steps and the reminders before it ("tomorrow", "stop eating").

Times must be timezone-aware (see ``companion.domain.planning``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from companion.domain.planning import Plan, require_aware
from companion.domain.protocol import Preparation, Protocol
from companion.i18n import N_, _, format_skeleton, format_time


@dataclass(frozen=True, slots=True)
class PrepStep:
    id: str
    at: datetime
    text: str


def preparation_timeline(start: datetime, protocol: Protocol) -> tuple[PrepStep, ...]:
    """What to do when, for a session at ``start``: "Stop eating at 13:00." for 17:00 and 4 h."""
    require_aware(start)
    end = start + timedelta(minutes=protocol.timeline.planned_minutes)
    drive = end + timedelta(hours=protocol.aftercare.no_driving_hours)
    steps = [*_meal_steps(start, protocol.preparation), *_day_steps(start, end, drive)]
    return tuple(sorted(steps, key=lambda s: s.at))


def _meal_steps(start: datetime, prep: Preparation) -> list[PrepStep]:
    """The ideal last meal (when the protocol recommends a longer fast) and the time to stop."""
    fast = start - timedelta(hours=prep.fasting_hours)
    steps = []
    if prep.recommended_fasting_hours > prep.fasting_hours:
        ideal = start - timedelta(hours=prep.recommended_fasting_hours)
        steps.append(
            PrepStep(
                "ideal_last_meal",
                ideal,
                _(
                    "Ideally, finish your last meal by {ideal} ({recommended_fasting_hours:g} "
                    "hours before)."
                ).format(
                    ideal=format_time(ideal),
                    recommended_fasting_hours=prep.recommended_fasting_hours,
                ),
            )
        )
    steps.append(
        PrepStep(
            "stop_eating",
            fast,
            _("Stop eating at {fast} ({fasting_hours:g} hours before).").format(
                fast=format_time(fast), fasting_hours=prep.fasting_hours
            ),
        )
    )
    return steps


def _day_steps(start: datetime, end: datetime, drive: datetime) -> list[PrepStep]:
    """The room, the monitor, the start, the end of the guided part and the driving rule."""
    return [
        PrepStep(
            "get_ready",
            start - timedelta(minutes=30),
            _(
                "Get your room ready: eye mask, music, something warm, water for afterwards. "
                "Put your phone on do not disturb."
            ),
        ),
        PrepStep(
            "monitor_here",
            start - timedelta(minutes=15),
            _("Your monitor is with you and knows the plan."),
        ),
        PrepStep(
            "start", start, _("Begin your session at {start}.").format(start=format_time(start))
        ),
        PrepStep(
            "end",
            end,
            _("The guided part ends around {end}. Rest afterwards.").format(end=format_time(end)),
        ),
        PrepStep(
            "no_driving",
            drive,
            _("No driving or machinery until at least {drive}; ideally not until tomorrow.").format(
                drive=format_time(drive)
            ),
        ),
    ]


class ReminderKind(StrEnum):
    DAY_BEFORE = "day_before"
    FASTING = "fasting"


@dataclass(frozen=True, slots=True)
class Reminder:
    id: str  # "<session uid>:<kind>", stable, so each reminder is shown once
    kind: ReminderKind
    session_number: int
    at: datetime  # from when it is true
    until: datetime  # when it stops being true ("tomorrow" ends at midnight)
    title: str
    text: str

    def is_true_at(self, now: datetime) -> bool:
        return self.at <= now < self.until


def _local_midnight(day: date, zone: datetime) -> datetime:
    """Midnight starting ``day`` in the zone of ``zone`` (DST-safe with a ``ZoneInfo``)."""
    return datetime.combine(day, time(0), tzinfo=zone.tzinfo)


def day_before(start: datetime) -> datetime:
    """The same wall-clock time on the day before (not simply 24 hours earlier)."""
    return datetime.combine(
        start.date() - timedelta(days=1), start.timetz().replace(fold=0), tzinfo=start.tzinfo
    )


def relative_day(when: datetime, now: datetime) -> str:
    """ "today", "tomorrow" or "another day", as seen from ``now`` in ``when``'s zone (the
    case ``_when_sentence`` chooses a whole sentence by)."""
    days = (when.date() - now.astimezone(when.tzinfo).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return "another day"


def _when_sentence(
    when: datetime, now: datetime, today: str, tomorrow: str, on_day: str, **params: object
) -> str:
    """One of three whole sentences (``{time}`` and, for another day, ``{day}``), by whether
    ``when`` is today, tomorrow or another day as seen from ``now``."""
    day = relative_day(when, now)
    chosen = today if day == "today" else tomorrow if day == "tomorrow" else on_day
    return _(chosen).format(
        time=format_time(when), day=format_skeleton(when, "EEEEdMMMM"), **params
    )


def reminders_for(plan: Plan, protocol: Protocol) -> tuple[Reminder, ...]:
    """The day-before reminder is true only on the day before (from the session's time of day
    until midnight); the fasting reminder from the time to stop eating until the start."""
    fasting = timedelta(hours=protocol.preparation.fasting_hours)
    reminders = []
    for s in plan.planned():
        stop = s.starts_at - fasting
        eve = day_before(s.starts_at)
        title = (
            _("Session {number} is tomorrow at {time}").format(
                number=s.shown_number, time=format_time(s.starts_at)
            )
            if s.shown_number is not None
            else _("The session on {day} is tomorrow at {time}").format(
                day=format_skeleton(s.starts_at, "EEEEdMMMM"), time=format_time(s.starts_at)
            )
        )
        reminders += [
            Reminder(
                f"{s.uid}:{ReminderKind.DAY_BEFORE.value}",
                ReminderKind.DAY_BEFORE,
                s.number,
                eve,
                _local_midnight(s.starts_at.date(), s.starts_at),
                title,
                _when_sentence(
                    stop,
                    eve,
                    N_(
                        "Stop eating at {time} today. Check that your monitor can come and "
                        "that your day is clear."
                    ),
                    N_(
                        "Stop eating at {time} tomorrow. Check that your monitor can come and "
                        "that your day is clear."
                    ),
                    N_(
                        "Stop eating at {time} on {day}. Check that your monitor can come and "
                        "that your day is clear."
                    ),
                ),
            ),
            Reminder(
                f"{s.uid}:{ReminderKind.FASTING.value}",
                ReminderKind.FASTING,
                s.number,
                stop,
                s.starts_at,
                _("Time to stop eating"),
                _when_sentence(
                    s.starts_at,
                    stop,
                    N_("Your session is today at {time}. Nothing more to eat from now on."),
                    N_("Your session is tomorrow at {time}. Nothing more to eat from now on."),
                    N_("Your session is on {day} at {time}. Nothing more to eat from now on."),
                ),
            ),
        ]
    return tuple(sorted(reminders, key=lambda r: r.at))


def reminders_due(
    plan: Plan, protocol: Protocol, since: datetime | None, now: datetime
) -> tuple[Reminder, ...]:
    """Reminders that fell due in (since, now] and are still true now.

    Only the latest one per session is returned: when both are due, "stop eating" replaces
    "tomorrow".
    """
    latest: dict[int, Reminder] = {}
    for r in reminders_for(plan, protocol):
        if r.is_true_at(now) and (since is None or r.at > since):
            latest[r.session_number] = r
    return tuple(sorted(latest.values(), key=lambda r: r.at))


def current_reminder(plan: Plan, protocol: Protocol, now: datetime) -> Reminder | None:
    """The one reminder Home shows now: the soonest session's latest true reminder."""
    return next(iter(reminders_due(plan, protocol, None, now)), None)
