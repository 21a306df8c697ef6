"""Checks and decisions shared by real sessions and rehearsals (pure: no vault, no clock).

Everything a person typed is checked here and refused with a plain ``InvalidInputError``;
the decisions themselves (vitals levels, readiness, emergency card) come from the domain.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo

from companion.domain.checklist import Finding, FindingLevel, Readiness, assess_readiness
from companion.domain.profile import Prescription
from companion.domain.protocol import PhaseId, Protocol, ProtocolTimeline, Severity
from companion.domain.session_core import AfterNeed, AfterStatus
from companion.domain.timeline import DueEvent, EventKind
from companion.domain.vitals import VitalLevel, VitalsAssessment
from companion.errors import InvalidInputError
from companion.i18n import N_, _, format_time
from companion.services.sessions_model import (
    EVENT_DETAIL,
    CheckinFacts,
    DetailValue,
    ReadinessResult,
    SessionEventKind,
    SessionState,
    SessionStateError,
    SideEffectFacts,
    SideEffectReport,
)

MAX_INTENTION = 2000
MAX_NOTE = 1000
MAX_REASON = 300
MAX_DETAIL_TEXT = 600
OTHER_EFFECT = "other"
HEALTH_PREFIX = "health:"  # health answers share the checklist table, under this prefix
NEEDS_TIMELINE = frozenset(
    {
        SessionEventKind.PHASE,
        SessionEventKind.PROMPT,
        SessionEventKind.ACKNOWLEDGED,
        SessionEventKind.PAUSE,
        SessionEventKind.RESUME,
    }
)


_CLOSED = {
    SessionState.COMPLETED: N_("This session is already closed (completed)."),
    SessionState.ABORTED: N_("This session is already closed (aborted)."),
    SessionState.INTERRUPTED: N_("This session is already closed (interrupted)."),
}


def require_open(status: str) -> None:
    if status != SessionState.IN_PROGRESS:
        raise SessionStateError(
            _CLOSED.get(SessionState(status), N_("This session is already closed."))
        )


def clean_checklist(protocol: Protocol, answers: Mapping[str, bool]) -> dict[str, bool]:
    known = {item.id for item in protocol.checklist}
    return _clean_answers(answers, known, N_("'{key}' is not a checklist item of this protocol."))


def clean_health(protocol: Protocol, answers: Mapping[str, bool]) -> dict[str, bool]:
    known = {q.id for q in protocol.health.questions}
    return _clean_answers(answers, known, N_("'{key}' is not a health question of this protocol."))


def _clean_answers(answers: Mapping[str, bool], known: set[str], unknown: str) -> dict[str, bool]:
    """``unknown``: the sentence for a key the protocol does not have (``{key}``)."""
    for key, value in answers.items():
        if key not in known:
            raise InvalidInputError(unknown, key=key)
        if not isinstance(value, bool):
            raise InvalidInputError(N_("The answer to '{key}' must be yes or no."), key=key)
    return dict(answers)


def checkin_facts(
    protocol: Protocol, answers: Mapping[str, bool], note: str, at: datetime
) -> CheckinFacts:
    """A check-in as the protocol defines it: every item must be answered (a tick box is
    answered either way); nothing unasked is recorded as fine. The four columns hold the
    default protocol's items when asked and None (NULL) when the protocol did not ask them;
    ``answers`` (saved with the check-in's event) is the full record of the protocol's items."""
    items = protocol.timeline.checkin.items
    known = {i.id for i in items}
    checked = _clean_answers(answers, known, N_("'{key}' is not a check-in item of this protocol."))
    missing = known - checked.keys()
    if missing:
        raise InvalidInputError(
            N_("Please answer every check-in item ({join})."), join=", ".join(sorted(missing))
        )
    concerns = tuple(i.id for i in protocol.timeline.checkin.concerns(checked))
    return CheckinFacts(
        at,
        responsive=checked.get("responsive"),
        breathing_ok=checked.get("breathing"),
        nausea=checked.get("nausea"),
        needs_help=checked.get("needs_help"),
        note=note,
        answers=checked,
        concern_ids=concerns,
    )


def checkin_detail(protocol: Protocol, facts: CheckinFacts) -> dict[str, object]:
    """The check-in as the protocol asked it, for its event (the full record of the items)."""
    return {
        "answers": dict(facts.answers),
        "concerns": list(facts.concerns),
        "urgent": urgent_concerns(protocol, facts),
    }


def urgent_concerns(protocol: Protocol, facts: CheckinFacts) -> list[str]:
    urgent = {i.id for i in protocol.timeline.checkin.items if i.urgent}
    return [c for c in facts.concerns if c in urgent]


def clean_mood(mood: int | None) -> int | None:
    if mood is None:
        return None
    if isinstance(mood, bool) or not isinstance(mood, int) or not 0 <= mood <= 10:
        raise InvalidInputError(N_("Mood is a whole number from 0 to 10."))
    return mood


def clean_text(text: str, max_len: int, too_long: str) -> str:
    """``too_long``: the sentence (with ``{max_len}``) for text over ``max_len``."""
    cleaned = text.strip()
    if len(cleaned) > max_len:
        raise InvalidInputError(too_long, max_len=max_len)
    return cleaned


def clean_reason(reason: str) -> str:
    cleaned = clean_text(
        reason, MAX_REASON, N_("Please keep the reason under {max_len} characters.")
    )
    if not cleaned:
        raise InvalidInputError(N_("Please give a short reason."))
    return cleaned


def clean_detail(
    kind: SessionEventKind, detail: Mapping[str, DetailValue] | None
) -> dict[str, DetailValue]:
    """The detail of an event the UI logs, checked against ``EVENT_DETAIL``."""
    if kind not in EVENT_DETAIL:
        raise InvalidInputError(
            N_("'{value}' events are recorded by the service itself."), value=kind.value
        )
    required, optional = EVENT_DETAIL[kind]
    given = dict(detail or {})
    missing = required - given.keys()
    unknown = given.keys() - required - optional
    if missing or unknown:
        raise InvalidInputError(
            N_("A '{value}' event needs {sorted} and may have {sorted2}."),
            value=kind.value,
            sorted=sorted(required),
            sorted2=sorted(optional),
        )
    for key, value in given.items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise InvalidInputError(N_("The event detail '{key}' must be a plain value."), key=key)
        if isinstance(value, str):
            given[key] = clean_text(
                value, MAX_DETAIL_TEXT, N_("Please keep the text under {max_len} characters.")
            )
    if kind is SessionEventKind.PHASE and given["phase"] not in {p.value for p in PhaseId}:
        raise InvalidInputError(N_("'{given}' is not a phase."), given=given["phase"])
    return given


def due_to_event(due: DueEvent) -> tuple[SessionEventKind, dict[str, DetailValue]]:
    """How a polled timeline event is recorded (so a restart knows it was already shown)."""
    event = due.event
    if event.kind in (EventKind.PHASE, EventKind.END):
        return SessionEventKind.PHASE, {"phase": event.phase.value, "event_id": event.id}
    return SessionEventKind.PROMPT, {
        "event_id": event.id,
        "stale": due.stale,
        "late_seconds": round(due.late_seconds, 3),
    }


def timeline_for(protocol: Protocol, hold_minutes: int | None) -> ProtocolTimeline:
    """The protocol's timeline with the provider's hold time, when the prescription has one."""
    if hold_minutes is None:
        return protocol.timeline
    return protocol.timeline.with_hold_minutes(hold_minutes)


def prescription_findings(prescription: Prescription | None) -> list[Finding]:
    if prescription is not None and prescription.dose_text.strip():
        return []
    return [
        Finding(
            "prescription:missing",
            FindingLevel.BLOCK,
            _("Your prescription is not recorded"),
            _(
                "Add the dose exactly as your provider wrote it in Settings, under Profile. "
                "Companion shows it at the dose step and never changes it."
            ),
        )
    ]


def assess_start(
    protocol: Protocol,
    *,
    checklist: Mapping[str, bool],
    health: Mapping[str, bool],
    vitals: VitalsAssessment | None,
    vitals_acknowledged: bool,
    prescription: Prescription | None,
    start_at: datetime,
    acknowledged: Collection[str],
    last_meal_at: datetime | None,
    core_findings: Sequence[Finding] = (),
) -> ReadinessResult:
    """The domain's readiness plus the prescription check and the session core's findings
    (dose interval, a stop reading earlier today, item 9); an acknowledged warn-level
    reading counts as acknowledged."""
    domain = assess_readiness(
        protocol,
        checked={item for item, ticked in checklist.items() if ticked},
        health_answers=dict(health),
        start_at=start_at,
        last_meal_at=last_meal_at,
        vitals=vitals,
    )
    order = {FindingLevel.BLOCK: 0, FindingLevel.CONFIRM: 1, FindingLevel.INFO: 2}
    found = (*core_findings, *prescription_findings(prescription), *domain.findings)
    readiness = Readiness(tuple(sorted(found, key=lambda f: order[f.level])))
    acked = set(acknowledged)
    if vitals is not None and vitals.level is VitalLevel.WARN and vitals_acknowledged:
        acked.add("vitals:warn")
    return ReadinessResult(readiness, frozenset(acked))


def readiness_detail(result: ReadinessResult) -> dict[str, object]:
    return {
        "can_start": result.can_start,
        "blocks": [f.id for f in result.readiness.blocks],
        "unacknowledged": [f.id for f in result.readiness.unacknowledged(result.acknowledged)],
        "acknowledged": sorted(result.acknowledged),
    }


def side_effect_facts(
    protocol: Protocol, reports: Sequence[SideEffectReport], at: datetime
) -> tuple[SideEffectFacts, ...]:
    """Checked reports; severity "none" is dropped. A severe effect the protocol does not
    know ("other") shows the emergency card: when unsure, the card is the safer side."""
    facts: list[SideEffectFacts] = []
    seen: set[str] = set()
    for effect_id, severity_value, note in reports:
        severity = _severity(severity_value)
        if effect_id in seen:
            raise InvalidInputError(N_("'{effect_id}' is reported twice."), effect_id=effect_id)
        seen.add(effect_id)
        if severity is Severity.NONE:
            continue
        if effect_id == OTHER_EFFECT:
            name, emergency = "Other", severity is Severity.SEVERE
        else:
            try:
                known = protocol.side_effect(effect_id)
            except KeyError:
                raise InvalidInputError(
                    N_("'{effect_id}' is not a side effect of this protocol."), effect_id=effect_id
                ) from None
            name, emergency = known.name, known.shows_emergency_card(severity)
        cleaned = clean_text(note, MAX_NOTE, N_("Please keep the note under {max_len} characters."))
        facts.append(SideEffectFacts(effect_id, name, severity, cleaned, at, emergency))
    return tuple(facts)


def _severity(value: Severity | str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise InvalidInputError(N_("'{value}' is not a severity."), value=value) from None


MAX_CLOCK_SKEW = timedelta(minutes=5)
AFTERCARE_FIRST = N_(
    "Please read the after-care and the no-driving reminder together, then tick the box."
)


def check_instant(at: datetime, now: datetime) -> datetime:
    """An instant the UI passed in (when the patient acted): aware and not in the future."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInputError(N_("The time needs a time zone."))
    if at > now + MAX_CLOCK_SKEW:
        raise InvalidInputError(N_("That time is in the future; please check the clock."))
    return at


def after_needs_text(status: AfterStatus, zone: tzinfo) -> str:
    """What the After phase still needs, in plain words."""
    parts: list[str] = []
    for need in status.needs:
        if need is AfterNeed.VITALS:
            due = status.after_vitals_due_at.astimezone(zone)
            parts.append(
                _("blood pressure and pulse again (from {time})").format(time=format_time(due))
            )
        elif need is AfterNeed.VITALS_STOP:
            parts.append(_("a call to your provider about the stop-level reading"))
        elif need is AfterNeed.SIDE_EFFECTS:
            parts.append(_("the side effects list saved (it may be empty)"))
        elif need is AfterNeed.OBSERVATION:
            ends = status.observation_ends_at.astimezone(zone)
            parts.append(_("rest with your monitor until {time}").format(time=format_time(ends)))
        elif need is AfterNeed.SIGN_OFF:
            parts.append(_("your monitor's sign-off"))
    # The needs are a list of items after the colon, each one translated whole.
    return _("Before the session can close, it still needs: {needs}.").format(
        needs="; ".join(parts)
    )


def check_recovered_at(at: datetime, started_at: datetime, now: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInputError(N_("The time needs a time zone."))
    if not started_at <= at <= now:
        raise InvalidInputError(N_("That time is outside this session; please check it."))
    return at
