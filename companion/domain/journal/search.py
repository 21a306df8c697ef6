"""Search in the journal: the document the full-text index holds for an entry, the query
builder, and the highlight markers shared by the search service and the UI."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from companion.domain.journal.text import (
    MARK_END,
    MARK_START,
    clean_text,
    markdown_to_plain,
    preview,
    word_count,
)

# --------------------------------------------------------------------------------------------
# The search document: what the full-text index holds for one entry


@dataclass(frozen=True, slots=True)
class SearchDocument:
    title: str
    body: str  # plain text
    answers: str  # every prompt answer, plain text, one per paragraph
    tags: str  # tag names, one per line
    word_count: int  # words in the body and the answers (the title is not counted)
    preview: str


def search_document(
    title: str, body_markdown: str, answers: Sequence[str], tags: Sequence[str]
) -> SearchDocument:
    body = markdown_to_plain(body_markdown)
    answer_texts = [markdown_to_plain(a) for a in answers]
    answers_text = "\n\n".join(a for a in answer_texts if a)
    first = body or answers_text
    return SearchDocument(
        title=" ".join(clean_text(title).split()),
        body=body,
        answers=answers_text,
        tags="\n".join(tags),
        word_count=word_count(body) + sum(word_count(a) for a in answer_texts),
        preview=preview(first),
    )


# --------------------------------------------------------------------------------------------
# Search queries

MAX_QUERY_TERMS = 16
MIN_PREFIX = 2  # a one-letter prefix would match most of the index: slow and useless
_QUOTED = re.compile(r'"([^"]*)"')
_TERM = re.compile(r"\w+")
_ENDS_IN_WORD = re.compile(r"\w$")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[str, ...]  # every word, for highlighting in the full text
    match: str  # an FTS5 MATCH expression; "" when there is nothing to search for
    phrases: tuple[str, ...]  # the quoted strings ``match`` asks for, all together

    @property
    def any_phrase(self) -> str:
        """An FTS5 expression for a row with any of the phrases (``match`` asks for all)."""
        return " OR ".join(self.phrases)


def parse_query(text: str) -> ParsedQuery:
    """Turns what a person typed into a safe FTS5 expression.

    Words are matched all together (AND), each as a quoted string, so nothing typed can be read
    as FTS5 syntax (``"``, ``AND(``, ``NEAR``, ``col:``, ``*`` and ``^`` are all just text).
    Words inside a pair of double quotes form a phrase. The last word, when the text does not
    end with a space, a closing quote or punctuation, also matches as a prefix (from two
    letters on), for search as you type.
    """
    text = clean_text(text)
    parts: list[tuple[tuple[str, ...], bool]] = []  # (words, is_phrase)
    position = 0
    for quoted in _QUOTED.finditer(text):
        parts.extend(((w,), False) for w in _TERM.findall(text[position : quoted.start()]))
        phrase = tuple(_TERM.findall(quoted.group(1)))
        if phrase:
            parts.append((phrase, len(phrase) > 1))
        position = quoted.end()
    tail = text[position:]
    parts.extend(((w,), False) for w in _TERM.findall(tail))
    parts = parts[:MAX_QUERY_TERMS]
    if not parts:
        return ParsedQuery((), "", ())
    last = parts[-1]
    last_is_prefix = (
        bool(_ENDS_IN_WORD.search(tail)) and not last[1] and len(last[0][0]) >= MIN_PREFIX
    )
    expressions = []
    for index, (group, _phrase) in enumerate(parts):
        quoted_text = '"' + " ".join(group).replace('"', '""') + '"'
        if index == len(parts) - 1 and last_is_prefix:
            quoted_text += "*"
        expressions.append(quoted_text)
    terms = tuple(dict.fromkeys(w.casefold() for group, _ in parts for w in group))
    return ParsedQuery(terms, " ".join(expressions), tuple(expressions))


# --------------------------------------------------------------------------------------------
# Highlight markers


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    marked: bool


def split_marked(text: str) -> tuple[Segment, ...]:
    """A marked text (a snippet) as plain and highlighted runs, for the UI to draw."""
    segments: list[Segment] = []
    marked = False
    buffer: list[str] = []
    for char in text:
        if char in (MARK_START, MARK_END):
            if buffer:
                segments.append(Segment("".join(buffer), marked))
                buffer = []
            marked = char == MARK_START
        else:
            buffer.append(char)
    if buffer:
        segments.append(Segment("".join(buffer), marked))
    return tuple(segments)


def replace_marks(text: str, start: str = "[", end: str = "]") -> str:
    """A marked text with visible brackets, for the command line."""
    return text.replace(MARK_START, start).replace(MARK_END, end)


def strip_marks(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def highlight(text: str, terms: Sequence[str]) -> str:
    """Marks the words of ``text`` that start with one of ``terms`` (ignoring case and
    accents), for showing a whole entry opened from a search. A simple prefix rule: it marks
    "dreaming" for "dream", as the index's English stemming would find it.
    """
    folded_terms = tuple(t for t in (_fold(term) for term in terms) if t)
    if not folded_terms:
        return text
    out: list[str] = []
    position = 0
    for match in _TERM.finditer(text):
        word = match.group(0)
        if _fold(word).startswith(folded_terms):
            out.append(text[position : match.start()])
            out.append(f"{MARK_START}{word}{MARK_END}")
            position = match.end()
    out.append(text[position:])
    return "".join(out)
