"""The index's tables: created the same way by migration 0002 and for new vaults."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from companion.crypto.secret import SecretKey
from companion.storage import fts, migrate
from companion.storage.engine import open_engine
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
