"""Exports for the provider: what is included, the preview, each format, encryption."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pyrage
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pyrage import x25519

from companion.domain.export_selection import EntryChoice, Part, Selection
from companion.domain.scales import GAD7, PHQ9
from companion.errors import CompanionError, InvalidInputError
from companion.export import age
from companion.export.progress import CancelledError, CancelToken
from companion.services.container import Services
from companion.services.export import (
    ExportFormat,
    ExportRequest,
    PdfUnavailableError,
    PlaintextNotConfirmedError,
    Protection,
    render,
)
from tests.support.export import CANARY, PRIVATE_TITLE, SHARED_TEXT, SHARED_TITLE, export_bytes
from tests.support.pdftext import page_texts, squash


def _entry_titles(document: dict) -> set[str]:  # type: ignore[type-arg]
    return {e["title"] for e in document["records"]["journal_entry"]}


def test_preview_shows_exactly_what_leaves(filled: Services) -> None:
    preview = filled.export.preview(Selection())
    titles = {e.title for e in preview.report.entries}
    assert SHARED_TITLE in titles and PRIVATE_TITLE not in titles
    assert all(e.shared for e in preview.report.entries)
    assert preview.private_entries == 0
    assert preview.counts["session"] == 6 == len(preview.report.sessions)
    assert preview.counts["journal_entry"] == len(preview.report.entries)
    shared = next(e for e in preview.report.entries if e.title == SHARED_TITLE)
    assert shared.body == SHARED_TEXT  # the full text, as it will be sent
    assert preview.counts["session_event"] == preview.counts["draft"] == 0
    assert preview.report.provider_name == "Dr. Rivera (demo)"


def test_private_entries_never_leave_unless_chosen(filled: Services, tmp_path: Path) -> None:
    for fmt in (ExportFormat.JSON, ExportFormat.CSV):
        data = export_bytes(filled, tmp_path, fmt)
        assert CANARY.encode() not in data
    everything = Selection(entries=EntryChoice.ALL)
    assert CANARY.encode() in export_bytes(filled, tmp_path, selection=everything, name="all")
    preview = filled.export.preview(everything)
    assert preview.private_entries > 0


def test_picked_entries_and_parts(filled: Services, tmp_path: Path) -> None:
    entry_id = next(
        e.id
        for e in filled.export.preview(Selection(entries=EntryChoice.ALL)).report.entries
        if e.title == PRIVATE_TITLE
    )
    picked = Selection(
        parts=frozenset({Part.ENTRIES}), entries=EntryChoice.PICKED, picked=frozenset({entry_id})
    )
    document = json.loads(export_bytes(filled, tmp_path, selection=picked))
    assert _entry_titles(document) == {PRIVATE_TITLE}
    assert document["records"]["session"] == [] == document["records"]["vital_reading"]
    assert [t["name"] for t in document["records"]["tag"]] == ["private"]
    assert document["scope"]["entries"] == "picked"


def test_date_range_limits_every_kind(filled: Services, tmp_path: Path) -> None:
    full = json.loads(export_bytes(filled, tmp_path, name="full"))
    days = sorted(s["started_at"][:10] for s in full["records"]["session"])
    first, last = date.fromisoformat(days[1]), date.fromisoformat(days[-2])
    part = json.loads(
        export_bytes(filled, tmp_path, selection=Selection(start=first, end=last), name="part")
    )
    got = sorted(s["started_at"][:10] for s in part["records"]["session"])
    assert got == days[1:-1]
    session_ids = {s["id"] for s in part["records"]["session"]}
    for kind in ("dose_log", "monitor_checkin"):
        assert {r["session_id"] for r in part["records"][kind]} <= session_ids
    for kind, field in (("vital_reading", "taken_at"), ("assessment", "taken_at")):
        assert all(first.isoformat() <= r[field][:10] for r in part["records"][kind])
        assert all(r["session_id"] in session_ids | {None} for r in part["records"][kind])


def test_selection_problems_are_refused(filled: Services, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        filled.export.preview(Selection(parts=frozenset()))


def test_encrypted_by_default_with_a_generated_passphrase(filled: Services, tmp_path: Path) -> None:
    out = tmp_path / "report.json.age"
    result = filled.export.export(ExportRequest(Selection(), ExportFormat.JSON), out)
    assert result.encrypted and result.passphrase and len(result.passphrase) >= 30
    data = out.read_bytes()
    assert data.startswith(age.MAGIC) and b"\n-> scrypt " in data  # standard age passphrase
    assert SHARED_TEXT.encode() not in data
    # (decrypting it with the passphrase is tested in test_import: scrypt takes seconds)


def test_provider_public_key_from_the_profile(filled: Services, tmp_path: Path) -> None:
    identity = x25519.Identity.generate()
    with pytest.raises(age.InvalidRecipientError):
        filled.export.set_provider_recipient("age1notakey")
    filled.export.set_provider_recipient(str(identity.to_public()))
    saved = filled.export.provider_recipient()
    assert saved == str(identity.to_public())
    out = tmp_path / "report.csv.zip.age"
    result = filled.export.export(
        ExportRequest(Selection(), ExportFormat.CSV, Protection.to_recipient(saved)), out
    )
    assert result.passphrase is None and result.recipient == saved
    archive = zipfile.ZipFile(io.BytesIO(pyrage.decrypt(out.read_bytes(), [identity])))
    assert "session.csv" in archive.namelist()
    filled.export.set_provider_recipient(None)
    assert filled.export.provider_recipient() is None


def test_plaintext_needs_an_explicit_confirmation(filled: Services, tmp_path: Path) -> None:
    out = tmp_path / "plain.json"
    with pytest.raises(PlaintextNotConfirmedError):
        filled.export.export(
            ExportRequest(Selection(), ExportFormat.JSON, Protection.plaintext(confirmed=False)),
            out,
        )
    assert not out.exists()


def test_csv_zip_has_one_file_per_kind(filled: Services, tmp_path: Path) -> None:
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(filled, tmp_path, ExportFormat.CSV)))
    names = set(archive.namelist())
    assert {"README.txt", "session.csv", "vital_reading.csv", "assessment.csv"} <= names
    rows = list(csv.DictReader(io.StringIO(archive.read("session.csv").decode("utf-8-sig"))))
    assert len(rows) == 6 and rows[0]["started_at"].endswith("Z")
    entries = archive.read("journal_entry.csv").decode("utf-8-sig")
    assert SHARED_TITLE in entries and PRIVATE_TITLE not in entries


def code_of(concept: CodeableConcept | None) -> str | None:
    """The first coding's code of a FHIR concept (every one Companion writes has one)."""
    assert concept is not None and concept.coding
    return concept.coding[0].code


