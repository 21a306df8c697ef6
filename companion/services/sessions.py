"""Recording a real session: every step is written the moment it happens, in its own
transaction, so a crash loses at most the step being typed.

The order the UI follows:

1. ``start_session`` (at the checklist), then in any order and as often as needed:
   ``record_checklist``, ``record_health_answers``, ``record_vitals`` (+ ``acknowledge_vitals``
   for a warning), ``record_intention_and_mood``; ``check_readiness`` shows the findings live
   and writes nothing.
2. ``begin_settle``: the start check, recorded; only when it passes does the timeline start
   (drive ``result.timeline`` from then on).
3. ``confirm_dose``; then ``record_due`` for every event the timeline's poll returns,
   ``log_event`` for pause, resume, markers and Help, ``record_checkin`` for the monitor.
4. ``record_vitals(AFTER)``, ``record_side_effects``, ``record_recovered_at``,
   ``record_mood_after``, then ``complete``; or ``abort(reason)`` at any point.

At start-up, ``unfinished_session`` finds a session a crash left open. The service never
computes or changes a dose: ``confirm_dose`` copies the active prescription verbatim into the
dose log. All methods belong on the database worker thread.

A rehearsal is this same service on a database held in memory (``sessions_rehearsal``):
every rule runs as in a real session, nothing reaches the vault. ``rehearsal=True`` changes
only what a rehearsal must: the start check reports its findings but never blocks (nor does
the dose step, which would otherwise refuse after a stop reading in the rehearsal), the After
phase does not wait for the observation time or after-vitals (no medicine was taken and the
clock runs fast), a dose may be rehearsed without a prescribed dose text, and there is no
planned session to mark done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Protocol as Interface

from sqlalchemy import select
from sqlalchemy.orm import Session

from companion.domain import session_core as core
from companion.domain.clock import Clock
from companion.domain.protocol import Protocol
from companion.domain.session_core import AfterStatus
from companion.domain.timeline import DueEvent
from companion.domain.vitals import (
    Context,
    Reading,
    VitalsAssessment,
    assess_vitals,
    standing_stop,
)
from companion.errors import InvalidInputError
from companion.i18n import N_
from companion.services import sessions_read as rd
from companion.services import sessions_rules as rules
from companion.services import sessions_store as store
from companion.services.planning import local_zone, mark_planned_done, open_planned_row
from companion.services.sessions_model import (
    CheckinFacts,
    DetailValue,
    DoseFacts,
    ReadinessResult,
    ResumeInfo,
    SessionEventKind,
    SessionFacts,
    SessionNotReadyError,
    SessionState,
    SessionStateError,
    SideEffectReport,
    SideEffectsResult,
)
from companion.services.sessions_read import ProtocolSource
from companion.services.sessions_resume import find_unfinished
from companion.storage.models import SessionRow

log = logging.getLogger(__name__)

_PAUSING = (SessionEventKind.PAUSE, SessionEventKind.RESUME)
AFTER_DOSE_ONLY_AFTER = N_(
    "The dose was taken, so the session ends through the After step: blood pressure, side "
    "effects, after-care and your monitor's sign-off."
)


# After the dose a rehearsal does not wait: no medicine was taken and its clock runs fast.
REHEARSAL_SKIPS = (core.AfterNeed.OBSERVATION, core.AfterNeed.VITALS)


class Store(Interface):
    """Where the session is written: the vault (``VaultService``) or a rehearsal's memory."""

    def unit_of_work(self) -> AbstractContextManager[Session]: ...


