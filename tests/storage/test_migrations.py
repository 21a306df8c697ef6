"""Migrations: an empty database upgrades to head and matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from companion.crypto.secret import SecretKey
from companion.services.container import Services
from companion.storage import fts, migrate
from companion.storage.engine import open_engine
from companion.storage.models import Base
from tests.support.schema import schema


def test_empty_database_upgrades_to_head_matching_the_models(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = open_engine(tmp_path / "empty.db", SecretKey(b"k" * 32))
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade_to_head(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_name": fts.include_name}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
        migrate.upgrade_to_head(engine)  # idempotent
    finally:
        engine.dispose()


def test_new_vault_is_created_at_head_and_stamped(unlocked_services: Services) -> None:
    engine = unlocked_services.vault.engine
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_created_and_migrated_schemas_are_the_same(unlocked_services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    migrated = open_engine(tmp_path / "migrated.db", SecretKey(b"m" * 32))
    try:
        migrate.upgrade_to_head(migrated)

        assert schema(migrated) == schema(unlocked_services.vault.engine)
    finally:
        migrated.dispose()
