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
from collections.abc import Mapping
from datetime import datetime

from companion.domain import session_core as core
from companion.domain.timeline import DueEvent
from companion.i18n import N_
from companion.services import sessions_read as rd
from companion.services import sessions_rules as rules
from companion.services import sessions_store as store
from companion.services.sessions_after import AfterDoseSteps
from companion.services.sessions_before import BeforeDoseSteps
from companion.services.sessions_model import (
    CheckinFacts,
    DetailValue,
    DoseFacts,
    ResumeInfo,
    SessionEventKind,
    SessionFacts,
    SessionNotReadyError,
    SessionStateError,
)
from companion.services.sessions_resume import find_unfinished

log = logging.getLogger(__name__)

_PAUSING = (SessionEventKind.PAUSE, SessionEventKind.RESUME)


class SessionService(BeforeDoseSteps, AfterDoseSteps):
    """The session core's service: every step of a session (or a rehearsal, see the module
    doc), plus resume after a crash. The steps before the dose are ``sessions_before``, the
    After phase ``sessions_after``; the dose, the journey and reading back are here."""

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

    def record_due(self, session_id: str, due: DueEvent, *, at: datetime | None = None) -> None:
        """Records a polled timeline event once (a second call for the same event is ignored),
        so a restored timeline knows which cues were already shown. ``at``: when it was shown
        (the UI hands the record over after that turn)."""
        kind, detail = rules.due_to_event(due)
        when = self._instant(at)
        with self._vault.unit_of_work() as db:
            self._open(db, session_id)
            if not store.settle_started(db, session_id):
                raise SessionStateError(N_("The session's timeline has not begun yet."))
            if due.event.id not in store.fired_ids(db, session_id):
                store.add_event(db, session_id, kind, detail, when)

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
