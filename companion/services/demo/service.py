"""``DemoService.generate``: fills an empty vault with sample data through the services."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from companion.domain.clock import Clock, ManualClock
from companion.errors import CompanionError
from companion.i18n import N_
from companion.services.assessments import AssessmentService
from companion.services.demo.entries import EntryWriter
from companion.services.demo.plan import plan_entries, plan_sessions, questionnaire_moments
from companion.services.demo.record import (
    Counts,
    OneTransaction,
    SessionRecorder,
    move_to,
    record_profile,
    record_questionnaires,
)
from companion.services.demo.text import TextGenerator
from companion.services.journal import JournalService
from companion.services.planning import add_planned_row, local_zone
from companion.services.profile import ProfileService
from companion.services.protocols import ProtocolService
from companion.services.sessions import SessionService
from companion.services.vault import VaultService
from companion.storage.models import JournalEntryRow, SessionRow

log = logging.getLogger(__name__)

BATCH = 400  # entries per transaction
SESSIONS_PER_TRANSACTION = 10


class VaultNotEmptyError(CompanionError):
    message = N_(
        "This vault already holds sessions or journal entries, so no sample data was added. "
        "Use a separate, empty demo vault."
    )


@dataclass(frozen=True, slots=True)
class DemoOptions:
    sessions: int = 12
    entries: int = 30
    seed: int = 7
    min_words: int = 200
    max_words: int = 3000

    def __post_init__(self) -> None:
        if self.sessions < 0 or self.entries < 0:
            raise ValueError("counts cannot be negative")
        if not 1 <= self.min_words <= self.max_words:
            raise ValueError("min_words must be at least 1 and at most max_words")


@dataclass(frozen=True, slots=True)
class DemoReport:
    sessions: int
    entries: int
    reflections: int
    integration: int
    free: int
    assessments: int
    side_effects: int
    vitals: int
    words: int
    seconds: float


class DemoService:
    def __init__(
        self,
        vault: VaultService,
        clock: Clock,
        journal: JournalService,
        protocols: ProtocolService,
        zone: tzinfo | None = None,
    ) -> None:
        self._vault = vault
        self._clock = clock
        self._journal = journal
        self._protocols = protocols
        self._zone = zone

    def generate(self, options: DemoOptions | None = None) -> DemoReport:
        """Sessions from about ``sessions`` cadence steps ago up to a few days ago, then the
        questionnaires and entries around them; each recorded as the patient's would be."""
        o = options or DemoOptions()
        started = time.perf_counter()
        with self._vault.unit_of_work() as db:
            if _has_data(db):
                raise VaultNotEmptyError()
        now = self._clock.now()
        protocol = self._protocols.active()
        rng = random.Random(o.seed)
        text = TextGenerator(random.Random(o.seed + 1))
        zone = self._zone or local_zone()
        sessions = plan_sessions(rng, text, protocol, o.sessions, now, zone)
        entries = plan_entries(rng, sessions, o.entries, now, (o.min_words, o.max_words))
        counts = Counts()
        # The demo's own clock: the services below see the sessions' days as "now".
        first = sessions[0].started_at if sessions else now
        clock = ManualClock(start=first - timedelta(days=10))
        record_profile(ProfileService(self._vault, clock.now))
        for start in range(0, len(sessions), SESSIONS_PER_TRANSACTION):
            with self._vault.unit_of_work() as db:
                store = OneTransaction(db)
                service = SessionService(store, clock, self._protocols, self._zone)
                recorder = SessionRecorder(service, clock, protocol, rng, counts)
                for planned in sessions[start : start + SESSIONS_PER_TRANSACTION]:
                    with store.unit_of_work() as step:  # planned a little ahead, as patients do
                        plan = add_planned_row(step, planned.started_at, clock.now())
                    planned.id = recorder.record(planned, plan)
        moments = questionnaire_moments(protocol, sessions, now)
        assessments = AssessmentService(self._vault, clock.now, self._protocols)
        record_questionnaires(assessments, rng, moments, first, counts)
        if clock.now() < now:
            move_to(clock, now)
        words = 0
        writer = EntryWriter(rng, text)
        for start in range(0, len(entries), BATCH):
            batch = entries[start : start + BATCH]
            composed = [(writer.compose(e), e.created_at) for e in batch]
            self._journal.create_many(composed)
            words += sum(
                len(c.body.split()) + sum(len(a.answer.split()) for a in c.answers)
                for c, _ in composed
            )
        self._journal.checkpoint()
        kinds = [e.kind for e in entries]
        log.info("demo.generated")
        return DemoReport(
            sessions=len(sessions),
            entries=len(entries),
            reflections=kinds.count("reflection"),
            integration=kinds.count("integration"),
            free=kinds.count("free"),
            assessments=counts.assessments,
            side_effects=counts.side_effects,
            vitals=counts.vitals,
            words=words,
            seconds=time.perf_counter() - started,
        )


def _has_data(db: Session) -> bool:
    for table in (SessionRow, JournalEntryRow):
        if db.scalar(select(func.count()).select_from(table)):
            return True
    return False
