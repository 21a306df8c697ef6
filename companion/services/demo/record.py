"""The demo's records, written through the services a patient's actions go through: the
profile (``ProfileService``), every step of every session (``SessionService`` on the demo's own
clock, moved as the session's minutes pass) and the questionnaires (``AssessmentService``)."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from companion.domain.clock import ManualClock
from companion.domain.profile import Prescription, Profile
from companion.domain.protocol import PhaseId, Protocol
from companion.domain.scales import GAD7, PHQ9, Scale
from companion.domain.timeline import SessionTimeline
from companion.domain.vitals import Context, Reading
from companion.services.assessments import AssessmentService
from companion.services.demo.plan import PlannedSession, QuestionnaireMoment, clamp
from companion.services.profile import ProfileService
from companion.services.sessions import SessionService

MINUTE = 60.0
DEMO_PROFILE = Profile(
    name="Sam Demo",
    provider_name="Dr. Rivera (demo)",
    provider_contact="555-0100",
    monitor_name="Alex",
    monitor_phone="555-0101",
    emergency_contact_name="Jordan",
    emergency_contact_phone="555-0102",
    prescription=Prescription(
        medicine="Ketamine",
        form="sublingual tablet",
        dose_text="Demo prescription: the dose as your provider wrote it",
        hold_minutes=15,
        instructions="Sample data. Hold under the tongue, do not swallow, then spit.",
    ),
)
# How often each side effect is reported, out of 20, early in the series (fewer later).
EFFECT_WEIGHTS = {
    "dissociation": 8,
    "nausea": 6,
    "drowsiness": 6,
    "perception": 5,
    "dizziness": 4,
    "vision": 2,
    "dysphoria": 1,
    "vomiting": 1,
}


class DemoRecordingError(RuntimeError):
    """A demo session did not go as a calm session goes (a bug in the demo, never the user's)."""


@dataclass(slots=True)
class Counts:
    vitals: int = 0
    side_effects: int = 0
    assessments: int = 0


class OneTransaction:
    """A ``SessionService`` store that runs each of its steps as a savepoint of one vault
    transaction: every rule runs as in a real session (a refused step undoes only itself),
    and a batch of sample sessions costs one commit, not one per step."""

    def __init__(self, db: Session) -> None:
        self._db = db

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        with self._db.begin_nested():
            yield self._db


def move_to(clock: ManualClock, when: datetime) -> None:
    """The demo's clock only moves forward, as time does."""
    seconds = (when - clock.now()).total_seconds()
    if seconds < 0:
        raise DemoRecordingError("the demo's calendar went back in time")
    clock.advance(seconds)


def record_profile(profiles: ProfileService) -> None:
    """The demo's profile, unless the vault has one; a profile without a dose gets the demo's
    prescription (a session cannot start without one)."""
    existing = profiles.load()
    if not existing.name:
        profiles.save(DEMO_PROFILE)
    elif not existing.prescription.dose_text:
        profiles.save(replace_prescription(existing))


def replace_prescription(profile: Profile) -> Profile:
    p = DEMO_PROFILE.prescription
    return profile.with_prescription(
        medicine=p.medicine,
        form=p.form,
        dose_text=p.dose_text,
        hold_minutes=p.hold_minutes,
        instructions=p.instructions,
    )


class SessionRecorder:
    """Walks each planned session as the Session page does, on the demo's clock."""

    def __init__(
        self,
        sessions: SessionService,
        clock: ManualClock,
        protocol: Protocol,
        rng: random.Random,
        counts: Counts,
    ) -> None:
        self._s = sessions
        self._clock = clock
        self._protocol = protocol
        self._rng = rng
        self._counts = counts
        items = protocol.timeline.checkin.items
        self._calm = {i.id: not i.concern_answer for i in items}
        self._nauseous = {**self._calm, **{i.id: True for i in items if i.id == "nausea"}}

    def record(self, planned: PlannedSession, planned_id: str) -> str:
        """The session planned as ``planned_id``, from the checklist to the sign-off."""
        s, clock, rng, p = self._s, self._clock, self._rng, self._protocol
        move_to(clock, planned.started_at - timedelta(minutes=12))
        sid = s.start_session(planned_id)
        s.record_checklist(sid, {item.id: True for item in p.checklist})
        s.record_health_answers(sid, {q.id: False for q in p.health.questions})
        clock.advance(4 * MINUTE)
        usual = (rng.gauss(120, 5), rng.gauss(77, 3), rng.gauss(70, 4))
        self._vitals(sid, Context.BEFORE, usual, rise=0.0)
        s.record_intention_and_mood(sid, planned.intention, planned.mood_before)
        move_to(clock, planned.started_at)
        result = s.begin_settle(sid)
        if not result.started or result.timeline is None:
            raise DemoRecordingError(f"a demo session could not begin: {result.readiness}")
        timeline = SessionTimeline(result.timeline, clock.monotonic())
        settle = next(ph.minutes for ph in p.timeline.phases if ph.id is PhaseId.SETTLE)
        self._walk(sid, timeline, clock.monotonic() + settle * MINUTE)
        s.confirm_dose(sid)
        timeline.dose_taken(clock.monotonic())
        self._walk(sid, timeline, timeline.planned_end_monotonic(clock.monotonic()))
        self._after(sid, planned, usual)
        return sid

    def _walk(self, sid: str, timeline: SessionTimeline, until: float) -> None:
        """Minute by minute, as the page's timer: every due event recorded, check-ins
        answered by the monitor (now and then with a little nausea)."""
        clock = self._clock
        while clock.monotonic() < until:
            clock.advance(min(MINUTE, until - clock.monotonic()))
            for due in timeline.poll(clock.monotonic()):
                self._s.record_due(sid, due)
                if due.event.id.startswith("checkin:"):
                    answers = self._nauseous if self._rng.random() < 0.08 else self._calm
                    self._s.record_checkin(sid, answers, event_id=due.event.id)
                    timeline.acknowledge(due.event.id)

    def _after(self, sid: str, planned: PlannedSession, usual: tuple[float, ...]) -> None:
        s, clock, rng = self._s, self._clock, self._rng
        status = s.after_status(sid)
        move_to(clock, max(clock.now(), status.observation_ends_at) + timedelta(minutes=5))
        self._vitals(sid, Context.AFTER, usual, rise=1.0)
        reports = [
            (effect.id, rng.choices(("mild", "moderate", "severe"), (80, 18, 2))[0], "")
            for effect in self._protocol.side_effects
            if rng.random()
            < EFFECT_WEIGHTS.get(effect.id, 0) / 20 * (1.2 - min(1.0, planned.number / 20))
        ]
        self._counts.side_effects += len(s.record_side_effects(sid, reports).effects)
        s.record_mood_after(sid, planned.mood_after)
        clock.advance(10 * MINUTE)
        s.sign_off(sid, aftercare_read=True)
        s.complete(sid)
        recovered = clock.now() + timedelta(minutes=rng.randint(30, 150))
        move_to(clock, recovered)
        s.record_recovered_at(sid, recovered)

    def _vitals(self, sid: str, context: Context, usual: tuple[float, ...], *, rise: float) -> None:
        systolic, diastolic, pulse = usual
        rng = self._rng
        reading = Reading(
            clamp(round(systolic + rise * rng.uniform(2, 10)), 100, 134),
            clamp(round(diastolic + rise * rng.uniform(1, 6)), 62, 86),
            clamp(round(pulse + rise * rng.uniform(-2, 8)), 55, 92),
        )
        assessment = self._s.record_vitals(sid, context, reading, confirmed=True)
        if assessment.must_acknowledge:
            self._s.acknowledge_vitals(sid, context)
        self._counts.vitals += 1


def record_questionnaires(
    assessments: AssessmentService,
    rng: random.Random,
    moments: list[QuestionnaireMoment],
    first_session: datetime,
    counts: Counts,
) -> None:
    """PHQ-9 and GAD-7 at each moment, improving over about ten weeks (item 9 stays 0)."""
    phq_base = rng.randint(14, 19)
    gad_base = rng.randint(11, 16)
    for moment in moments:
        days = (moment.at - first_session).total_seconds() / 86400
        improvement = 0.7 * min(1.0, max(0.0, days) / 70)
        for instrument, base in ((PHQ9, phq_base), (GAD7, gad_base)):
            total = clamp(round(base * (1 - improvement) + rng.gauss(0, 1.3)), 0, 24)
            assessments.record(
                instrument.id,
                spread(rng, instrument, total),
                session_id=moment.session.id if moment.session is not None else None,
                context=moment.context,
                taken_at=moment.at + timedelta(minutes=rng.randint(0, 30)),
            )
            counts.assessments += 1


def spread(rng: random.Random, instrument: Scale, total: int) -> list[int]:
    """Item answers (0-3) adding up to ``total``. PHQ-9 item 9 stays 0 in sample data."""
    count = len(instrument.items)
    open_items = [i for i in range(count) if instrument.safety_item != i + 1]
    answers = [0] * count
    total = min(total, 3 * len(open_items))
    for _ in range(total):
        candidates = [i for i in open_items if answers[i] < 3]
        answers[rng.choice(candidates)] += 1
    return answers
