"""What the session services hand out: event kinds, the session facts read model and the
results of each step.

Facts are plain frozen values, so the UI, the journal and the exports can read them on any
thread. The service itself, for real sessions and rehearsals alike, is
``sessions.SessionService``. Times are aware UTC datetimes, except ``SessionFacts.local_date``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from companion.domain.checklist import Readiness
from companion.domain.protocol import ProtocolTimeline, Severity
from companion.domain.timeline import (
    PauseInterval,
    SessionTimeline,
    TimelineRecord,
    TimelineState,
)
from companion.domain.vitals import Context, Reading, VitalLevel
from companion.errors import CompanionError
from companion.i18n import N_

DetailValue = str | int | float | bool | None
SideEffectReport = tuple[str, Severity | str, str]  # (effect id, severity, note)


class SessionStateError(CompanionError):
    """A step that does not fit where the session is (closed, not started, done twice)."""


class SessionNotReadyError(SessionStateError):
    message = N_("The session has not passed its start check, so the dose cannot be logged yet.")


class SessionState(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABORTED = "aborted"
    INTERRUPTED = "interrupted"


class SessionEventKind(StrEnum):
    """Kinds of ``SessionEventRow``; ``detail`` is a small JSON object (keys in EVENT_DETAIL)."""

    # logged by the UI through ``log_event``
    PHASE = "phase"  # a phase began: {"phase": "journey", "event_id"?: "phase:journey"}
    PROMPT = "prompt"  # a timeline cue came due: {"event_id": "prompt:eye_mask", "stale"?: bool}
    ACKNOWLEDGED = "acknowledged"  # a cue was answered: {"event_id": "checkin:2"}
    PAUSE = "pause"  # {}
    RESUME = "resume"  # {}
    MARKER = "marker"  # "mark this moment": {"note"?: str}
    HELP_OPENED = "help_opened"  # {}
    HELP_CLOSED = "help_closed"  # {}
    MONITOR_CALLED = "monitor_called"  # "Call my monitor": {"from": "help" | "key" | "journey"}
    MONITOR_ANSWERED = "monitor_answered"  # the call's sound was stopped: {}
    # written by the service itself
    READINESS = "readiness"  # the start check: {"can_start", "blocks", "unacknowledged", ...}
    SETTLE_STARTED = "settle_started"  # the timeline's start instant: {}
    ENDED_EARLY = "ended_early"  # "End early" after the dose: the After phase begins now: {}
    SIDE_EFFECTS_SAVED = "side_effects_saved"  # the after step's list was saved: {"count"}
    PROVIDER_CALLED = "provider_called"  # after a stop reading after the dose: {}
    SIGNED_OFF = "signed_off"  # the monitor's readiness sign-off: {"aftercare_read": true}
    CHECKIN_ANSWERS = "checkin_answers"  # the protocol's items as answered: {"item": bool}


# kind -> (required keys, optional keys), for the kinds the UI may log
EVENT_DETAIL: Mapping[SessionEventKind, tuple[frozenset[str], frozenset[str]]] = {
    SessionEventKind.PHASE: (frozenset({"phase"}), frozenset({"event_id"})),
    SessionEventKind.PROMPT: (frozenset({"event_id"}), frozenset({"stale", "late_seconds"})),
    SessionEventKind.ACKNOWLEDGED: (frozenset({"event_id"}), frozenset()),
    SessionEventKind.PAUSE: (frozenset(), frozenset()),
    SessionEventKind.RESUME: (frozenset(), frozenset()),
    SessionEventKind.MARKER: (frozenset(), frozenset({"note"})),
    SessionEventKind.HELP_OPENED: (frozenset(), frozenset()),
    SessionEventKind.HELP_CLOSED: (frozenset(), frozenset()),
    SessionEventKind.MONITOR_CALLED: (frozenset(), frozenset({"from"})),
    SessionEventKind.MONITOR_ANSWERED: (frozenset(), frozenset()),
}


class ResumeStage(StrEnum):
    BEFORE = "before"  # back to the before step (checklist, vitals...); the timeline had not begun
    TIMELINE = "timeline"  # carry on driving the restored timeline
    AFTER = "after"  # the timed part ended while the app was away: the after step
    INTERRUPTED = "interrupted"  # long over: the session was closed as interrupted


# --- facts ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DoseFacts:
    """The prescription as it was when the patient confirmed taking it, verbatim."""

    medicine: str
    form: str
    dose_text: str
    hold_minutes: int
    taken_at: datetime
    prescription_id: str | None = None


@dataclass(frozen=True, slots=True)
class VitalsFacts:
    """One set of readings taken together; ``level`` is the set's (the mean's) level."""

    context: Context
    taken_at: datetime
    readings: tuple[Reading, ...]
    level: VitalLevel
    acknowledged: bool


@dataclass(frozen=True, slots=True)
class CheckinFacts:
    at: datetime
    responsive: bool | None  # None: the protocol in use did not ask this item
    breathing_ok: bool | None
    nausea: bool | None
    needs_help: bool | None
    note: str
    answers: Mapping[str, bool] = field(default_factory=dict)  # the protocol's items, as asked
    concern_ids: tuple[str, ...] | None = None  # from the protocol, when recorded with it

    @property
    def concerns(self) -> tuple[str, ...]:
        """The worrying answers (by the protocol's items; older records: the default ids)."""
        if self.concern_ids is not None:
            return self.concern_ids
        flags = {
            "responsive": self.responsive is False,
            "breathing": self.breathing_ok is False,
            "nausea": self.nausea is True,
            "needs_help": self.needs_help is True,
        }
        return tuple(name for name, worrying in flags.items() if worrying)

    @property
    def not_asked(self) -> tuple[str, ...]:
        """The default items this check-in did not ask (their columns are NULL)."""
        values = {
            "responsive": self.responsive,
            "breathing": self.breathing_ok,
            "nausea": self.nausea,
            "needs_help": self.needs_help,
        }
        return tuple(name for name, value in values.items() if value is None)


@dataclass(frozen=True, slots=True)
class SideEffectFacts:
    effect: str  # the protocol's id, or "other"
    name: str
    severity: Severity
    note: str
    reported_at: datetime
    shows_emergency_card: bool


@dataclass(frozen=True, slots=True)
class SideEffectsResult:
    effects: tuple[SideEffectFacts, ...]

    @property
    def shows_emergency_card(self) -> bool:
        return any(e.shows_emergency_card for e in self.effects)


@dataclass(frozen=True, slots=True)
class EventFacts:
    kind: SessionEventKind
    at: datetime
    detail: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class MarkerFacts:
    at: datetime
    since_dose_seconds: float | None  # wall seconds since the dose; None before it
    note: str


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """Everything recorded about one session: the journal and exports read this."""

    session_id: str
    rehearsal: bool
    status: SessionState
    planned_session_id: str | None
    protocol_name: str
    started_at: datetime
    local_date: date
    settle_started_at: datetime | None
    ended_at: datetime | None
    abort_reason: str
    checklist: Mapping[str, bool]
    health: Mapping[str, bool]
    intention: str
    mood_before: int | None
    mood_after: int | None
    vitals: tuple[VitalsFacts, ...]  # every set, oldest first
    dose: DoseFacts | None
    checkins: tuple[CheckinFacts, ...]
    side_effects: tuple[SideEffectFacts, ...]
    recovered_at: datetime | None
    events: tuple[EventFacts, ...] = field(default=())

    @property
    def vitals_before(self) -> VitalsFacts | None:
        return _latest(self.vitals, Context.BEFORE)

    @property
    def vitals_after(self) -> VitalsFacts | None:
        return _latest(self.vitals, Context.AFTER)

    @property
    def markers(self) -> tuple[MarkerFacts, ...]:
        dose_at = None if self.dose is None else self.dose.taken_at
        return tuple(
            MarkerFacts(
                e.at,
                None if dose_at is None or e.at < dose_at else (e.at - dose_at).total_seconds(),
                str(e.detail.get("note") or ""),
            )
            for e in self.events
            if e.kind is SessionEventKind.MARKER
        )

    @property
    def pauses(self) -> tuple[PauseInterval, ...]:
        found: list[PauseInterval] = []
        for e in self.events:
            if e.kind is SessionEventKind.PAUSE:
                found.append(PauseInterval(e.at))
            elif e.kind is SessionEventKind.RESUME and found and found[-1].end is None:
                found[-1] = PauseInterval(found[-1].start, e.at)
        return tuple(found)

    @property
    def paused(self) -> bool:
        pauses = self.pauses
        return bool(pauses) and pauses[-1].end is None

    @property
    def help_opened_count(self) -> int:
        return sum(1 for e in self.events if e.kind is SessionEventKind.HELP_OPENED)

    def timeline_record(self) -> TimelineRecord | None:
        """What ``SessionTimeline.restore`` needs; None before the timeline began."""
        if self.settle_started_at is None:
            return None
        fired = {
            str(e.detail["event_id"])
            for e in self.events
            if e.kind in (SessionEventKind.PHASE, SessionEventKind.PROMPT)
            and "event_id" in e.detail
        }
        acked = {
            str(e.detail["event_id"])
            for e in self.events
            if e.kind is SessionEventKind.ACKNOWLEDGED
        }
        return TimelineRecord(
            started_at=self.settle_started_at,
            pauses=self.pauses,
            dose_taken_at=None if self.dose is None else self.dose.taken_at,
            fired=frozenset(fired),
            acknowledged=frozenset(acked),
        )


def _latest(vitals: Sequence[VitalsFacts], context: Context) -> VitalsFacts | None:
    return next((v for v in reversed(vitals) if v.context is context), None)


# --- results of steps -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReadinessResult:
    """The start check. ``started``: the timeline began now; drive ``timeline`` from here."""

    readiness: Readiness
    acknowledged: frozenset[str]
    started: bool = False
    timeline: ProtocolTimeline | None = None  # the protocol's, with the prescription's hold

    @property
    def can_start(self) -> bool:
        return self.readiness.can_start(self.acknowledged)


@dataclass(frozen=True, slots=True)
class ResumeInfo:
    """An unfinished session found at start-up, and where to pick it up.

    For ``TIMELINE`` and ``AFTER`` the ``timeline`` is restored from the recorded instants
    (start, pauses, dose) with the cues already shown marked as fired; keep driving it.
    ``INTERRUPTED`` sessions are already closed when this is returned (tell the patient).
    """

    session_id: str
    stage: ResumeStage
    facts: SessionFacts
    timeline: SessionTimeline | None
    state: TimelineState | None
