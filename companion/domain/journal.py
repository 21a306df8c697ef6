"""Journal rules, as pure Python: templates and prompts, the mood and dissociation questions,
validation, word count, Markdown to plain text for the search index, tag normalisation, the
search-query builder and the highlight markers shared by the search service and the UI.

Entries are stored as plain text or Markdown, never HTML. The search index holds the plain text
made here, so snippets never carry markup. Matches in a snippet are wrapped in ``MARK_START``
and ``MARK_END`` (ASCII STX/ETX control characters, which ``clean_text`` removes from anything
a person writes), so the UI can split a snippet into plain and highlighted runs without ever
interpreting it as HTML.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from companion.i18n import N_, _

# --------------------------------------------------------------------------------------------
# Kinds, templates and prompts


class EntryKind(StrEnum):
    REFLECTION = "reflection"  # written after a session, linked to it
    INTEGRATION = "integration"  # any day after: the next-day check-in and later entries
    FREE = "free"  # free-standing writing

    @property
    def label(self) -> str:
        """The kind in words, in the current language."""
        return _(_KIND_LABELS[self])


_KIND_LABELS = {
    EntryKind.REFLECTION: N_("Session reflection"),
    EntryKind.INTEGRATION: N_("Integration"),
    EntryKind.FREE: N_("Free writing"),
}


@dataclass(frozen=True, slots=True)
class JournalPrompt:
    id: str
    text: str
    hint: str = ""  # a gentle example shown as placeholder text


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    kind: EntryKind
    name: str
    intro: str
    prompts: tuple[JournalPrompt, ...]
    asks_mood: bool = True
    asks_dissociation: bool = False

    def prompt(self, prompt_id: str) -> JournalPrompt:
        for prompt in self.prompts:
            if prompt.id == prompt_id:
                return prompt
        raise KeyError(prompt_id)


REFLECTION = Template(
    id="reflection",
    kind=EntryKind.REFLECTION,
    name=N_("After the session"),
    intro=(
        N_(
            "Take your time. Every question is optional; write as much or as little as you like, "
            "and add anything else below."
        )
    ),
    prompts=(
        JournalPrompt("felt", N_("What did you feel?"), N_("Emotions, moods, how they changed.")),
        JournalPrompt(
            "images",
            N_("What images or insights came?"),
            N_("Pictures, memories, thoughts, words."),
        ),
        JournalPrompt(
            "body", N_("What did your body feel?"), N_("Heaviness, lightness, warmth, tension.")
        ),
        JournalPrompt(
            "intention",
            N_("How does your intention look now?"),
            N_("The intention you set before the session, seen from here."),
        ),
        JournalPrompt(
            "carry_forward",
            N_("What do you want to carry forward?"),
            N_("One thing to remember or try in the coming days."),
        ),
    ),
    asks_mood=True,
    asks_dissociation=True,
)

NEXT_DAY = Template(
    id="next_day",
    kind=EntryKind.INTEGRATION,
    name=N_("Next-day check-in"),
    intro=N_("A short look back, the day after a session."),
    prompts=(
        JournalPrompt("sleep", N_("How did you sleep?"), N_("Hours, dreams, waking up.")),
        JournalPrompt("mood", N_("How is your mood today?"), N_("In a few words.")),
        JournalPrompt(
            "shifted",
            N_("Did anything shift?"),
            N_("In how you see things, in your body, with other people."),
        ),
        JournalPrompt(
            "side_effects",
            N_("Are any side effects lingering?"),
            N_(
                "Headache, nausea, tiredness, feeling detached. Tell your provider about anything "
                "that worries you."
            ),
        ),
    ),
)

INTEGRATION = Template(
    id="integration",
    kind=EntryKind.INTEGRATION,
    name=N_("Integration"),
    intro=N_("Any day after a session: what is settling, what is changing."),
    prompts=(),
)

FREE = Template(
    id="free",
    kind=EntryKind.FREE,
    name=N_("Free writing"),
    intro=N_("Write whatever you like."),
    prompts=(),
)

TEMPLATES: dict[str, Template] = {t.id: t for t in (REFLECTION, NEXT_DAY, INTEGRATION, FREE)}


def template(template_id: str) -> Template:
    try:
        return TEMPLATES[template_id]
    except KeyError:
        raise KeyError(f"unknown journal template: {template_id}") from None


def default_template(kind: EntryKind | str) -> Template:
    return {
        EntryKind.REFLECTION: REFLECTION,
        EntryKind.INTEGRATION: NEXT_DAY,
        EntryKind.FREE: FREE,
    }[EntryKind(kind)]


# --------------------------------------------------------------------------------------------
# Mood and the short dissociation rating

MOOD_MIN, MOOD_MAX = 0, 10
MOOD_QUESTION = N_("How is your mood right now?")
MOOD_ANCHORS = {0: N_("Very low"), 5: N_("In between"), 10: N_("Very good")}

DISSOCIATION_MIN, DISSOCIATION_MAX = 0, 4


@dataclass(frozen=True, slots=True)
class RatingQuestion:
    id: str
    text: str


DISSOCIATION_INTRO = N_("During the session, how much did you feel...")
DISSOCIATION_QUESTIONS = (
    RatingQuestion("body", N_("...detached from your body?")),
    RatingQuestion("surroundings", N_("...detached from your surroundings?")),
    RatingQuestion("time", N_("...that your sense of time was changed?")),
)
DISSOCIATION_ANSWERS = (
    N_("Not at all"),
    N_("A little"),
    N_("Moderately"),
    N_("Quite a bit"),
    N_("Extremely"),
)

MAX_TITLE = 300
MAX_TAG = 80
MAX_TAGS = 30


def validate_entry(
    *,
    kind: str,
    title: str,
    mood: int | None,
    dissociation: Mapping[str, int | None],
    tags: Sequence[str] = (),
) -> dict[str, str]:
    """{field: plain-language problem}; empty when the entry can be saved."""
    problems: dict[str, str] = {}
    if kind not in {k.value for k in EntryKind}:
        problems["kind"] = _("Choose a session reflection, an integration entry or free writing.")
    if len(title) > MAX_TITLE:
        problems["title"] = _("Please keep the title under {MAX_TITLE} characters.").format(
            MAX_TITLE=MAX_TITLE
        )
    if mood is not None and not _is_int_in(mood, MOOD_MIN, MOOD_MAX):
        problems["mood"] = _("Mood is a number from {MOOD_MIN} to {MOOD_MAX}.").format(
            MOOD_MIN=MOOD_MIN, MOOD_MAX=MOOD_MAX
        )
    for question in DISSOCIATION_QUESTIONS:
        value = dissociation.get(question.id)
        if value is not None and not _is_int_in(value, DISSOCIATION_MIN, DISSOCIATION_MAX):
            problems[f"dissociation_{question.id}"] = _(
                "Each answer is a number from {DISSOCIATION_MIN} to {DISSOCIATION_MAX}."
            ).format(DISSOCIATION_MIN=DISSOCIATION_MIN, DISSOCIATION_MAX=DISSOCIATION_MAX)
    if len(tags) > MAX_TAGS:
        problems["tags"] = _("Please use at most {MAX_TAGS} tags on one entry.").format(
            MAX_TAGS=MAX_TAGS
        )
    return problems


def _is_int_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# --------------------------------------------------------------------------------------------
# Text: cleaning, Markdown to plain, word count, preview

MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"

# C0 controls except tab and newline, DEL, and the C1 block; \r is normalised to \n first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def clean_text(text: str) -> str:
    """NFC, newlines as ``\\n``, no control characters (so no highlight markers either)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


