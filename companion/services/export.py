"""Export for the provider (PDF, FHIR, CSV, JSON) and of the whole vault (JSON), encrypted.

The flow the Export page and ``companion-cli export`` share:

1. ``preview(selection)`` reads exactly the records that would leave and returns them as plain
   values (counts, the session table, the full text of each entry) before anything is written.
2. ``export(request, out)`` reads them again, renders the format, wraps the bytes with age
   (a generated passphrase, returned once, or the provider's public key) unless the patient
   confirmed a plaintext file, and writes the result atomically: a temp file in the target
   folder, fsync, rename. An interrupted export leaves no file or the previous one.

``export`` is ``read`` (database worker) then ``write`` (no database), and may take a progress
callback and a ``CancelToken``. Nothing here logs more than event names.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from companion import __version__
from companion.domain.export_selection import EntryChoice, Part, Selection
from companion.domain.localtime import local_zone
from companion.domain.profile import PatientIdentity, validate_identity
from companion.domain.scales import GAD7, PHQ9
from companion.errors import CompanionError, InvalidInputError
from companion.export import age, csvzip, jsondoc, markdown
from companion.export.progress import CancelToken, Progress, ProgressFn
from companion.export.report import Report, build_report
from companion.export.tables import KINDS
from companion.fsutil import atomic_write
from companion.i18n import N_, Text
from companion.services.journal import JournalService
from companion.services.planning import session_numbers
from companion.services.protocols import ProtocolService
from companion.services.vault import VaultService
from companion.storage import models_export
from companion.storage.models import Base

log = logging.getLogger(__name__)

GENERATOR = f"companion {__version__}"
PROVIDER_PROFILE_FIELDS = ("id", "name", "provider_name", "provider_contact", "updated_at")
_CHUNK = 500


class ExportFormat(StrEnum):
    PDF = "pdf"
    FHIR = "fhir"
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "markdown"

    @property
    def extension(self) -> str:
        return {
            "pdf": ".pdf",
            "fhir": ".fhir.json",
            "csv": ".csv.zip",
            "json": ".json",
            "markdown": ".md.zip",
        }[self.value]


PdfRenderer = Callable[[Report, Callable[[], None]], bytes]
"""Lays a report out as PDF bytes. Qt's PDF engine does it (``companion.pdf.QtPdfRenderer``);
the composition root passes it in, so nothing here imports Qt."""


class PdfUnavailableError(CompanionError):
    message = N_("This copy of Companion cannot make PDF reports. Nothing was written.")
    nothing_written = True


class PlaintextNotConfirmedError(CompanionError):
    message = N_(
        "A plaintext export needs your explicit confirmation that the file will not be "
        "encrypted. Nothing was written."
    )
    nothing_written = True


class ExportFolderError(CompanionError):
    message = N_(
        "The folder for the export does not exist. Choose another place; nothing was written."
    )
    nothing_written = True


@dataclass(frozen=True, slots=True)
class Protection:
    """How the file is protected: ``passphrase`` (generated when None), ``recipient`` (an age
    public key) or ``plaintext`` (only with ``confirmed=True``)."""

    mode: str = "passphrase"
    passphrase: str | None = None
    recipient: str | None = None
    confirmed: bool = False

    @classmethod
    def generated_passphrase(cls) -> Protection:
        return cls("passphrase")

    @classmethod
    def to_recipient(cls, recipient: str) -> Protection:
        return cls("recipient", recipient=recipient)

    @classmethod
    def plaintext(cls, *, confirmed: bool) -> Protection:
        return cls("plaintext", confirmed=confirmed)

    @property
    def encrypted(self) -> bool:
        return self.mode != "plaintext"


class FhirBundle(StrEnum):
    """``transaction``: for sending to a FHIR server (each entry says how to file it, and
    sending twice creates nothing twice). ``collection``: a plain set of resources."""

    TRANSACTION = "transaction"
    COLLECTION = "collection"


@dataclass(frozen=True, slots=True)
class ExportRequest:
    selection: Selection
    format: ExportFormat
    protection: Protection = field(default_factory=Protection)
    fhir_bundle: FhirBundle = FhirBundle.TRANSACTION


@dataclass(frozen=True, slots=True)
class ExportData:
    """The records that leave, as read from the vault: the input of every writer."""

    selection: Selection
    records: Mapping[str, Sequence[Mapping[str, Any]]]
    exported_at: datetime
    effect_names: Mapping[str, str]
    baselines: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    identity: PatientIdentity = field(default_factory=lambda: PatientIdentity(uid=""))
    session_numbers: Mapping[str, int] = field(default_factory=dict)  # the app's numbers

    @property
    def counts(self) -> dict[str, int]:
        return jsondoc.count_records(self.records)

    def report(self) -> Report:
        s = self.selection
        return build_report(
            self.records,
            generated_at=self.exported_at,
            zone=s.zone,
            range_from=None if s.complete else s.start,
            range_to=None if s.complete else s.end,
            parts=sorted(str(p) for p in s.parts),
            effect_names=self.effect_names,
            baselines=self.baselines,
            session_numbers=self.session_numbers,
        )


@dataclass(frozen=True, slots=True)
class Preview:
    """Exactly what will leave the device, before anything is written."""

    selection: Selection
    counts: dict[str, int]  # records per kind (tables.KINDS names)
    report: Report  # the session table, scores, vitals, side effects, entries (full text)
    private_entries: int  # entries included that are NOT marked "share with provider"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def is_empty(self) -> bool:
        return self.total == 0 or self.total == self.counts.get("profile", 0)


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    format: ExportFormat
    size: int
    encrypted: bool
    passphrase: str | None  # the generated passphrase: show it once, never store it
    recipient: str | None
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True, slots=True)
class ReadForExport:
    """What ``ExportService.read`` took from the vault for one export: everything
    ``ExportService.write`` needs to render, encrypt and write it without the database."""

    request: ExportRequest
    out: Path
    data: ExportData
    steps: Progress
    started: float
    pdf: PdfRenderer | None


@dataclass(frozen=True, slots=True)
class FolderResult:
    folder: Path
    files: int
    seconds: float


class ExportService:
    def __init__(
        self,
        vault: VaultService,
        now: Callable[[], datetime],
        protocols: ProtocolService,
        journal: JournalService,
        pdf: PdfRenderer | None = None,
    ) -> None:
        self._vault = vault
        self._now = now
        self._protocols = protocols
        self._journal = journal
        self._pdf = pdf

    # --- the provider's public key ------------------------------------------------------------
    def provider_recipient(self) -> str | None:
        with self._vault.unit_of_work() as db:
            _ensure_table(db.connection())
            row = db.get(models_export.ExportProfileRow, "me")
            return row.provider_recipient if row is not None and row.provider_recipient else None

    def set_provider_recipient(self, recipient: str | None) -> None:
        """Saves (or with None/"" clears) the provider's age public key, after checking it."""
        cleaned = (recipient or "").strip()
        if cleaned:
            age.parse_recipient(cleaned)
        with self._vault.unit_of_work() as db:
            _ensure_table(db.connection())
            row = db.get(models_export.ExportProfileRow, "me")
            if row is None:
                row = models_export.ExportProfileRow(id="me", updated_at=self._now())
                db.add(row)
            row.provider_recipient = cleaned
            row.updated_at = self._now()
        log.info("export.recipient_saved")

    # --- the patient's identifiers for FHIR ---------------------------------------------------
    def patient_identity(self) -> PatientIdentity:
        """The vault's identifiers; the random one is made (and kept) on first use."""
        with self._vault.unit_of_work() as db:
            _ensure_table(db.connection())
            return self._identity_in(db)

    def _identity_in(self, db: Session, create: bool = True) -> PatientIdentity:
        row = db.get(models_export.ExportProfileRow, "me")
        if not create:  # reading only (a preview never writes)
            if row is None:
                return PatientIdentity(uid="")
            return PatientIdentity(row.patient_uid, row.mrn, row.mrn_system, row.birth_date)
        if row is None:
            row = models_export.ExportProfileRow(id="me", updated_at=self._now())
            db.add(row)
        if not row.patient_uid:
            row.patient_uid = str(uuid.uuid4())
            row.updated_at = self._now()
        return PatientIdentity(
            uid=row.patient_uid,
            mrn=row.mrn or "",
            mrn_system=row.mrn_system or "",
            birth_date=row.birth_date or "",
        )

    def set_patient_identity(
        self, *, mrn: str = "", mrn_system: str = "", birth_date: str = ""
    ) -> PatientIdentity:
        """Saves the clinic's record number (with its system) and the birth date; empty
        values clear them. The random identifier never changes."""
        today = self._now().date()
        problems = validate_identity(mrn, mrn_system, birth_date, today)
        if problems:
            raise InvalidInputError(problems=problems)
        born = date.fromisoformat(birth_date.strip()).isoformat() if birth_date.strip() else ""
        with self._vault.unit_of_work() as db:
            _ensure_table(db.connection())
            self._identity_in(db)
            row = db.get(models_export.ExportProfileRow, "me")
            assert row is not None
            row.mrn = mrn.strip()
            row.mrn_system = mrn_system.strip() if mrn.strip() else ""
            row.birth_date = born
            row.updated_at = self._now()
            identity = PatientIdentity(row.patient_uid, row.mrn, row.mrn_system, row.birth_date)
        log.info("export.identity_saved")
        return identity

    # --- reading ------------------------------------------------------------------------------
    def collect(
        self,
        selection: Selection,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ExportData:
        problems = selection.problems()
        if problems:
            raise InvalidInputError(problems=problems)
        steps = Progress(progress, cancel)
        self._journal.ensure_index()
        with self._vault.unit_of_work() as db:
            connection = db.connection()
            _ensure_table(connection)
            protocol = self._protocols.current_in(db).protocol
            names = {e.id: e.name for e in protocol.side_effects}
            records = read_records(connection, selection, steps)
            baselines = read_baselines(connection) if selection.wants(Part.QUESTIONNAIRES) else {}
            identity = self._identity_in(db, create=False)
            numbers = session_numbers(db, self._now())  # the whole vault's, not the range's
        return ExportData(selection, records, self._now(), names, baselines, identity, numbers)

    def preview(
        self,
        selection: Selection,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> Preview:
        data = self.collect(selection, progress, cancel)
        private = sum(
            1 for e in data.records.get("journal_entry", ()) if not e["shared_with_provider"]
        )
        log.info("export.previewed")
        return Preview(selection, data.counts, data.report(), private)

    # --- writing ------------------------------------------------------------------------------
    def export(
        self,
        request: ExportRequest,
        out: Path,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ExportResult:
        """Reads (the database) and writes (no database) in one call, as the CLI wants it."""
        return self.write(self.read(request, out, progress, cancel))

    def read(
        self,
        request: ExportRequest,
        out: Path,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ReadForExport:
        """Checks the request and reads its records (on the database worker): the first half
        of ``export``, up to the progress bar's middle."""
        started = time.perf_counter()
        protection = request.protection
        if protection.mode == "plaintext" and not protection.confirmed:
            raise PlaintextNotConfirmedError()
        if protection.mode == "recipient":
            age.parse_recipient(protection.recipient or "")
        elif protection.mode not in ("passphrase", "plaintext"):
            raise InvalidInputError(
                problems={"protection": Text(N_("Unknown kind of protection."))}
            )
        out = Path(out)
        if not out.parent.is_dir():
            raise ExportFolderError()
        steps = Progress(progress, cancel)

        def read_progress(fraction: float, stage: str) -> None:
            steps.step(0.5 * fraction, stage)

        if request.format is ExportFormat.FHIR:
            self.patient_identity()  # the random identifier exists before it is read
        data = self.collect(request.selection, read_progress, steps.token)
        return ReadForExport(request, out, data, steps, started, self._pdf)

    @staticmethod
    def write(read: ReadForExport) -> ExportResult:
        """Renders (PDF layout, zip), encrypts and writes what ``read`` returned: no database,
        so the UI runs it on its second executor and a session event never waits behind it."""
        request, out, data, steps = read.request, read.out, read.data, read.steps
        started = read.started
        protection = request.protection
        steps.step(0.5, "render")
        payload = render(data, request.format, steps, request.fhir_bundle, read.pdf)
        steps.step(0.85, "encrypt")
        passphrase: str | None = None
        if protection.mode == "passphrase":
            passphrase = protection.passphrase or age.generate_passphrase()
            payload = age.encrypt_with_passphrase(payload, passphrase)
        elif protection.mode == "recipient":
            payload = age.encrypt_to_recipients(payload, [protection.recipient or ""])
        steps.step(0.95, "write")
        atomic_write(out, payload)
        steps.step(1.0, "done")
        log.info("export.written")
        return ExportResult(
            path=out,
            format=request.format,
            size=len(payload),
            encrypted=protection.encrypted,
            passphrase=passphrase if protection.passphrase is None else None,
            recipient=protection.recipient if protection.mode == "recipient" else None,
            counts=data.counts,
            seconds=time.perf_counter() - started,
        )

    def export_markdown_folder(self, selection: Selection, folder: Path) -> FolderResult:
        """Journal entries as plain Markdown files in ``folder`` (created if missing, inside an
        existing parent), each written atomically with mode 600. Not encrypted: the caller has
        the person's explicit choice of a plaintext copy."""
        started = time.perf_counter()
        folder = Path(folder)
        if not folder.parent.is_dir():
            raise ExportFolderError()
        data = self.collect(selection)
        files = markdown.entry_files(data.records, selection.zone)
        folder.mkdir(mode=0o700, exist_ok=True)
        for name, text in files:
            atomic_write(folder / name, text.encode("utf-8"))
        log.info("export.markdown_folder_written")
        return FolderResult(folder, len(files), time.perf_counter() - started)


def render(
    data: ExportData,
    fmt: ExportFormat,
    steps: Progress | None = None,
    fhir_bundle: FhirBundle = FhirBundle.TRANSACTION,
    pdf: PdfRenderer | None = None,
) -> bytes:
    """The plaintext bytes of one format (in memory only). Pure: callable on any thread.
    PDF and FHIR (which embeds the PDF) need ``pdf``, the renderer the composition root gave."""
    steps = steps or Progress()
    scope = data.selection.describe()
    if fmt is ExportFormat.JSON:
        return jsondoc.dumps(data.records, scope, data.exported_at, GENERATOR, steps.check)
    if fmt is ExportFormat.CSV:
        return csvzip.build(data.records, scope, data.exported_at, GENERATOR, steps.check)
    if fmt is ExportFormat.MARKDOWN:
        return markdown.build_zip(data.records, data.selection.zone, data.exported_at, steps.check)
    if pdf is None:
        raise PdfUnavailableError()
    report = data.report()
    document = pdf(report, steps.check)
    if fmt is ExportFormat.PDF:
        return document
    from companion.export import fhir

    steps.step(0.75, "fhir")
    return fhir.dumps(
        fhir.build_bundle(report, document, data.identity, bundle_type=fhir_bundle.value)
    )


# --------------------------------------------------------------------------------------------
# Reading the records a selection includes


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def _ensure_table(connection: Connection) -> None:
    """A vault created before the export table existed gets it (cheap when present)."""
    models_export.ExportProfileRow.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]


def _rows(connection: Connection, statement: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in connection.execute(statement)]


def _in_chunks(
    connection: Connection, tbl: Table, column: str, ids: Sequence[str]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        found.extend(_rows(connection, select(tbl).where(tbl.c[column].in_(chunk))))
    return found


def _in_range(tbl: Table, column: str, selection: Selection) -> Any:
    low, high = selection.bounds()
    statement = select(tbl)
    if low is not None:
        statement = statement.where(tbl.c[column] >= low)
    if high is not None:
        statement = statement.where(tbl.c[column] < high)
    return statement


def read_records(
    connection: Connection, selection: Selection, steps: Progress | None = None
) -> dict[str, list[dict[str, Any]]]:
    steps = steps or Progress()
    records: dict[str, list[dict[str, Any]]] = {k.name: [] for k in KINDS}
    if selection.complete:
        for index, kind in enumerate(KINDS):
            steps.step(index / len(KINDS), "read")
            records[kind.name] = _rows(connection, select(table(kind.name)))
        steps.step(1.0, "read")
        return records

    profile = _rows(connection, select(table("profile")))
    records["profile"] = [
        {k: (v if k in PROVIDER_PROFILE_FIELDS else "") for k, v in p.items()} for p in profile
    ]
    steps.step(0.1, "read")
    session_ids: set[str] = set()
    if selection.wants(Part.SESSIONS):
        sessions = _rows(connection, _in_range(table("session"), "started_at", selection))
        for s in sessions:
            s["planned_session_id"] = s["protocol_id"] = s["prescription_id"] = None
        records["session"] = sessions
        session_ids = {s["id"] for s in sessions}
        ids = sorted(session_ids)
        for child in ("dose_log", "monitor_checkin", "side_effect"):
            records[child] = _in_chunks(connection, table(child), "session_id", ids)
        for dose in records["dose_log"]:
            dose["prescription_id"] = None
        side = table("side_effect")
        loose = _rows(
            connection,
            _in_range(side, "reported_at", selection).where(side.c.session_id.is_(None)),
        )
        records["side_effect"].extend(loose)
    steps.step(0.3, "read")
    if selection.wants(Part.VITALS):
        vitals = _rows(connection, _in_range(table("vital_reading"), "taken_at", selection))
        for v in vitals:
            if v["session_id"] not in session_ids:
                v["session_id"] = None
        records["vital_reading"] = vitals
    steps.step(0.4, "read")
    if selection.wants(Part.QUESTIONNAIRES):
        assessments = _rows(connection, _in_range(table("assessment"), "taken_at", selection))
        for a in assessments:
            if a["session_id"] not in session_ids:
                a["session_id"] = None
        records["assessment"] = assessments
        records["assessment_item"] = _in_chunks(
            connection, table("assessment_item"), "assessment_id", [a["id"] for a in assessments]
        )
    steps.step(0.5, "read")
    if selection.wants(Part.ENTRIES) and selection.entries is not EntryChoice.NONE:
        _read_entries(connection, selection, records, session_ids)
    steps.step(1.0, "read")
    return records


TREATMENT_STATUSES = ("completed", "in_progress", "interrupted")


def read_baselines(connection: Connection) -> dict[str, dict[str, Any]]:
    """Per questionnaire, its baseline from the WHOLE history, whatever dates were chosen: the
    last score at or before the first session (as the Insights page counts it), else the
    first score. With its item answers (``answers``, in item order)."""
    sessions = table("session")
    first_session_at = connection.execute(
        select(sessions.c.started_at)
        .where(sessions.c.status.in_(TREATMENT_STATUSES))
        .order_by(sessions.c.started_at)
        .limit(1)
    ).scalar()
    assessments = table("assessment")
    items = table("assessment_item")
    found: dict[str, dict[str, Any]] = {}
    for scale in (PHQ9, GAD7):
        rows = _rows(
            connection,
            select(assessments)
            .where(assessments.c.instrument == scale.name)
            .order_by(assessments.c.taken_at, assessments.c.id),
        )
        if not rows:
            continue
        chosen = rows[0]
        if first_session_at is not None:
            before = [r for r in rows if r["taken_at"] <= first_session_at]
            chosen = before[-1] if before else chosen
        answers = _rows(
            connection,
            select(items)
            .where(items.c.assessment_id == chosen["id"])
            .order_by(items.c.item_number),
        )
        found[scale.name] = {**chosen, "answers": tuple(a["answer"] for a in answers)}
    return found


def _read_entries(
    connection: Connection,
    selection: Selection,
    records: dict[str, list[dict[str, Any]]],
    session_ids: set[str],
) -> None:
    entries_table = table("journal_entry")
    if selection.entries is EntryChoice.PICKED:
        candidates = _in_chunks(connection, entries_table, "id", sorted(selection.picked))
    else:
        statement = _in_range(entries_table, "created_at", selection)
        if selection.entries is EntryChoice.SHARED:
            statement = statement.where(entries_table.c.shared_with_provider.is_(True))
        candidates = _rows(connection, statement)
    entries = [
        e
        for e in candidates
        if selection.includes_entry(e["id"], bool(e["shared_with_provider"]), e["created_at"])
    ]
    for e in entries:
        if e["session_id"] not in session_ids:
            e["session_id"] = None
    ids = [e["id"] for e in entries]
    records["journal_entry"] = entries
    records["journal_answer"] = _in_chunks(connection, table("journal_answer"), "entry_id", ids)
    links = _in_chunks(connection, table("entry_tag"), "entry_id", ids)
    records["entry_tag"] = links
    records["tag"] = _in_chunks(
        connection, table("tag"), "id", sorted({link["tag_id"] for link in links})
    )


def default_zone() -> tzinfo:
    """The local zone, named, so date ranges follow DST (companion.domain.localtime)."""
    return local_zone()
