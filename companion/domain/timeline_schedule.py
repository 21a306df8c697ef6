"""A session's schedule, from the protocol's timeline and the moment of the dose, all in active
seconds: the phases' spans, the events (phases, prompts, check-ins, the end) and the music's
fades."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from companion.domain.protocol import Anchor, Cue, Music, PhaseId, ProtocolTimeline

EPSILON = 1e-6  # seconds; float noise allowed when asking "has this moment been reached?"
PROMPT_GRACE_SECONDS = 120.0  # a prompt at the very end of its phase stays fresh this long


class EventKind(StrEnum):
    PHASE = "phase"  # a phase begins
    PROMPT = "prompt"  # a cue for the patient, shown large, chimed or spoken
    CHECKIN = "checkin"  # a quiet cue for the monitor
    END = "end"  # the timed part is over; the after step begins


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


def phase_spans(pt: ProtocolTimeline, dose: float | None) -> tuple[PhaseSpan, ...]:
    """Each phase's active seconds: settle is open until the dose, after is open-ended."""
    settle = pt.phase(PhaseId.SETTLE)
    if dose is None:
        return (PhaseSpan(PhaseId.SETTLE, 0.0, None),)
    spans = [PhaseSpan(PhaseId.SETTLE, 0.0, dose)]
    t = dose
    for phase in pt.phases:
        if phase is settle:
            continue
        spans.append(PhaseSpan(phase.id, t, t + phase.seconds))
        t += phase.seconds
    spans.append(PhaseSpan(PhaseId.AFTER, t, None))
    return tuple(spans)


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


def build_events(pt: ProtocolTimeline, dose: float | None) -> tuple[TimelineEvent, ...]:
    """Every event of the session, in order: settle's so far, and after the dose (active
    seconds from the start) the whole rest."""
    events = _settle_events(pt, dose)
    if dose is not None:
        events += _post_dose_events(pt, dose)
    return tuple(sorted(events, key=lambda e: e.at_seconds))  # stable: keeps build order


def _settle_events(pt: ProtocolTimeline, dose: float | None) -> list[TimelineEvent]:
    settle = pt.phase(PhaseId.SETTLE)
    events = [_phase_event(PhaseId.SETTLE, 0.0, dose, settle.text)]
    for prompt in pt.prompts:
        if prompt.phase is not PhaseId.SETTLE:
            continue
        at = prompt.at_minutes * 60.0
        if prompt.anchor is Anchor.END:
            at = settle.seconds - at
        if dose is not None and at > dose + EPSILON:
            continue  # the dose came first: this prompt never happened
        events.append(_prompt_event(prompt.id, PhaseId.SETTLE, at, dose, prompt.text, prompt.cue))
    return events


def _post_dose_events(pt: ProtocolTimeline, dose: float) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    start = dose
    for phase in pt.phases:
        if phase.id is PhaseId.SETTLE:
            continue
        end = start + phase.seconds
        events.append(_phase_event(phase.id, start, end, phase.text))
        for prompt in pt.prompts:
            if prompt.phase is phase.id:
                offset = prompt.at_minutes * 60.0
                at = end - offset if prompt.anchor is Anchor.END else start + offset
                expires = end if at < end else at + PROMPT_GRACE_SECONDS
                events.append(
                    _prompt_event(prompt.id, phase.id, at, expires, prompt.text, prompt.cue)
                )
        if phase.id is PhaseId.JOURNEY:
            events += _checkin_events(pt, start, end)
        start = end
    events.append(TimelineEvent("end", EventKind.END, PhaseId.AFTER, start, None))
    return events


def _checkin_events(pt: ProtocolTimeline, start: float, end: float) -> list[TimelineEvent]:
    """Check-ins every interval from the journey's start, strictly inside the journey."""
    interval = pt.checkin.interval_minutes * 60.0
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
            text=pt.checkin.text,
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


def reached(a: float, event: TimelineEvent) -> bool:
    return event.at_seconds <= a + EPSILON


def expired(a: float, event: TimelineEvent) -> bool:
    expires = event.expires_at_seconds
    return expires is not None and expires <= a + EPSILON
