"""The index's tables: created the same way by migration 0002 and for new vaults."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, inspect, text

from companion.crypto.secret import SecretKey
from companion.domain.journal import search_document
from companion.storage import fts, migrate
from companion.storage.engine import open_engine, open_memory_engine
from companion.storage.models import Base
from tests.support.schema import schema


def test_upgraded_and_created_vaults_have_the_same_index(tmp_path: Path) -> None:
    upgraded = open_engine(tmp_path / "upgraded.db", SecretKey(b"u" * 32))
    created = open_engine(tmp_path / "created.db", SecretKey(b"c" * 32))
    try:
        migrate.upgrade_to_head(upgraded)
        migrate.create_at_head(created)
        with created.begin() as connection:  # what create_at_head does once fts is wired in
            fts.ensure_fts(connection)
        assert schema(upgraded) == schema(created)
        names = set(schema(created))
        assert {"journal_fts", "journal_fts_entry", "journal_fts_data", "journal_fts_config"} <= (
            names
        )
        with upgraded.connect() as connection:
            diff = compare_metadata(
                MigrationContext.configure(connection, opts={"include_name": fts.include_name}),
                Base.metadata,
            )
            assert diff == []
            assert fts.ensure_fts(connection) is False  # idempotent
    finally:
        upgraded.dispose()
        created.dispose()


def test_migration_0002_indexes_entries_already_in_the_vault(tmp_path: Path) -> None:
    from alembic import command

    engine = open_engine(tmp_path / "old.db", SecretKey(b"o" * 32))
    try:
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), "0001")
            connection.execute(
                text(
                    "INSERT INTO journal_entry (id, kind, title, body, shared_with_provider, "
                    "created_at, updated_at) VALUES ('e1', 'free', 'Old', 'an **old** heron', 0, "
                    "'2025-01-01 10:00:00.000000', '2025-01-01 10:00:00.000000')"
                )
            )
        migrate.upgrade_to_head(engine)
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT rowid FROM journal_fts WHERE journal_fts MATCH 'heron'")
            ).all()
            assert len(found) == 1
            row = connection.execute(
                text("SELECT entry_id, word_count FROM journal_fts_entry")
            ).one()
            assert tuple(row) == ("e1", 3)
        with engine.begin() as connection:
            command.downgrade(migrate.alembic_config(connection), "0001")
        assert not {"journal_fts", "journal_fts_entry"} & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_index_rows_hold_what_the_core_table_would_write() -> None:
    """``index_entries`` writes plain tuples through the driver (issue 16): the stored values are
    the ones the Core table and its types would have bound, and a naive time is still refused."""
    zone = timezone(timedelta(hours=-5))
    entries = [
        fts.IndexedEntry(
            entry_id=f"entry{n}",
            created_at=datetime(2026, 3, n + 1, 21, 30, 15, 123456, tzinfo=zone),
            updated_at=datetime(2026, 3, n + 2, 8, tzinfo=UTC),
            kind="reflection" if n else "free",
            session_id="session1" if n else None,
            mood=n or None,
            shared=bool(n),
            document=search_document(f"Title {n}", "Some **bold** words.", ["an answer"], ["calm"]),
        )
        for n in range(2)
    ]
    written, expected = open_memory_engine(), open_memory_engine()
    for engine in (written, expected):
        with engine.begin() as connection:
            fts.ensure_fts(connection)
    with written.begin() as connection:
        fts.index_entries(connection, entries)
    with expected.begin() as connection:
        for rowid, entry in enumerate(entries, start=1):
            doc = entry.document
            connection.execute(
                insert(fts.entry_index).values(
                    id=rowid, entry_id=entry.entry_id, created_at=entry.created_at,
                    updated_at=entry.updated_at, kind=entry.kind, title=doc.title,
                    session_id=entry.session_id, mood=entry.mood, shared=entry.shared,
                    word_count=doc.word_count, preview=doc.preview,
                )
            )  # fmt: skip
            connection.execute(
                text("INSERT INTO journal_fts (rowid, title, body, answers, tags) "
                     "VALUES (:r, :t, :b, :a, :g)"),
                {"r": rowid, "t": doc.title, "b": doc.body, "a": doc.answers, "g": doc.tags},
            )  # fmt: skip

    def stored(engine: Engine) -> list[tuple[object, ...]]:
        with engine.connect() as connection:
            return [
                tuple(row)
                for query in (
                    "SELECT *, typeof(created_at), typeof(shared) FROM journal_fts_entry",
                    "SELECT rowid, * FROM journal_fts",
                )
                for row in connection.execute(text(query + " ORDER BY 1"))
            ]

    assert stored(written) == stored(expected)
    assert stored(written)[1][-2:] == ("integer", "integer")
    naive = replace(entries[0], entry_id="naive", created_at=datetime(2026, 3, 1))
    with written.begin() as connection, pytest.raises(ValueError, match="naive"):
        fts.index_entries(connection, [naive])
