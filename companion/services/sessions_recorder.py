"""``SessionRecorder``: the one interface the session UI records through.

``SessionService`` (companion.services.sessions) writes each step to the vault in its own
transaction; ``RehearsalRecorder`` (companion.services.sessions_rehearsal) keeps everything in
memory and writes nothing. The UI runs one flow and picks the recorder.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from companion.domain.session_core import AfterStatus
from companion.domain.timeline import DueEvent
from companion.domain.vitals import Context, Reading, VitalsAssessment
from companion.services.sessions_model import (
    CheckinFacts,
    DetailValue,
    DoseFacts,
    ReadinessResult,
    SessionEventKind,
    SessionFacts,
    SideEffectReport,
    SideEffectsResult,
)


class SessionRecorder(Protocol):
    """What the session UI calls. ``SessionService`` writes each step to the vault in its own
    transaction; ``RehearsalRecorder`` keeps everything in memory and writes nothing."""

    @property
    def rehearsal(self) -> bool: ...

    def start_session(self, planned_session_id: str | None = None) -> str: ...

    def record_checklist(self, session_id: str, answers: Mapping[str, bool]) -> None: ...

    def record_health_answers(self, session_id: str, answers: Mapping[str, bool]) -> None: ...

    def record_vitals(
        self,
        session_id: str,
        context: Context,
        readings: Reading | Sequence[Reading],
        *,
        acknowledged: bool = False,
        confirmed: bool = False,
        at: datetime | None = None,
    ) -> VitalsAssessment: ...

    def acknowledge_vitals(self, session_id: str, context: Context) -> None: ...

    def record_intention_and_mood(
        self, session_id: str, intention: str, mood_before: int | None
    ) -> None: ...

    def check_readiness(
        self,
        session_id: str,
        *,
        acknowledged: Collection[str] = (),
        last_meal_at: datetime | None = None,
    ) -> ReadinessResult: ...

    def begin_settle(
        self,
        session_id: str,
        *,
        acknowledged: Collection[str] = (),
        last_meal_at: datetime | None = None,
    ) -> ReadinessResult: ...

    def confirm_dose(self, session_id: str, *, at: datetime | None = None) -> DoseFacts: ...

    def log_event(
        self,
        session_id: str,
        kind: SessionEventKind,
        detail: Mapping[str, DetailValue] | None = None,
        *,
        at: datetime | None = None,
    ) -> None: ...

    def record_due(self, session_id: str, due: DueEvent) -> None: ...

    def record_checkin(
        self,
        session_id: str,
        answers: Mapping[str, bool],
        *,
        note: str = "",
        event_id: str | None = None,
        at: datetime | None = None,
    ) -> CheckinFacts: ...

    def record_side_effects(
        self, session_id: str, reports: Sequence[SideEffectReport]
    ) -> SideEffectsResult: ...

    def record_recovered_at(self, session_id: str, at: datetime) -> None: ...

    def record_mood_after(self, session_id: str, mood: int | None) -> None: ...

    def end_early(
        self, session_id: str, *, reason: str = "", at: datetime | None = None
    ) -> AfterStatus | None: ...

    def after_status(self, session_id: str) -> AfterStatus: ...

    def record_provider_called(self, session_id: str, *, at: datetime | None = None) -> None: ...

    def sign_off(
        self, session_id: str, *, aftercare_read: bool, at: datetime | None = None
    ) -> AfterStatus: ...

    def complete(self, session_id: str) -> None: ...

    def abort(self, session_id: str, reason: str) -> None: ...

    def session_facts(self, session_id: str) -> SessionFacts: ...
