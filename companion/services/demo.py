"""Sample data for trying the app, screenshots and benchmarks: sessions with vitals, doses,
monitor check-ins and side effects; reflections, next-day check-ins and free entries with calm,
varied English text; PHQ-9 and GAD-7 on the protocol's schedule with a plausible improving
trend; tags.

Deterministic for a seed (ids included) and given ``now``. Rows are written with batched Core
inserts and indexed for search in the same transactions, so 10,000 long entries take seconds.
It refuses a vault that already holds sessions or entries: sample data belongs in a separate
demo vault, never mixed into a patient's own.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from companion.domain.journal import (
    DISSOCIATION_QUESTIONS,
    NEXT_DAY,
    REFLECTION,
    search_document,
)
from companion.domain.protocol import Protocol
from companion.domain.scales import GAD7, PHQ9, Scale
from companion.errors import CompanionError
from companion.i18n import N_
from companion.services.journal import JournalService
from companion.services.protocols import ProtocolService
from companion.services.vault import VaultService
from companion.storage import fts
from companion.storage.models import (
    AssessmentItemRow,
    AssessmentRow,
    ChecklistAnswerRow,
    DoseLogRow,
    EntryTagRow,
    JournalAnswerRow,
    JournalEntryRow,
    MonitorCheckinRow,
    PlannedSessionRow,
    PrescriptionRow,
    ProfileRow,
    SessionEventRow,
    SessionRow,
    SideEffectRow,
    TagRow,
    VitalReadingRow,
)

log = logging.getLogger(__name__)

BATCH = 400  # entries per transaction


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
        now: Callable[[], datetime],
        journal: JournalService,
        protocols: ProtocolService,
    ) -> None:
        self._vault = vault
        self._now = now
        self._journal = journal
        self._protocols = protocols

    def generate(self, options: DemoOptions | None = None) -> DemoReport:
        options = options or DemoOptions()
        started = time.perf_counter()
        self._journal.ensure_index()
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            if _has_data(connection):
                raise VaultNotEmptyError()
        plan = _Planner(options, self._now(), self._protocols.active())
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            prescription = plan.write_profile(connection)
            plan.write_sessions(connection, prescription)
            plan.write_assessments(connection)
            plan.write_tags(connection)
        for batch in plan.entry_batches():
            with self._vault.unit_of_work() as session:
                plan.write_entries(session.connection(), batch)
        self._journal.checkpoint()
        report = plan.report(time.perf_counter() - started)
        log.info("demo.generated")
        return report


def _has_data(connection: Connection) -> bool:
    for table in (SessionRow, JournalEntryRow):
        if connection.execute(select(func.count()).select_from(table)).scalar_one():
            return True
    return False


# --------------------------------------------------------------------------------------------
# The plan: sessions on a calendar, entries around them


@dataclass(slots=True)
class _PlannedSession:
    id: str
    number: int
    started_at: datetime
    mood_before: int
    mood_after: int
    intention: str


@dataclass(slots=True)
class _PlannedEntry:
    kind: str
    created_at: datetime
    session: _PlannedSession | None
    words: int


class _Planner:
    def __init__(self, options: DemoOptions, now: datetime, protocol: Protocol) -> None:
        self.options = options
        self.now = now
        self.protocol = protocol
        self.rng = random.Random(options.seed)
        self.text = TextGenerator(random.Random(options.seed + 1))
        self.sessions: list[_PlannedSession] = []
        self.tag_ids: dict[str, str] = {}
        self.counts = {
            "assessments": 0,
            "side_effects": 0,
            "vitals": 0,
            "words": 0,
            "reflection": 0,
            "integration": 0,
            "free": 0,
        }
        self._plan_sessions()
        self.entries = self._plan_entries()

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    # --- calendar -----------------------------------------------------------------------------
    def _plan_sessions(self) -> None:
        n = self.options.sessions
        weekly = self.protocol.cadence.interval_days
        gaps = [
            weekly if i < self.protocol.cadence.sessions else self.rng.randint(3, 6)
            for i in range(n)
        ]
        span = sum(gaps[1:]) + 3 if n else 0
        day = self.now - timedelta(days=span)
        for number in range(1, n + 1):
            if number > 1:
                day += timedelta(days=gaps[number - 1])
            start = day.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
                minutes=self.rng.randint(0, 240)
            )
            progress = min(1.0, number / 8)
            before = _clamp(round(3 + 3 * progress + self.rng.gauss(0, 1)), 0, 10)
            after = _clamp(before + self.rng.choice((0, 1, 1, 2, 2, 3)), 0, 10)
            self.sessions.append(
                _PlannedSession(self.new_id(), number, start, before, after, self.text.intention())
            )

    def _plan_entries(self) -> list[_PlannedEntry]:
        o = self.options
        entries: list[_PlannedEntry] = []
        reflections = min(o.entries, len(self.sessions))
        for s in self.sessions[len(self.sessions) - reflections :]:
            entries.append(
                _PlannedEntry("reflection", s.started_at + timedelta(hours=3), s, self._words())
            )
        rest = o.entries - reflections
        next_day = min(rest * 2 // 3, len(self.sessions))
        for s in self.rng.sample(self.sessions, next_day) if next_day else []:
            at = s.started_at + timedelta(days=1, hours=self.rng.randint(-1, 4))
            entries.append(_PlannedEntry("integration", min(at, self.now), s, self._words()))
        first = self.sessions[0].started_at if self.sessions else self.now - timedelta(days=60)
        span = max(1.0, (self.now - first).total_seconds())
        for _ in range(rest - next_day):
            at = first + timedelta(seconds=self.rng.uniform(0, span))
            kind = "integration" if self.rng.random() < 0.3 else "free"
            entries.append(_PlannedEntry(kind, at, None, self._words()))
        entries.sort(key=lambda e: e.created_at)
        return entries

    def _words(self) -> int:
        o = self.options
        # Most entries are short, some long: a skewed draw between the two limits.
        return int(o.min_words + (o.max_words - o.min_words) * self.rng.random() ** 1.6)

    # --- rows ---------------------------------------------------------------------------------
    def write_profile(self, connection: Connection) -> dict[str, Any]:
        if connection.execute(select(func.count()).select_from(ProfileRow)).scalar_one() == 0:
            connection.execute(
                insert(ProfileRow),
                [
                    {
                        "id": "me",
                        "name": "Sam Demo",
                        "provider_name": "Dr. Rivera (demo)",
                        "provider_contact": "555-0100",
                        "monitor_name": "Alex",
                        "monitor_phone": "555-0101",
                        "emergency_contact_name": "Jordan",
                        "emergency_contact_phone": "555-0102",
                        "emergency_number": "911",
                        "crisis_line": "988",
                        "updated_at": self.now,
                    }
                ],
            )
        prescription = {
            "id": self.new_id(),
            "medicine": "Ketamine",
            "form": "sublingual tablet",
            "dose_text": "Demo prescription: the dose as your provider wrote it",
            "hold_minutes": 15,
            "instructions": "Sample data. Hold under the tongue, do not swallow, then spit.",
            "active": True,
            "recorded_at": self.sessions[0].started_at - timedelta(days=10)
            if self.sessions
            else self.now,
        }
        connection.execute(insert(PrescriptionRow), [prescription])
        return prescription

    def write_sessions(self, connection: Connection, prescription: dict[str, Any]) -> None:
        rows: dict[Any, list[dict[str, Any]]] = {
            PlannedSessionRow: [],
            SessionRow: [],
            SessionEventRow: [],
            ChecklistAnswerRow: [],
            VitalReadingRow: [],
            DoseLogRow: [],
            MonitorCheckinRow: [],
            SideEffectRow: [],
        }
        phases = [(p.id.value, p.minutes) for p in self.protocol.timeline.phases]
        checklist = [item.id for item in self.protocol.checklist]
        effects = [e.id for e in self.protocol.side_effects]
        weights = {
            "dissociation": 8,
            "nausea": 6,
            "drowsiness": 6,
            "perception": 5,
            "dizziness": 4,
            "vision": 2,
            "dysphoria": 1,
            "vomiting": 1,
        }
        for s in self.sessions:
            planned_id = self.new_id()
            rows[PlannedSessionRow].append(
                {
                    "id": planned_id,
                    "planned_at": s.started_at,
                    "sequence": s.number,
                    "status": "done",
                    "reason": "",
                    "created_at": s.started_at - timedelta(days=7),
                    "updated_at": s.started_at,
                }
            )
            rows[SessionEventRow].append(
                {
                    "id": self.new_id(),
                    "session_id": s.id,
                    "kind": "settle_started",
                    "at": s.started_at,
                    "detail": "{}",
                }
            )
            at = s.started_at
            for phase, minutes in phases:
                detail = json.dumps(
                    {"event_id": f"phase:{phase}", "phase": phase}, separators=(",", ":")
                )
                rows[SessionEventRow].append(
                    {
                        "id": self.new_id(),
                        "session_id": s.id,
                        "kind": "phase",
                        "at": at,
                        "detail": detail,
                    }
                )
                at += timedelta(minutes=minutes + self.rng.uniform(0, 2))
            ended = at
            rows[SessionRow].append(
                {
                    "id": s.id,
                    "planned_session_id": planned_id,
                    "protocol_id": None,
                    "prescription_id": prescription["id"],
                    "status": "completed",
                    "started_at": s.started_at,
                    "ended_at": ended,
                    "abort_reason": "",
                    "intention": s.intention,
                    "mood_before": s.mood_before,
                    "mood_after": s.mood_after,
                    "recovered_at": ended + timedelta(minutes=self.rng.randint(30, 150)),
                }
            )
            for item in checklist:
                rows[ChecklistAnswerRow].append(
                    {
                        "id": self.new_id(),
                        "session_id": s.id,
                        "item_id": item,
                        "answer": "checked",
                        "answered_at": s.started_at - timedelta(minutes=10),
                    }
                )
            base_sys = self.rng.gauss(121, 6)
            base_dia = self.rng.gauss(78, 4)
            base_pulse = self.rng.gauss(70, 5)
            for phase, at_time, rise in (
                ("before", s.started_at - timedelta(minutes=5), 0.0),
                ("after", ended + timedelta(minutes=5), 1.0),
            ):
                rows[VitalReadingRow].append(
                    {
                        "id": self.new_id(),
                        "session_id": s.id,
                        "phase": phase,
                        "taken_at": at_time,
                        "systolic": round(base_sys + rise * self.rng.uniform(2, 12)),
                        "diastolic": round(base_dia + rise * self.rng.uniform(1, 7)),
                        "pulse": round(base_pulse + rise * self.rng.uniform(-2, 8)),
                        "classification": "ok",
                        "acknowledged": False,
                    }
                )
            rows[DoseLogRow].append(
                {
                    "id": self.new_id(),
                    "session_id": s.id,
                    "prescription_id": prescription["id"],
                    "medicine": prescription["medicine"],
                    "form": prescription["form"],
                    "dose_text": prescription["dose_text"],
                    "taken_at": s.started_at + timedelta(minutes=phases[0][1]),
                    "hold_minutes": prescription["hold_minutes"],
                }
            )
            journey_start = s.started_at + timedelta(minutes=phases[0][1] + phases[1][1])
            for k in range(1, 5):
                rows[MonitorCheckinRow].append(
                    {
                        "id": self.new_id(),
                        "session_id": s.id,
                        "at": journey_start + timedelta(minutes=15 * k),
                        "responsive": True,
                        "breathing_ok": True,
                        "nausea": self.rng.random() < 0.08,
                        "needs_help": False,
                        "note": "",
                    }
                )
            for effect in effects:
                chance = weights.get(effect, 0) / 20 * (1.2 - min(1.0, s.number / 20))
                if self.rng.random() < chance:
                    rows[SideEffectRow].append(
                        {
                            "id": self.new_id(),
                            "session_id": s.id,
                            "reported_at": ended + timedelta(minutes=10),
                            "effect": effect,
                            "severity": self.rng.choices(
                                ("mild", "moderate", "severe"), (80, 18, 2)
                            )[0],
                            "note": "",
                        }
                    )
        for model, values in rows.items():
            for chunk in _chunked(values, 2000):
                connection.execute(insert(model), chunk)
        self.counts["side_effects"] = len(rows[SideEffectRow])
        self.counts["vitals"] = len(rows[VitalReadingRow])

    def write_assessments(self, connection: Connection) -> None:
        if not self.sessions:
            return
        schedule = self.protocol.questionnaires
        first = self.sessions[0].started_at
        moments: list[tuple[datetime, str, str | None]] = [
            (first - timedelta(days=1), "before_session", None)
        ]
        by_number = {s.number: s for s in self.sessions}
        for n in schedule.after_sessions:
            if n in by_number:
                moments.append(
                    (by_number[n].started_at + timedelta(hours=5), "after_session", by_number[n].id)
                )
        last_listed = max(schedule.after_sessions, default=0)
        if schedule.every_days_after > 0 and last_listed in by_number:
            at = by_number[last_listed].started_at + timedelta(days=schedule.every_days_after)
            while at <= self.now:
                moments.append((at, "repeat", None))
                at += timedelta(days=schedule.every_days_after)
        phq_base = self.rng.randint(14, 19)
        gad_base = self.rng.randint(11, 16)
        assessments: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        for at, context, session_id in moments:
            days = (at - first).total_seconds() / 86400
            improvement = 0.7 * min(1.0, max(0.0, days) / 70)
            for instrument, base in ((PHQ9, phq_base), (GAD7, gad_base)):
                total = _clamp(round(base * (1 - improvement) + self.rng.gauss(0, 1.3)), 0, 24)
                answers = _spread(self.rng, instrument, total)
                assessment_id = self.new_id()
                assessments.append(
                    {
                        "id": assessment_id,
                        "instrument": instrument.name,
                        "taken_at": at + timedelta(minutes=self.rng.randint(0, 30)),
                        "total": sum(answers),
                        "session_id": session_id,
                        "context": context,
                        "safety_flag": False,
                    }
                )
                items.extend(
                    {"assessment_id": assessment_id, "item_number": n, "answer": a}
                    for n, a in enumerate(answers, start=1)
                )
        connection.execute(insert(AssessmentRow), assessments)
        for chunk in _chunked(items, 5000):
            connection.execute(insert(AssessmentItemRow), chunk)
        self.counts["assessments"] = len(assessments)

    def write_tags(self, connection: Connection) -> None:
        self.tag_ids = {name: self.new_id() for name in TAGS}
        connection.execute(
            insert(TagRow), [{"id": i, "name": name} for name, i in self.tag_ids.items()]
        )

    def entry_batches(self) -> Iterator[list[_PlannedEntry]]:
        yield from _chunked(self.entries, BATCH)

    def write_entries(self, connection: Connection, batch: Sequence[_PlannedEntry]) -> None:
        entry_rows: list[dict[str, Any]] = []
        answer_rows: list[dict[str, Any]] = []
        tag_rows: list[dict[str, Any]] = []
        indexed: list[fts.IndexedEntry] = []
        for planned in batch:
            entry_id = self.new_id()
            title, body, answers, mood, dissociation = self._compose(planned)
            tags = sorted(self.rng.sample(TAGS, self.rng.choice((0, 1, 2, 2, 3, 4))))
            shared = self.rng.random() < 0.15
            entry_rows.append(
                {
                    "id": entry_id,
                    "session_id": planned.session.id if planned.session else None,
                    "kind": planned.kind,
                    "title": title,
                    "body": body,
                    "mood": mood,
                    "dissociation_body": dissociation[0],
                    "dissociation_surroundings": dissociation[1],
                    "dissociation_time": dissociation[2],
                    "shared_with_provider": shared,
                    "created_at": planned.created_at,
                    "updated_at": planned.created_at,
                }
            )
            for position, (prompt_id, prompt_text, answer) in enumerate(answers):
                answer_rows.append(
                    {
                        "id": self.new_id(),
                        "entry_id": entry_id,
                        "position": position,
                        "prompt_id": prompt_id,
                        "prompt_text": prompt_text,
                        "answer": answer,
                    }
                )
            tag_rows.extend({"entry_id": entry_id, "tag_id": self.tag_ids[t]} for t in tags)
            document = search_document(title, body, [a[2] for a in answers], tags)
            self.counts["words"] += document.word_count
            self.counts[planned.kind] += 1
            indexed.append(
                fts.IndexedEntry(
                    entry_id=entry_id,
                    created_at=planned.created_at,
                    updated_at=planned.created_at,
                    kind=planned.kind,
                    session_id=planned.session.id if planned.session else None,
                    mood=mood,
                    shared=shared,
                    document=document,
                )
            )
        connection.execute(insert(JournalEntryRow), entry_rows)
        if answer_rows:
            connection.execute(insert(JournalAnswerRow), answer_rows)
        if tag_rows:
            connection.execute(insert(EntryTagRow), tag_rows)
        fts.index_entries(connection, indexed)

    def _compose(
        self, planned: _PlannedEntry
    ) -> tuple[str, str, list[tuple[str, str, str]], int | None, tuple[int | None, ...]]:
        t = self.text
        words = planned.words
        if planned.kind == "reflection" and planned.session is not None:
            s = planned.session
            per_prompt = max(15, words // 12)
            answers = [
                (p.id, p.text, t.passage(self.rng.randint(per_prompt // 2, per_prompt * 2)))
                for p in REFLECTION.prompts
                if self.rng.random() < 0.9
            ]
            used = sum(len(a[2].split()) for a in answers)
            body = t.passage(max(20, words - used))
            dissociation = tuple(
                _clamp(round(self.rng.gauss(2.2 - s.number / 20, 0.9)), 0, 4)
                for _ in DISSOCIATION_QUESTIONS
            )
            return (f"After session {s.number}", body, answers, s.mood_after, dissociation)
        if planned.kind == "integration" and planned.session is not None:
            answers = [
                (p.id, p.text, t.passage(self.rng.randint(12, 60))) for p in NEXT_DAY.prompts
            ]
            used = sum(len(a[2].split()) for a in answers)
            body = t.passage(max(20, words - used))
            mood = _clamp(planned.session.mood_after + self.rng.choice((-1, 0, 0, 1)), 0, 10)
            title = f"The day after session {planned.session.number}"
            return (title, body, answers, mood, (None, None, None))
        free_mood = _clamp(round(self.rng.gauss(6, 1.5)), 0, 10)
        return (
            t.title(),
            t.passage(words),
            [],
            free_mood if self.rng.random() < 0.7 else None,
            (None, None, None),
        )

    def report(self, seconds: float) -> DemoReport:
        c = self.counts
        return DemoReport(
            sessions=len(self.sessions),
            entries=len(self.entries),
            reflections=c["reflection"],
            integration=c["integration"],
            free=c["free"],
            assessments=c["assessments"],
            side_effects=c["side_effects"],
            vitals=c["vitals"],
            words=c["words"],
            seconds=seconds,
        )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _spread(rng: random.Random, instrument: Scale, total: int) -> list[int]:
    """Item answers (0-3) adding up to ``total``. PHQ-9 item 9 stays 0 in sample data."""
    count = len(instrument.items)
    open_items = [i for i in range(count) if instrument.safety_item != i + 1]
    answers = [0] * count
    total = min(total, 3 * len(open_items))
    for _ in range(total):
        candidates = [i for i in open_items if answers[i] < 3]
        answers[rng.choice(candidates)] += 1
    return answers


def _chunked(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


# --------------------------------------------------------------------------------------------
# Text

TAGS = [
    "calm",
    "sleep",
    "music",
    "family",
    "work",
    "nature",
    "body",
    "gratitude",
    "grief",
    "insight",
    "anxiety",
    "hope",
    "dreams",
    "breath",
    "intention",
    "friends",
    "walking",
    "creativity",
    "memory",
    "self-compassion",
]

_NATURE = [
    "river",
    "lake",
    "forest",
    "meadow",
    "shoreline",
    "garden",
    "orchard",
    "hillside",
    "tide",
    "harbour",
    "valley",
    "birch",
    "willow",
    "pine",
    "fern",
    "moss",
    "stone",
    "pebble",
    "cloud",
    "rain",
    "snow",
    "fog",
    "wind",
    "sunlight",
    "moonlight",
    "horizon",
    "field",
    "creek",
    "waterfall",
    "island",
    "dune",
    "cliff",
    "path",
    "bridge",
    "lantern",
    "candle",
    "feather",
    "seashell",
    "acorn",
    "tulip",
    "lavender",
    "heron",
    "sparrow",
    "owl",
    "fox",
    "deer",
    "whale",
    "butterfly",
    "dragonfly",
    "bee",
    "ocean",
    "glacier",
    "canyon",
    "prairie",
    "reef",
    "marsh",
]
_HOME = [
    "kitchen",
    "window",
    "blanket",
    "armchair",
    "teacup",
    "bookshelf",
    "porch",
    "staircase",
    "hallway",
    "attic",
    "doorway",
    "lamp",
    "quilt",
    "pillow",
    "notebook",
    "piano",
    "radio",
    "photograph",
    "letter",
    "clock",
    "mirror",
    "table",
    "bicycle",
    "jacket",
    "scarf",
    "kettle",
    "bread",
    "orange",
    "apple",
    "soup",
    "map",
    "key",
    "suitcase",
    "umbrella",
    "record",
]
_PEOPLE = [
    "my mother",
    "my father",
    "my sister",
    "my brother",
    "my grandmother",
    "my grandfather",
    "an old friend",
    "my partner",
    "my daughter",
    "my son",
    "a teacher I once had",
    "my neighbour",
    "a colleague",
    "my younger self",
    "a stranger on a train",
    "my aunt",
    "my uncle",
    "my cousin",
    "the dog we had",
    "my best friend from school",
]
_FEELINGS = [
    "calm",
    "tender",
    "light",
    "heavy",
    "curious",
    "relieved",
    "grateful",
    "sad",
    "hopeful",
    "peaceful",
    "restless",
    "open",
    "quiet",
    "warm",
    "spacious",
    "safe",
    "unsure",
    "soft",
    "steady",
    "playful",
    "wistful",
    "clear",
    "tired",
    "gentle",
    "grounded",
    "moved",
    "content",
    "patient",
    "brave",
    "honest",
    "homesick",
    "amazed",
    "forgiving",
    "rested",
    "uneasy",
]
_COLOURS = [
    "blue",
    "green",
    "golden",
    "silver",
    "amber",
    "violet",
    "grey",
    "white",
    "rose",
    "indigo",
    "copper",
    "teal",
    "ochre",
    "crimson",
    "pale",
    "deep",
    "bright",
    "dim",
    "misty",
    "shimmering",
]
_BODY = [
    "chest",
    "shoulders",
    "hands",
    "feet",
    "jaw",
    "belly",
    "throat",
    "back",
    "neck",
    "arms",
    "legs",
    "forehead",
    "fingertips",
    "spine",
    "breath",
    "heartbeat",
    "stomach",
    "eyes",
]
_SENSATIONS = [
    "warmth",
    "heaviness",
    "lightness",
    "tingling",
    "tightness",
    "looseness",
    "a slow pulse",
    "a soft buzzing",
    "stillness",
    "a gentle pressure",
    "coolness",
    "ease",
    "a faint ache",
    "a floating feeling",
    "weight sinking down",
    "a wave of relaxation",
]
_TIMES = [
    "this morning",
    "in the afternoon",
    "last night",
    "at dawn",
    "around noon",
    "yesterday",
    "earlier today",
    "this evening",
    "on the walk home",
    "before breakfast",
    "after lunch",
    "at the end of the music",
    "during the second song",
    "near the end",
    "at the start",
]
_ACTIONS = [
    "walked",
    "rested",
    "wrote",
    "cooked",
    "listened",
    "breathed",
    "stretched",
    "waited",
    "called",
    "read",
    "painted",
    "sang",
    "watered the plants",
    "tidied",
    "swam",
    "cycled",
    "made tea",
    "sat outside",
    "looked at old photos",
    "planted seeds",
    "baked bread",
]
_INSIGHTS = [
    "I do not have to solve everything today",
    "rest is not the same as giving up",
    "I can be kind to the part of me that worries",
    "the old story is not the whole story",
    "small steps still count",
    "I am allowed to ask for help",
    "sadness and hope can sit side by side",
    "my body has been trying to protect me",
    "I have more room inside than I thought",
    "the people I love are not keeping score",
    "slowing down makes things clearer",
    "I can let a feeling pass without following it",
    "there is something steady underneath the noise",
    "I have been carrying this for a long time",
    "it is fine to not know yet",
    "I want to spend more time outside",
    "I miss making things with my hands",
    "I can say no without a long explanation",
]
_TEMPLATES = [
    "I noticed {feeling} feelings {time}.",
    "{time_cap} I {action} and felt {feeling}.",
    "There was a {colour} {nature} that kept coming back.",
    "I pictured the {nature} near the house where I grew up.",
    "My {body} felt {feeling}, with {sensation}.",
    "I felt {sensation} in my {body} and let it be there.",
    "I thought about {person} and felt {feeling}.",
    "A memory of {person} in the {home} came up, and it was {feeling} rather than sharp.",
    "The music made me think of a {colour} {nature} under a wide sky.",
    "For a while everything was {colour} and {feeling}.",
    "It occurred to me that {insight}.",
    "I keep coming back to this: {insight}.",
    "Writing it down, I see that {insight}.",
    "{time_cap} the {home} looked different, more {feeling}.",
    "I want to remember the {nature} and how {feeling} it felt.",
    "My breathing slowed and my {body} softened.",
    "I {action} {time} and it helped.",
    "The {home} in the image was {colour}, and {person} was there too.",
    "I felt {feeling} and {feeling2} at the same time.",
    "There was a moment of {sensation}, then a {feeling} quiet.",
    "I noticed I was less {feeling} than last week.",
    "Maybe {insight}; I am not sure yet, but it feels true.",
    "I imagined walking along the {nature} with {person}.",
    "The {nature} turned into a {home}, which made me smile.",
    "Tomorrow I would like to {plan}.",
    "Next week I want to {plan}.",
    "I told {person} a little about it and they listened.",
    "I was surprised by how {feeling} I felt afterwards.",
    "Nothing dramatic happened, and that was fine.",
    "I drank water, ate something simple and rested.",
    "The room was {feeling}, with {colour} light on the {home}.",
    "I let the thoughts drift past like a {nature} in the wind.",
    "Some of it was hard to put into words.",
    "I felt {feeling} about my intention, and a little {feeling2}.",
    "A {colour} shape, like a {nature}, opened slowly.",
    "There was a sense that {insight}.",
    "My {body} still remembers {sensation}.",
    "I noticed the sound of the {nature} in the music.",
]
_TOPICS = [
    "letting go",
    "rest",
    "asking for help",
    "slowing down",
    "patience",
    "home",
    "trust",
    "old habits",
    "saying no",
    "beginnings",
    "the weekend",
    "being outside",
    "forgiveness",
]
_PLANS = [
    "walk by the {nature}",
    "call {person}",
    "write a little every morning",
    "spend an hour without my phone",
    "go to bed earlier",
    "cook something slow",
    "sit in the garden",
    "tell my provider how the week went",
    "take a longer lunch",
    "listen to the playlist again",
    "visit {person}",
    "draw the {nature} I saw",
    "notice my {body} when I feel rushed",
    "keep my evenings quiet",
]
_TITLE_TEMPLATES = [
    "{feeling_cap} {time}",
    "The {colour} {nature}",
    "Thinking about {person}",
    "A {feeling} day",
    "Notes on {topic}",
    "{nature_cap} and {home}",
    "On {topic}",
    "What my {body} said",
    "Small steps",
    "A quiet week",
    "After the walk",
]


class TextGenerator:
    """Calm, varied sentences from templates. A pool of filled sentences is made once, then
    passages are drawn from it, which is fast enough for millions of words."""

    POOL = 6000

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = [self._sentence() for _ in range(self.POOL)]
        self.pool_words = [len(s.split()) for s in self.pool]

    def _fill(self, template: str) -> str:
        r = self.rng
        time_ = r.choice(_TIMES)
        nature = r.choice(_NATURE)
        feeling = r.choice(_FEELINGS)
        return template.format(
            feeling=feeling,
            feeling2=r.choice(_FEELINGS),
            feeling_cap=feeling.capitalize(),
            time=time_,
            time_cap=time_[0].upper() + time_[1:],
            action=r.choice(_ACTIONS),
            colour=r.choice(_COLOURS),
            nature=nature,
            nature_cap=nature.capitalize(),
            home=r.choice(_HOME),
            person=r.choice(_PEOPLE),
            body=r.choice(_BODY),
            sensation=r.choice(_SENSATIONS),
            insight=r.choice(_INSIGHTS),
            topic=r.choice(_TOPICS),
            plan=self._fill(r.choice(_PLANS)) if "{plan}" in template else "",
        )

    def _sentence(self) -> str:
        return self._fill(self.rng.choice(_TEMPLATES))

    def passage(self, words: int) -> str:
        """About ``words`` words in paragraphs of three to six sentences."""
        r = self.rng
        paragraphs: list[str] = []
        sentences: list[str] = []
        count = 0
        size = r.randint(3, 6)
        indexes = iter(r.choices(range(self.POOL), k=words // 6 + 8))
        while count < words:
            i = next(indexes, None)
            if i is None:
                i = r.randrange(self.POOL)
            sentence = self.pool[i]
            if r.random() < 0.03:
                sentence = f"*{sentence}*"
            sentences.append(sentence)
            count += self.pool_words[i]
            if len(sentences) >= size:
                paragraphs.append(" ".join(sentences))
                sentences = []
                size = r.randint(3, 6)
        if sentences:
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        return self._fill(self.rng.choice(_TITLE_TEMPLATES))

    def intention(self) -> str:
        return self.rng.choice(
            (
                "To be gentle with myself.",
                "To listen to what my body needs.",
                "To let go of what I cannot control.",
                "To understand the heaviness a little better.",
                "To stay curious, whatever comes.",
                "To reconnect with the things I used to enjoy.",
                "To meet my sadness with patience.",
                "To rest and see what shows up.",
            )
        )
