"""export settings: the patient's identifiers for FHIR (a random id, an MRN, a birth date)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    ("patient_uid", 64),
    ("mrn", 64),
    ("mrn_system", 200),
    ("birth_date", 10),
)


def upgrade() -> None:
    with op.batch_alter_table("export_profile") as batch:
        for name, length in COLUMNS:
            batch.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )


def downgrade() -> None:
    with op.batch_alter_table("export_profile") as batch:
        for name, _length in reversed(COLUMNS):
            batch.drop_column(name)
