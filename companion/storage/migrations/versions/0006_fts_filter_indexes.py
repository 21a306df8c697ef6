"""indexes on the search read model for the Reflections filters

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A search narrowed by kind, sharing or session checked FTS5's rows against a scan of every
``journal_fts_entry`` row (its previews make that ~50k pages at 50,000 entries); with these
indexes the filter's set comes from an index. New vaults get them from ``fts.DDL``.
"""

from alembic import op

from companion.storage import fts

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    fts.add_indexes(connection, fts.FILTER_INDEXES)


def downgrade() -> None:
    connection = op.get_bind()
    for name in fts.FILTER_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
