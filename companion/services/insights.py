"""The data behind the Insights charts, Qt-free: each series is plain values plus, when it has
nothing to show yet, the sentence that says what will appear and when.

All series are read in one transaction with a handful of aggregate queries (no query per
session), and no journal text is read.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from companion.domain.protocol import Protocol
from companion.domain.scales import (
    REMISSION_BASELINE_AT_LEAST,
    REMISSION_BELOW,
    RESPONSE_DROP,
    Band,
    Change,
    scale,
)
from companion.i18n import N_, _
from companion.services.assessments import SCALE_BY_INSTRUMENT, AssessmentView, progress_of
from companion.services.planning import session_numbers
from companion.services.protocols import ProtocolService
from companion.services.vault import VaultService
from companion.storage import fts
from companion.storage.models import (
    AssessmentRow,
    SessionRow,
    SideEffectRow,
    VitalReadingRow,
)

log = logging.getLogger(__name__)

COUNTED_STATUSES = ("completed",)

EMPTY_MOOD = N_(
    "Your mood before and after each session will appear here once you have completed your "
    "first session."
)
EMPTY_SCORES = N_(
    "{name} scores will appear here once you have answered it. The first one, before "
    "session 1, is your starting point; later ones show the change against it."
)
EMPTY_VITALS = N_(
    "Blood pressure and pulse, before and after each session, will appear here after your "
    "first session."
)
EMPTY_SIDE_EFFECTS = N_(
    "No side effects noted yet. Anything you note after a session will be counted here."
)
EMPTY_WEEKS = N_("How many sessions you had each week will appear here after your first session.")


@dataclass(frozen=True, slots=True)
class MoodPoint:
    session_id: str
    number: int  # the session's number by the one rule (services.planning.session_numbers)
    started_at: datetime
    before: int | None
    after: int | None  # the session's "mood after", else the reflection's mood


@dataclass(frozen=True, slots=True)
class MoodSeries:
    points: tuple[MoodPoint, ...]
    empty_text: str = EMPTY_MOOD

    @property
    def is_empty(self) -> bool:
        return not any(p.before is not None or p.after is not None for p in self.points)


@dataclass(frozen=True, slots=True)
class ScorePoint:
    assessment_id: str
    taken_at: datetime
    total: int
    band_key: str


@dataclass(frozen=True, slots=True)
class ScoreSeries:
    scale_id: str
    name: str
    max_total: int
    bands: tuple[Band, ...]  # for the shading
    points: tuple[ScorePoint, ...]
    baseline: int | None
    response_line: float | None  # at or below this total is a response (50 % drop)
    remission_line: int | None  # below this total is remission (baseline 10 or more only)
    change: Change | None  # latest against baseline
    empty_text: str

    @property
    def is_empty(self) -> bool:
        return not self.points


@dataclass(frozen=True, slots=True)
class VitalsValues:
    systolic: float | None
    diastolic: float | None
    pulse: float | None


@dataclass(frozen=True, slots=True)
class VitalsPoint:
    session_id: str
    number: int
    started_at: datetime
    before: VitalsValues | None  # the mean when several readings were taken
    after: VitalsValues | None


@dataclass(frozen=True, slots=True)
class VitalsSeries:
    points: tuple[VitalsPoint, ...]
    empty_text: str = EMPTY_VITALS

    @property
    def is_empty(self) -> bool:
        return not any(p.before or p.after for p in self.points)


@dataclass(frozen=True, slots=True)
class SideEffectCount:
    effect_id: str
    name: str
    total: int
    mild: int
    moderate: int
    severe: int


@dataclass(frozen=True, slots=True)
class SideEffectSeries:
    counts: tuple[SideEffectCount, ...]  # most frequent first
    sessions: int  # completed sessions, for "in N of M sessions" wording
    empty_text: str = EMPTY_SIDE_EFFECTS

    @property
    def is_empty(self) -> bool:
        return not self.counts


@dataclass(frozen=True, slots=True)
class WeekCount:
    week_start: date  # a Monday
    sessions: int


@dataclass(frozen=True, slots=True)
class WeeklySeries:
    weeks: tuple[WeekCount, ...]  # every week from the first session's to this one
    empty_text: str = EMPTY_WEEKS

    @property
    def is_empty(self) -> bool:
        return not any(w.sessions for w in self.weeks)


@dataclass(frozen=True, slots=True)
class Insights:
    mood: MoodSeries
    phq9: ScoreSeries
    gad7: ScoreSeries
    vitals: VitalsSeries
    side_effects: SideEffectSeries
    sessions_per_week: WeeklySeries


class InsightsService:
    def __init__(
        self,
        vault: VaultService,
        now: Callable[[], datetime],
        protocols: ProtocolService,
    ) -> None:
        self._vault = vault
        self._now = now
        self._protocols = protocols

    def overview(self, tz: tzinfo = UTC) -> Insights:
        """Every series at once. ``tz`` decides which calendar week a session falls in."""
        with self._vault.unit_of_work() as session:
            sessions = _sessions(session, self._now())
            result = Insights(
                mood=_mood(session, sessions),
                phq9=_scores(session, "phq9", sessions),
                gad7=_scores(session, "gad7", sessions),
                vitals=_vitals(session, sessions),
                side_effects=_side_effects(
                    session, self._protocols.current_in(session).protocol, len(sessions)
                ),
                sessions_per_week=_weeks(sessions, self._now(), tz),
            )
        log.info("insights.read")
        return result

    def scores(self, scale_id: str) -> ScoreSeries:
        with self._vault.unit_of_work() as session:
            return _scores(session, scale_id, _sessions(session, self._now()))


@dataclass(frozen=True, slots=True)
class _Session:
    id: str
    number: int
    started_at: datetime
    mood_before: int | None
    mood_after: int | None


def _sessions(session: Session, now: datetime) -> list[_Session]:
    numbers = session_numbers(session, now)
    rows = session.execute(
        select(SessionRow.id, SessionRow.started_at, SessionRow.mood_before, SessionRow.mood_after)
        .where(SessionRow.status.in_(COUNTED_STATUSES))
        .order_by(SessionRow.started_at)
    ).all()
    return [
        _Session(r.id, numbers.get(r.id, n), r.started_at, r.mood_before, r.mood_after)
        for n, r in enumerate(rows, 1)
    ]


def _mood(session: Session, sessions: list[_Session]) -> MoodSeries:
    r = fts.entry_index
    reflection_mood: dict[str, int] = {}
    if any(s.mood_after is None for s in sessions):
        for session_id, mood in session.execute(
            select(r.c.session_id, r.c.mood)
            .where(r.c.kind == "reflection", r.c.session_id.is_not(None), r.c.mood.is_not(None))
            .order_by(r.c.created_at)
        ):
            reflection_mood.setdefault(session_id, mood)
    return MoodSeries(
        tuple(
            MoodPoint(
                s.id,
                s.number,
                s.started_at,
                s.mood_before,
                s.mood_after if s.mood_after is not None else reflection_mood.get(s.id),
            )
            for s in sessions
        )
    )


def _scores(session: Session, scale_id: str, sessions: list[_Session]) -> ScoreSeries:
    instrument = scale(scale_id)
    rows = session.execute(
        select(
            AssessmentRow.id,
            AssessmentRow.instrument,
            AssessmentRow.taken_at,
            AssessmentRow.total,
            AssessmentRow.safety_flag,
            AssessmentRow.context,
            AssessmentRow.session_id,
        )
        .where(AssessmentRow.instrument == instrument.name)
        .order_by(AssessmentRow.taken_at, AssessmentRow.id)
    ).all()
    history = [
        AssessmentView(
            id=r.id,
            scale_id=SCALE_BY_INSTRUMENT[r.instrument],
            instrument=r.instrument,
            taken_at=r.taken_at,
            total=r.total,
            band=instrument.band_for(r.total),
            safety_flag=r.safety_flag,
            context=r.context,
            session_id=r.session_id,
            answers=(),
        )
        for r in rows
    ]
    progress = progress_of(scale_id, history, sessions[0].started_at if sessions else None)
    baseline = progress.baseline.total if progress.baseline else None
    return ScoreSeries(
        scale_id=scale_id,
        name=instrument.name,
        max_total=instrument.max_total,
        bands=instrument.bands,
        points=tuple(ScorePoint(h.id, h.taken_at, h.total, h.band.key) for h in history),
        baseline=baseline,
        response_line=baseline * (1 - RESPONSE_DROP)
        if baseline is not None and baseline >= REMISSION_BASELINE_AT_LEAST
        else None,
        remission_line=REMISSION_BELOW
        if baseline is not None and baseline >= REMISSION_BASELINE_AT_LEAST
        else None,
        change=progress.change,
        empty_text=_(EMPTY_SCORES).format(name=instrument.name),
    )


def _vitals(session: Session, sessions: list[_Session]) -> VitalsSeries:
    v = VitalReadingRow
    rows = session.execute(
        select(
            v.session_id,
            v.phase,
            func.avg(v.systolic),
            func.avg(v.diastolic),
            func.avg(v.pulse),
        )
        .where(v.session_id.is_not(None), v.phase.in_(("before", "after")))
        .group_by(v.session_id, v.phase)
    ).all()
    values: dict[tuple[str, str], VitalsValues] = {
        (sid, phase): VitalsValues(_num(sys), _num(dia), _num(pulse))
        for sid, phase, sys, dia, pulse in rows
    }
    return VitalsSeries(
        tuple(
            VitalsPoint(
                s.id,
                s.number,
                s.started_at,
                values.get((s.id, "before")),
                values.get((s.id, "after")),
            )
            for s in sessions
        )
    )


def _side_effects(session: Session, protocol: Protocol, session_count: int) -> SideEffectSeries:
    names = {e.id: e.name for e in protocol.side_effects}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for effect, severity, n in session.execute(
        select(SideEffectRow.effect, SideEffectRow.severity, func.count()).group_by(
            SideEffectRow.effect, SideEffectRow.severity
        )
    ):
        counts[effect][severity] += int(n)
    result = [
        SideEffectCount(
            effect_id=effect,
            name=names.get(effect, effect.replace("_", " ").capitalize()),
            total=sum(by.values()),
            mild=by.get("mild", 0),
            moderate=by.get("moderate", 0),
            severe=by.get("severe", 0),
        )
        for effect, by in counts.items()
    ]
    result.sort(key=lambda c: (-c.total, c.name))
    return SideEffectSeries(tuple(result), session_count)


def _weeks(sessions: list[_Session], now: datetime, tz: tzinfo) -> WeeklySeries:
    if not sessions:
        return WeeklySeries(())
    per_week: dict[date, int] = defaultdict(int)
    for s in sessions:
        per_week[_monday(s.started_at.astimezone(tz).date())] += 1
    first = min(per_week)
    last = max(max(per_week), _monday(now.astimezone(tz).date()))
    weeks = []
    week = first
    while week <= last:
        weeks.append(WeekCount(week, per_week.get(week, 0)))
        week += timedelta(days=7)
    return WeeklySeries(tuple(weeks))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