def test_fhir_bundle_validates_as_r4(filled: Services, tmp_path: Path, qapp: object) -> None:
    data = json.loads(export_bytes(filled, tmp_path, ExportFormat.FHIR))
    bundle = Bundle.model_validate(data)
    assert bundle.type == "transaction"  # the default: for sending to a FHIR server
    resources = [e.resource for e in bundle.entry or []]
    kinds = [type(r).__name__ for r in resources]
    assert kinds.count("Patient") == 1 and kinds.count("DocumentReference") == 1
    responses = [r for r in resources if isinstance(r, QuestionnaireResponse)]
    assert responses
    panels = {r.questionnaire for r in responses}
    assert panels <= {
        f"http://loinc.org/q/{PHQ9.loinc_panel}",
        f"http://loinc.org/q/{GAD7.loinc_panel}",
    }
    phq = next(r for r in responses if (r.questionnaire or "").endswith(PHQ9.loinc_panel))
    assert phq.item
    item_codes = [i.linkId for i in phq.item]
    assert item_codes[:9] == [item.loinc for item in PHQ9.items]
    answer = phq.item[0].answer
    assert answer and answer[0].valueCoding is not None
    assert answer[0].valueCoding.system == "http://loinc.org"
    observations = [r for r in resources if isinstance(r, Observation)]
    codes = {code_of(o.code) for o in observations}
    assert {"44261-6", "70274-6", "85354-9", "8867-4"} <= codes
    totals = [o for o in observations if code_of(o.code) in ("44261-6", "70274-6")]
    assert all(o.category and code_of(o.category[0]) == "survey" for o in totals)
    bp = next(o for o in observations if code_of(o.code) == "85354-9")
    assert bp.component
    assert [code_of(c.code) for c in bp.component] == ["8480-6", "8462-4"]
    quantity = bp.component[0].valueQuantity
    assert quantity is not None and quantity.code == "mm[Hg]"
    document = next(r for r in resources if isinstance(r, DocumentReference))
    pdf = document.content[0].attachment.data
    assert pdf is not None and (pdf.startswith(b"%PDF") or pdf.startswith(b"JVBER"))
    # stable ids: the same data gives the same resources
    again = json.loads(export_bytes(filled, tmp_path, ExportFormat.FHIR, name="again"))
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in data["entry"]]


def test_pdf_has_the_cover_summary_sessions_and_shared_text(
    filled: Services, tmp_path: Path, qapp: object
) -> None:
    data = export_bytes(filled, tmp_path, ExportFormat.PDF)
    assert data.startswith(b"%PDF-")
    pages = page_texts(data)
    assert len(pages) >= 5
    cover = squash(pages[0])
    for expected in ("PATIENTREPORT", "SamDemo", "Dr.Rivera(demo)", "Period", "Generated"):
        assert expected in cover, expected
    assert squash("Page 1 of") in cover
    everything = squash(" ".join(pages))
    assert squash("Sessions done:") in everything and squash("PHQ-9 item 9") in everything
    assert squash("Session 1 ·") in everything and squash("Dose as logged") in everything
    assert squash(SHARED_TEXT) in everything
    assert squash(CANARY) not in everything and squash(PRIVATE_TITLE) not in everything
    assert squash(f"Page {len(pages)} of {len(pages)}") in squash(pages[-1])


def test_without_an_injected_renderer_a_pdf_is_refused(filled: Services) -> None:
    """The services never import Qt: the PDF renderer comes from the composition root, and a
    set of services built without one refuses PDF and FHIR (which embeds the PDF) cleanly."""
    data = filled.export.collect(Selection())
    for fmt in (ExportFormat.PDF, ExportFormat.FHIR):
        with pytest.raises(PdfUnavailableError):
            render(data, fmt)
    assert render(data, ExportFormat.JSON).startswith(b"{")


def test_progress_and_cancel(filled: Services, tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    out = tmp_path / "p.json"
    filled.export.export(
        ExportRequest(Selection(), ExportFormat.JSON, Protection.plaintext(confirmed=True)),
        out,
        progress=lambda f, stage: seen.append((f, stage)),
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    token = CancelToken()

    def cancel_when_rendering(_fraction: float, stage: str) -> None:
        if stage == "render":
            token.cancel()

    with pytest.raises(CancelledError):
        filled.export.export(
            ExportRequest(Selection(), ExportFormat.JSON),
            tmp_path / "c.json",
            cancel_when_rendering,
            token,
        )
    assert not (tmp_path / "c.json").exists()
    assert isinstance(CancelledError(), CompanionError)
