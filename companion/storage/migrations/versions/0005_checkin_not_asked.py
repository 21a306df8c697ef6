"""monitor check-ins: an item that was not asked is NULL, not "no concern"

The four check-in columns were NOT NULL, so a check-in from a protocol that did not ask one of
them was stored with that item's no-concern value (responsive, breathing fine, no nausea, no
help needed), which read back as an answer nobody gave. They become nullable, and rows already
written are corrected from the record of what was asked: the ``checkin_answers`` event saved
with each check-in (same session, same instant) lists the items the protocol asked. A row
without that event predates protocol check-ins, when all four items were always asked, and is
left as it is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# column -> (the protocol's item id, the value the old code stored when it was not asked)
COLUMNS = (
    ("responsive", "responsive", True),
    ("breathing_ok", "breathing", True),
    ("nausea", "nausea", False),
    ("needs_help", "needs_help", False),
)

# The check-in's own event records the asked items as the keys of "$.answers".
NOT_ASKED = """
UPDATE monitor_checkin SET {column} = NULL
WHERE EXISTS (
    SELECT 1 FROM session_event AS e
    WHERE e.session_id = monitor_checkin.session_id
      AND e.kind = 'checkin_answers'
      AND e.at = monitor_checkin.at
      AND json_valid(e.detail)
      AND json_type(e.detail, '$.answers') = 'object'
      AND json_type(e.detail, '$.answers.{item}') IS NULL
)
"""


def upgrade() -> None:
    with op.batch_alter_table("monitor_checkin") as batch:
        for column, _item, _old in COLUMNS:
            batch.alter_column(column, existing_type=sa.Boolean(), nullable=True)
    for column, item, _old in COLUMNS:
        op.execute(NOT_ASKED.format(column=column, item=item))


def downgrade() -> None:
    """Back to NOT NULL: an unasked item takes the value the old code stored for it."""
    for column, _item, old in COLUMNS:
        op.execute(
            f"UPDATE monitor_checkin SET {column} = {int(old)} WHERE {column} IS NULL"  # noqa: S608
        )
    with op.batch_alter_table("monitor_checkin") as batch:
        for column, _item, _old in COLUMNS:
            batch.alter_column(column, existing_type=sa.Boolean(), nullable=False)
