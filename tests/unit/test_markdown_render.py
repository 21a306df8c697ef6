"""The one Markdown dialect, drawn safely (issue 13, finding 12): what a person writes shows as
it reads; nothing typed becomes a tag, a script, an image or a dangerous link; hostile input
(raw HTML, javascript: links, deep nesting, long runs of marks) stays quick and inert."""

from __future__ import annotations

import re
import time

import pytest

from companion.domain.journal import MARK_END, MARK_START, markdown_to_plain
from companion.ui.common.render import INDENT_PX, MAX_NEST, markdown_html, safe_link

QUICK = 2.0  # seconds; the unbounded patterns took 25-40 s on these inputs


def tags(html_text: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html_text)}


ALLOWED = {"p", "br", "b", "i", "s", "code", "pre", "h3", "h4", "hr", "a", "span"}


def test_markdown_shows_as_it_reads() -> None:
    out = markdown_html(
        "# A heading ##\n## Smaller\n\nSome **strong**, *lean* and _lean_, ~~gone~~, `x*y*`.\n"
        "- one\n  - nested\n1. first\n- [x] done\n- [ ] to do\n> a quote\n---",
        links=True,
    )
    assert "<h3>A heading</h3>" in out and "<h4>Smaller</h4>" in out
    assert "<b>strong</b>" in out and out.count("<i>lean</i>") == 2 and "<s>gone</s>" in out
    assert "<code>x*y*</code>" in out  # no emphasis inside code
    assert f"margin-left:{2 * INDENT_PX}px" in out  # the nested item is indented further
    assert "1.&nbsp;first" in out and "&#9745;" in out and "&#9744;" in out
    assert "<i>a quote</i>" in out and "<hr>" in out
    assert tags(out) <= ALLOWED


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="file:///etc/passwd" onerror="alert(1)">',
        "<a href='javascript:alert(1)'>click</a>",
        '<style>body{display:none}</style><iframe src="https://example.org">',
        "<!-- a comment --> <b>bold?</b> &lt;already&gt; &amp;",
        '<div style="background:url(https://tracker.example/x)">x</div>',
    ],
)
def test_raw_html_is_never_rendered(hostile: str) -> None:
    out = markdown_html(hostile, links=True)
    assert tags(out) <= {"p", "a"}, out  # a web address in it is still offered as a link
    assert "<script" not in out.lower() and "<img" not in out.lower()
    plain = re.sub(r"<[^>]+>", "", out)
    import html

    assert html.unescape(plain) == hostile  # every character shows as typed


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert%281%29)",
        "[click](JaVaScRiPt:alert%281%29)",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](file:///etc/passwd)",
        "[click](vbscript:msgbox)",
        "[click](//evil.example/path)",
        "<javascript:alert(1)>",
        "[click](javascript:alert(1))",
    ],
)
def test_only_web_and_mail_addresses_become_links(link: str) -> None:
    out = markdown_html(link, links=True)
    assert "<a " not in out, out
    assert "href" not in out


def test_web_links_are_links_with_their_address_escaped() -> None:
    out = markdown_html(
        "[site](https://example.org/a_b_c?x=1&y=2) <https://example.org/auto> "
        "see https://example.org/bare. [mail](mailto:care@example.org) "
        '[q](https://example.org/"onmouseover="alert)',
        links=True,
    )
    hrefs = re.findall(r'<a href="([^"]*)">', out)
    assert hrefs == [
        "https://example.org/a_b_c?x=1&amp;y=2",
        "https://example.org/auto",
        "https://example.org/bare",
        "mailto:care@example.org",
        "https://example.org/&quot;onmouseover=&quot;alert",
    ]
    assert "<i>" not in out  # underscores in an address are not emphasis
    assert 'onmouseover="' not in out


def test_without_links_an_address_shows_as_words() -> None:
    out = markdown_html("[site](https://example.org) and ![photo](https://example.org/p.png)")
    assert "<a " not in out and "<img" not in out
    assert "site (https://example.org)" in out and "<i>photo</i>" in out


def test_images_are_never_loaded() -> None:
    out = markdown_html(
        "![a cat](file:///home/me/cat.png) ![](https://tracker.example/p.gif)", links=True
    )
    assert "<img" not in out and "tracker" not in out and "cat.png" not in out
    assert "<i>a cat</i>" in out


def test_safe_link_rules() -> None:
    assert safe_link("https://example.org/x") == "https://example.org/x"
    assert safe_link("mailto:a@example.org") == "mailto:a@example.org"
    for bad in ("javascript:alert(1)", "https://", "http:///x", "file:///x", "mailto:", "a b",
                "https://exa mple.org", "https://example.org/\x00"):  # fmt: skip
        assert safe_link(bad) is None, bad


def test_search_marks_stay_out_of_addresses() -> None:
    out = markdown_html(
        f"go to https://{MARK_START}example{MARK_END}.org now", "#ff0", "#000", links=True
    )
    assert 'href="https://example.org"' in out
    assert "background-color:#ff0" in out


@pytest.mark.parametrize(
    "name,text",
    [
        ("deep list", "\n".join(" " * (2 * i) + "- level" for i in range(1500))),
        ("deep quote", ">" * 100_000 + " deep"),
        ("deep quote lines", "\n".join(">" * i + " x" for i in range(1, 2000))),
        ("strong runs", "**a " * 25_000),
        ("lean runs", "*a " * 25_000),
        ("underscore runs", "_a " * 25_000),
        ("strike runs", "~~a " * 25_000),
        ("brackets", "[" * 100_000),
        ("half links", "[a](" * 25_000),
        ("autolinks", "<https://x" * 20_000),
        ("headings", "# " + "# " * 50_000 + "a"),
        ("code ticks", "`a " * 30_000),
        ("escapes", "\\*" * 50_000),
        ("nested emphasis", "**" * 20_000 + "x" + "**" * 20_000),
        ("unclosed fence", "```\n" + "<b>x</b>\n" * 10_000),
    ],
)
def test_hostile_input_stays_quick_and_inert(name: str, text: str) -> None:
    started = time.perf_counter()
    out = markdown_html(text, links=True)
    plain = markdown_to_plain(text)
    elapsed = time.perf_counter() - started
    assert elapsed < QUICK, f"{name}: {elapsed:.1f} s"
    assert tags(out) <= ALLOWED, name
    assert len(out) < 12 * len(text) + 100, name  # no blow-up
    assert len(plain) <= len(text)
    margins = [int(m) for m in re.findall(r"margin-left:(\d+)px", out)]
    assert max(margins, default=0) <= MAX_NEST * INDENT_PX, name
