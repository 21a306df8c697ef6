"""Pure journal rules: query building, Markdown to plain text, tags, word count, markers."""

from __future__ import annotations

import pytest

from companion.domain.journal import (
    MARK_END,
    MARK_START,
    NEXT_DAY,
    REFLECTION,
    EntryKind,
    Segment,
    clean_text,
    default_template,
    draft_key_for_entry,
    draft_key_for_new,
    highlight,
    markdown_to_plain,
    normalise_tags,
    parse_query,
    preview,
    replace_marks,
    search_document,
    split_marked,
    split_tag_input,
    validate_entry,
    word_count,
    words,
)


def test_templates_hold_the_published_prompts() -> None:
    assert [p.id for p in REFLECTION.prompts] == [
        "felt",
        "images",
        "body",
        "intention",
        "carry_forward",
    ]
    assert REFLECTION.asks_dissociation and REFLECTION.kind is EntryKind.REFLECTION
    assert [p.id for p in NEXT_DAY.prompts] == ["sleep", "mood", "shifted", "side_effects"]
    assert default_template("integration") is NEXT_DAY
    assert EntryKind("free").label == "Free writing"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("river", '"river"*'),
        ("river ", '"river"'),
        ("blue river", '"blue" "river"*'),
        ('"quiet room" calm', '"quiet room" "calm"*'),
        ('"quiet room"', '"quiet room"'),
        ("AND( OR NOT", '"AND" "OR" "NOT"*'),
        ('say "hello', '"say" "hello"*'),
        ("col:umn ^start NEAR(a b)", '"col" "umn" "start" "NEAR" "a" "b"'),
        ("it's", '"it" "s"'),
        ("calm r", '"calm" "r"'),
        ("calm ri", '"calm" "ri"*'),
    ],
)
def test_queries_are_quoted_and_the_last_word_is_a_prefix(typed: str, expected: str) -> None:
    assert parse_query(typed).match == expected


@pytest.mark.parametrize("typed", ["", "   ", '"', '""', "*", "()", "- + ^", "\x02\x03"])
def test_queries_without_words_match_nothing(typed: str) -> None:
    assert parse_query(typed).match == ""


def test_query_terms_are_folded_for_highlighting() -> None:
    assert parse_query("Dream RIVER dream").terms == ("dream", "river")


def test_markdown_becomes_plain_words() -> None:
    text = (
        "# A heading\n\nSome **strong**, *soft* and _quiet_ words.\n\n- one\n- [x] two\n"
        "1. first\n> quoted\n\nA [link](https://example.org) and <b>tag</b> and `code`.\n"
        "3.5 hours, snake_case and 2*3*4 stay."
    )
    plain = markdown_to_plain(text)
    assert plain == (
        "A heading\n\nSome strong, soft and quiet words.\n\none\ntwo\nfirst\nquoted\n\n"
        "A link and tag and code.\n3.5 hours, snake_case and 2*3*4 stay."
    )


def test_clean_text_removes_control_characters_and_the_markers() -> None:
    assert clean_text("a\x00b\x02c\x03d\r\ne\u0301") == "abcd\né"


def test_word_count_counts_words_as_a_reader_does() -> None:
    assert word_count("I don't know; well-being matters — 3 times.") == 7
    assert word_count("") == 0


@pytest.mark.parametrize(
    "text",
    [
        "a-b-c",
        "a--b",
        "-x- 'y' ’tis rock'n'roll",
        "é-è 1-2 __init__ a - b",
        "don’t-stop can't' x'-y",
        "naïve café résumé — 東京-大阪",
        "'''---",
    ],
)
def test_word_count_is_the_number_of_words(text: str) -> None:
    assert word_count(text) == len(words(text))


def test_preview_is_one_line_cut_at_a_word() -> None:
    text = "word " * 100
    cut = preview(text, 40)
    assert len(cut) <= 41 and cut.endswith("…") and "\n" not in cut
    assert preview("short\n\ntext") == "short text"


def test_tags_are_normalised_and_deduplicated() -> None:
    assert normalise_tags(["Calm", "#calm", "  Body   Scan ", "", "#", "CAFÉ"]) == (
        "calm",
        "body scan",
        "café",
    )
    assert split_tag_input("sleep, #Dreams; body scan\nsleep") == ("sleep", "dreams", "body scan")
    assert len(normalise_tags(["x" * 200])[0]) == 80


def test_validation_names_each_problem() -> None:
    problems = validate_entry(
        kind="poem",
        title="t" * 301,
        mood=11,
        dissociation={"body": 5, "surroundings": -1, "time": 2},
    )
    assert set(problems) == {
        "kind",
        "title",
        "mood",
        "dissociation_body",
        "dissociation_surroundings",
    }
    assert validate_entry(kind="free", title="", mood=None, dissociation={}) == {}
    assert "mood" in validate_entry(kind="free", title="", mood=True, dissociation={})


def test_search_document_holds_plain_text_and_counts_words() -> None:
    doc = search_document("  A  *title* ", "Body **text** here.", ["one answer", ""], ["calm"])
    assert doc.title == "A *title*"  # titles are plain text already; only spaces are tidied
    assert doc.body == "Body text here."
    assert doc.answers == "one answer"
    assert doc.tags == "calm"
    assert doc.word_count == 5
    assert doc.preview == "Body text here."


def test_marked_text_splits_into_runs_without_markup() -> None:
    marked = f"a {MARK_START}river{MARK_END} of <b>{MARK_START}light{MARK_END}"
    assert split_marked(marked) == (
        Segment("a ", False),
        Segment("river", True),
        Segment(" of <b>", False),
        Segment("light", True),
    )
    assert replace_marks(marked) == "a [river] of <b>[light]"


def test_highlight_marks_words_starting_with_a_term_ignoring_case_and_accents() -> None:
    text = "Dreaming of the Café, I dreamt; a dream."
    assert replace_marks(highlight(text, ["dream", "cafe"])) == (
        "[Dreaming] of the [Café], I [dreamt]; a [dream]."
    )
    assert highlight(text, []) == text


def test_draft_keys() -> None:
    assert draft_key_for_new("reflection", "s1") == "new:reflection:s1"
    assert draft_key_for_new(EntryKind.FREE) == "new:free:"
    assert draft_key_for_entry("e1") == "entry:e1"