class SessionService:
    """The session core's service: every step of a session (or a rehearsal, see the module
    doc), plus resume after a crash."""

    def __init__(
        self,
        vault: Store,
        clock: Clock,
        protocols: ProtocolSource,
        zone: tzinfo | None = None,
        *,
        rehearsal: bool = False,
    ) -> None:
        self._vault = vault
        self._clock = clock
        self._protocols = protocols
        self._zone = zone
        self._rehearsal = rehearsal
        self._on_completed: list[Callable[[str], object]] = []

    def add_completion_listener(self, listener: Callable[[str], object]) -> None:
        """Called with the session id after a completion is committed (e.g. the automatic
        backup). A listener's failure never undoes or hides the completion."""
        self._on_completed.append(listener)

    @property
    def rehearsal(self) -> bool:
        return self._rehearsal

    # --- before -------------------------------------------------------------------------------
    def start_session(self, planned_session_id: str | None = None) -> str:
        """Opens a session (status in progress) under the protocol and prescription in use."""
        now = self._clock.now()
        with self._vault.unit_of_work() as db:
            if db.scalar(select(SessionRow.id).where(store.in_progress()).limit(1)) is not None:
                raise SessionStateError(
                    N_(
                        "Another session is still open; resume or close it before starting a new "
                        "one."
                    )
                )
            if self._rehearsal:
                planned_session_id = None  # a rehearsal is never one of the planned sessions
            if planned_session_id is not None:
                open_planned_row(db, planned_session_id)
            prescription = rd.active_prescription(db)
            row = SessionRow(
                planned_session_id=planned_session_id,
                protocol_id=self._protocols.current_in(db).row_id,
                prescription_id=None if prescription is None else prescription.id,
                status=SessionState.IN_PROGRESS.value,
                started_at=now,
            )
            db.add(row)
            db.flush()
            session_id = row.id
        log.info("session.started")
        return session_id

    def record_checklist(self, session_id: str, answers: Mapping[str, bool]) -> None:
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            cleaned = rules.clean_checklist(protocol, answers)
            stored = {k: "checked" if v else "unchecked" for k, v in cleaned.items()}
            store.upsert_answers(db, session_id, stored, self._clock.now())
        log.info("session.saved")

    def record_health_answers(self, session_id: str, answers: Mapping[str, bool]) -> None:
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            cleaned = rules.clean_health(protocol, answers)
            stored = {f"{rules.HEALTH_PREFIX}{k}": "yes" if v else "no" for k, v in cleaned.items()}
            store.upsert_answers(db, session_id, stored, self._clock.now())
        log.info("session.saved")

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
        """Saves one set of readings with its level, and returns the assessment.

        Mistyped numbers raise ``ReadingError``; unlikely ones raise ``ReadingNeedsCheckError``
        until the patient confirms them (``confirmed=True``); nothing is saved then. A set is
        stop-level when any single reading is; when a stop-level set was taken earlier today,
        the returned assessment says the stop stands (the new set keeps its own level).
        """
        given = [readings] if isinstance(readings, Reading) else list(readings)
        now = self._instant(at)
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            assessment = assess_vitals(
                protocol.limits, given, context=context, taken_at=now, confirmed=confirmed
            )
            earlier_stop = store.stop_reading_on_day(db, now.astimezone(self._local_zone()))
            store.add_vitals(
                db, session_id, context, given, assessment, acknowledged=acknowledged, at=now
            )
        if earlier_stop:
            assessment = standing_stop(assessment)
        log.info("session.saved")
        return assessment

    def acknowledge_vitals(self, session_id: str, context: Context) -> None:
        """The patient took note of the latest set's warning."""
        with self._vault.unit_of_work() as db:
            self._open(db, session_id)
            if not store.acknowledge_latest_vitals(db, session_id, context):
                raise InvalidInputError(N_("There is no reading to acknowledge yet."))
        log.info("session.saved")

    def record_intention_and_mood(
        self, session_id: str, intention: str, mood_before: int | None
    ) -> None:
        cleaned = rules.clean_text(
            intention,
            rules.MAX_INTENTION,
            N_("Please keep the intention under {max_len} characters."),
        )
        mood = rules.clean_mood(mood_before)
        with self._vault.unit_of_work() as db:
            row, _ = self._open(db, session_id)
            row.intention, row.mood_before = cleaned, mood
        log.info("session.saved")

    def check_readiness(
        self,
        session_id: str,
        *,
        acknowledged: Collection[str] = (),
        last_meal_at: datetime | None = None,
    ) -> ReadinessResult:
        """May the session start now? Reads what was recorded; writes nothing."""
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            return self._assess(db, session_id, protocol, acknowledged, last_meal_at)

    def begin_settle(
        self,
        session_id: str,
        *,
        acknowledged: Collection[str] = (),
        last_meal_at: datetime | None = None,
    ) -> ReadinessResult:
        """The start check, recorded. When it passes, the timeline starts now (settle phase)
        and ``result.timeline`` is the one to drive; otherwise nothing starts."""
        now = self._clock.now()
        with self._vault.unit_of_work() as db:
            row, protocol = self._open(db, session_id)
            if store.settle_started(db, session_id):
                raise SessionStateError(N_("This session has already begun."))
            result = self._assess(db, session_id, protocol, acknowledged, last_meal_at)
            detail = rules.readiness_detail(result)
            store.add_event(db, session_id, SessionEventKind.READINESS, detail, now)
            if result.can_start or self._rehearsal:  # a rehearsal shows, never blocks
                store.add_event(db, session_id, SessionEventKind.SETTLE_STARTED, {}, now)
                prescription = rd.active_prescription(db)
                assert prescription is not None  # the start check blocks without one
                row.prescription_id = prescription.id  # the one the timeline's hold is from
                timeline = rules.timeline_for(protocol, prescription.hold_minutes)
                result = replace(result, started=True, timeline=timeline)
        log.info("session.saved")
        return result

    # --- dose and journey ---------------------------------------------------------------------
    def confirm_dose(self, session_id: str, *, at: datetime | None = None) -> DoseFacts:
        """Logs the dose as the active prescription states it, verbatim, taken ``at`` (the
        instant the patient confirmed). Refused inside the dose interval or on a day with a
        stop-level reading, whatever the start check said earlier."""
        now = self._instant(at)
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            if not store.settle_started(db, session_id):
                raise SessionNotReadyError()
            if rd.dose_of(db, session_id) is not None:
                raise SessionStateError(N_("The dose is already logged for this session."))
            blocks = store.core_findings(
                db, session_id, protocol, now.astimezone(self._local_zone())
            )
            for finding in blocks:  # a rehearsal's start check already showed them
                if finding.id in (core.INTERVAL_ID, core.DAY_STOP_ID) and not self._rehearsal:
                    raise SessionStateError(finding.text)
            prescription = rd.active_prescription(db)
            no_dose = prescription is None or not prescription.dose_text.strip()
            if prescription is None or (no_dose and not self._rehearsal):
                raise SessionNotReadyError(
                    N_("No prescription is recorded in your profile, so no dose can be logged.")
                )
            dose = store.add_dose(db, session_id, prescription, now)
        log.info("session.saved")
        return dose

    def log_event(
        self,
        session_id: str,
        kind: SessionEventKind,
        detail: Mapping[str, DetailValue] | None = None,
        *,
        at: datetime | None = None,
    ) -> None:
        """Records a phase, cue, acknowledgement, pause, resume, marker or Help opening/closing
        at ``at`` (the instant the patient acted; now when not given).

        Pausing while paused, or resuming while running, records nothing.
        """
        kind = SessionEventKind(kind)
        when = self._instant(at)
        cleaned = rules.clean_detail(kind, detail)
        with self._vault.unit_of_work() as db:
            self._open(db, session_id)
            if kind in rules.NEEDS_TIMELINE and not store.settle_started(db, session_id):
                raise SessionStateError(N_("The session's timeline has not begun yet."))
            if kind in _PAUSING and store.is_paused(db, session_id) == (
                kind is SessionEventKind.PAUSE
            ):
                return  # already in that state
            store.add_event(db, session_id, kind, cleaned, when)
        log.info("session.saved")  # never the kind: help_opened etc. are health events

    def record_due(self, session_id: str, due: DueEvent) -> None:
        """Records a polled timeline event once (a second call for the same event is ignored),
        so a restored timeline knows which cues were already shown."""
        kind, detail = rules.due_to_event(due)
        with self._vault.unit_of_work() as db:
            self._open(db, session_id)
            if not store.settle_started(db, session_id):
                raise SessionStateError(N_("The session's timeline has not begun yet."))
            if due.event.id not in store.fired_ids(db, session_id):
                store.add_event(db, session_id, kind, detail, self._clock.now())

    def record_checkin(
        self,
        session_id: str,
        answers: Mapping[str, bool],
        *,
        note: str = "",
        event_id: str | None = None,
        at: datetime | None = None,
    ) -> CheckinFacts:
        """The monitor's check-in, item by item as the protocol asks; ``event_id``
        ("checkin:2") marks that cue as answered."""
        cleaned = rules.clean_text(
            note, rules.MAX_NOTE, N_("Please keep the note under {max_len} characters.")
        )
        now = self._instant(at)
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            checkin = rules.checkin_facts(protocol, answers, cleaned, now)
            store.add_checkin(db, session_id, checkin)
            detail = rules.checkin_detail(protocol, checkin)
            store.add_event(db, session_id, SessionEventKind.CHECKIN_ANSWERS, detail, now)
            if event_id is not None:
                ack = rules.clean_detail(SessionEventKind.ACKNOWLEDGED, {"event_id": event_id})
                store.add_event(db, session_id, SessionEventKind.ACKNOWLEDGED, ack, now)
        log.info("session.saved")
        return checkin

    # --- after --------------------------------------------------------------------------------
    def record_side_effects(
        self, session_id: str, reports: Sequence[SideEffectReport]
    ) -> SideEffectsResult:
        """Saves the after-step's side effects (replacing an earlier save of the same form)."""
        now = self._clock.now()
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            facts = rules.side_effect_facts(protocol, reports, now)
            store.replace_side_effects(db, session_id, facts)
            detail = {"count": len(facts)}
            store.add_event(db, session_id, SessionEventKind.SIDE_EFFECTS_SAVED, detail, now)
        log.info("session.saved")
        return SideEffectsResult(facts)

    def record_recovered_at(self, session_id: str, at: datetime) -> None:
        """When the patient felt back to themselves (may be added after completing, too)."""
        with self._vault.unit_of_work() as db:
            row = self._editable_after(db, session_id)
            row.recovered_at = rules.check_recovered_at(at, row.started_at, self._clock.now())
        log.info("session.saved")

    def record_mood_after(self, session_id: str, mood: int | None) -> None:
        cleaned = rules.clean_mood(mood)
        with self._vault.unit_of_work() as db:
            self._editable_after(db, session_id).mood_after = cleaned
        log.info("session.saved")

    def end_early(
        self, session_id: str, *, reason: str = "", at: datetime | None = None
    ) -> AfterStatus | None:
        """ "End early" (or closing the window, or quitting). Before the dose the session is
        closed; after it, the After phase begins now and its status is returned: the only
        way out after a dose is the After phase."""
        when = self._instant(at)
        with self._vault.unit_of_work() as db:
            row, protocol = self._open(db, session_id)
            dose = rd.dose_of(db, session_id)
            if dose is None:
                row.status, row.ended_at = SessionState.ABORTED.value, when
                row.abort_reason = rules.clean_text(
                    reason,
                    rules.MAX_REASON,
                    N_("Please keep the reason under {max_len} characters."),
                ) or ("Ended early, before the dose")
                status = None
            else:
                if not store.has_event(db, session_id, SessionEventKind.ENDED_EARLY):
                    store.add_event(db, session_id, SessionEventKind.ENDED_EARLY, {}, when)
                status = self._after_in(db, session_id, protocol, dose.taken_at, when)
        log.info("session.saved")
        return status

    def after_status(self, session_id: str) -> AfterStatus:
        """What the After phase still needs (after-vitals, side effects, observation time,
        the monitor's sign-off)."""
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            dose = rd.dose_of(db, session_id)
            if dose is None:
                raise SessionStateError(N_("There is no dose in this session, so no After phase."))
            return self._after_in(db, session_id, protocol, dose.taken_at, self._clock.now())

    def record_provider_called(self, session_id: str, *, at: datetime | None = None) -> None:
        """After a stop-level reading after the dose: the provider (or emergency) was called."""
        when = self._instant(at)
        with self._vault.unit_of_work() as db:
            self._open(db, session_id)
            store.add_event(db, session_id, SessionEventKind.PROVIDER_CALLED, {}, when)
        log.info("session.saved")

    def sign_off(
        self, session_id: str, *, aftercare_read: bool, at: datetime | None = None
    ) -> AfterStatus:
        """The monitor's readiness sign-off, no sooner than the protocol's observation time
        after the dose and only once everything else in the After phase is done."""
        when = self._instant(at)
        with self._vault.unit_of_work() as db:
            _, protocol = self._open(db, session_id)
            dose = rd.dose_of(db, session_id)
            if dose is None:
                raise SessionStateError(N_("There is no dose in this session, so no sign-off."))
            status = self._after_in(db, session_id, protocol, dose.taken_at, when)
            if not status.can_sign_off:
                raise SessionStateError(rules.after_needs_text(status, self._local_zone()))
            if not aftercare_read:
                raise InvalidInputError(rules.AFTERCARE_FIRST)
            detail = {"aftercare_read": True}
            store.add_event(db, session_id, SessionEventKind.SIGNED_OFF, detail, when)
            status = self._after_in(db, session_id, protocol, dose.taken_at, when)
        log.info("session.saved")
        return status

    def complete(self, session_id: str) -> None:
        """Closes the session as completed and marks its planned session done. Only after
        the dose and a complete After phase (after-vitals, side effects, sign-off)."""
        now = self._clock.now()
        with self._vault.unit_of_work() as db:
            row, protocol = self._open(db, session_id)
            dose = rd.dose_of(db, session_id)
            if dose is None:
                raise SessionStateError(
                    N_("No dose was logged for this session; close it with a reason instead.")
                )
            status = self._after_in(db, session_id, protocol, dose.taken_at, now)
            if not status.complete:
                raise SessionStateError(rules.after_needs_text(status, self._local_zone()))
            row.status, row.ended_at = SessionState.COMPLETED.value, now
            if row.planned_session_id is not None:
                mark_planned_done(db, row.planned_session_id, now)
        log.info("session.closed")
        for listener in self._on_completed:
            try:
                listener(session_id)
            except Exception:  # the session is complete and saved, whatever a listener does
                log.exception("session.completion_listener_failed")

    def abort(self, session_id: str, reason: str) -> None:
        """Closes a session before its dose ("Not today"). After the dose this is refused:
        use ``end_early``, which leads to the After phase."""
        cleaned = rules.clean_reason(reason)
        with self._vault.unit_of_work() as db:
            row, _ = self._open(db, session_id)
            if rd.dose_of(db, session_id) is not None:
                raise SessionStateError(AFTER_DOSE_ONLY_AFTER)
            row.status, row.ended_at = SessionState.ABORTED.value, self._clock.now()
            row.abort_reason = cleaned
        log.info("session.closed")

    # --- reading and resuming -----------------------------------------------------------------
    def session_facts(self, session_id: str) -> SessionFacts:
        with self._vault.unit_of_work() as db:
            return rd.load_facts(
                db, self._protocols, session_id, self._local_zone(), rehearsal=self._rehearsal
            )

    def unfinished_session(self) -> ResumeInfo | None:
        """The session left open by a crash and where to pick it up; None if there is none.

        A session too long over is closed here as interrupted and returned with that stage,
        so the UI can tell the patient.
        """
        with self._vault.unit_of_work() as db:
            info = find_unfinished(db, self._protocols, self._clock, self._local_zone())
        if info is not None:
            log.info("session.unfinished_found")
        return info

    # --- internals ----------------------------------------------------------------------------
    def _instant(self, at: datetime | None) -> datetime:
        """The instant the patient acted (passed in by the UI), checked; now when not given."""
        now = self._clock.now()
        return now if at is None else rules.check_instant(at, now)

    def _local_zone(self) -> tzinfo:
        return self._zone or local_zone()

    def _after_in(
        self, db: Session, session_id: str, protocol: Protocol, dose_at: datetime, now: datetime
    ) -> AfterStatus:
        status = store.after_status_in(db, session_id, protocol, dose_at, now)
        if self._rehearsal:
            status = replace(
                status, needs=tuple(n for n in status.needs if n not in REHEARSAL_SKIPS)
            )
        return status

    def _open(self, db: Session, session_id: str) -> tuple[SessionRow, Protocol]:
        row = rd.session_row(db, session_id)
        rules.require_open(row.status)
        return row, self._protocols.by_id_in(db, row.protocol_id)

    def _editable_after(self, db: Session, session_id: str) -> SessionRow:
        """In progress or completed: the after step's answers may come after completing."""
        row = rd.session_row(db, session_id)
        if row.status != SessionState.COMPLETED:
            rules.require_open(row.status)
        return row

    def _assess(
        self,
        db: Session,
        session_id: str,
        protocol: Protocol,
        acknowledged: Collection[str],
        last_meal_at: datetime | None,
    ) -> ReadinessResult:
        start_at = self._clock.now().astimezone(self._local_zone())
        return store.assess_in(
            db,
            session_id,
            protocol,
            start_at=start_at,
            acknowledged=acknowledged,
            last_meal_at=last_meal_at,
        )