# Block rules apply to a line's start; only lines starting with one of these are looked at.
_BLOCK_START = frozenset("`~#-*_>+0123456789")
_BLOCK_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r" {0,3}(```|~~~).*"), ""),  # code fences
    (re.compile(r" {0,3}#{1,6}[ \t]+"), ""),  # headings
    (re.compile(r" {0,3}(?:[-*_][ \t]*){3,}$"), ""),  # rules
    (re.compile(r"[ \t]*(?:>[ \t]?)+"), ""),  # quotes
    (re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?"), ""),  # list items
)
# Inline rules run only when their trigger is in the text. Each pattern starts with a literal,
# so the regex engine can skip ahead to it. Every run is bounded ({1,400}, {0,500}): an
# unbounded one scans to the end of the text from each opening mark, and a pasted line of
# "**a " repeated took seconds (the word count runs on every keystroke).
# Keeping the first group: a C-level getter instead of the template r"\1", which Python 3.11
# expands in Python for every match (~25 % of this step on a long entry).
_KEEP: Callable[[re.Match[str]], str] = operator.itemgetter(1)
_INLINE_RULES: tuple[tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (
        "[",
        # "(?:!\[|\[)", not "!?\[": a literal start lets the engine skip ahead (4x faster)
        re.compile(r"(?:!\[|\[)([^\[\]\n]{0,500})\]\([^)\n]{0,2000}\)"),
        _KEEP,
    ),  # links, images: keep the words
    ("<", re.compile(r"<(https?://[^<>\s]{1,2000})>"), _KEEP),  # autolinks
    ("<", re.compile(r"<[^>\n]{1,200}>"), ""),  # stray tags: never indexed as markup
    ("**", re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*)){1,400}?)(?<=\S)\*\*"), _KEEP),  # strong
    ("__", re.compile(r"__(?=\S)((?:[^_\n]|_(?!_)){1,400}?)(?<=\S)__"), _KEEP),  # strong
    ("*", re.compile(r"\*(?<![\w*]\*)(?=[^\s*])([^*\n]{1,400}?)(?<=\S)\*(?![\w*])"), _KEEP),  # *em*
    ("_", re.compile(r"_(?<![\w_]_)(?=[^\s_])([^_\n]{1,400}?)(?<=\S)_(?![\w_])"), _KEEP),  # _em_
    ("~~", re.compile(r"~~(?=\S)((?:[^~\n]|~(?!~)){1,400}?)(?<=\S)~~"), _KEEP),  # strike-through
    ("`", re.compile(r"`([^`\n]+)`"), _KEEP),  # inline code
    ("\\", re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), _KEEP),  # escapes
)
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]{2,}|\t")


