"""indexes for the Reflections list's mood and sharing orders, and entry_tag by tag

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Sorted by mood or by sharing, every page of the list sorted the whole filtered set (61 and
79 ms a page at 50,000 entries); with an index on the sort value and the instant a page is
read in order and the read stops after it. A tag filter and the tags in use read every row of
``entry_tag`` (its key starts with the entry); an index by tag reads that tag's rows only.
New vaults get these from ``fts.DDL`` and the ORM model.
"""

from alembic import op

from companion.storage import fts
from companion.storage.models import ENTRY_TAG_BY_TAG

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {ENTRY_TAG_BY_TAG} ON entry_tag (tag_id)"
    )
    fts.add_indexes(connection, fts.SORT_INDEXES)


def downgrade() -> None:
    connection = op.get_bind()
    for name in (*fts.SORT_INDEXES, ENTRY_TAG_BY_TAG):
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
