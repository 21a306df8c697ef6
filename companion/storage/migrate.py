"""Schema migrations (Alembic, batch mode for SQLite), run on the unlocked vault's connection.

Alembic itself (~17 MB of modules, issue 16) is imported only when a vault is created or
really needs a migration: opening a vault that is up to date compares the one row of
``alembic_version`` with ``HEAD_REVISION`` (a test checks that it is the migration scripts'
head).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from companion.storage import (
    fts,
    models_export,  # noqa: F401  (registers export_profile on Base)
)
from companion.storage.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0008"  # the newest script in migrations/versions (tests/unit checks it)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return HEAD_REVISION


def scripts_head_revision() -> str:
    """The head as Alembic reads it from the scripts (what ``HEAD_REVISION`` must say)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The vault's schema revision (None for a database Alembic never stamped)."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except OperationalError:  # no such table
            return None
    return str(rows[0][0]) if len(rows) == 1 else None


def create_at_head(engine: Engine) -> None:
    """A new vault: every table at once, stamped as the newest revision."""
    from alembic import command

    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        fts.ensure_fts(connection)  # the full-text index has no ORM model
        command.stamp(alembic_config(connection), "head")


def upgrade_to_head(engine: Engine) -> None:
    """Brings an existing vault up to date; a no-op (one small query) when it already is."""
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
