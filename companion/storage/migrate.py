"""Schema migrations (Alembic, batch mode for SQLite), run on the unlocked vault's connection."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from companion.storage import (
    fts,
    models_export,  # noqa: F401  (registers export_profile on Base)
)
from companion.storage.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def create_at_head(engine: Engine) -> None:
    """A new vault: every table at once, stamped as the newest revision."""
    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        fts.ensure_fts(connection)  # the full-text index has no ORM model
        command.stamp(alembic_config(connection), "head")


def upgrade_to_head(engine: Engine) -> None:
    """Brings an existing vault up to date; a no-op (one small query) when it already is."""
    if current_revision(engine) == head_revision():
        return
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
