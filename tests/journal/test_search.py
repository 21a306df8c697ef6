"""Search and the Reflections list on a real vault: consistency, ranking, odd input, filters."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from companion.domain.clock import ManualClock
from companion.domain.journal import MARK_END, MARK_START, replace_marks, strip_marks
from companion.services.container import Services
from companion.services.journal_model import Answer, EntryInput
from companion.services.search import EntryFilters
from companion.storage import fts
from companion.storage.models import JournalEntryRow
from tests.support.vault import PASSPHRASE


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.entry_id for h in hits]


def test_index_follows_create_edit_and_delete(unlocked_services: Services) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    entry = journal.create(
        EntryInput(
            title="Morning",
            body="A heron stood in the shallows.",
            answers=(Answer("felt", "What did you feel?", "Quietly amazed"),),
            tags=("birds",),
        )
    )
    for query in ("heron", "amazed", "birds", "morning", "HERON", "shallow"):
        assert ids(search.search(query)) == [entry.id], query

    journal.update(entry.id, EntryInput(title="Evening", body="An owl called twice."))
    assert search.search("heron") == [] and search.search("amazed") == []
    assert search.search("birds") == [] and search.search("morning") == []
    assert ids(search.search("owl")) == [entry.id]
    assert ids(search.search("evening")) == [entry.id]

    journal.delete(entry.id)
    assert search.search("owl") == [] and search.search("evening") == []
    assert search.list_entries() == []
    with unlocked_services.vault.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM journal_fts")).scalar_one() == 0


def test_a_title_match_outranks_a_body_match(unlocked_services: Services) -> None:
    journal = unlocked_services.journal
    body_hit = journal.create(
        EntryInput(title="Tuesday", body="Walked past the lighthouse on the way home.")
    )
    title_hit = journal.create(
        EntryInput(title="The lighthouse", body="Walked along the shore on the way home.")
    )
    journal.create(EntryInput(title="Other", body="Nothing to see here at all."))
    hits = unlocked_services.search.search("lighthouse")
    assert ids(hits) == [title_hit.id, body_hit.id]
    assert hits[0].rank < hits[1].rank  # bm25: lower is better


MALFORMED = (
    '"', "AND(", "OR", "NOT", "NEAR(", "*", "^", "col:", '"unbalanced', "a AND (b", "'", "\\",
    "\x00", "-", "+", "{x}", "[", "title:river", "💜", "%", "_", "''", '"" ""',
    "NEAR(river sea, 2)", "river*", "^river", "river OR sea NOT", ")(" * 50, "x" * 5000,
)  # fmt: skip


def test_malformed_queries_never_raise(unlocked_services: Services) -> None:
    unlocked_services.journal.create(EntryInput(title="River", body="The river AND the sea."))
    for query in MALFORMED:
        unlocked_services.search.search(query)  # no exception is the test
        assert len(unlocked_services.search.search(query + " river")) <= 1


def test_operators_typed_as_words_are_searched_as_words(unlocked_services: Services) -> None:
    entry = unlocked_services.journal.create(EntryInput(body="Not now, or later, and near."))
    assert ids(unlocked_services.search.search("NOT OR AND NEAR")) == [entry.id]


def test_matches_are_marked_in_the_snippet_and_title(unlocked_services: Services) -> None:
    unlocked_services.journal.create(
        EntryInput(
            title="Dreams of water",
            body="Early on I was " + "very " * 40 + "calm, dreaming of deep blue water.",
        )
    )
    [hit] = unlocked_services.search.search("dream water")
    assert MARK_START in hit.snippet and MARK_END in hit.snippet
    assert f"{MARK_START}dreaming{MARK_END}" in hit.snippet  # stemming: dream ~ dreaming
    assert f"{MARK_START}water{MARK_END}" in hit.snippet
    assert hit.snippet.startswith("…")  # a passage from the middle
    assert replace_marks(hit.title_marked) == "[Dreams] of [water]"
    assert strip_marks(hit.title_marked) == hit.title


def test_markup_in_entries_never_reaches_snippets(unlocked_services: Services) -> None:
    unlocked_services.journal.create(
        EntryInput(body="I felt **calm** and <script>x</script> *quiet*.")
    )
    [hit] = unlocked_services.search.search("calm")
    assert strip_marks(hit.snippet) == "I felt calm and x quiet."


def test_the_last_word_matches_as_a_prefix(unlocked_services: Services) -> None:
    entry = unlocked_services.journal.create(
        EntryInput(body="Grandmother's kitchen smelled of bread.")
    )
    assert ids(unlocked_services.search.search("grandmo")) == [entry.id]
    assert unlocked_services.search.search("grandmo ") == []  # a finished word is a whole word
    assert ids(unlocked_services.search.search('"kitchen smelled"')) == [entry.id]
    assert unlocked_services.search.search('"smelled kitchen"') == []


def test_accents_and_case_do_not_matter(unlocked_services: Services) -> None:
    entry = unlocked_services.journal.create(EntryInput(body="Un café près de la rivière."))
    assert ids(unlocked_services.search.search("CAFE riviere")) == [entry.id]


def test_when_only_the_title_matches_the_snippet_shows_the_text(
    unlocked_services: Services,
) -> None:
    unlocked_services.journal.create(EntryInput(title="Lantern", body="Plain words here."))
    [hit] = unlocked_services.search.search("lantern")
    assert hit.snippet == "Plain words here."


def test_search_honours_filters_and_limit(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    first = journal.create(EntryInput(kind="free", body="stone one", tags=("walk",)))
    manual_clock.advance(86400)
    second = journal.create(
        EntryInput(kind="integration", body="stone two", shared_with_provider=True)
    )
    assert ids(search.search("stone", filters=EntryFilters(kind="integration"))) == [second.id]
    assert ids(search.search("stone", filters=EntryFilters(tag="#Walk"))) == [first.id]
    assert ids(search.search("stone", filters=EntryFilters(shared=False))) == [first.id]
    assert len(search.search("stone", limit=1)) == 1
    assert search.search("stone", filters=EntryFilters(session_id="none")) == []


def test_the_pages_empty_filters_narrow_nothing(unlocked_services: Services) -> None:
    """The page always passes its filters; with nothing chosen they add no clause at all."""
    journal, search = unlocked_services.journal, unlocked_services.search
    for n in range(3):
        journal.create(EntryInput(title=f"Harbour {n}", body="stone " * (n + 1), tags=("sea",)))
    assert not EntryFilters().narrows and EntryFilters(shared=False).narrows
    assert search.search("stone", 100, EntryFilters()) == search.search("stone", 100)
    assert search.list_entries(EntryFilters()) == search.list_entries()


def test_ranking_rule_title_then_tags_then_text(unlocked_services: Services) -> None:
    """The ordering rule (bm25, weights title 10, tags 5, text and answers 1): a word in the
    title beats the same word in a tag or the text; a tag beats a mention in the text."""
    journal = unlocked_services.journal
    for n in range(6):  # entries without the word, so it is not common to all
        journal.create(EntryInput(title=f"Day {n}", body="A walk by the water. " * 5))
    text = "We stopped by the water and watched. " * 4
    in_text = journal.create(EntryInput(title="Monday", body=text + "A heron stood still."))
    in_tag = journal.create(EntryInput(title="Tuesday", body=text, tags=("heron",)))
    in_title = journal.create(EntryInput(title="The heron", body=text))
    assert ids(unlocked_services.search.search("heron")) == [in_title.id, in_tag.id, in_text.id]


def test_list_entries_filters(unlocked_services: Services, manual_clock: ManualClock) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    day0 = manual_clock.now()
    a = journal.create(EntryInput(kind="free", title="A", body="one two", tags=("calm", "sleep")))
    manual_clock.advance(86400)
    b = journal.create(EntryInput(kind="integration", title="B", mood=6, shared_with_provider=True))
    manual_clock.advance(86400)
    c = journal.create(EntryInput(kind="free", title="C", tags=("sleep",)))

    everything = search.list_entries()
    assert [e.id for e in everything] == [c.id, b.id, a.id]  # newest first
    summary_a = everything[2]
    assert summary_a.tags == ("calm", "sleep") and summary_a.word_count == 2
    assert summary_a.kind == "free" and summary_a.preview == "one two"
    assert everything[1].mood == 6 and everything[1].shared is True

    def listed(**kw: object) -> list[str]:
        return [e.id for e in search.list_entries(EntryFilters(**kw))]  # type: ignore[arg-type]

    assert listed(tag="sleep") == [c.id, a.id]
    assert listed(tag="SLEEP ") == [c.id, a.id]
    assert listed(kind="integration") == [b.id]
    assert listed(shared=True) == [b.id]
    assert listed(shared=False) == [c.id, a.id]
    assert listed(start=day0 + timedelta(hours=12)) == [c.id, b.id]
    assert listed(start=day0, end=day0 + timedelta(days=1)) == [a.id]
    assert listed(tag="nothing") == []


def test_list_entries_reads_no_bodies_and_two_queries(unlocked_services: Services) -> None:
    for n in range(30):
        unlocked_services.journal.create(EntryInput(title=f"E{n}", body="x " * 50, tags=("t",)))
    statements: list[str] = []
    engine = unlocked_services.vault.engine
    from sqlalchemy import event

    def record(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        entries = unlocked_services.search.list_entries()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(entries) == 30
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2
    assert not any("journal_entry" in s for s in selects)


def test_reindex_rebuilds_and_unlock_repairs_entries_written_around_the_service(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    kept = journal.create(EntryInput(title="Kept", body="willow"))
    now = manual_clock.now()
    with unlocked_services.vault.unit_of_work() as session:  # not through the service
        session.add(
            JournalEntryRow(
                kind="free", title="Sneaky", body="aspen", created_at=now, updated_at=now
            )
        )
    assert search.search("aspen") == []  # this unlock has checked the index already
    unlocked_services.vault.lock()
    unlocked_services.vault.unlock(PASSPHRASE)
    assert [h.title for h in search.search("aspen")] == ["Sneaky"]

    with unlocked_services.vault.unit_of_work() as session:
        connection = session.connection()
        fts.reset(connection)  # an empty index, as after a damaged one was dropped
    assert search.search("willow") == []
    assert journal.reindex() == 2
    assert ids(search.search("willow")) == [kept.id]
    assert len(search.list_entries()) == 2
