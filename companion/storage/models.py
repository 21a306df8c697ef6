"""The data model for the whole product: profile, prescription, protocol, planned and actual
sessions with their events, checklist answers, vitals, doses, monitor check-ins, side effects,
journal entries (answers, tags, revisions, drafts) and questionnaires.

Every table has a random string id so exports and imports can match records across vaults.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from companion.storage.types import UTCDateTime, new_id

ENTRY_TAG_BY_TAG = "ix_entry_tag_tag_id"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012 (SQLAlchemy API)


def id_column() -> Mapped[str]:
    return mapped_column(ID, primary_key=True, default=new_id)


# --- who and what ---------------------------------------------------------------------------------
class ProfileRow(Base):
    """A single row (id "me"): the patient and the people to call."""

    __tablename__ = "profile"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default="me")
    name: Mapped[str] = mapped_column(String(200), default="")
    provider_name: Mapped[str] = mapped_column(String(200), default="")
    provider_contact: Mapped[str] = mapped_column(String(200), default="")
    monitor_name: Mapped[str] = mapped_column(String(200), default="")
    monitor_phone: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(200), default="")
    emergency_number: Mapped[str] = mapped_column(String(40), default="911")
    crisis_line: Mapped[str] = mapped_column(String(40), default="988")
    updated_at: Mapped[datetime]


class PrescriptionRow(Base):
    """The prescription as the provider gave it, kept as history: the newest active one applies."""

    __tablename__ = "prescription"
    id: Mapped[str] = id_column()
    medicine: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(100))
    dose_text: Mapped[str] = mapped_column(String(200))
    hold_minutes: Mapped[int] = mapped_column(Integer)
    instructions: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    recorded_at: Mapped[datetime]


class ProtocolRow(Base):
    """A protocol file the patient or clinic installed; its TOML is kept verbatim."""

    __tablename__ = "protocol"
    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(50), default="")
    source_toml: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    installed_at: Mapped[datetime]


# --- sessions -------------------------------------------------------------------------------------
class PlannedSessionRow(Base):
    __tablename__ = "planned_session"
    id: Mapped[str] = id_column()
    planned_at: Mapped[datetime]
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("status IN ('planned', 'moved', 'cancelled', 'done')", name="status"),
        Index("ix_planned_session_planned_at", "planned_at"),
    )


class SessionRow(Base):
    __tablename__ = "session"
    id: Mapped[str] = id_column()
    planned_session_id: Mapped[str | None] = mapped_column(
        ForeignKey("planned_session.id", ondelete="SET NULL")
    )
    protocol_id: Mapped[str | None] = mapped_column(ForeignKey("protocol.id", ondelete="SET NULL"))
    prescription_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescription.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    abort_reason: Mapped[str] = mapped_column(Text, default="")
    intention: Mapped[str] = mapped_column(Text, default="")
    mood_before: Mapped[int | None] = mapped_column(Integer)
    mood_after: Mapped[int | None] = mapped_column(Integer)
    recovered_at: Mapped[datetime | None]

    events: Mapped[list[SessionEventRow]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionEventRow.at"
    )

    __table_args__ = (
        CheckConstraint(
            "status IN ('in_progress', 'completed', 'aborted', 'interrupted')", name="status"
        ),
        CheckConstraint("mood_before BETWEEN 0 AND 10", name="mood_before"),
        CheckConstraint("mood_after BETWEEN 0 AND 10", name="mood_after"),
        Index("ix_session_started_at", "started_at"),
    )


class SessionEventRow(Base):
    """Everything that happened, with its time: phases, pauses, prompts, markers, Help."""

    __tablename__ = "session_event"
    id: Mapped[str] = id_column()
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    detail: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[SessionRow] = relationship(back_populates="events")

    __table_args__ = (Index("ix_session_event_session", "session_id", "at"),)


class ChecklistAnswerRow(Base):
    __tablename__ = "checklist_answer"
    id: Mapped[str] = id_column()
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(80))
    answer: Mapped[str] = mapped_column(String(20))  # "checked", "unchecked", "yes", "no"
    answered_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("session_id", "item_id"),)


class VitalReadingRow(Base):
    __tablename__ = "vital_reading"
    id: Mapped[str] = id_column()
    session_id: Mapped[str | None] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    phase: Mapped[str] = mapped_column(String(20))  # before, after, other
    taken_at: Mapped[datetime]
    systolic: Mapped[int | None] = mapped_column(Integer)
    diastolic: Mapped[int | None] = mapped_column(Integer)
    pulse: Mapped[int | None] = mapped_column(Integer)
    classification: Mapped[str] = mapped_column(String(10), default="ok")
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        CheckConstraint("phase IN ('before', 'after', 'other')", name="phase"),
        CheckConstraint("systolic BETWEEN 40 AND 300", name="systolic"),
        CheckConstraint("diastolic BETWEEN 20 AND 200", name="diastolic"),
        CheckConstraint("pulse BETWEEN 20 AND 250", name="pulse"),
        Index("ix_vital_reading_taken_at", "taken_at"),
    )


class DoseLogRow(Base):
    """The dose as prescribed, copied verbatim at the moment the patient confirmed taking it."""

    __tablename__ = "dose_log"
    id: Mapped[str] = id_column()
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    prescription_id: Mapped[str | None] = mapped_column(
        ForeignKey("prescription.id", ondelete="SET NULL")
    )
    medicine: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(100))
    dose_text: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime]
    hold_minutes: Mapped[int] = mapped_column(Integer)


class MonitorCheckinRow(Base):
    __tablename__ = "monitor_checkin"
    id: Mapped[str] = id_column()
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    # The default protocol's four items; NULL: the protocol in use did not ask it (0005).
    responsive: Mapped[bool | None] = mapped_column(Boolean)
    breathing_ok: Mapped[bool | None] = mapped_column(Boolean)
    nausea: Mapped[bool | None] = mapped_column(Boolean)
    needs_help: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class SideEffectRow(Base):
    __tablename__ = "side_effect"
    id: Mapped[str] = id_column()
    session_id: Mapped[str | None] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    reported_at: Mapped[datetime]
    effect: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("severity IN ('mild', 'moderate', 'severe')", name="severity"),
    )


# --- journal --------------------------------------------------------------------------------------


class TagRow(Base):
    __tablename__ = "tag"
    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(80), unique=True)


class EntryTagRow(Base):
    __tablename__ = "entry_tag"
    # The entries of one tag (the tag filter, the tags in use) without reading every row.
    __table_args__ = (Index(ENTRY_TAG_BY_TAG, "tag_id"),)
    entry_id: Mapped[str] = mapped_column(
        ForeignKey("journal_entry.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[str] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)


class JournalEntryRow(Base):
    __tablename__ = "journal_entry"
    id: Mapped[str] = id_column()
    session_id: Mapped[str | None] = mapped_column(ForeignKey("session.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # reflection, integration, free
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    mood: Mapped[int | None] = mapped_column(Integer)
    dissociation_body: Mapped[int | None] = mapped_column(Integer)
    dissociation_surroundings: Mapped[int | None] = mapped_column(Integer)
    dissociation_time: Mapped[int | None] = mapped_column(Integer)
    shared_with_provider: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    answers: Mapped[list[JournalAnswerRow]] = relationship(
        cascade="all, delete-orphan", order_by="JournalAnswerRow.position"
    )
    tags: Mapped[list[TagRow]] = relationship(secondary="entry_tag", order_by="TagRow.name")

    __table_args__ = (
        CheckConstraint("kind IN ('reflection', 'integration', 'free')", name="kind"),
        CheckConstraint("mood BETWEEN 0 AND 10", name="mood"),
        CheckConstraint("dissociation_body BETWEEN 0 AND 4", name="dissociation_body"),
        CheckConstraint(
            "dissociation_surroundings BETWEEN 0 AND 4", name="dissociation_surroundings"
        ),
        CheckConstraint("dissociation_time BETWEEN 0 AND 4", name="dissociation_time"),
        Index("ix_journal_entry_created_at", "created_at"),
    )


class JournalAnswerRow(Base):
    __tablename__ = "journal_answer"
    id: Mapped[str] = id_column()
    entry_id: Mapped[str] = mapped_column(ForeignKey("journal_entry.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    prompt_id: Mapped[str] = mapped_column(String(80))
    prompt_text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")


class JournalRevisionRow(Base):
    """An earlier version of an entry, kept when it is edited (JSON snapshot of its fields)."""

    __tablename__ = "journal_revision"
    id: Mapped[str] = id_column()
    entry_id: Mapped[str] = mapped_column(ForeignKey("journal_entry.id", ondelete="CASCADE"))
    saved_at: Mapped[datetime]
    snapshot_json: Mapped[str] = mapped_column(Text)


class DraftRow(Base):
    """Autosaved work in progress, offered back after a crash or on the next unlock."""

    __tablename__ = "draft"
    id: Mapped[str] = id_column()
    entry_id: Mapped[str | None] = mapped_column(ForeignKey("journal_entry.id", ondelete="CASCADE"))
    session_id: Mapped[str | None] = mapped_column(ForeignKey("session.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    content_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


# --- questionnaires -------------------------------------------------------------------------------
class AssessmentRow(Base):
    __tablename__ = "assessment"
    id: Mapped[str] = id_column()
    instrument: Mapped[str] = mapped_column(String(10))  # PHQ-9, GAD-7
    taken_at: Mapped[datetime]
    total: Mapped[int] = mapped_column(Integer)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("session.id", ondelete="SET NULL"))
    context: Mapped[str] = mapped_column(String(40), default="on_demand")
    safety_flag: Mapped[bool] = mapped_column(Boolean, default=False)

    items: Mapped[list[AssessmentItemRow]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentItemRow.item_number"
    )

    __table_args__ = (
        CheckConstraint("instrument IN ('PHQ-9', 'GAD-7')", name="instrument"),
        Index("ix_assessment_taken_at", "taken_at"),
    )


class AssessmentItemRow(Base):
    __tablename__ = "assessment_item"
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True
    )
    item_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("answer BETWEEN 0 AND 3", name="answer"),)


ALL_TABLES = tuple(Base.metadata.sorted_tables)
