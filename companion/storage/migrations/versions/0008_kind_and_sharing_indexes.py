"""the read model's kind index also holds the instant, its sharing index also the kind

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Sorted by kind, every page of the Reflections list sorted the whole filtered set (58-142 ms a
page at 50,000 entries). The list now reads each kind's rows in time order, which an index on
(kind, created_at) gives. Filtered by kind and sharing, the list's count read every row of
the kind from the table (58 ms); an index on (shared, kind) answers it alone. Both replace the
index on the single column (still usable for that column's filter, its first), so every write
keeps the same number of indexes.
"""

from alembic import op

from companion.storage import fts

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Each index this migration widens, with its column as 0006 made it.
WIDENED = {"ix_journal_fts_entry_kind": "kind", "ix_journal_fts_entry_shared": "shared"}


def upgrade() -> None:
    connection = op.get_bind()
    for name in WIDENED:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    fts.add_indexes(connection, tuple(WIDENED))


def downgrade() -> None:
    connection = op.get_bind()
    exists = fts.fts_exists(connection)
    for name, column in WIDENED.items():
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        if exists:
            connection.exec_driver_sql(f"CREATE INDEX {name} ON journal_fts_entry ({column})")
