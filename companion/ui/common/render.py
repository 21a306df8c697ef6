"""Safe display of the person's own words: plain text and simple Markdown become escaped HTML.

Entries are stored as plain text or Markdown, never HTML. For display every character of the
text is escaped first; only then are the few things the editor writes turned into markup
(``**strong**``, ``*emphasis*`` / ``_emphasis_``, "# headings", "- lists"), and the search
highlight markers (``domain.journal.MARK_START`` / ``MARK_END``) into highlight spans. Nothing a
person typed can become a tag, a link or an image.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from companion.domain.journal import MARK_END, MARK_START, split_marked

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=\S)\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=\S)_(?![\w_])")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*)$")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
_NUMBERED = re.compile(r"^[ \t]*(\d{1,9})[.)][ \t]+(.*)$")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n+")


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


def _inline(line: str) -> str:
    line = _STRONG.sub(r"<b>\1</b>", line)
    line = _EM_STAR.sub(r"<i>\1</i>", line)
    return _EM_UNDERSCORE.sub(r"<i>\1</i>", line)


def markdown_html(text: str, background: str = "", foreground: str = "") -> str:
    """Simple Markdown (as the editor writes it), possibly with highlight markers, as HTML.

    The whole text is escaped before any markup is added.
    """
    escaped = html.escape(text.replace("\r\n", "\n"), quote=False)
    blocks = []
    for block in _PARAGRAPHS.split(escaped.strip()):
        lines = []
        for raw in block.split("\n"):
            heading = _HEADING.match(raw)
            bullet = _BULLET.match(raw)
            numbered = _NUMBERED.match(raw)
            if heading:
                lines.append(f"<b>{_inline(heading.group(1))}</b>")
            elif bullet:
                lines.append(f"&#8226;&nbsp;{_inline(bullet.group(1))}")
            elif numbered:
                lines.append(f"{numbered.group(1)}.&nbsp;{_inline(numbered.group(2))}")
            else:
                lines.append(_inline(raw))
        blocks.append("<p>" + "<br>".join(lines) + "</p>")
    body = "".join(blocks)
    if MARK_START in body or MARK_END in body:
        start, end = mark_span(background or "#e7cf8a", foreground or "#1d1a10")
        body = body.replace(MARK_START, start).replace(MARK_END, end)
    return body


def local_day(moment: datetime) -> str:
    """ "Mon 5 Jan 2026" in the local zone: short enough for a list."""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y}"


def local_day_time(moment: datetime) -> str:
    """ "Monday 5 January 2026, 09:00" in the local zone."""
    local = moment.astimezone()
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


def local_time(moment: datetime) -> str:
    return f"{moment.astimezone():%H:%M}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
