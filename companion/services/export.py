"""What an export is: its formats, protection, request, the records read for it, the preview
and the result, and ``render``, which turns the records into one format's bytes.

The flow that reads and writes them is ``export_service.ExportService``; reading the records a
selection includes is ``export_records``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any

from companion import __version__
from companion.domain.export_selection import Selection
from companion.domain.localtime import local_zone
from companion.domain.profile import PatientIdentity
from companion.errors import CompanionError
from companion.export import csvzip, jsondoc, markdown
from companion.export.progress import Progress
from companion.export.report import Report, build_report
from companion.i18n import N_

GENERATOR = f"companion {__version__}"


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


def default_zone() -> tzinfo:
    """The local zone, named, so date ranges follow DST (companion.domain.localtime)."""
    return local_zone()
