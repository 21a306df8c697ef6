"""search index rowids in date order

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Search ranks only a bounded set of the newest matches for very common words, which needs FTS5
rowids in ``created_at`` order (``companion.storage.fts.rowid_floor``). Vaults indexed before
got rowids in writing order; this copies their index into date order without re-reading any
entry. Downgrading keeps the new numbering: older code accepts any rowid.
"""

from alembic import op

from companion.storage import fts, fts_order

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if fts.fts_exists(connection):
        fts_order.renumber(connection)
    else:
        fts.rebuild(connection)


def downgrade() -> None:
    pass
