"""The After phase, for ``SessionService``: side effects, recovery, mood after, ending early,
the provider called, the monitor's sign-off, and closing the session (completed or aborted).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from companion.domain.session_core import AfterStatus
from companion.errors import InvalidInputError
from companion.i18n import N_
from companion.services import sessions_read as rd
from companion.services import sessions_rules as rules
from companion.services import sessions_store as store
from companion.services.planning import mark_planned_done
from companion.services.sessions_model import (
    SessionEventKind,
    SessionState,
    SessionStateError,
    SideEffectReport,
    SideEffectsResult,
)
from companion.services.sessions_steps import SessionSteps

log = logging.getLogger(__name__)

AFTER_DOSE_ONLY_AFTER = N_(
    "The dose was taken, so the session ends through the After step: blood pressure, side "
    "effects, after-care and your monitor's sign-off."
)


class AfterDoseSteps(SessionSteps):
    """The After phase and closing the session."""

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
