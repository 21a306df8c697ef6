"""Deleting an entry really removes its words.

The vault is encrypted, so "the canary is not in the file" proves little there. Two checks make
it meaningful: on the real vault, no row of any table (FTS5's shadow tables included) and no
term of the full-text index holds the canary after the delete, and secure_delete is on; and the
same service code run on an *unencrypted* database of the same schema and pragmas shows the
canary in the file's bytes before the delete (the control) and nowhere after it.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from companion.crypto.secret import SecretKey
from companion.domain.clock import ManualClock
from companion.domain.journal import draft_key_for_entry
from companion.paths import DataPaths
from companion.services.container import Services
from companion.services.journal import JournalService
from companion.services.journal_model import Answer, EntryInput
from companion.services.vault import VaultService
from companion.storage import fts, migrate
from companion.storage.engine import PRAGMAS

CANARY = "Zanzibarcanary"  # one token, so the index holds it as a term
CANARY_PHRASE = "velvet lighthouse quokka"


def canary_entry() -> EntryInput:
    return EntryInput(
        kind="reflection",
        title=f"{CANARY} title",
        body=f"Before {CANARY} and {CANARY_PHRASE}, after.",
        answers=(Answer("felt", "What did you feel?", f"{CANARY} answer"),),
        tags=(CANARY,),
    )


def write_and_delete(journal: JournalService) -> None:
    entry = journal.create(EntryInput(title="Keep me", body="ordinary words"))
    canary = journal.create(canary_entry())
    journal.update(canary.id, EntryInput(title="Edited", body=f"{CANARY} again"))  # a revision
    journal.save_draft(
        draft_key_for_entry(canary.id), {"body": f"{CANARY} draft"}, entry_id=canary.id
    )
    journal.delete(canary.id)
    assert journal.get(entry.id).content.title == "Keep me"


def rows_containing(engine: Engine, needles: list[str]) -> list[str]:
    """Every table (virtual and shadow tables too), every column, as text and bytes."""
    found = []
    with engine.connect() as connection:
        tables = [
            name
            for (name,) in connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
        ]
        for table in tables:
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for value in row:
                    data = (
                        value
                        if isinstance(value, bytes)
                        else str(value).encode("utf-8", "surrogatepass")
                    )
                    for needle in needles:
                        if needle.encode() in data or needle.lower().encode() in data.lower():
                            found.append(table)
    return found


def index_terms(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        connection.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
                "USING fts5vocab(main, journal_fts, row)"
            )
        )
        return {term for (term,) in connection.execute(text("SELECT term FROM temp.vocab"))}


def test_deleted_text_is_gone_from_every_table_and_the_index(
    unlocked_services: Services,
) -> None:
    engine = unlocked_services.vault.engine
    unlocked_services.journal.ensure_index()
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA secure_delete")).scalar_one() == 1
        assert (
            connection.execute(
                text("SELECT v FROM journal_fts_config WHERE k = 'secure-delete'")
            ).scalar_one()
            == 1
        )
    journal = unlocked_services.journal
    probe = journal.create(canary_entry())
    assert "zanzibarcanari" in index_terms(engine) or "zanzibarcanary" in index_terms(engine)
    assert rows_containing(engine, [CANARY])  # the check can see it while it exists
    journal.delete(probe.id)

    write_and_delete(journal)
    assert rows_containing(engine, [CANARY, CANARY_PHRASE]) == []
    assert not any(term.startswith("zanzibar") for term in index_terms(engine))
    assert not any(term in index_terms(engine) for term in ("velvet", "quokka"))
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    paths = unlocked_services.paths
    for path in (paths.database, paths.database.with_name(paths.database.name + "-wal")):
        if path.exists():
            assert CANARY.encode() not in path.read_bytes()


class PlainVault(VaultService):
    """The vault service over an unencrypted database with the same schema and pragmas, so the
    file's bytes can be read. Test scaffolding only: the app never opens such a file."""

    def __init__(self, paths: DataPaths) -> None:
        super().__init__(paths)
        engine = create_engine(
            f"sqlite+pysqlite:///{paths.database}",
            module=sqlcipher,  # the same SQLite build as the vault, without a key
            poolclass=QueuePool,
            pool_size=1,
            max_overflow=0,
            connect_args={"check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None
            for pragma in PRAGMAS:
                dbapi_connection.execute(pragma)

        @event.listens_for(engine, "begin")
        def _on_begin(connection):  # type: ignore[no-untyped-def]
            connection.exec_driver_sql("BEGIN")

        migrate.create_at_head(engine)
        with engine.begin() as connection:
            fts.ensure_fts(connection)
        self._enter(engine, SecretKey(b"\0" * 32), None)  # type: ignore[arg-type]


def test_deleted_text_is_gone_from_the_file_bytes_of_an_unencrypted_twin(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "plain")
    paths.ensure()
    vault = PlainVault(paths)
    journal = JournalService(vault, ManualClock().now)
    try:
        control = journal.create(canary_entry())
        journal.checkpoint()
        assert CANARY.encode() in paths.database.read_bytes()  # the control: plaintext shows
        journal.delete(control.id)

        write_and_delete(journal)  # delete() checkpoints and truncates the WAL itself
        data = paths.database.read_bytes()
        wal = paths.database.with_name(paths.database.name + "-wal")
        for needle in (CANARY, CANARY.lower(), "zanzibarcanari", CANARY_PHRASE, "quokka"):
            assert needle.encode() not in data, needle
            if wal.exists():
                assert needle.encode() not in wal.read_bytes(), needle
        assert b"ordinary words" in data  # what was kept is still there
    finally:
        vault.lock()
