"""Migrations: an empty database upgrades to head and matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from companion.crypto.secret import SecretKey
from companion.services.container import Services
from companion.storage import fts, migrate
from companion.storage.engine import open_engine
from companion.storage.models import Base


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


def indexes(engine: Engine, table: str) -> list[tuple[str, str]]:
    """The table's indexes as SQLite keeps them, name and statement (the inspector skips an
    index on an expression, such as the list's mood order)."""
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = ? ORDER BY name",
            (table,),
        ).all()
    return [(str(name), " ".join(str(sql).split())) for name, sql in rows]


def test_created_and_migrated_schemas_are_the_same(unlocked_services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    migrated = open_engine(tmp_path / "migrated.db", SecretKey(b"m" * 32))
    try:
        migrate.upgrade_to_head(migrated)

        def schema(engine: Engine) -> dict[str, object]:
            insp = inspect(engine)
            return {
                name: (
                    sorted(
                        (c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(name)
                    ),
                    sorted(tuple(fk["constrained_columns"]) for fk in insp.get_foreign_keys(name)),
                    indexes(engine, name),
                )
                for name in insp.get_table_names()
            }

        assert schema(migrated) == schema(unlocked_services.vault.engine)
    finally:
        migrated.dispose()
