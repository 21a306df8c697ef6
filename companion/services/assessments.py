"""PHQ-9 and GAD-7: recording answers, history, change against baseline, and what is due.

Scoring, bands, response/remission and the schedule are ``companion.domain.scales``; this
service stores and reads. A PHQ-9 with item 9 above 0 is stored with ``safety_flag`` set and
the result says ``needs_safety_card``: the UI shows the safety card at once. Nothing is ever
sent anywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from companion.domain.scales import (
    AssessmentRecord,
    Band,
    Change,
    DueQuestionnaire,
    SessionRecord,
    change_from_baseline,
    find_baseline,
    questionnaires_due,
    scale,
)
from companion.errors import InvalidInputError
from companion.i18n import N_, Text
from companion.services.protocols import ProtocolService
from companion.services.vault import VaultService
from companion.storage.models import AssessmentItemRow, AssessmentRow, SessionRow

log = logging.getLogger(__name__)

CONTEXTS = ("before_session", "after_session", "repeat", "on_demand")
ITEM9_ONLY = "item9_only"  # a positive PHQ-9 item 9 kept from a questionnaire left unfinished
INSTRUMENT_BY_SCALE = {"phq9": "PHQ-9", "gad7": "GAD-7"}
SCALE_BY_INSTRUMENT = {v: k for k, v in INSTRUMENT_BY_SCALE.items()}


@dataclass(frozen=True, slots=True)
class AssessmentView:
    id: str
    scale_id: str  # phq9, gad7
    instrument: str  # PHQ-9, GAD-7 (as stored)
    taken_at: datetime
    total: int
    band: Band
    safety_flag: bool  # PHQ-9 item 9 answered above 0
    context: str
    session_id: str | None
    answers: tuple[int, ...]  # item 1 first
    difficulty: int | None = None  # the published, unscored last question (None: left blank)


@dataclass(frozen=True, slots=True)
class Progress:
    """The latest score against the baseline, with the trial's response and remission."""

    scale_id: str
    baseline: AssessmentView | None
    latest: AssessmentView | None
    change: Change | None  # None until there is a baseline and a later score
    baseline_is_pre_treatment: bool  # False: no score before session 1; the first one is used


@dataclass(frozen=True, slots=True)
class Recorded:
    assessment: AssessmentView
    needs_safety_card: bool  # show domain.scales.safety_card(profile) now
    progress: Progress


class AssessmentService:
    def __init__(
        self,
        vault: VaultService,
        now: Callable[[], datetime],
        protocols: ProtocolService,
    ) -> None:
        self._vault = vault
        self._now = now
        self._protocols = protocols

    def record(
        self,
        scale_id: str,
        answers: Sequence[int],
        *,
        session_id: str | None = None,
        context: str = "on_demand",
        taken_at: datetime | None = None,
        difficulty: int | None = None,
    ) -> Recorded:
        """Scores and stores one questionnaire (items and total) in one transaction. The
        unscored difficulty answer, when given, is stored as the item after the last one."""
        try:
            instrument = scale(scale_id)
        except KeyError:
            raise InvalidInputError(
                problems={"scale": Text(N_("Unknown questionnaire."))}
            ) from None
        if context not in CONTEXTS:
            raise InvalidInputError(
                problems={"context": Text(N_("Unknown questionnaire context."))}
            )
        try:
            result = instrument.score(answers, difficulty)
        except ValueError as exc:
            raise InvalidInputError(str(exc)) from None
        when = taken_at or self._now()
        with self._vault.unit_of_work() as session:
            row = AssessmentRow(
                instrument=instrument.name,
                taken_at=when,
                total=result.total,
                session_id=session_id,
                context=context,
                safety_flag=result.needs_safety_card,
                items=[
                    AssessmentItemRow(item_number=n, answer=value)
                    for n, value in enumerate(result.answers, start=1)
                ]
                + (
                    [AssessmentItemRow(item_number=instrument.difficulty_number, answer=hard)]
                    if (hard := result.difficulty) is not None
                    else []
                ),
            )
            session.add(row)
            session.flush()
            view = _view(row)
            progress = self._progress(session, scale_id)
        log.info("assessment.recorded")  # never whether the safety card showed
        return Recorded(view, result.needs_safety_card, progress)

    def record_item9_only(self, answer: int, *, taken_at: datetime | None = None) -> bool:
        """ "Not now" on a PHQ-9 whose item 9 was answered above 0: the answer is kept anyway
        (context ``item9_only``, only item 9 stored, not a score), so the next session's start
        check asks about it. Returns whether anything was stored."""
        instrument = scale("phq9")
        number = instrument.safety_item
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= 3:
            raise InvalidInputError(N_("An answer is a whole number from 0 to 3."))
        if number is None or not instrument.triggers_safety_card(number, answer):
            return False
        with self._vault.unit_of_work() as session:
            session.add(
                AssessmentRow(
                    instrument=instrument.name,
                    taken_at=taken_at or self._now(),
                    total=answer,
                    context=ITEM9_ONLY,
                    safety_flag=True,
                    items=[AssessmentItemRow(item_number=number, answer=answer)],
                )
            )
        log.info("assessment.recorded")
        return True

    def history(self, scale_id: str) -> list[AssessmentView]:
        """Every score of one questionnaire, oldest first."""
        instrument = scale(scale_id)
        with self._vault.unit_of_work() as session:
            return self._history(session, instrument.name)

    def get(self, assessment_id: str) -> AssessmentView | None:
        with self._vault.unit_of_work() as session:
            row = session.get(AssessmentRow, assessment_id)
            return _view(row) if row is not None else None

    def progress(self, scale_id: str) -> Progress:
        scale(scale_id)
        with self._vault.unit_of_work() as session:
            return self._progress(session, scale_id)

    def due(self, now: datetime | None = None) -> tuple[DueQuestionnaire, ...]:
        """What the protocol's schedule asks for now (the UI may offer any one on demand)."""
        when = now or self._now()
        with self._vault.unit_of_work() as session:
            protocol = self._protocols.current_in(session).protocol
            sessions = _completed_sessions(session)
            taken = [
                AssessmentRecord(SCALE_BY_INSTRUMENT[instrument], at, total)
                for instrument, at, total in session.execute(
                    select(
                        AssessmentRow.instrument, AssessmentRow.taken_at, AssessmentRow.total
                    ).where(AssessmentRow.context != ITEM9_ONLY)
                )
                if instrument in SCALE_BY_INSTRUMENT
            ]
        return questionnaires_due(protocol.questionnaires, sessions, taken, when)

    # --- internals ----------------------------------------------------------------------------
    def _history(self, session: Session, instrument: str) -> list[AssessmentView]:
        rows = session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.instrument == instrument, AssessmentRow.context != ITEM9_ONLY)
            .order_by(AssessmentRow.taken_at, AssessmentRow.id)
        ).all()
        _load_items(session, rows)
        return [_view(r) for r in rows]

    def _progress(self, session: Session, scale_id: str) -> Progress:
        instrument = scale(scale_id)
        history = self._history(session, instrument.name)
        first_session_at = session.scalar(
            select(SessionRow.started_at)
            .where(SessionRow.status.in_(("completed", "in_progress", "interrupted")))
            .order_by(SessionRow.started_at)
            .limit(1)
        )
        return progress_of(scale_id, history, first_session_at)


