"""Calm, varied sample sentences from templates and word lists (``resources/demo/words.toml``)."""

from __future__ import annotations

import functools
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from companion.paths import RESOURCES_DIR

WORDS_FILE = RESOURCES_DIR / "demo" / "words.toml"


@dataclass(frozen=True, slots=True)
class Words:
    """The lists the templates draw from; each is non-empty (``load_words`` checks)."""

    tags: tuple[str, ...]
    intentions: tuple[str, ...]
    title_templates: tuple[str, ...]
    templates: tuple[str, ...]
    plans: tuple[str, ...]
    nature: tuple[str, ...]
    home: tuple[str, ...]
    people: tuple[str, ...]
    feelings: tuple[str, ...]
    colours: tuple[str, ...]
    body: tuple[str, ...]
    sensations: tuple[str, ...]
    times: tuple[str, ...]
    actions: tuple[str, ...]
    insights: tuple[str, ...]
    topics: tuple[str, ...]


@functools.cache
def load_words() -> Words:
    """The shipped word lists, read once."""
    return read_words(WORDS_FILE)


def read_words(path: Path) -> Words:
    """A missing, empty or non-text list is refused at once, naming the list."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    lists: dict[str, tuple[str, ...]] = {}
    for name in Words.__slots__:
        values = data.get(name)
        if not values or not all(isinstance(v, str) and v for v in values):
            raise ValueError(f"{path.name}: {name} must be a non-empty list of words")
        lists[name] = tuple(values)
    return Words(**lists)


class TextGenerator:
    """A pool of filled sentences is made once, then passages are drawn from it, which is
    fast enough for millions of words."""

    POOL = 6000

    def __init__(self, rng: random.Random, words: Words | None = None) -> None:
        self.rng = rng
        self.words = words or load_words()
        self.pool = [self._sentence() for _ in range(self.POOL)]
        self.pool_words = [len(s.split()) for s in self.pool]

    def _fill(self, template: str) -> str:
        r, w = self.rng, self.words
        time_ = r.choice(w.times)
        nature = r.choice(w.nature)
        feeling = r.choice(w.feelings)
        return template.format(
            feeling=feeling,
            feeling2=r.choice(w.feelings),
            feeling_cap=feeling.capitalize(),
            time=time_,
            time_cap=time_[0].upper() + time_[1:],
            action=r.choice(w.actions),
            colour=r.choice(w.colours),
            nature=nature,
            nature_cap=nature.capitalize(),
            home=r.choice(w.home),
            person=r.choice(w.people),
            body=r.choice(w.body),
            sensation=r.choice(w.sensations),
            insight=r.choice(w.insights),
            topic=r.choice(w.topics),
            plan=self._fill(r.choice(w.plans)) if "{plan}" in template else "",
        )

    def _sentence(self) -> str:
        return self._fill(self.rng.choice(self.words.templates))

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
        return self._fill(self.rng.choice(self.words.title_templates))

    def intention(self) -> str:
        return self.rng.choice(self.words.intentions)