def markdown_to_plain(markdown: str) -> str:
    """The words of a Markdown text without its markup: what the index and snippets show.

    Only the simple Markdown the editor writes (emphasis, headings, lists, quotes, links) is
    handled; anything else is kept as it stands, which is harmless for search.
    """
    lines = clean_text(markdown).split("\n")
    for n, line in enumerate(lines):
        start = line.lstrip(" \t")[:1]
        if start in _BLOCK_START and start:
            for pattern, replacement in _BLOCK_RULES:
                line = pattern.sub(replacement, line, count=1) if pattern.match(line) else line
        lines[n] = line.strip()
    text = "\n".join(lines)
    for trigger, inline, keep in _INLINE_RULES:
        if trigger in text:
            text = inline.sub(keep, text)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    if "\n\n\n" in text:  # a substring test is ~50x faster than the regex scan
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def words(text: str) -> list[str]:
    """Words as a reader counts them: "don't" and "well-being" are one word each."""
    return _WORD.findall(text)


# Counting without building every word: runs of word characters, less the joiners that make
# two runs one word ("don't", "well-being"). Same count as ``words``, ~25 % faster on a
# 10k-entry import (issue 16).
_RUN = re.compile(r"\w+")
_JOINER = re.compile(r"\w['’\-](?=\w)")


# ASCII text: every character that is not a word character becomes a space, and the runs are
# what ``split`` finds, ~2x faster than the regex (the same count: ASCII \w is [A-Za-z0-9_]).
_ASCII_GAPS = str.maketrans({chr(c): " " for c in range(128) if not re.match(r"\w", chr(c))})


def word_count(text: str) -> int:
    joined = len(_JOINER.findall(text)) if ("-" in text or "'" in text or "’" in text) else 0
    if text.isascii():
        return len(text.translate(_ASCII_GAPS).split()) - joined
    return len(_RUN.findall(text)) - joined


def preview(text: str, length: int = 160) -> str:
    """The start of a plain text on one line, cut at a word boundary."""
    # Flattening only the head is enough: its words are the text's first words, so its flat
    # form is a prefix of the whole text's (a long entry's flat copy cost more than the rest).
    head = text[: length * 4]
    flat = " ".join(head.split())
    if len(flat) <= length and len(head) < len(text):
        flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + ELLIPSIS


# --------------------------------------------------------------------------------------------
# Tags


def normalise_tag(tag: str) -> str:
    """One tag as stored: NFC, lower case, no leading '#', single spaces, at most 80 chars.

    Returns "" for input that holds no tag.
    """
    text = clean_text(tag).replace("\n", " ").replace("\t", " ")
    text = text.strip().lstrip("#").strip()
    text = " ".join(text.split()).casefold()
    text = unicodedata.normalize("NFC", text)
    return text[:MAX_TAG].rstrip()


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Normalised, without empties or duplicates, in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        name = normalise_tag(tag)
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


_TAG_SPLIT = re.compile(r"[,;\n]+")


def split_tag_input(text: str) -> tuple[str, ...]:
    """What a person typed in the tag field ("calm, #sleep; body scan") as normalised tags."""
    return normalise_tags(_TAG_SPLIT.split(text))


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
        return ParsedQuery((), "")
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
    return ParsedQuery(terms, " ".join(expressions))


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


# --------------------------------------------------------------------------------------------
# Drafts


def draft_key_for_new(kind: EntryKind | str, session_id: str | None = None) -> str:
    """The draft of an entry not saved yet: one per kind, and per session for reflections."""
    return f"new:{EntryKind(kind).value}:{session_id or ''}"


def draft_key_for_entry(entry_id: str) -> str:
    """The draft of edits to an entry that already exists."""
    return f"entry:{entry_id}"