def progress_of(
    scale_id: str, history: Sequence[AssessmentView], first_session_at: datetime | None
) -> Progress:
    """Baseline = the last score at or before the first session; without one, the first score.
    Change is the latest score after the baseline against it."""
    instrument = scale(scale_id)
    if not history:
        return Progress(scale_id, None, None, None, False)
    baseline: AssessmentView | None = None
    pre_treatment = False
    if first_session_at is not None:
        record = find_baseline(
            [AssessmentRecord(scale_id, h.taken_at, h.total) for h in history],
            scale_id,
            first_session_at,
        )
        if record is not None:
            baseline = next(h for h in reversed(history) if h.taken_at == record.taken_at)
            pre_treatment = True
    if baseline is None:
        baseline = history[0]
    latest = history[-1]
    change = (
        change_from_baseline(instrument, baseline.total, latest.total)
        if latest.id != baseline.id and latest.taken_at >= baseline.taken_at
        else None
    )
    return Progress(scale_id, baseline, latest, change, pre_treatment)


def _completed_sessions(session: Session) -> list[SessionRecord]:
    rows = session.execute(
        select(SessionRow.started_at, SessionRow.ended_at)
        .where(SessionRow.status == "completed")
        .order_by(SessionRow.started_at)
    ).all()
    return [
        SessionRecord(number, ended or started)
        for number, (started, ended) in enumerate(rows, start=1)
    ]


def _load_items(session: Session, rows: Sequence[AssessmentRow]) -> None:
    """Loads every row's items in one query (no query per assessment)."""
    if not rows:
        return
    ids = [r.id for r in rows]
    items: dict[str, list[AssessmentItemRow]] = {}
    for item in session.scalars(
        select(AssessmentItemRow)
        .where(AssessmentItemRow.assessment_id.in_(ids))
        .order_by(AssessmentItemRow.item_number)
    ):
        items.setdefault(item.assessment_id, []).append(item)
    for row in rows:
        set_committed_value(row, "items", items.get(row.id, []))


def _view(row: AssessmentRow) -> AssessmentView:
    scale_id = SCALE_BY_INSTRUMENT[row.instrument]
    instrument = scale(scale_id)
    items = sorted(row.items, key=lambda i: i.item_number)
    difficulty = next(
        (i.answer for i in items if i.item_number == instrument.difficulty_number), None
    )
    return AssessmentView(
        id=row.id,
        scale_id=scale_id,
        instrument=row.instrument,
        taken_at=row.taken_at,
        total=row.total,
        band=scale(scale_id).band_for(row.total),
        safety_flag=row.safety_flag,
        context=row.context,
        session_id=row.session_id,
        answers=tuple(i.answer for i in items if i.item_number <= len(instrument.items)),
        difficulty=difficulty,
    )
