"""What the first step of an export offers: the date presets, the parts, the journal entries,
the formats and the protections; the words for a date range; and one choice's row (its button,
its wrapped words and the explanation under them)."""

from __future__ import annotations

import calendar
from datetime import date, tzinfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from companion.domain import localtime
from companion.domain.export_selection import EntryChoice, Part
from companion.i18n import N_, _, format_skeleton
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import char_width, label

# (words, months back; 0 = everything, -1 = dates of one's own)
PRESETS = (
    (N_("The last month"), 1),
    (N_("The last 3 months"), 3),
    (N_("The last year"), 12),
    (N_("Everything"), 0),
    (N_("Dates I choose"), -1),
)
DEFAULT_PRESET = 1
CUSTOM = -1

PARTS = (
    (
        Part.SESSIONS,
        N_("Session summaries"),
        N_("Dose as you logged it, mood, check-ins, side effects."),
    ),
    (Part.VITALS, N_("Blood pressure and pulse"), N_("Readings before and after sessions.")),
    (Part.QUESTIONNAIRES, N_("PHQ-9 and GAD-7 scores"), N_("Questionnaires with each answer.")),
)
ENTRY_CHOICES = (
    (EntryChoice.SHARED, N_("Only entries marked to share"), ""),
    (
        EntryChoice.PICKED,
        N_("Pick entries one by one"),
        N_("Tick each entry to include, private or not."),
    ),
    (EntryChoice.NONE, N_("No journal entries"), ""),
)
FORMATS = (
    (
        "pdf",
        N_("PDF report"),
        N_("Readable and printable: a summary, your sessions, scores and entries."),
    ),
    ("fhir", N_("FHIR bundle"), N_("For clinics whose record systems import FHIR (R4).")),
    ("csv", N_("Spreadsheets (CSV)"), N_("One table per kind of record, in a zip file.")),
    ("json", N_("JSON"), N_("Companion's complete format; another Companion can import it.")),
    (
        "markdown",
        N_("Journal as Markdown files"),
        N_("Your entries as plain text files, one per entry, in a zip. Other apps can read them."),
    ),
)
FORMAT_NAMES = {value: text for value, text, _hint in FORMATS}
PASSPHRASE, RECIPIENT, PLAINTEXT = "passphrase", "recipient", "plaintext"
PROTECTIONS = (
    (
        PASSPHRASE,
        N_("Encrypt with a new passphrase"),
        N_(
            "Recommended. Companion makes a passphrase and shows it once, after saving. Give it to "
            "your provider separately, for example by phone."
        ),
    ),
    (
        RECIPIENT,
        N_("Encrypt for my provider's key"),
        N_("Only your provider can open the file, with their own secret key."),
    ),
    (
        PLAINTEXT,
        N_("Don't encrypt"),
        N_("Anyone who gets the file can read it. You will be asked to confirm."),
    ),
)
NO_PROVIDER_KEY = N_("To use this, add your provider's key in Settings, under “Your data”.")


def months_back(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def preset_range(months: int, today: date) -> tuple[date | None, date | None]:
    if months == 0:
        return None, None
    return months_back(today, months), today


def day_text(day: date) -> str:
    return format_skeleton(day, "yMMMd")


def range_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return _("Everything you recorded, from the first day.")
    if start is None:
        return _("Everything up to {date}.").format(date=day_text(end)) if end else ""
    if end is None:
        return _("From {date} on.").format(date=day_text(start))
    return _("From {start} to {end}, both days included.").format(
        start=day_text(start), end=day_text(end)
    )


def local_zone() -> tzinfo:
    return localtime.local_zone()  # named, so a range across a DST change maps right


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class _Caption(FitsText, QLabel):
    """A choice's words, wrapped (a radio button's own text never wraps: a longer language at
    200 % made the page wider than the screen); clicking them chooses, as the text would."""

    def __init__(self, box: QAbstractButton) -> None:
        super().__init__(box.text())
        self._box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.click()
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


def option_row(box: QAbstractButton, hint: str) -> QWidget:
    """A radio button or check box with its explanation wrapped underneath, indented."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    caption = _Caption(box)
    box.setText("")  # the caption beside it carries the words (the accessible name says them)
    row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(caption, 1)
    layout.addLayout(row)
    if hint:
        box.setAccessibleDescription(hint)
        words = label(hint, "muted")
        fit_to_text(caption, lambda _: words.setIndent(char_width(box) * 4))
        layout.addWidget(words)
    return holder
