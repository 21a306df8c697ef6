"""The steps before the dose, for ``SessionService``: opening the session, the checklist,
health answers, vitals, intention and mood, and the start check that begins the timeline.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

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
from companion.services.planning import open_planned_row
from companion.services.sessions_model import (
    ReadinessResult,
    SessionEventKind,
    SessionState,
    SessionStateError,
)
from companion.services.sessions_steps import SessionSteps
from companion.storage.models import SessionRow

log = logging.getLogger(__name__)


class BeforeDoseSteps(SessionSteps):
    """Opening a session and everything up to the start check."""

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
