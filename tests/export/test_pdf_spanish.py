"""The PDF report in Spanish: a real vault's report, rendered with the language set to Spanish
and read back with poppler's pdftotext, holds no English word from the message catalogue, and
its dates are Spanish."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

from babel.messages.pofile import read_po
from PySide6.QtCore import QLocale

from companion import i18n
from companion.domain.clock import ManualClock
from companion.domain.export_selection import Selection
from companion.pdf.render import render_pdf
from companion.services.container import Services
from tests.support.pdftext import pdftotext
from tests.support.recorded import vault_with_a_rehearsal_and_an_early_end
from tests.support.services import DOSE_TEXT

WORD = re.compile(r"[A-Za-zÀ-ÿ]{4,}")
# Names and codes that are the same in both languages.
SAME = {"Companion", "mmHg", "Spitzer", "Williams", "Kroenke", "Markdown", "JSON", "FHIR"}


def _english_only_words() -> set[str]:
    """Words of the catalogue's English messages that none of its Spanish ones uses."""
    with i18n.catalogue_path("es").open("rb") as handle:
        catalogue = read_po(handle, locale="es")
    english: set[str] = set()
    spanish: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        for text in _texts(message.id):
            english.update(WORD.findall(re.sub(r"\{[^}]*\}|<[^>]*>", " ", text)))
        for text in _texts(message.string):
            spanish.update(WORD.findall(re.sub(r"\{[^}]*\}|<[^>]*>", " ", text)))
    return english - spanish - SAME


def _texts(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """A message's text, or its singular and plural forms, as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def test_spanish_pdf_has_no_english_words_from_the_catalogue(
    unlocked_services: Services, manual_clock: ManualClock, tmp_path: Path
) -> None:
    services = unlocked_services
    vault_with_a_rehearsal_and_an_early_end(services, manual_clock)
    i18n.set_language("es")
    report = services.export.preview(Selection(zone=UTC)).report
    data = render_pdf(report, locale=QLocale(QLocale.Language.Spanish, QLocale.Country.Spain))
    text = pdftotext(data, tmp_path)
    # The dose is printed verbatim, as the provider wrote it: the patient's data, not ours.
    found = set(WORD.findall(text)) - set(WORD.findall(DOSE_TEXT)) & _english_only_words()
    assert not found, sorted(found)
    assert "Sesión 1" in text and "Resumen" in text and "Página 1 de" in text
    month = i18n.format_skeleton(manual_clock.now(), "MMM")  # e.g. "dic"
    assert month in text


def test_english_pdf_still_reads_in_english(
    unlocked_services: Services, manual_clock: ManualClock, tmp_path: Path
) -> None:
    services = unlocked_services
    vault_with_a_rehearsal_and_an_early_end(services, manual_clock)
    report = services.export.preview(Selection(zone=UTC)).report
    data = render_pdf(report, locale=QLocale(QLocale.Language.English))
    text = pdftotext(data, tmp_path)
    assert "Session 1" in text and "Summary" in text and "Página" not in text
