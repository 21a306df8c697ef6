"""Safe display of the person's own words: plain text and Markdown become escaped HTML.

Entries are stored as plain text or Markdown, never HTML. One dialect, the one the index and
the PDF read (``domain.journal.markdown_to_plain``): headings, **strong**, *emphasis* and
_emphasis_, ~~struck~~, `code`, fenced code, lists (nested, and ``[ ]``/``[x]`` tasks), quotes,
rules, backslash escapes, and links. For display every character the person typed is escaped
first; only then is markup added, so nothing typed can become a tag, a style, an image or a
script. Raw HTML shows as the text it is.

Links: ``[words](https://…)``, ``<https://…>`` and bare ``https://…`` become links only for
``http``, ``https`` and ``mailto``; any other scheme (``javascript:``, ``file:``, ``data:``) stays
plain words. Images are never loaded: their description shows instead. A link is only ever
followed after the person confirms (see ``confirm_link``), and only where ``links=True``.

Hostile input stays quick: every repeated pattern is bounded (no quadratic scans over a long
line), and nesting of lists and quotes is drawn at most ``MAX_NEST`` levels deep.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlsplit

from companion.domain.journal import MARK_END, MARK_START, split_marked
from companion.i18n import format_datetime, format_skeleton, format_time

MAX_NEST = 6  # deeper lists and quotes are drawn at this depth
INDENT_PX = 22  # per level of nesting
# An emphasised run is at most 400 characters (the patterns below); a run
# never crosses its own mark, so each opening mark scans only to the next one: linear time
LINK_SCHEMES = ("http", "https", "mailto")
_HOLD_START, _HOLD_END = "\x0e", "\x0f"  # placeholders; stripped from the input first

_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:[^*_\n]|\*(?!\*)|_(?!_)){1,400}?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,400}?)(?<=\S)\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,400}?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)((?:[^~\n]|~(?!~)){1,400}?)(?<=\S)~~")
_CODE = re.compile(r"`([^`\n]{1,1000})`")
_LINK = re.compile(
    r"(!?)\[([^\[\]\n]{0,500})\]\(\s{0,9}([^\s()<>]{1,2000})(?:\s{1,9}\"[^\"\n]{0,200}\")?\s{0,9}\)"
)
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]{1,2000})>", re.IGNORECASE)
_BARE = re.compile(r"(?<![\w@/:.])(https?://[^\s<>()\[\]{}\"'`]{1,2000})", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_HOLD = re.compile(_HOLD_START + r"(\d+)" + _HOLD_END)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
_RULE = re.compile(r"^ {0,3}(?:([-*_])[ \t]*)(?:\1[ \t]*){2,}$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_QUOTE = re.compile(r"^[ \t]{0,3}((?:>[ \t]?)+)(.*)$")
_ITEM = re.compile(r"^([ \t]*)(?:([-*+])|(\d{1,9})[.)])[ \t]+(?:\[([ xX])\][ \t]+)?(.*)$")


def mark_span(background: str, foreground: str) -> tuple[str, str]:
    return (
        f'<span style="background-color:{background}; color:{foreground}; font-weight:600">',
        "</span>",
    )


def marked_html(text: str, background: str, foreground: str) -> str:
    """A snippet or title with highlight markers as escaped HTML with highlight spans."""
    start, end = mark_span(background, foreground)
    parts = []
    for segment in split_marked(text):
        escaped = html.escape(segment.text, quote=False)
        parts.append(f"{start}{escaped}{end}" if segment.marked else escaped)
    return "".join(parts)


def safe_link(url: str) -> str | None:
    """``url`` if it may be offered as a link (http, https with a host, or mailto), else None."""
    url = url.replace(MARK_START, "").replace(MARK_END, "").strip()
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        return None
    if scheme in ("http", "https") and not parts.hostname:
        return None
    if scheme == "mailto" and not parts.path:
        return None
    return url


class _Inline:
    """Turns one line (or a link's words) into HTML; code and links are held aside first so
    emphasis never reaches into them, then put back."""

    def __init__(self, links: bool) -> None:
        self.links = links
        self.held: list[str] = []

    def _hold(self, piece: str) -> str:
        self.held.append(piece)
        return f"{_HOLD_START}{len(self.held) - 1}{_HOLD_END}"

    def _anchor(self, words_html: str, url: str) -> str:
        target = safe_link(url)
        if target is None:
            return words_html
        if not self.links:
            return (
                f"{words_html} ({html.escape(target, quote=False)})"
                if words_html != html.escape(target, quote=False)
                else words_html
            )
        href = html.escape(target, quote=True)
        return f'<a href="{href}">{words_html}</a>'

    def _link(self, match: re.Match[str]) -> str:
        image, words, url = match.group(1), match.group(2), match.group(3)
        inner = _Inline(False)
        words_html = inner.render(words)
        if image:  # never loaded: its description, as words
            return self._hold(f"<i>{words_html}</i>" if words_html else "")
        return self._hold(self._anchor(words_html or html.escape(url, quote=False), url))

    def _url(self, match: re.Match[str]) -> str:
        url = match.group(1)
        trail = ""
        while url and url[-1] in ".,;:!?'\"":
            trail, url = url[-1] + trail, url[:-1]
        return self._hold(self._anchor(html.escape(url, quote=False), url)) + trail

    def render(self, text: str) -> str:
        text = _ESCAPE.sub(lambda m: self._hold(html.escape(m.group(1), quote=False)), text)
        if "`" in text:
            text = _CODE.sub(
                lambda m: self._hold(f"<code>{html.escape(m.group(1), quote=False)}</code>"), text
            )
        if "](" in text:
            text = _LINK.sub(self._link, text)
        if "<" in text:
            text = _AUTOLINK.sub(
                lambda m: self._hold(
                    self._anchor(html.escape(m.group(1), quote=False), m.group(1))
                ),
                text,
            )
        if "://" in text:
            text = _BARE.sub(self._url, text)
        out = html.escape(text, quote=False)
        if "*" in out or "_" in out:
            out = _STRONG.sub(r"<b>\2</b>", out)
            out = _EM_STAR.sub(r"<i>\1</i>", out)
            out = _EM_UNDERSCORE.sub(r"<i>\1</i>", out)
        if "~~" in out:
            out = _STRIKE.sub(r"<s>\1</s>", out)
        for _round in range(3):  # a held piece may hold another (``\*`` in a link's words)
            if _HOLD_START not in out:
                break
            out = _HOLD.sub(lambda m: self.held[int(m.group(1))], out)
        return out


def _inline(line: str, links: bool) -> str:
    return _Inline(links).render(line)


def _heading_words(words: str) -> str:
    """Without the optional closing hashes ("## Title ##")."""
    words = words.rstrip()
    bare = words.rstrip("#")
    if bare != words and (not bare or bare[-1] in " \t"):
        return bare.rstrip()
    return words


def _margin(level: int) -> str:
    return f"margin-left:{min(level, MAX_NEST) * INDENT_PX}px;"


class _Blocks:
    """The HTML blocks of one text, written line by line (paragraphs, code, headings, rules,
    quotes and list items)."""

    def __init__(self, links: bool) -> None:
        self.links = links
        self.blocks: list[str] = []
        self.paragraph: list[str] = []
        self.code: list[str] | None = None
        self.last = ""  # the kind of the last line drawn: "quote", "item" or "" (anything else)

    def tight(self, kind: str) -> str:
        """Lines of one list or quote sit close; a new list or quote starts a little apart."""
        top = 0 if self.last == kind else 6
        self.last = kind
        return f"margin-top:{top}px; margin-bottom:0px;"

    def end_paragraph(self) -> None:
        if self.paragraph:
            self.blocks.append("<p>" + "<br>".join(self.paragraph) + "</p>")
            self.paragraph.clear()
            self.last = ""

    def end_code(self) -> None:
        assert self.code is not None
        self.blocks.append('<pre style="white-space:pre-wrap">' + "\n".join(self.code) + "</pre>")
        self.code = None

    def add(self, raw: str) -> None:
        if self.code is not None:
            if _FENCE.match(raw):
                self.end_code()
            else:
                self.code.append(html.escape(raw, quote=False))
            return
        if _FENCE.match(raw):
            self.end_paragraph()
            self.code = []
            self.last = ""
            return
        if not raw.strip():
            self.end_paragraph()
            return
        if not self._block(raw):
            self.paragraph.append(_inline(raw, self.links))

    def _block(self, raw: str) -> bool:
        """A heading, a rule, a quote or a list item: drawn, and True; else False."""
        links = self.links
        heading = _HEADING.match(raw)
        if heading:
            self.end_paragraph()
            tag = "h3" if len(heading.group(1)) == 1 else "h4"
            self.blocks.append(f"<{tag}>{_inline(_heading_words(heading.group(2)), links)}</{tag}>")
            self.last = ""
            return True
        if _RULE.match(raw):
            self.end_paragraph()
            self.blocks.append("<hr>")
            self.last = ""
            return True
        quote = _QUOTE.match(raw)
        if quote:
            self.end_paragraph()
            level = quote.group(1).count(">")
            words = _inline(quote.group(2), links)
            self.blocks.append(
                f'<p style="{self.tight("quote")}{_margin(level)}"><i>{words}</i></p>'
            )
            return True
        item = _ITEM.match(raw)
        if item:
            self.end_paragraph()
            self.blocks.append(self._item(item))
            return True
        return False

    def _item(self, item: re.Match[str]) -> str:
        indent = item.group(1).replace("\t", "    ")
        level = 1 + len(indent) // 2
        task = item.group(4)
        if task is not None:
            mark = "&#9745;" if task in "xX" else "&#9744;"
        elif item.group(2):
            mark = "&#8226;"
        else:
            mark = f"{item.group(3)}."
        words = _inline(item.group(5), self.links)
        return f'<p style="{self.tight("item")}{_margin(level)}">{mark}&nbsp;{words}</p>'

    def finish(self) -> str:
        self.end_paragraph()
        if self.code is not None:  # an unclosed fence: the rest is code
            self.end_code()
        return "".join(self.blocks)


def markdown_html(
    text: str, background: str = "", foreground: str = "", *, links: bool = False
) -> str:
    """The person's Markdown, possibly with highlight markers, as safe HTML.

    ``links``: real links (for a view that asks before opening one); otherwise a link shows
    its words with the address after them, and nothing can be clicked.
    """
    text = text.replace("\r\n", "\n").replace(_HOLD_START, "").replace(_HOLD_END, "")
    blocks = _Blocks(links)
    for raw in text.split("\n"):
        blocks.add(raw)
    body = blocks.finish()
    if MARK_START in body or MARK_END in body:
        start, end = mark_span(background or "#e7cf8a", foreground or "#1d1a10")
        body = body.replace(MARK_START, start).replace(MARK_END, end)
    return body


def local_day(moment: datetime) -> str:
    """ "Mon, Jan 5, 2026" (English) in the local zone: short enough for a list."""
    return format_skeleton(moment.astimezone(), "yMMMEd")


def local_day_time(moment: datetime) -> str:
    """ "Monday, January 5, 2026 9:00 AM" (English) in the local zone."""
    return format_datetime(moment.astimezone(), "full")


def local_time(moment: datetime) -> str:
    return format_time(moment.astimezone())
