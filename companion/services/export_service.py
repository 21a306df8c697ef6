"""Export for the provider (PDF, FHIR, CSV, JSON) and of the whole vault (JSON), encrypted.

The service; what an export is (formats, request, result) is ``companion.services.export``.

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
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from companion.domain.export_selection import Part, Selection
from companion.domain.profile import PatientIdentity, validate_identity
from companion.errors import InvalidInputError
from companion.export import age, markdown
from companion.export.progress import CancelToken, Progress, ProgressFn
from companion.fsutil import atomic_write
from companion.i18n import N_, Text
from companion.services.export import (
    ExportData,
    ExportFolderError,
    ExportFormat,
    ExportRequest,
    ExportResult,
    FolderResult,
    PdfRenderer,
    PlaintextNotConfirmedError,
    Preview,
    ReadForExport,
    render,
)
from companion.services.export_records import read_baselines, read_records
from companion.services.journal import JournalService
from companion.services.planning import session_numbers
from companion.services.protocols import ProtocolService
from companion.services.vault import VaultService
from companion.storage import models_export

log = logging.getLogger(__name__)


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


def _ensure_table(connection: Connection) -> None:
    """A vault created before the export table existed gets it (cheap when present)."""
    models_export.ExportProfileRow.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]
