"""The record kinds of the JSON export format and their fields, declared once.

Each kind is one table of the vault; each record is one row with the same field names, so an
export is lossless and an import is a plain insert. The JSON Schema (``schema.py``), the CSV
files, the importer's order of inserts and its reference checks are all derived from this list.
``tests/export/test_format.py`` checks it against the database models, so a new column cannot
be forgotten here.

Pure Python: no database, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from companion.i18n import N_

FieldType = Literal["id", "string", "text", "integer", "boolean", "datetime"]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: FieldType
    nullable: bool = False
    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    references: str | None = None  # the kind this id points at
    default: str | None = None  # set: the field may be missing in a file (added later)


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    title: str  # a short description for the docs
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ("id",)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def references(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.references is not None)


def _id(name: str = "id", references: str | None = None, nullable: bool = False) -> Field:
    return Field(name, "id", nullable=nullable, max_length=32, references=references)


def _s(name: str, length: int, **kw: object) -> Field:
    return Field(name, "string", max_length=length, **kw)  # type: ignore[arg-type]


def _t(name: str) -> Field:
    return Field(name, "text")


def _i(name: str, nullable: bool = False, lo: int | None = None, hi: int | None = None) -> Field:
    return Field(name, "integer", nullable=nullable, minimum=lo, maximum=hi)


def _b(name: str, nullable: bool = False) -> Field:
    return Field(name, "boolean", nullable=nullable)


def _dt(name: str, nullable: bool = False) -> Field:
    return Field(name, "datetime", nullable=nullable)


# Parents come before children: this is the order records are inserted on import.
KINDS: tuple[Kind, ...] = (
    Kind(
        "profile",
        N_('The patient and the people to call (one record, id "me").'),
        (
            _id(),
            _s("name", 200),
            _s("provider_name", 200),
            _s("provider_contact", 200),
            _s("monitor_name", 200),
            _s("monitor_phone", 200),
            _s("emergency_contact_name", 200),
            _s("emergency_contact_phone", 200),
            _s("emergency_number", 40),
            _s("crisis_line", 40),
            _dt("updated_at"),
        ),
    ),
    Kind(
        "export_profile",
        N_(
            "Export settings kept in the vault: the provider's age public key and the "
            "patient's identifiers for FHIR (a random id, the clinic's record number, birth "
            "date; one record)."
        ),
        (
            _id(),
            _s("provider_recipient", 200),
            _dt("updated_at"),
            _s("patient_uid", 64, default=""),
            _s("mrn", 64, default=""),
            _s("mrn_system", 200, default=""),
            _s("birth_date", 10, default=""),
        ),
    ),
    Kind(
        "prescription",
        N_("The prescription as the provider gave it, verbatim, with its history."),
        (
            _id(),
            _s("medicine", 200),
            _s("form", 100),
            _s("dose_text", 200),
            _i("hold_minutes"),
            _t("instructions"),
            _b("active"),
            _dt("recorded_at"),
        ),
    ),
    Kind(
        "protocol",
        N_("Installed protocol files, their TOML kept verbatim."),
        (
            _id(),
            _s("name", 200),
            _s("version", 50),
            _t("source_toml"),
            _s("sha256", 64),
            _b("active"),
            _dt("installed_at"),
        ),
    ),
    Kind(
        "planned_session",
        N_("Sessions on the calendar."),
        (
            _id(),
            _dt("planned_at"),
            _i("sequence"),
            _s("status", 20, enum=("planned", "moved", "cancelled", "done")),
            _t("reason"),
            _dt("created_at"),
            _dt("updated_at"),
        ),
    ),
    Kind(
        "session",
        N_("Sessions as they happened: times, intention, mood before and after, recovery."),
        (
            _id(),
            _id("planned_session_id", "planned_session", nullable=True),
            _id("protocol_id", "protocol", nullable=True),
            _id("prescription_id", "prescription", nullable=True),
            _s("status", 20, enum=("in_progress", "completed", "aborted", "interrupted")),
            _dt("started_at"),
            _dt("ended_at", nullable=True),
            _t("abort_reason"),
            _t("intention"),
            _i("mood_before", nullable=True, lo=0, hi=10),
            _i("mood_after", nullable=True, lo=0, hi=10),
            _dt("recovered_at", nullable=True),
        ),
    ),
    Kind(
        "session_event",
        N_("Everything that happened in a session, with its time (detail is a small JSON text)."),
        (_id(), _id("session_id", "session"), _s("kind", 40), _dt("at"), _t("detail")),
    ),
    Kind(
        "checklist_answer",
        N_("The before-session checklist and health questions."),
        (
            _id(),
            _id("session_id", "session"),
            _s("item_id", 80),
            _s("answer", 20),
            _dt("answered_at"),
        ),
    ),
    Kind(
        "vital_reading",
        N_("Blood pressure (mmHg) and pulse (beats per minute)."),
        (
            _id(),
            _id("session_id", "session", nullable=True),
            _s("phase", 20, enum=("before", "after", "other")),
            _dt("taken_at"),
            _i("systolic", nullable=True, lo=40, hi=300),
            _i("diastolic", nullable=True, lo=20, hi=200),
            _i("pulse", nullable=True, lo=20, hi=250),
            _s("classification", 10),
            _b("acknowledged"),
        ),
    ),
    Kind(
        "dose_log",
        N_("The dose as prescribed, copied verbatim when the patient confirmed taking it."),
        (
            _id(),
            _id("session_id", "session"),
            _id("prescription_id", "prescription", nullable=True),
            _s("medicine", 200),
            _s("form", 100),
            _s("dose_text", 200),
            _dt("taken_at"),
            _i("hold_minutes"),
        ),
    ),
    Kind(
        "monitor_checkin",
        N_("The monitor's check-ins during a session."),
        (
            _id(),
            _id("session_id", "session"),
            _dt("at"),
            _b("responsive", nullable=True),  # null: the protocol did not ask this item
            _b("breathing_ok", nullable=True),
            _b("nausea", nullable=True),
            _b("needs_help", nullable=True),
            _t("note"),
        ),
    ),
    Kind(
        "side_effect",
        N_("Side effects noted after a session."),
        (
            _id(),
            _id("session_id", "session", nullable=True),
            _dt("reported_at"),
            _s("effect", 80),
            _s("severity", 10, enum=("mild", "moderate", "severe")),
            _t("note"),
        ),
    ),
    Kind(
        "assessment",
        N_("PHQ-9 and GAD-7 questionnaires: total and context."),
        (
            _id(),
            _s("instrument", 10, enum=("PHQ-9", "GAD-7")),
            _dt("taken_at"),
            _i("total", lo=0, hi=27),
            _id("session_id", "session", nullable=True),
            _s("context", 40),
            _b("safety_flag"),
        ),
    ),
    Kind(
        "assessment_item",
        N_("Each questionnaire answer (0-3), by item number (1 = the first item)."),
        (
            _id("assessment_id", "assessment"),
            _i("item_number", lo=1, hi=9),
            _i("answer", lo=0, hi=3),
        ),
        primary_key=("assessment_id", "item_number"),
    ),
    Kind("tag", N_("Tag names."), (_id(), _s("name", 80))),
    Kind(
        "journal_entry",
        N_("Journal entries: reflections, integration and free entries (body is Markdown)."),
        (
            _id(),
            _id("session_id", "session", nullable=True),
            _s("kind", 20, enum=("reflection", "integration", "free")),
            _s("title", 300),
            _t("body"),
            _i("mood", nullable=True, lo=0, hi=10),
            _i("dissociation_body", nullable=True, lo=0, hi=4),
            _i("dissociation_surroundings", nullable=True, lo=0, hi=4),
            _i("dissociation_time", nullable=True, lo=0, hi=4),
            _b("shared_with_provider"),
            _dt("created_at"),
            _dt("updated_at"),
        ),
    ),
    Kind(
        "journal_answer",
        N_("Answers to guided prompts, in order."),
        (
            _id(),
            _id("entry_id", "journal_entry"),
            _i("position", lo=0),
            _s("prompt_id", 80),
            _t("prompt_text"),
            _t("answer"),
        ),
    ),
    Kind(
        "entry_tag",
        N_("Which entry carries which tag."),
        (_id("entry_id", "journal_entry"), _id("tag_id", "tag")),
        primary_key=("entry_id", "tag_id"),
    ),
    Kind(
        "journal_revision",
        N_("Earlier versions of edited entries (JSON snapshot text)."),
        (_id(), _id("entry_id", "journal_entry"), _dt("saved_at"), _t("snapshot_json")),
    ),
    Kind(
        "draft",
        N_("Autosaved work in progress (JSON text)."),
        (
            _id(),
            _id("entry_id", "journal_entry", nullable=True),
            _id("session_id", "session", nullable=True),
            _s("kind", 20),
            _t("content_json"),
            _dt("updated_at"),
        ),
    ),
)
