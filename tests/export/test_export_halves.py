"""An export is two halves (issue 14): ``read`` takes the records from the vault on the
database worker; ``write`` renders (PDF layout, zip), encrypts and writes the file without the
database, so the window runs it on another thread. Shown here by locking the vault in between:
the second half still writes the whole file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyrage

from companion.domain.export_selection import Selection
from companion.services.container import Services
from companion.services.export import ExportFormat, ExportRequest, Protection
from companion.services.export_service import ExportService
from tests.support.pdftext import page_texts


def test_the_write_half_needs_no_database(filled: Services, tmp_path: Path) -> None:
    whole = filled.export.export(
        ExportRequest(
            Selection.whole_vault(), ExportFormat.CSV, Protection.plaintext(confirmed=True)
        ),
        tmp_path / "at-once.zip",
    )
    request = ExportRequest(
        Selection.whole_vault(), ExportFormat.CSV, Protection.plaintext(confirmed=True)
    )
    read = filled.export.read(request, tmp_path / "in-two.zip")
    filled.vault.lock()  # from here on the vault cannot be read at all
    result = ExportService.write(read)
    assert result.counts == whole.counts and result.counts["journal_entry"] > 0
    with zipfile.ZipFile(result.path) as two, zipfile.ZipFile(whole.path) as one:
        assert sorted(two.namelist()) == sorted(one.namelist())


def test_a_pdf_is_laid_out_and_encrypted_after_the_vault_is_locked(
    filled: Services, tmp_path: Path
) -> None:
    request = ExportRequest(
        Selection.whole_vault(), ExportFormat.PDF, Protection.generated_passphrase()
    )
    read = filled.export.read(request, tmp_path / "report.pdf.age")
    filled.vault.lock()
    result = ExportService.write(read)
    assert result.passphrase
    document = pyrage.passphrase.decrypt(result.path.read_bytes(), result.passphrase)
    assert document.startswith(b"%PDF") and page_texts(document)
