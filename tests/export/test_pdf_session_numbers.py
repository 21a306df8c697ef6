"""The PDF numbers sessions as the app does (issue 13, finding 1): the one rule of
``services.planning.session_numbers``, never a count of the sessions in the export.

A real vault: a session ended early before the dose, a rehearsal (recorded nowhere), a second
try the same day and a session a week later. Whole history or one week, the PDF (read back with
poppler's pdftotext) says the same "Session N" as Home, the Journal and Insights.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from pathlib import Path

from PySide6.QtCore import QLocale

from companion.domain.clock import ManualClock
from companion.domain.export_selection import Part, Selection
from companion.pdf.render import render_pdf
from companion.services.container import Services
from tests.support.pdftext import pdftotext
from tests.support.recorded import vault_with_a_rehearsal_and_an_early_end

# "Session 2 · Tue, Dec 1, 2026, 5:00 PM": the time as the locale writes it (12-hour in English).
HEADING = re.compile(r"Session (\d+) · [^\n]*?, (\d{1,2}:\d{2}(?:\s?[AP]M)?)")


def _pdf_numbers(services: Services, selection: Selection, tmp_path: Path) -> list[tuple[int, str]]:
    report = services.export.preview(selection).report
    data = render_pdf(report, locale=QLocale(QLocale.Language.English))
    text = pdftotext(data, tmp_path).replace("\u202f", " ")
    return [(int(n), at) for n, at in HEADING.findall(text)]


def test_pdf_session_numbers_are_the_apps_with_a_rehearsal_and_an_early_end(
    unlocked_services: Services, manual_clock: ManualClock, tmp_path: Path
) -> None:
    services = unlocked_services
    starts = vault_with_a_rehearsal_and_an_early_end(services, manual_clock)
    shown = services.planning.session_numbers()  # what Home and the Session page count by
    assert sorted(shown.values()) == [1, 2, 3]  # the rehearsal is nobody's number
    expected = sorted((shown[sid], at) for sid, at in starts.items())
    journal = {p.session_id: p.number for p in services.insights.overview().mood.points}
    assert journal == {sid: n for sid, n in shown.items() if n != 1}  # completed ones only

    assert _pdf_numbers(services, Selection(zone=UTC), tmp_path) == expected


def test_pdf_of_a_later_range_keeps_the_apps_numbers(
    unlocked_services: Services, manual_clock: ManualClock, tmp_path: Path
) -> None:
    """A report of the last week alone: its one session is "Session 3", not "Session 1"."""
    services = unlocked_services
    starts = vault_with_a_rehearsal_and_an_early_end(services, manual_clock)
    shown = services.planning.session_numbers()
    last = max(starts, key=lambda sid: shown[sid])
    week = manual_clock.now().astimezone(UTC).date()
    selection = Selection(start=week - timedelta(days=1), end=week, zone=UTC)
    assert _pdf_numbers(services, selection, tmp_path) == [(3, starts[last])]
    # The early end and the second try, on their own day: still 1 and 2.
    first_day = week - timedelta(days=7)
    early = Selection(start=first_day, end=first_day, zone=UTC, parts=frozenset({Part.SESSIONS}))
    assert [n for n, _at in _pdf_numbers(services, early, tmp_path)] == [1, 2]
