"""Migration 0004 (the patient's identifiers for FHIR) on a vault made before it: the saved
provider key is kept, the new fields start empty, and the random id is made on first use."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

from companion.crypto.secret import SecretKey
from companion.storage import migrate
from companion.storage.engine import open_engine

KEY = "age1" + "q" * 58


def test_a_vault_at_0003_keeps_its_provider_key_and_gains_empty_identity_fields(
    tmp_path: Path,
) -> None:
    engine = open_engine(tmp_path / "old.db", SecretKey(b"o" * 32))
    try:
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), "0003")
            connection.execute(
                text(
                    "INSERT INTO export_profile (id, provider_recipient, updated_at) "
                    "VALUES ('me', :key, :at)"
                ),
                {"key": KEY, "at": datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)},
            )
        migrate.upgrade_to_head(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT provider_recipient, patient_uid, mrn, mrn_system, birth_date "
                    "FROM export_profile"
                )
            ).one()
        assert tuple(row) == (KEY, "", "", "", "")
        with engine.begin() as connection:  # and back down, for a downgrade path
            command.downgrade(migrate.alembic_config(connection), "0003")
        with engine.connect() as connection:
            names = [r[1] for r in connection.execute(text("PRAGMA table_info(export_profile)"))]
        assert names == ["id", "provider_recipient", "updated_at"]
    finally:
        engine.dispose()
