"""An entry's words: cleaning, Markdown to plain text, word count, preview and tags."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable

from companion.domain.journal.entries import MAX_TAG

# --------------------------------------------------------------------------------------------
# Text: cleaning, Markdown to plain, word count, preview

MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"

# C0 controls except tab and newline, DEL, and the C1 block; \r is normalised to \n first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


# The same characters for ASCII text, deleted by ``bytes.translate`` (5x faster than the regex
# on a long entry, which a 10k-entry import cleans 20,000 times: issue 16).
_ASCII_CONTROLS = bytes(c for c in range(128) if _CONTROL.match(chr(c)))


def clean_text(text: str) -> str:
    """NFC, newlines as ``\\n``, no control characters (so no highlight markers either)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # ASCII is NFC already
        return text.encode("ascii").translate(None, _ASCII_CONTROLS).decode("ascii")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


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
        # the rule as written; ``_links`` runs it from "[" (a literal start, 9x faster)
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
_LINK = _INLINE_RULES[0][1]
_LINK_ONLY = re.compile(_LINK.pattern.replace(r"(?:!\[|\[)", r"\[", 1))
# Lines the block rules look at (first character after spaces and tabs in _BLOCK_START), found
# by one scan of the text instead of a Python loop over every line (issue 16).
# The pattern starts with the newline before the line (the text gets one in front), a literal the
# engine skips ahead to; "^" with MULTILINE is tried at every character and cost 4x as much.
_BLOCK_LINE = re.compile(r"\n([ \t]*[`~#\-*_>+0-9][^\n]*)")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t]{2,}|\t")


def _block(found: re.Match[str]) -> str:
    line = found.group(1)
    for pattern, replacement in _BLOCK_RULES:
        line = pattern.sub(replacement, line, count=1) if pattern.match(line) else line
    return "\n" + line


def _links(text: str) -> str:
    """The link rule: its pattern from "[" (a literal start), and the "!" of an image dropped
    by hand; "(?:!\\[|\\[)" makes the engine test two starts at every character (9x slower).
    A "!" just before a match is never inside the previous one (matches end with ")")."""
    if "![" not in text:
        return _LINK_ONLY.sub(_KEEP, text)
    parts: list[str] = []
    last = 0
    for found in _LINK_ONLY.finditer(text):
        start = found.start()
        if start > last and text[start - 1] == "!":
            start -= 1
        parts += (text[last:start], found.group(1))
        last = found.end()
    parts.append(text[last:])
    return "".join(parts)


def markdown_to_plain(markdown: str) -> str:
    """The words of a Markdown text without its markup: what the index and snippets show.

    Only the simple Markdown the editor writes (emphasis, headings, lists, quotes, links) is
    handled; anything else is kept as it stands, which is harmless for search.
    """
    text = clean_text(markdown)
    text = _BLOCK_LINE.sub(_block, "\n" + text)  # one scan finds the lines to look at
    text = "\n".join([line.strip() for line in text[1:].split("\n")])
    for trigger, inline, keep in _INLINE_RULES:
        if trigger[0] in text and trigger in text:  # one character first: a quicker scan
            text = _links(text) if inline is _LINK else inline.sub(keep, text)
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


# ASCII text: each character becomes one byte, 1 for a word character (ASCII \w is
# [A-Za-z0-9_]) and 0 otherwise, read as one big integer; a word starts where a 1 follows a 0,
# so the count is a popcount of ``w & ~(w >> 8)``, less the joiners (' and -) with a word
# character on both sides. The same count as ``words``, ~2.5x faster than splitting (issue 16).
_ASCII_WORD = bytes(int(c < 128 and bool(re.match(r"\w", chr(c)))) for c in range(256))
_ASCII_JOINER = bytes(int(chr(c) in "'-") for c in range(256))


def word_count(text: str) -> int:
    if text.isascii():
        raw = text.encode("ascii")
        word = int.from_bytes(raw.translate(_ASCII_WORD), "big")
        count = (word & ~(word >> 8)).bit_count()
        if "-" in text or "'" in text:
            joiner = int.from_bytes(raw.translate(_ASCII_JOINER), "big")
            count -= (joiner & (word << 8) & (word >> 8)).bit_count()
        return count
    joined = len(_JOINER.findall(text)) if ("-" in text or "'" in text or "’" in text) else 0
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
