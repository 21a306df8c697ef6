"""Rehearsal: the whole session flow with nothing recorded.

``RehearsalRecorder`` has the ``SessionRecorder`` interface of ``SessionService`` but keeps
everything in memory and never touches the vault (it needs neither the vault nor the worker),
so the UI runs one flow and chooses the recorder. Every rule comes from the same places as a
real session's (``domain.session_core``, ``domain.vitals``, ``services.sessions_rules``).
Differences, on purpose: the start check reports its findings but never blocks
(``begin_settle`` always starts), so the patient can try sound and prompts without measuring;
the After phase does not wait for the observation time (a rehearsal runs faster than real
time and no medicine was taken); and nothing marks a planned session done.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo

from companion.domain import session_core as core
from companion.domain.clock import Clock
from companion.domain.profile import Prescription
from companion.domain.protocol import Protocol
from companion.domain.session_core import AfterStatus
from companion.domain.timeline import DueEvent
from companion.domain.vitals import (
    Context,
    Reading,
    VitalLevel,
    VitalsAssessment,
    assess_vitals,
    standing_stop,
)
from companion.errors import InvalidInputError
from companion.services import sessions_rules as rules
from companion.services.planning import local_zone
from companion.services.sessions_model import (
    CheckinFacts,
    DetailValue,
    DoseFacts,
    EventFacts,
    ReadinessResult,
    SessionEventKind,
    SessionFacts,
    SessionNotReadyError,
    SessionState,
    SessionStateError,
    SideEffectReport,
    SideEffectsResult,
    VitalsFacts,
)

_PAUSING = (SessionEventKind.PAUSE, SessionEventKind.RESUME)
AFTER_DOSE_ONLY_AFTER = (
    "The dose was taken, so the session ends through the After step: blood pressure, side "
    "effects, after-care and your monitor's sign-off."
)


class RehearsalRecorder:
    """One rehearsal at a time, in memory. Not thread-bound: it does no I/O."""

    def __init__(
        self,
        protocol: Protocol,
        prescription: Prescription,
        clock: Clock,
        zone: tzinfo | None = None,
    ) -> None:
        self._protocol = protocol
        self._prescription = prescription
        self._clock = clock
        self._zone = zone
        self._facts: SessionFacts | None = None

    @property
    def rehearsal(self) -> bool:
        return True

    # --- before -------------------------------------------------------------------------------
    def start_session(self, planned_session_id: str | None = None) -> str:
        now = self._clock.now()
        self._facts = SessionFacts(
            session_id=f"rehearsal-{uuid.uuid4().hex}",
            rehearsal=True,
            status=SessionState.IN_PROGRESS,
            planned_session_id=planned_session_id,
            protocol_name=self._protocol.info.name,
            started_at=now,
            local_date=now.astimezone(self._zone or local_zone()).date(),
            settle_started_at=None,
            ended_at=None,
            abort_reason="",
            checklist={},
            health={},
            intention="",
            mood_before=None,
            mood_after=None,
            vitals=(),
            dose=None,
            checkins=(),
            side_effects=(),
            recovered_at=None,
        )
        return self._facts.session_id

    def record_checklist(self, session_id: str, answers: Mapping[str, bool]) -> None:
        facts = self._open(session_id)
        cleaned = rules.clean_checklist(self._protocol, answers)
        self._facts = replace(facts, checklist={**facts.checklist, **cleaned})

    def record_health_answers(self, session_id: str, answers: Mapping[str, bool]) -> None:
        facts = self._open(session_id)
        cleaned = rules.clean_health(self._protocol, answers)
        self._facts = replace(facts, health={**facts.health, **cleaned})

    def record_vitals(
        self,
        session_id: str,
        context: Context,
        readings: Reading | Sequence[Reading],
        *,
        acknowledged: bool = False,
        confirmed: bool = False,
        at: datetime | None = None,
    ) -> VitalsAssessment:
        facts = self._open(session_id)
        given = (readings,) if isinstance(readings, Reading) else tuple(readings)
        now = self._instant(at)
        assessment = assess_vitals(
            self._protocol.limits, given, context=context, taken_at=now, confirmed=confirmed
        )
        earlier_stop = any(v.level is VitalLevel.STOP for v in facts.vitals)
        taken = VitalsFacts(Context(context), now, given, assessment.level, acknowledged)
        self._facts = replace(facts, vitals=(*facts.vitals, taken))
        return standing_stop(assessment) if earlier_stop else assessment

    def acknowledge_vitals(self, session_id: str, context: Context) -> None:
        facts = self._open(session_id)
        latest = {Context.BEFORE: facts.vitals_before, Context.AFTER: facts.vitals_after}[context]
        if latest is None:
            raise InvalidInputError("There is no reading to acknowledge yet.")
        vitals = tuple(replace(v, acknowledged=True) if v is latest else v for v in facts.vitals)
        self._facts = replace(facts, vitals=vitals)

    def record_intention_and_mood(
        self, session_id: str, intention: str, mood_before: int | None
    ) -> None:
        facts = self._open(session_id)
        cleaned = rules.clean_text(intention, rules.MAX_INTENTION, "intention")
        self._facts = replace(facts, intention=cleaned, mood_before=rules.clean_mood(mood_before))

    def check_readiness(
        self,
        session_id: str,
        *,
        acknowledged: Collection[str] = (),
        last_meal_at: datetime | None = None,
    ) -> ReadinessResult:
        facts = self._open(session_id)
        before = facts.vitals_before
        return rules.assess_start(
            self._protocol,
            checklist=facts.checklist,
            health=facts.health,
            vitals=None
            if before is None
            else assess_vitals(self._protocol.limits, before.readings),
            vitals_acknowledged=before is not None and before.acknowledged,
            prescription=self._prescription,
            start_at=self._clock.now().astimezone(self._zone or local_zone()),
            acknowledged=acknowledged,
            last_meal_at=last_meal_at,
        )

    def begin_settle(
        self,
        session_id: str,
        *,
        acknowledged: Collection[str] = (),
        last_meal_at: datetime | None = None,
    ) -> ReadinessResult:
        """Reports the findings like a real session, but always starts (see the module doc)."""
        result = self.check_readiness(
            session_id, acknowledged=acknowledged, last_meal_at=last_meal_at
        )
        facts = self._open(session_id)
        if facts.settle_started_at is not None:
            raise SessionStateError("This session has already begun.")
        now = self._clock.now()
        self._facts = replace(facts, settle_started_at=now)
        self._append(SessionEventKind.READINESS, rules.readiness_detail(result))
        self._append(SessionEventKind.SETTLE_STARTED, {})
        timeline = rules.timeline_for(self._protocol, self._prescription.hold_minutes)
        return replace(result, started=True, timeline=timeline)

    # --- dose and journey ---------------------------------------------------------------------
    def confirm_dose(self, session_id: str, *, at: datetime | None = None) -> DoseFacts:
        facts = self._open(session_id)
        if facts.settle_started_at is None:
            raise SessionNotReadyError()
        if facts.dose is not None:
            raise SessionStateError("The dose is already logged for this session.")
        p = self._prescription
        dose = DoseFacts(p.medicine, p.form, p.dose_text, p.hold_minutes, self._instant(at))
        self._facts = replace(facts, dose=dose)
        return dose

    def log_event(
        self,
        session_id: str,
        kind: SessionEventKind,
        detail: Mapping[str, DetailValue] | None = None,
        *,
        at: datetime | None = None,
    ) -> None:
        kind = SessionEventKind(kind)
        when = self._instant(at)
        cleaned = rules.clean_detail(kind, detail)
        facts = self._open(session_id)
        if kind in rules.NEEDS_TIMELINE and facts.settle_started_at is None:
            raise SessionStateError("The session's timeline has not begun yet.")
        if kind in _PAUSING and facts.paused == (kind is SessionEventKind.PAUSE):
            return  # already in that state
        self._append(kind, cleaned, when)

    def record_due(self, session_id: str, due: DueEvent) -> None:
        facts = self._open(session_id)
        record = facts.timeline_record()
        if record is None:
            raise SessionStateError("The session's timeline has not begun yet.")
        if due.event.id not in record.fired:
            kind, detail = rules.due_to_event(due)
            self._append(kind, detail)

    def record_checkin(
        self,
        session_id: str,
        answers: Mapping[str, bool],
        *,
        note: str = "",
        event_id: str | None = None,
        at: datetime | None = None,
    ) -> CheckinFacts:
        facts = self._open(session_id)
        cleaned = rules.clean_text(note, rules.MAX_NOTE, "note")
        when = self._instant(at)
        checkin = rules.checkin_facts(self._protocol, answers, cleaned, when)
        self._facts = replace(facts, checkins=(*facts.checkins, checkin))
        self._append(
            SessionEventKind.CHECKIN_ANSWERS, rules.checkin_detail(self._protocol, checkin), when
        )
        if event_id is not None:
            detail = rules.clean_detail(SessionEventKind.ACKNOWLEDGED, {"event_id": event_id})
            self._append(SessionEventKind.ACKNOWLEDGED, detail, when)
        return checkin

    # --- after --------------------------------------------------------------------------------
    def record_side_effects(
        self, session_id: str, reports: Sequence[SideEffectReport]
    ) -> SideEffectsResult:
        facts = self._open(session_id)
        effects = rules.side_effect_facts(self._protocol, reports, self._clock.now())
        self._facts = replace(facts, side_effects=effects)
        self._append(SessionEventKind.SIDE_EFFECTS_SAVED, {"count": len(effects)})
        return SideEffectsResult(effects)

    def record_recovered_at(self, session_id: str, at: datetime) -> None:
        facts = self._editable_after(session_id)
        checked = rules.check_recovered_at(at, facts.started_at, self._clock.now())
        self._facts = replace(facts, recovered_at=checked)

    def record_mood_after(self, session_id: str, mood: int | None) -> None:
        facts = self._editable_after(session_id)
        self._facts = replace(facts, mood_after=rules.clean_mood(mood))

    def end_early(
        self, session_id: str, *, reason: str = "", at: datetime | None = None
    ) -> AfterStatus | None:
        facts = self._open(session_id)
        when = self._instant(at)
        if facts.dose is None:
            self._facts = replace(
                facts,
                status=SessionState.ABORTED,
                ended_at=when,
                abort_reason=rules.clean_text(reason, rules.MAX_REASON, "reason") or "Ended early",
            )
            return None
        if not self._has(SessionEventKind.ENDED_EARLY):
            self._append(SessionEventKind.ENDED_EARLY, {}, when)
        return self.after_status(session_id)

    def after_status(self, session_id: str) -> AfterStatus:
        facts = self._open(session_id)
        if facts.dose is None:
            raise SessionStateError("There is no dose in this rehearsal, so no After phase.")
        status = core.after_status(
            self._protocol.safety,
            facts.dose.taken_at,
            self._clock.now(),
            after_vitals=[
                (v.taken_at, v.level is VitalLevel.STOP)
                for v in facts.vitals
                if v.context is Context.AFTER
            ],
            provider_called=self._has(SessionEventKind.PROVIDER_CALLED),
            side_effects_saved=self._has(SessionEventKind.SIDE_EFFECTS_SAVED),
            signed_off=self._has(SessionEventKind.SIGNED_OFF),
        )
        # a rehearsal runs faster than real time and no medicine was taken: no waiting
        waits = (core.AfterNeed.OBSERVATION, core.AfterNeed.VITALS)
        return replace(status, needs=tuple(n for n in status.needs if n not in waits))

    def record_provider_called(self, session_id: str, *, at: datetime | None = None) -> None:
        self._open(session_id)
        self._append(SessionEventKind.PROVIDER_CALLED, {}, self._instant(at))

    def sign_off(
        self, session_id: str, *, aftercare_read: bool, at: datetime | None = None
    ) -> AfterStatus:
        status = self.after_status(session_id)
        if not status.can_sign_off:
            raise SessionStateError(rules.after_needs_text(status, self._zone or local_zone()))
        if not aftercare_read:
            raise InvalidInputError(rules.AFTERCARE_FIRST)
        self._append(SessionEventKind.SIGNED_OFF, {"aftercare_read": True}, self._instant(at))
        return self.after_status(session_id)

    def complete(self, session_id: str) -> None:
        facts = self._open(session_id)
        if facts.dose is None:
            raise SessionStateError(
                "No dose was logged for this session; close it with a reason instead."
            )
        status = self.after_status(session_id)
        if not status.complete:
            raise SessionStateError(rules.after_needs_text(status, self._zone or local_zone()))
        self._facts = replace(facts, status=SessionState.COMPLETED, ended_at=self._clock.now())

    def abort(self, session_id: str, reason: str) -> None:
        facts = self._open(session_id)
        cleaned = rules.clean_reason(reason)
        if facts.dose is not None:
            raise SessionStateError(AFTER_DOSE_ONLY_AFTER)
        self._facts = replace(
            facts, status=SessionState.ABORTED, ended_at=self._clock.now(), abort_reason=cleaned
        )

    def session_facts(self, session_id: str) -> SessionFacts:
        return self._current(session_id)

    # --- internals ----------------------------------------------------------------------------
    def _current(self, session_id: str) -> SessionFacts:
        if self._facts is None or self._facts.session_id != session_id:
            raise SessionStateError("There is no such rehearsal.")
        return self._facts

    def _open(self, session_id: str) -> SessionFacts:
        facts = self._current(session_id)
        rules.require_open(facts.status)
        return facts

    def _editable_after(self, session_id: str) -> SessionFacts:
        facts = self._current(session_id)
        if facts.status is not SessionState.COMPLETED:
            rules.require_open(facts.status)
        return facts

    def _instant(self, at: datetime | None) -> datetime:
        now = self._clock.now()
        return now if at is None else rules.check_instant(at, now)

    def _has(self, kind: SessionEventKind) -> bool:
        return self._facts is not None and any(e.kind is kind for e in self._facts.events)

    def _append(
        self, kind: SessionEventKind, detail: Mapping[str, object], at: datetime | None = None
    ) -> None:
        assert self._facts is not None
        event = EventFacts(kind, at or self._clock.now(), dict(detail))
        self._facts = replace(self._facts, events=(*self._facts.events, event))
