"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "planned_session",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("planned_at", sa.DateTime(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'moved', 'cancelled', 'done')",
            name=op.f("ck_planned_session_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_session")),
    )
    with op.batch_alter_table("planned_session", schema=None) as batch_op:
        batch_op.create_index("ix_planned_session_planned_at", ["planned_at"], unique=False)

    op.create_table(
        "prescription",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("medicine", sa.String(length=200), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("dose_text", sa.String(length=200), nullable=False),
        sa.Column("hold_minutes", sa.Integer(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescription")),
    )
    op.create_table(
        "profile",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("provider_contact", sa.String(length=200), nullable=False),
        sa.Column("monitor_name", sa.String(length=200), nullable=False),
        sa.Column("monitor_phone", sa.String(length=200), nullable=False),
        sa.Column("emergency_contact_name", sa.String(length=200), nullable=False),
        sa.Column("emergency_contact_phone", sa.String(length=200), nullable=False),
        sa.Column("emergency_number", sa.String(length=40), nullable=False),
        sa.Column("crisis_line", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
    )
    op.create_table(
        "protocol",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("source_toml", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol")),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
    )
    op.create_table(
        "session",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("planned_session_id", sa.String(length=32), nullable=True),
        sa.Column("protocol_id", sa.String(length=32), nullable=True),
        sa.Column("prescription_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("abort_reason", sa.Text(), nullable=False),
        sa.Column("intention", sa.Text(), nullable=False),
        sa.Column("mood_before", sa.Integer(), nullable=True),
        sa.Column("mood_after", sa.Integer(), nullable=True),
        sa.Column("recovered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('in_progress', 'completed', 'aborted', 'interrupted')",
            name=op.f("ck_session_status"),
        ),
        sa.CheckConstraint("mood_after BETWEEN 0 AND 10", name=op.f("ck_session_mood_after")),
        sa.CheckConstraint("mood_before BETWEEN 0 AND 10", name=op.f("ck_session_mood_before")),
        sa.ForeignKeyConstraint(
            ["planned_session_id"],
            ["planned_session.id"],
            name=op.f("fk_session_planned_session_id_planned_session"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["prescription_id"],
            ["prescription.id"],
            name=op.f("fk_session_prescription_id_prescription"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["protocol_id"],
            ["protocol.id"],
            name=op.f("fk_session_protocol_id_protocol"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session")),
    )
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.create_index("ix_session_started_at", ["started_at"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("instrument", sa.String(length=10), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("context", sa.String(length=40), nullable=False),
        sa.Column("safety_flag", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "instrument IN ('PHQ-9', 'GAD-7')", name=op.f("ck_assessment_instrument")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_assessment_session_id_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_taken_at", ["taken_at"], unique=False)

    op.create_table(
        "checklist_answer",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_checklist_answer_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_answer")),
        sa.UniqueConstraint("session_id", "item_id", name=op.f("uq_checklist_answer_session_id")),
    )
    op.create_table(
        "dose_log",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("prescription_id", sa.String(length=32), nullable=True),
        sa.Column("medicine", sa.String(length=200), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("dose_text", sa.String(length=200), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("hold_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["prescription_id"],
            ["prescription.id"],
            name=op.f("fk_dose_log_prescription_id_prescription"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_dose_log_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dose_log")),
    )
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("dissociation_body", sa.Integer(), nullable=True),
        sa.Column("dissociation_surroundings", sa.Integer(), nullable=True),
        sa.Column("dissociation_time", sa.Integer(), nullable=True),
        sa.Column("shared_with_provider", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('reflection', 'integration', 'free')", name=op.f("ck_journal_entry_kind")
        ),
        sa.CheckConstraint(
            "dissociation_body BETWEEN 0 AND 4", name=op.f("ck_journal_entry_dissociation_body")
        ),
        sa.CheckConstraint(
            "dissociation_surroundings BETWEEN 0 AND 4",
            name=op.f("ck_journal_entry_dissociation_surroundings"),
        ),
        sa.CheckConstraint(
            "dissociation_time BETWEEN 0 AND 4", name=op.f("ck_journal_entry_dissociation_time")
        ),
        sa.CheckConstraint("mood BETWEEN 0 AND 10", name=op.f("ck_journal_entry_mood")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_journal_entry_session_id_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entry")),
    )
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.create_index("ix_journal_entry_created_at", ["created_at"], unique=False)

    op.create_table(
        "monitor_checkin",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("responsive", sa.Boolean(), nullable=False),
        sa.Column("breathing_ok", sa.Boolean(), nullable=False),
        sa.Column("nausea", sa.Boolean(), nullable=False),
        sa.Column("needs_help", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_monitor_checkin_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_checkin")),
    )
    op.create_table(
        "session_event",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_session_event_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_event")),
    )
    with op.batch_alter_table("session_event", schema=None) as batch_op:
        batch_op.create_index("ix_session_event_session", ["session_id", "at"], unique=False)

    op.create_table(
        "side_effect",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column("effect", sa.String(length=80), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "severity IN ('mild', 'moderate', 'severe')", name=op.f("ck_side_effect_severity")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_side_effect_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_side_effect")),
    )
    op.create_table(
        "vital_reading",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("systolic", sa.Integer(), nullable=True),
        sa.Column("diastolic", sa.Integer(), nullable=True),
        sa.Column("pulse", sa.Integer(), nullable=True),
        sa.Column("classification", sa.String(length=10), nullable=False),
        sa.Column("acknowledged", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "phase IN ('before', 'after', 'other')", name=op.f("ck_vital_reading_phase")
        ),
        sa.CheckConstraint("diastolic BETWEEN 20 AND 200", name=op.f("ck_vital_reading_diastolic")),
        sa.CheckConstraint("pulse BETWEEN 20 AND 250", name=op.f("ck_vital_reading_pulse")),
        sa.CheckConstraint("systolic BETWEEN 40 AND 300", name=op.f("ck_vital_reading_systolic")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_vital_reading_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vital_reading")),
    )
    with op.batch_alter_table("vital_reading", schema=None) as batch_op:
        batch_op.create_index("ix_vital_reading_taken_at", ["taken_at"], unique=False)

    op.create_table(
        "assessment_item",
        sa.Column("assessment_id", sa.String(length=32), nullable=False),
        sa.Column("item_number", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Integer(), nullable=False),
        sa.CheckConstraint("answer BETWEEN 0 AND 3", name=op.f("ck_assessment_item_answer")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_item_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "item_number", name=op.f("pk_assessment_item")),
    )
    op.create_table(
        "draft",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entry.id"],
            name=op.f("fk_draft_entry_id_journal_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_draft_session_id_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
    )
    op.create_table(
        "entry_tag",
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("tag_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entry.id"],
            name=op.f("fk_entry_tag_entry_id_journal_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tag.id"], name=op.f("fk_entry_tag_tag_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entry_id", "tag_id", name=op.f("pk_entry_tag")),
    )
    op.create_table(
        "journal_answer",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.String(length=80), nullable=False),
        sa.Column("prompt_text", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entry.id"],
            name=op.f("fk_journal_answer_entry_id_journal_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_answer")),
    )
    op.create_table(
        "journal_revision",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("snapshot_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entry.id"],
            name=op.f("fk_journal_revision_entry_id_journal_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_revision")),
    )


def downgrade() -> None:

    op.drop_table("journal_revision")
    op.drop_table("journal_answer")
    op.drop_table("entry_tag")
    op.drop_table("draft")
    op.drop_table("assessment_item")
    with op.batch_alter_table("vital_reading", schema=None) as batch_op:
        batch_op.drop_index("ix_vital_reading_taken_at")

    op.drop_table("vital_reading")
    op.drop_table("side_effect")
    with op.batch_alter_table("session_event", schema=None) as batch_op:
        batch_op.drop_index("ix_session_event_session")

    op.drop_table("session_event")
    op.drop_table("monitor_checkin")
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_journal_entry_created_at")

    op.drop_table("journal_entry")
    op.drop_table("dose_log")
    op.drop_table("checklist_answer")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_taken_at")

    op.drop_table("assessment")
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index("ix_session_started_at")

    op.drop_table("session")
    op.drop_table("tag")
    op.drop_table("protocol")
    op.drop_table("profile")
    op.drop_table("prescription")
    with op.batch_alter_table("planned_session", schema=None) as batch_op:
        batch_op.drop_index("ix_planned_session_planned_at")

    op.drop_table("planned_session")
