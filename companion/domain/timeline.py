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
from companion.domain.protocol import Anchor, Cue, Music, PhaseId, ProtocolTimeline

EPSILON = 1e-6  # seconds; float noise allowed when asking "has this moment been reached?"
PROMPT_GRACE_SECONDS = 120.0  # a prompt at the very end of its phase stays fresh this long
MAX_SESSION_HOURS = 12.0  # a session started longer ago than this is never resumed
MAX_SPEED = 1000.0


class EventKind(StrEnum):
    PHASE = "phase"  # a phase begins
    PROMPT = "prompt"  # a cue for the patient, shown large, chimed or spoken
    CHECKIN = "checkin"  # a quiet cue for the monitor
    END = "end"  # the timed part is over; the after step begins


class ResumeVerdict(StrEnum):
    RESUME = "resume"  # carry on where the timeline is now
    AFTER = "after"  # the timed part ended while the app was away: go to the after step
    INTERRUPTED = "interrupted"  # long over: close the session as interrupted


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    id: str  # stable across restarts: "phase:journey", "prompt:eye_mask", "checkin:2", "end"
    kind: EventKind
    phase: PhaseId
    at_seconds: float  # active seconds from the start
    expires_at_seconds: float | None  # after this the event is stale; None = never
    text: str = ""
    cue: Cue = Cue.NONE

    @property
    def needs_ack(self) -> bool:
        return self.kind in (EventKind.PROMPT, EventKind.CHECKIN)


@dataclass(frozen=True, slots=True)
class DueEvent:
    """An event returned by a poll. Show it when fresh; when ``stale``, only log it as missed."""

    event: TimelineEvent
    due_monotonic: float  # the real instant it became due
    late_seconds: float  # how long after that instant the poll happened (real seconds)
    stale: bool


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    phase: PhaseId
    start_seconds: float
    end_seconds: float | None  # None: open (settle before the dose, or after)


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


