"""The session core's rules: pure functions of recorded facts, the protocol and "now".

No Qt, no storage. ``services.sessions.SessionService`` (real sessions and rehearsals alike)
asks these questions and enforces the answers; ``ui/session`` only renders them.

- Dose interval: inside ``protocol.safety.min_interval_hours`` of the last dose the
  session cannot reach the dose step.
- A stop-level reading (or a "yes" to a stop-level health question) stands for the day.
- A positive PHQ-9 item 9 since the last session must be confirmed as discussed with the
  provider before the next session starts.
- After the dose the only way out is the After phase: after-vitals (due
  ``after_vitals_minutes`` after the dose), side effects saved, after-care shown, and the
  monitor's sign-off no sooner than ``observation_minutes`` after the dose.
- An unanswered check-in repeats its cue, then escalates (``checkin_overdue_level``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import IntEnum, StrEnum

from companion.domain.checklist import Finding, FindingLevel
from companion.domain.checklist import _hours as _hours_text
from companion.domain.protocol import Safety
from companion.i18n import _, format_skeleton, format_time, n_

INTERVAL_ID = "interval:too_soon"
DAY_STOP_ID = "vitals:stop_today"
ITEM9_ID = "safety:item9"
CHECKIN_REPEAT_SECONDS = 120.0  # an unanswered check-in cue is repeated after this
CHECKIN_ESCALATE_SECONDS = 300.0  # then a louder cue and a visible alert


def contact_text(provider_name: str, provider_contact: str) -> str:
    """ "Dr. Rivera, +1 555 0100", or a calm fallback when the profile has neither."""
    parts = [p.strip() for p in (provider_name, provider_contact) if p.strip()]
    return ", ".join(parts) if parts else "your provider (add their number in your profile)"


# --- dose interval ----------------------------------------------------------------------------
def next_dose_from(safety: Safety, last_dose_at: datetime) -> datetime:
    return last_dose_at + timedelta(hours=safety.min_interval_hours)


def dose_interval_finding(
    safety: Safety,
    last_dose_at: datetime | None,
    now: datetime,
    zone: tzinfo,
    contact: str,
    next_planned: date | None = None,
) -> Finding | None:
    """A block when ``now`` is inside the minimum time since the last dose."""
    if last_dose_at is None:
        return None
    earliest = next_dose_from(safety, last_dose_at)
    if now >= earliest:
        return None
    local = earliest.astimezone(zone)
    sentences = [
        _(
            "Your protocol allows one dose every {hours}. The earliest time for your next dose "
            "is {day} at {time}."
        ).format(
            hours=_hours(safety.min_interval_hours),
            day=format_skeleton(local, "EEEEdMMMM"),
            time=format_time(local),
        )
    ]
    if next_planned is not None and next_planned >= local.date():
        sentences.append(
            _("Your next planned session is on {day}.").format(
                day=format_skeleton(next_planned, "EEEEdMMMM")
            )
        )
    sentences.append(_("If you have questions, call {contact}.").format(contact=contact))
    return Finding(
        INTERVAL_ID, FindingLevel.BLOCK, _("Your last dose was too recent"), " ".join(sentences)
    )


# --- stop readings stand for the day ----------------------------------------------------------
def day_stop_finding(stop_today: bool) -> Finding | None:
    if not stop_today:
        return None
    return Finding(
        DAY_STOP_ID,
        FindingLevel.BLOCK,
        _("No session today"),
        _(
            "A blood pressure or pulse reading today reached a stop level. It stands for the rest "
            "of the day, even if a later reading is lower. Please call your provider."
        ),
    )


# --- PHQ-9 item 9 carries forward -------------------------------------------------------------
def item9_finding(flagged_at: datetime | None, contact: str) -> Finding | None:
    """Asked at the start of the next session after a positive item 9."""
    if flagged_at is None:
        return None
    return Finding(
        ITEM9_ID,
        FindingLevel.CONFIRM,
        _("Please talk with your provider first"),
        _(
            "In a recent mood questionnaire you said you had thoughts of death or of hurting "
            "yourself. Before this session, please talk with your provider ({contact}). Tick "
            "here once you have spoken with them. If you are in danger now, call your emergency "
            "number."
        ).format(contact=contact),
    )


# --- after the dose ---------------------------------------------------------------------------
class AfterNeed(StrEnum):
    """What the After phase still needs before the session can close."""

    VITALS = "after_vitals"  # a set taken at or after the due time
    VITALS_STOP = "after_vitals_stop"  # the latest after-set is stop: the provider was called?
    SIDE_EFFECTS = "side_effects"  # saved (an empty list counts)
    OBSERVATION = "observation"  # the observation time is not over yet
    SIGN_OFF = "sign_off"  # the monitor's readiness sign-off


@dataclass(frozen=True, slots=True)
class AfterStatus:
    dose_at: datetime
    after_vitals_due_at: datetime
    observation_ends_at: datetime
    needs: tuple[AfterNeed, ...]

    @property
    def can_sign_off(self) -> bool:
        return not any(n is not AfterNeed.SIGN_OFF for n in self.needs)

    @property
    def complete(self) -> bool:
        return not self.needs


def after_status(
    safety: Safety,
    dose_at: datetime,
    now: datetime,
    *,
    after_vitals: Sequence[tuple[datetime, bool]],  # (taken at, stop level?) oldest first
    provider_called: bool,
    side_effects_saved: bool,
    signed_off: bool,
) -> AfterStatus:
    due = dose_at + timedelta(minutes=safety.after_vitals_minutes)
    ends = dose_at + timedelta(minutes=safety.observation_minutes)
    needs: list[AfterNeed] = []
    if not any(at >= due for at, _stop in after_vitals):
        needs.append(AfterNeed.VITALS)
    if any(stop for _at, stop in after_vitals) and not provider_called:
        needs.append(AfterNeed.VITALS_STOP)
    if not side_effects_saved:
        needs.append(AfterNeed.SIDE_EFFECTS)
    if now < ends:
        needs.append(AfterNeed.OBSERVATION)
    if not signed_off:
        needs.append(AfterNeed.SIGN_OFF)
    return AfterStatus(dose_at, due, ends, tuple(needs))


# --- check-ins --------------------------------------------------------------------------------
class Overdue(IntEnum):
    NONE = 0
    REPEAT = 1  # play the cue again
    ESCALATE = 2  # louder cue and a visible alert


def checkin_overdue_level(pending_seconds: float | None) -> Overdue:
    """How long a check-in has waited unanswered decides the level (None: nothing pending)."""
    if pending_seconds is None or pending_seconds < CHECKIN_REPEAT_SECONDS:
        return Overdue.NONE
    if pending_seconds < CHECKIN_ESCALATE_SECONDS:
        return Overdue.REPEAT
    return Overdue.ESCALATE


def _hours(hours: float) -> str:
    if hours % 24 == 0:
        days = int(hours // 24)
        return _("day") if days == 1 else n_("{n} day", "{n} days", days)
    return _hours_text(hours)


# --- the view state the session page renders --------------------------------------------------
@dataclass(frozen=True, slots=True)
class SessionView:
    """What the page shows, derived from the timeline's state on every tick."""

    phase: str  # "settle", "hold", "journey", "return", "after"
    dose_taken: bool
    since_dose_seconds: float | None  # never frozen: Pause does not stop this clock
    end_leads_to_after: bool  # "End early", closing or quitting now goes to the After phase
    overdue_checkin: str | None  # the unanswered check-in's id
    checkin_overdue_level: Overdue  # the audio layer plays a louder cue at ESCALATE


def view_state(
    phase: str,
    since_dose_seconds: float | None,
    pending_checkins: Sequence[tuple[str, float]],  # (event id, real seconds waiting)
) -> SessionView:
    dose_taken = since_dose_seconds is not None
    overdue_id: str | None = None
    level = Overdue.NONE
    for event_id, waited in pending_checkins:
        found = checkin_overdue_level(waited)
        if found >= level:
            overdue_id, level = (event_id if found else None), found
    return SessionView(
        phase=phase,
        dose_taken=dose_taken,
        since_dose_seconds=since_dose_seconds,
        end_leads_to_after=dose_taken,
        overdue_checkin=overdue_id,
        checkin_overdue_level=level,
    )
