"""Migration 0007: the Reflections list sorted by mood or by sharing reads its page in order
from an index (the SQL the page really sends, planned by SQLCipher), not a sort of every row;
the tag filter reads ``entry_tag`` by tag. The migration adds the indexes to an existing
encrypted vault and takes them away on downgrade; new vaults have them from the start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from companion.crypto.secret import SecretKey
from companion.services.container import Services
from companion.services.entry_pages import EntryPages, ListQuery, SortColumn
from companion.services.journal_model import EntryInput
from companion.services.search import EntryFilters
from companion.storage import fts, migrate
from companion.storage.engine import open_engine
from companion.storage.models import ENTRY_TAG_BY_TAG
from tests.support.vault import PASSPHRASE

NEW_INDEXES = {*fts.SORT_INDEXES, ENTRY_TAG_BY_TAG}
KINDS = ("free", "integration", "reflection")


@contextmanager
def statements_sent() -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement any engine sends while inside, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        sent.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def plan_of(services: Services, statement: str, parameters: Any) -> str:
    with services.vault.unit_of_work() as session:
        rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(str(row[-1]) for row in rows)


def test_mood_sharing_and_kind_orders_read_a_page_from_an_index_not_a_sort(
    services: Services,
) -> None:
    services.vault.create(PASSPHRASE)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    services.journal.create_many(
        [
            (EntryInput(title=f"e{n}", body="w", kind=KINDS[n % 3],
                        mood=(n % 12) - 1 if n % 12 else None,
                        shared_with_provider=n % 4 == 0, tags=("calm",) if n % 2 else ()),
             start + timedelta(hours=n))
            for n in range(60)
        ]
    )  # fmt: skip
    pages = EntryPages(services.vault, services.journal)
    for sort in (SortColumn.MOOD, SortColumn.SHARED):
        for descending in (True, False):
            query = ListQuery(sort=sort, descending=descending)
            first = pages.page(query, None, 10)
            with statements_sent() as sent:
                pages.page(query, first.last, 10)  # a later page: the keyset's bound too
            selects = [s for s in sent if "journal_fts_entry" in s[0] and "LIMIT" in s[0]]
            assert len(selects) == 1, sent
            plan = plan_of(services, *selects[0])
            assert "TEMP B-TREE" not in plan, (sort, descending, plan)
            assert f"ix_journal_fts_entry_order_{sort.value}" in plan, plan
    for descending in (True, False):  # by kind: each kind's rows in time order, from its index
        query = ListQuery(sort=SortColumn.KIND, descending=descending)
        first = pages.page(query, None, 10)
        with statements_sent() as sent:
            pages.page(query, first.last, 30)  # the rest of a kind, then the next kinds
        selects = [s for s in sent if "journal_fts_entry" in s[0] and "LIMIT" in s[0]]
        assert len(selects) >= 2, sent
        for select in selects:
            plan = plan_of(services, *select)
            assert "TEMP B-TREE" not in plan and "ix_journal_fts_entry_kind" in plan, plan
    with statements_sent() as sent:  # shared reflections: counted from an index alone
        assert pages.count(EntryFilters(kind="reflection", shared=True)) == 5
    counted = [s for s in sent if "count(" in s[0]]
    assert counted and "COVERING INDEX ix_journal_fts_entry_shared" in plan_of(
        services, *counted[0]
    )
    with statements_sent() as sent:
        pages.page(ListQuery(EntryFilters(tag="calm")), None, 10)
    tagged = [s for s in sent if "entry_tag" in s[0] and "LIMIT" in s[0]]
    assert tagged and ENTRY_TAG_BY_TAG in plan_of(services, *tagged[0])


def test_migration_0007_adds_the_list_indexes_to_a_sqlcipher_vault(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = open_engine(path, SecretKey(b"m" * 32))

    def names() -> set[str]:
        with engine.connect() as connection:
            return set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())

    try:
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), "0006")
            fts.rebuild(connection)  # the index as 0006 made it: DDL less the new indexes
            for name in NEW_INDEXES:
                connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        assert not NEW_INDEXES & names()
        migrate.upgrade_to_head(engine)
        assert migrate.current_revision(engine) == migrate.head_revision() == "0008"
        assert names() >= NEW_INDEXES
        with engine.begin() as connection:
            command.downgrade(migrate.alembic_config(connection), "0006")
        assert not NEW_INDEXES & names()
        assert set(fts.FILTER_INDEXES) <= names()  # 0006's own stay
    finally:
        engine.dispose()


def test_migration_0008_widens_the_kind_and_sharing_indexes_of_a_sqlcipher_vault(
    tmp_path: Path,
) -> None:
    engine = open_engine(tmp_path / "old.db", SecretKey(b"k" * 32))
    widened = {"ix_journal_fts_entry_kind": "kind", "ix_journal_fts_entry_shared": "shared"}

    def columns() -> dict[str, str]:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE name IN (:a, :b)"),
                dict(zip("ab", widened, strict=True)),
            )
            return {name: sql[sql.index("(") :] for name, sql in found}

    try:
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), "0007")
            fts.rebuild(connection)
            for name, column in widened.items():  # the indexes as 0006 and 0007 left them
                connection.exec_driver_sql(f"DROP INDEX {name}")
                connection.exec_driver_sql(f"CREATE INDEX {name} ON journal_fts_entry ({column})")
        migrate.upgrade_to_head(engine)
        assert columns() == {
            "ix_journal_fts_entry_kind": "(kind, created_at)",
            "ix_journal_fts_entry_shared": "(shared, kind)",
        }
        with engine.begin() as connection:
            command.downgrade(migrate.alembic_config(connection), "0007")
        assert columns() == {name: f"({column})" for name, column in widened.items()}
    finally:
        engine.dispose()
