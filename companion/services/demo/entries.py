"""What each sample entry says: a reflection after a session answers its prompts and rates
dissociation; a next-day check-in answers the integration prompts; free entries have a title
and sometimes a mood."""

from __future__ import annotations

import random

from companion.domain.journal import DISSOCIATION_QUESTIONS, NEXT_DAY, REFLECTION
from companion.services.demo.plan import PlannedEntry, clamp
from companion.services.demo.text import TextGenerator
from companion.services.journal_model import Answer, Dissociation, EntryInput


class EntryWriter:
    def __init__(self, rng: random.Random, text: TextGenerator) -> None:
        self.rng = rng
        self.text = text

    def compose(self, planned: PlannedEntry) -> EntryInput:
        rng = self.rng
        tags = tuple(rng.sample(self.text.words.tags, rng.choice((0, 1, 2, 2, 3, 4))))
        shared = rng.random() < 0.15
        entry = self._content(planned)
        return EntryInput(
            kind=planned.kind,
            title=entry.title,
            body=entry.body,
            answers=entry.answers,
            mood=entry.mood,
            dissociation=entry.dissociation,
            tags=tags,
            shared_with_provider=shared,
            session_id=planned.session.id if planned.session is not None else None,
        )

    def _content(self, planned: PlannedEntry) -> EntryInput:
        t, rng, words, s = self.text, self.rng, planned.words, planned.session
        if planned.kind == "reflection" and s is not None:
            per_prompt = max(15, words // 12)
            answers = tuple(
                Answer(p.id, p.text, t.passage(rng.randint(per_prompt // 2, per_prompt * 2)))
                for p in REFLECTION.prompts
                if rng.random() < 0.9
            )
            used = sum(len(a.answer.split()) for a in answers)
            rated = [
                clamp(round(rng.gauss(2.2 - s.number / 20, 0.9)), 0, 4)
                for _ in DISSOCIATION_QUESTIONS
            ]
            return EntryInput(
                title=f"After session {s.number}",
                body=t.passage(max(20, words - used)),
                answers=answers,
                mood=s.mood_after,
                dissociation=Dissociation(*rated),
            )
        if planned.kind == "integration" and s is not None:
            answers = tuple(
                Answer(p.id, p.text, t.passage(rng.randint(12, 60))) for p in NEXT_DAY.prompts
            )
            used = sum(len(a.answer.split()) for a in answers)
            return EntryInput(
                title=f"The day after session {s.number}",
                body=t.passage(max(20, words - used)),
                answers=answers,
                mood=clamp(s.mood_after + rng.choice((-1, 0, 0, 1)), 0, 10),
            )
        free_mood = clamp(round(rng.gauss(6, 1.5)), 0, 10)
        return EntryInput(
            title=t.title(),
            body=t.passage(words),
            mood=free_mood if rng.random() < 0.7 else None,
        )
