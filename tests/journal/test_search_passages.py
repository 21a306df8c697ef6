"""Search as the Reflections page runs it: passages for the first hits and the rest on
request, filters exact to the microsecond, and migration 0006 (the filters' indexes) on a
real SQLCipher vault made before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import insert, text

from companion.crypto.secret import SecretKey
from companion.domain.journal import MARK_START, search_document
from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.services.search import EntryFilters
from companion.storage import fts, migrate
from companion.storage.engine import open_engine

DAY = timedelta(days=1)
T0 = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.entry_id for h in hits]


def test_passages_for_the_first_hits_then_on_request(unlocked_services: Services) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    for n in range(5):
        journal.create(
            EntryInput(title=f"Day {n}", body=f"First words here. Then the kestrel {n}."),
            created_at=T0 + n * DAY,
        )
    journal.create(EntryInput(title="Kestrel", body="Only the title says it."), created_at=T0)
    everything = search.search("kestrel", 100)
    assert all(h.has_passage for h in everything)
    first = search.search("kestrel", 100, passages=2)
    assert [h.entry_id for h in first] == [h.entry_id for h in everything]
    assert [h.has_passage for h in first] == [True, True, False, False, False, False]
    assert all(MARK_START not in h.snippet for h in first[2:])  # the first words, for now
    later = search.passages("kestrel", [h.entry_id for h in first[2:]] + ["gone"])
    assert later == {h.entry_id: h.snippet for h in everything[2:]}
    assert search.passages("", [first[0].entry_id]) == {}


def test_filters_are_exact_to_the_microsecond(unlocked_services: Services) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    edge = T0 + timedelta(microseconds=500)
    at = {
        "before": journal.create(EntryInput(body="pebble"), created_at=T0),
        "edge": journal.create(EntryInput(kind="reflection", body="pebble"), created_at=edge),
        "after": journal.create(EntryInput(body="pebble"), created_at=edge + timedelta(seconds=1)),
    }
    for filters, expected in (
        (EntryFilters(start=edge), {"edge", "after"}),
        (EntryFilters(end=edge), {"before"}),
        (EntryFilters(start=edge, end=edge + timedelta(microseconds=1)), {"edge"}),
        (EntryFilters(start=T0 - DAY, end=T0 + DAY), {"before", "edge", "after"}),
        (EntryFilters(kind="reflection"), {"edge"}),
        (EntryFilters(kind="free", start=edge), {"after"}),
    ):
        found = set(ids(search.search("pebble", 100, filters)))
        assert found == {at[name].id for name in expected}, filters


def _old_index(connection: object, docs: list[tuple[str, str, str]]) -> None:
    """The index as a vault at 0005 holds it (the tables, without the filters' indexes)."""
    for rowid, (entry_id, kind, body) in enumerate(docs, start=1):
        doc = search_document("", body, [], [])
        connection.execute(  # type: ignore[attr-defined]
            insert(fts.entry_index),
            {"id": rowid, "entry_id": entry_id, "created_at": T0, "updated_at": T0,
             "kind": kind, "title": "", "session_id": None, "mood": None,
             "shared": rowid == 2, "word_count": doc.word_count, "preview": doc.preview},
        )  # fmt: skip
        connection.execute(  # type: ignore[attr-defined]
            text(fts._INSERT_DOCUMENT),
            {"rowid": rowid, "title": "", "body": doc.body, "answers": "", "tags": ""},
        )


def test_migration_0006_adds_the_filter_indexes_to_a_sqlcipher_vault(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = open_engine(path, SecretKey(b"m" * 32))
    docs = [
        ("e1", "free", "an otter"),
        ("e2", "reflection", "otter and heron"),
        ("e3", "free", "x"),
    ]
    query = (
        "SELECT rowid FROM journal_fts WHERE journal_fts MATCH 'otter' AND rowid + 0 IN "
        "(SELECT id FROM journal_fts_entry WHERE kind = 'free')"
    )
    try:
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), "0005")
            for name in fts.FILTER_INDEXES:  # as the tables were before 0006
                connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
            _old_index(connection, docs)
            before = connection.execute(text(query)).scalars().all()
        migrate.upgrade_to_head(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            names = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())
            assert set(fts.FILTER_INDEXES) <= names
            assert connection.execute(text(query)).scalars().all() == before == [1]
            plan = " ".join(
                str(row[-1])
                for row in connection.execute(
                    text("EXPLAIN QUERY PLAN SELECT id FROM journal_fts_entry WHERE kind = 'x'")
                )
            )
            assert "ix_journal_fts_entry_kind" in plan
        with engine.begin() as connection:
            command.downgrade(migrate.alembic_config(connection), "0005")
        with engine.connect() as connection:
            names = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())
            assert not set(fts.FILTER_INDEXES) & names
    finally:
        engine.dispose()
    assert b"otter" not in path.read_bytes()  # still encrypted
