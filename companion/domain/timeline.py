"""The session timeline: what is true at any moment, computed from a start instant and the clock.

Nothing here counts timer ticks. Every phase, prompt, check-in and music fade is a pure function
of three recorded facts: when the session started, the intervals it was paused, and when the dose
was confirmed. The UI polls ``poll(now)`` from one QTimer; each event comes back exactly once,
however late or irregular the polls are, and ``state(now)`` answers "what is true now?".

Time has two scales. *Real* time is the monotonic clock in seconds. *Active* time is the session's
own clock: real time since the start, minus paused time, times the speed factor (1 for a real
session, N for a rehearsal at N x). All offsets in events are in active seconds.

The settle phase is open-ended: it suggests a length, but the hold begins when the patient
confirms taking the dose (``dose_taken``); everything after is anchored to that moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from companion.domain.clock import Clock
from companion.domain.protocol import PhaseId, ProtocolTimeline
from companion.domain.timeline_schedule import (
    EPSILON,
    DueEvent,
    EventKind,
    PhaseSpan,
    TimelineEvent,
    build_events,
    expired,
    music_volume,
    phase_spans,
    reached,
)

MAX_SESSION_HOURS = 12.0  # a session started longer ago than this is never resumed
MAX_SPEED = 1000.0

# The event types come with the timeline: ``poll`` and ``state`` hand them out.
__all__ = [
    "MAX_SESSION_HOURS",
    "MAX_SPEED",
    "DueEvent",
    "EventKind",
    "PauseInterval",
    "PhaseSpan",
    "ResumeVerdict",
    "SessionTimeline",
    "TimelineEvent",
    "TimelineRecord",
    "TimelineState",
    "music_volume",
]


class ResumeVerdict(StrEnum):
    RESUME = "resume"  # carry on where the timeline is now
    AFTER = "after"  # the timed part ended while the app was away: go to the after step
    INTERRUPTED = "interrupted"  # long over: close the session as interrupted


@dataclass(frozen=True, slots=True)
class TimelineState:
    phase: PhaseId
    elapsed_seconds: float  # active seconds since the start
    phase_elapsed_seconds: float
    phase_remaining_seconds: float | None  # None in the after phase
    remaining_seconds: float  # until the planned end (an estimate while waiting for the dose)
    since_dose_seconds: float | None
    waiting_for_dose: bool
    paused: bool
    music_volume: float  # 0..1 target from the fades; the player scales it by the user's volume
    music_position_seconds: float | None  # where the music should be, during the journey
    pending: tuple[TimelineEvent, ...]  # due, fresh, not yet acknowledged
    missed: tuple[TimelineEvent, ...]  # went stale without an acknowledgement
    finished: bool


@dataclass(frozen=True, slots=True)
class PauseInterval:
    start: datetime
    end: datetime | None = None  # None: still paused (or paused when the app stopped)


@dataclass(frozen=True, slots=True)
class TimelineRecord:
    """What services save so a timeline can be rebuilt after a crash (wall times, aware)."""

    started_at: datetime
    pauses: tuple[PauseInterval, ...] = ()
    dose_taken_at: datetime | None = None
    fired: frozenset[str] = frozenset()
    acknowledged: frozenset[str] = frozenset()


class SessionTimeline:
    """One session's timeline. Mutated only by pause, resume, dose_taken and acknowledgements."""

    def __init__(
        self,
        protocol_timeline: ProtocolTimeline,
        started_at_monotonic: float,
        *,
        speed: float = 1.0,
    ) -> None:
        if not (0 < speed <= MAX_SPEED) or not math.isfinite(speed):
            raise ValueError(f"speed must be above 0 and at most {MAX_SPEED:g}")
        self._pt = protocol_timeline
        self._start = float(started_at_monotonic)
        self._speed = float(speed)
        self._pauses: list[tuple[float, float | None]] = []
        self._dose: float | None = None  # active seconds at the dose
        self._fired: set[str] = set()
        self._acked: set[str] = set()
        self._events = build_events(self._pt, self._dose)

    # -- rebuilding after a crash ------------------------------------------------------------

    @classmethod
    def restore(
        cls,
        protocol_timeline: ProtocolTimeline,
        record: TimelineRecord,
        clock: Clock,
        *,
        speed: float = 1.0,
    ) -> SessionTimeline:
        """Rebuilds a timeline from recorded wall times; the monotonic origin may have changed.

        Check ``resume_verdict(clock.monotonic())`` afterwards to decide whether to resume.
        """
        now_wall, now_mono = clock.now(), clock.monotonic()

        def mono(when: datetime, what: str) -> float:
            if when.tzinfo is None:
                raise ValueError(f"the recorded {what} time has no time zone")
            if when > now_wall:
                raise ValueError(f"the recorded {what} time is in the future")
            return now_mono - (now_wall - when).total_seconds()

        timeline = cls(protocol_timeline, mono(record.started_at, "start"), speed=speed)
        for pause in record.pauses:
            timeline.pause(mono(pause.start, "pause"))
            if pause.end is not None:
                timeline.resume(mono(pause.end, "resume"))
        if record.dose_taken_at is not None:
            timeline.dose_taken(mono(record.dose_taken_at, "dose"))
        known = {e.id for e in timeline._events}
        timeline._fired |= record.fired & known
        timeline._acked |= record.acknowledged & known
        return timeline

    def snapshot(self, clock: Clock) -> TimelineRecord:
        """The record to save, with monotonic instants turned into wall times via ``clock``."""
        now_wall, now_mono = clock.now(), clock.monotonic()

        def wall(mono: float) -> datetime:
            return now_wall - timedelta(seconds=now_mono - mono)

        dose = None if self._dose is None else self.monotonic_at(self._dose)
        return TimelineRecord(
            started_at=wall(self._start),
            pauses=tuple(
                PauseInterval(wall(p0), None if p1 is None else wall(p1)) for p0, p1 in self._pauses
            ),
            dose_taken_at=None if dose is None else wall(dose),
            fired=frozenset(self._fired),
            acknowledged=frozenset(self._acked),
        )

    # -- facts -------------------------------------------------------------------------------

    @property
    def protocol_timeline(self) -> ProtocolTimeline:
        return self._pt

    @property
    def started_at_monotonic(self) -> float:
        return self._start

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return bool(self._pauses) and self._pauses[-1][1] is None

    @property
    def dose_confirmed(self) -> bool:
        return self._dose is not None

    @property
    def dose_at_seconds(self) -> float | None:
        return self._dose

    def events(self) -> tuple[TimelineEvent, ...]:
        """Every event known so far, in order (after the dose, the whole session)."""
        return self._events

    def elapsed(self, now: float) -> float:
        """Active seconds at real instant ``now``."""
        real = now - self._start - self._paused_before(now)
        return max(0.0, real) * self._speed

    def monotonic_at(self, active_seconds: float) -> float | None:
        """The real instant at which the active clock reaches ``active_seconds``.

        None if that lies beyond a pause that has not ended yet.
        """
        remaining = max(0.0, active_seconds) / self._speed
        t = self._start
        for p0, p1 in self._pauses:
            gap = p0 - t
            if remaining <= gap:
                return t + remaining
            remaining -= gap
            if p1 is None:
                return None
            t = p1
        return t + remaining

    def phase_spans(self) -> tuple[PhaseSpan, ...]:
        return phase_spans(self._pt, self._dose)

    def planned_end_seconds(self, now: float) -> float:
        """Active seconds at the end of the return phase (assuming the dose now, if not yet)."""
        if self._dose is not None:
            return self._dose + self._post_dose_seconds()
        settle = self._pt.phase(PhaseId.SETTLE).seconds
        return max(settle, self.elapsed(now)) + self._post_dose_seconds()

    def planned_end_monotonic(self, now: float) -> float:
        """The real instant of the planned end, if nothing is paused from ``now`` on."""
        return now + max(0.0, self.planned_end_seconds(now) - self.elapsed(now)) / self._speed

    # -- changes -----------------------------------------------------------------------------

    def pause(self, now: float) -> None:
        """Stops the active clock. Pausing twice is harmless."""
        self._not_before_last_change(now)
        if not self.paused:
            self._pauses.append((now, None))

    def resume(self, now: float) -> None:
        """Restarts the active clock; everything after shifts by the time paused."""
        if not self.paused:
            return
        self._not_before_last_change(now)
        p0, _ = self._pauses[-1]
        self._pauses[-1] = (p0, now)

    def dose_taken(self, now: float) -> None:
        """Anchors the hold and everything after it at ``now``. Only the first call counts.

        Settle prompts that were showing count as answered: taking the dose answers them.
        """
        if self._dose is not None:
            return
        if now < self._start:
            raise ValueError("the dose cannot come before the session started")
        self._dose = self.elapsed(now)
        for event in self._events:
            if event.phase is PhaseId.SETTLE and event.needs_ack and reached(self._dose, event):
                self._acked.add(event.id)
        self._events = build_events(self._pt, self._dose)

    def acknowledge(self, event_id: str) -> None:
        if event_id not in {e.id for e in self._events}:
            raise KeyError(event_id)
        self._acked.add(event_id)

    # -- questions ---------------------------------------------------------------------------

    def state(self, now: float) -> TimelineState:
        a = self.elapsed(now)
        phase, phase_start, phase_end = self._phase_at(a)
        journey = self._span(PhaseId.JOURNEY)
        position = a - journey[0] if journey and phase is PhaseId.JOURNEY else None
        volume = 0.0
        if position is not None:
            volume = music_volume(position, self._pt.phase(PhaseId.JOURNEY).seconds, self._pt.music)
        due = [e for e in self._events if e.needs_ack and reached(a, e) and e.id not in self._acked]
        end = self.planned_end_seconds(now)
        return TimelineState(
            phase=phase,
            elapsed_seconds=a,
            phase_elapsed_seconds=a - phase_start,
            phase_remaining_seconds=None if phase_end is None else max(0.0, phase_end - a),
            remaining_seconds=max(0.0, end - a),
            since_dose_seconds=None if self._dose is None else max(0.0, a - self._dose),
            waiting_for_dose=self._dose is None,
            paused=self._paused_at(now),
            music_volume=volume,
            music_position_seconds=position,
            pending=tuple(e for e in due if not expired(a, e)),
            missed=tuple(e for e in due if expired(a, e)),
            finished=self._dose is not None and a + EPSILON >= end,
        )

    def due_events(self, since: float | None, now: float) -> tuple[DueEvent, ...]:
        """Events that became due after real instant ``since`` and up to ``now`` (inclusive).

        Pure: consecutive calls with ``since`` = the previous ``now`` return each event once.
        ``since=None`` means from before the start.
        """
        a0 = -math.inf if since is None else self.elapsed(since)
        a1 = self.elapsed(now)
        chosen = [e for e in self._events if reached(a1, e) and not reached(a0, e)]
        return tuple(self._due(e, now, a1) for e in chosen)

    def poll(self, now: float) -> tuple[DueEvent, ...]:
        """Every event due by ``now`` that no poll has returned yet, in order; each comes once."""
        a = self.elapsed(now)
        chosen = [e for e in self._events if e.id not in self._fired and reached(a, e)]
        self._fired.update(e.id for e in chosen)
        return tuple(self._due(e, now, a) for e in chosen)

    def seconds_until_next_event(self, now: float) -> float | None:
        """Real seconds until the next event not yet polled (for a single-shot timer).

        None while paused, or when nothing is scheduled (settle after its prompts, before the
        dose).
        """
        if self._paused_at(now):
            return None
        a = self.elapsed(now)
        for event in self._events:
            if event.id not in self._fired:
                return max(0.0, event.at_seconds - a) / self._speed
        return None

    def resume_verdict(self, now: float) -> ResumeVerdict:
        """After a restart: resume, land in the after step, or close as interrupted."""
        if now - self._start > MAX_SESSION_HOURS * 3600:
            return ResumeVerdict.INTERRUPTED
        grace = self._pt.resume_grace_minutes * 60.0
        a = self.elapsed(now)
        if self._dose is None:
            overdue = (a - self._pt.phase(PhaseId.SETTLE).seconds) / self._speed
            if overdue > grace:
                return ResumeVerdict.INTERRUPTED
            return ResumeVerdict.RESUME
        end = self.planned_end_seconds(now)
        if a + EPSILON < end:
            return ResumeVerdict.RESUME
        if (a - end) / self._speed > grace:
            return ResumeVerdict.INTERRUPTED
        return ResumeVerdict.AFTER

    # -- internals ---------------------------------------------------------------------------

    def _not_before_last_change(self, now: float) -> None:
        last = max([self._start, *(p for pair in self._pauses for p in pair if p is not None)])
        if now < last:
            raise ValueError("time cannot go backwards: this instant is before the last change")

    def _paused_before(self, now: float) -> float:
        total = 0.0
        for p0, p1 in self._pauses:
            end = now if p1 is None else min(p1, now)
            total += max(0.0, end - p0)
        return total

    def _paused_at(self, now: float) -> bool:
        return any(p0 <= now and (p1 is None or now < p1) for p0, p1 in self._pauses)

    def _post_dose_seconds(self) -> float:
        return sum(p.seconds for p in self._pt.phases if p.id is not PhaseId.SETTLE)

    def _span(self, phase: PhaseId) -> tuple[float, float | None] | None:
        for span in self.phase_spans():
            if span.phase is phase:
                return span.start_seconds, span.end_seconds
        return None

    def _phase_at(self, a: float) -> tuple[PhaseId, float, float | None]:
        """(phase, its start, its end or None) at active second ``a``."""
        if self._dose is None or a < self._dose:
            suggested = self._pt.phase(PhaseId.SETTLE).seconds
            return PhaseId.SETTLE, 0.0, self._dose if self._dose is not None else suggested
        for span in self.phase_spans()[1:]:
            end = span.end_seconds
            if end is None or a < end:
                return span.phase, span.start_seconds, end
        raise AssertionError("the after phase is open-ended")  # pragma: no cover

    def _due(self, event: TimelineEvent, now: float, a: float) -> DueEvent:
        due_at = self.monotonic_at(event.at_seconds)
        due_at = now if due_at is None else min(due_at, now)
        return DueEvent(event, due_at, max(0.0, now - due_at), expired(a, event))
