"""journal full-text index (FTS5) and the Reflections read model

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The DDL lives in ``companion.storage.fts`` so new vaults (created at head) and upgraded ones
get exactly the same tables. Entries already in the vault are indexed here.
"""

from alembic import op

from companion.storage import fts

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    fts.rebuild(op.get_bind())  # creates the tables, then indexes any entries already there


def downgrade() -> None:
    fts.drop_fts(op.get_bind())
