"""export settings: the provider's age public key

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "export_profile",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("provider_recipient", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_profile")),
    )


def downgrade() -> None:
    op.drop_table("export_profile")