def music_volume(position: float, journey_seconds: float, music: Music) -> float:
    """Linear fade in from silence and out to silence; 0 outside the journey."""
    if position < 0 or position > journey_seconds:
        return 0.0
    volume = 1.0
    if music.fade_in_seconds > 0:
        volume = min(volume, position / music.fade_in_seconds)
    if music.fade_out_seconds > 0:
        volume = min(volume, (journey_seconds - position) / music.fade_out_seconds)
    return max(0.0, min(1.0, volume))


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
        self._events = self._build_events()

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
        settle = self._pt.phase(PhaseId.SETTLE)
        if self._dose is None:
            return (PhaseSpan(PhaseId.SETTLE, 0.0, None),)
        spans = [PhaseSpan(PhaseId.SETTLE, 0.0, self._dose)]
        t = self._dose
        for phase in self._pt.phases:
            if phase is settle:
                continue
            spans.append(PhaseSpan(phase.id, t, t + phase.seconds))
            t += phase.seconds
        spans.append(PhaseSpan(PhaseId.AFTER, t, None))
        return tuple(spans)

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
            if event.phase is PhaseId.SETTLE and event.needs_ack and _reached(self._dose, event):
                self._acked.add(event.id)
        self._events = self._build_events()

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
        due = [
            e for e in self._events if e.needs_ack and _reached(a, e) and e.id not in self._acked
        ]
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
            pending=tuple(e for e in due if not _expired(a, e)),
            missed=tuple(e for e in due if _expired(a, e)),
            finished=self._dose is not None and a + EPSILON >= end,
        )

    def due_events(self, since: float | None, now: float) -> tuple[DueEvent, ...]:
        """Events that became due after real instant ``since`` and up to ``now`` (inclusive).

        Pure: consecutive calls with ``since`` = the previous ``now`` return each event once.
        ``since=None`` means from before the start.
        """
        a0 = -math.inf if since is None else self.elapsed(since)
        a1 = self.elapsed(now)
        chosen = [e for e in self._events if _reached(a1, e) and not _reached(a0, e)]
        return tuple(self._due(e, now, a1) for e in chosen)

    def poll(self, now: float) -> tuple[DueEvent, ...]:
        """Every event due by ``now`` that no poll has returned yet, in order; each comes once."""
        a = self.elapsed(now)
        chosen = [e for e in self._events if e.id not in self._fired and _reached(a, e)]
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
        return DueEvent(event, due_at, max(0.0, now - due_at), _expired(a, event))

    def _build_events(self) -> tuple[TimelineEvent, ...]:
        events = self._settle_events()
        if self._dose is not None:
            events += self._post_dose_events(self._dose)
        return tuple(sorted(events, key=lambda e: e.at_seconds))  # stable: keeps build order

    def _settle_events(self) -> list[TimelineEvent]:
        settle = self._pt.phase(PhaseId.SETTLE)
        dose = self._dose
        events = [_phase_event(PhaseId.SETTLE, 0.0, dose, settle.text)]
        for prompt in self._pt.prompts:
            if prompt.phase is not PhaseId.SETTLE:
                continue
            at = prompt.at_minutes * 60.0
            if prompt.anchor is Anchor.END:
                at = settle.seconds - at
            if dose is not None and at > dose + EPSILON:
                continue  # the dose came first: this prompt never happened
            events.append(
                _prompt_event(prompt.id, PhaseId.SETTLE, at, dose, prompt.text, prompt.cue)
            )
        return events

    def _post_dose_events(self, dose: float) -> list[TimelineEvent]:
        events: list[TimelineEvent] = []
        start = dose
        for phase in self._pt.phases:
            if phase.id is PhaseId.SETTLE:
                continue
            end = start + phase.seconds
            events.append(_phase_event(phase.id, start, end, phase.text))
            for prompt in self._pt.prompts:
                if prompt.phase is phase.id:
                    offset = prompt.at_minutes * 60.0
                    at = end - offset if prompt.anchor is Anchor.END else start + offset
                    expires = end if at < end else at + PROMPT_GRACE_SECONDS
                    events.append(
                        _prompt_event(prompt.id, phase.id, at, expires, prompt.text, prompt.cue)
                    )
            if phase.id is PhaseId.JOURNEY:
                events += self._checkin_events(start, end)
            start = end
        events.append(TimelineEvent("end", EventKind.END, PhaseId.AFTER, start, None))
        return events

    def _checkin_events(self, start: float, end: float) -> list[TimelineEvent]:
        """Check-ins every interval from the journey's start, strictly inside the journey."""
        interval = self._pt.checkin.interval_minutes * 60.0
        times: list[float] = []
        k = 1
        while start + k * interval < end - EPSILON:
            times.append(start + k * interval)
            k += 1
        return [
            TimelineEvent(
                id=f"checkin:{n}",
                kind=EventKind.CHECKIN,
                phase=PhaseId.JOURNEY,
                at_seconds=at,
                expires_at_seconds=times[n] if n < len(times) else end,
                text=self._pt.checkin.text,
                cue=Cue.CHIME,
            )
            for n, at in enumerate(times, start=1)
        ]


def _phase_event(phase: PhaseId, at: float, expires: float | None, text: str) -> TimelineEvent:
    return TimelineEvent(f"phase:{phase.value}", EventKind.PHASE, phase, at, expires, text)


def _prompt_event(
    prompt_id: str, phase: PhaseId, at: float, expires: float | None, text: str, cue: Cue
) -> TimelineEvent:
    return TimelineEvent(f"prompt:{prompt_id}", EventKind.PROMPT, phase, at, expires, text, cue)


def _reached(a: float, event: TimelineEvent) -> bool:
    return event.at_seconds <= a + EPSILON


def _expired(a: float, event: TimelineEvent) -> bool:
    expires = event.expires_at_seconds
    return expires is not None and expires <= a + EPSILON
