"""The first step of an export: which dates, what to include, which format, what protection."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from companion.domain import localtime
from companion.domain.export_selection import EntryChoice, Part, Selection
from companion.i18n import N_, _, format_number, format_skeleton, n_
from companion.ui.common.heading import heading
from companion.ui.common.jobs import ProgressPanel, settle_layouts
from companion.ui.export.picker import EntryPicker
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import char_width, label, primary_button, title
from companion.ui.widgets.wrap import WrapCheckBox, WrapRadioButton

if TYPE_CHECKING:
    from companion.services.search import EntrySummary

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


class _Caption(QLabel):
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


def _option(box: QAbstractButton, hint: str) -> QWidget:
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
        words.setIndent(char_width(box) * 4)
        layout.addWidget(words)
    return holder


class ChoicesView(ScrollPage):
    preview_requested = Signal()
    range_changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._today = today
        col = self.column
        col.addWidget(title(_("Export for your provider")))
        col.addWidget(
            label(
                _(
                    "Nothing leaves this computer unless you choose it. You choose what to "
                    "include, see exactly what that is in a preview, and only then save a file to "
                    "give your provider."
                )
            )
        )

        # --- dates ------------------------------------------------------------------------
        dates = Card(_("Dates"))
        self.when = QComboBox()
        for text, months in PRESETS:
            self.when.addItem(_(text), months)
        self.when.setCurrentIndex(DEFAULT_PRESET)
        dates.body.addWidget(
            FormField(_("Which dates"), self.when, accessible_name=_("Which dates"))
        )
        self.start_date = QDateEdit()
        self.end_date = QDateEdit()
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setMaximumDate(qdate(today))
        self.start_field = FormField(_("From"), self.start_date, accessible_name=_("From date"))
        self.end_field = FormField(_("To"), self.end_date, accessible_name=_("To date"))
        self.start_date.setDate(qdate(months_back(today, 1)))
        self.end_date.setDate(qdate(today))
        for f in (self.start_field, self.end_field):
            f.hide()
            dates.body.addWidget(f)
        self.range_line: QLabel = label("", "muted")
        dates.body.addWidget(self.range_line)
        col.addWidget(dates)

        # --- what to include --------------------------------------------------------------
        include = Card(_("What to include"))
        self.parts: dict[Part, QCheckBox] = {}
        for part, text, hint in PARTS:
            box: QCheckBox = WrapCheckBox(_(text))
            box.setAccessibleName(_(text))
            box.setChecked(True)
            self.parts[part] = box
            include.body.addWidget(_option(box, _(hint)))
        include.body.addWidget(heading(_("Journal entries")))
        include.body.addWidget(
            label(
                _(
                    "Your entries are private unless you mark them “share with my provider” "
                    "(or pick them here)."
                ),
                "muted",
            )
        )
        self.entry_group = QButtonGroup(self)
        self.entry_buttons: dict[EntryChoice, QRadioButton] = {}
        for choice, text, hint in ENTRY_CHOICES:
            radio = WrapRadioButton(_(text))
            radio.setAccessibleName(_(text))
            self.entry_group.addButton(radio)
            self.entry_buttons[choice] = radio
            include.body.addWidget(_option(radio, _(hint) if hint else ""))
        self.entry_buttons[EntryChoice.SHARED].setChecked(True)
        self.shared_line: QLabel = label("", "muted")
        include.body.addWidget(self.shared_line)
        self.picker = EntryPicker()
        self.picker.hide()
        include.body.addWidget(self.picker)
        col.addWidget(include)

        # --- format -------------------------------------------------------------------
        formats = Card(_("File format"))
        self.format_group = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        for value, text, hint in FORMATS:
            radio = WrapRadioButton(_(text))
            radio.setAccessibleName(_(text))
            self.format_group.addButton(radio)
            self.format_buttons[value] = radio
            formats.body.addWidget(_option(radio, _(hint)))
        self.format_buttons["pdf"].setChecked(True)
        col.addWidget(formats)

        # --- protection ---------------------------------------------------------------
        protection = Card(_("Protection"))
        self.protection_group = QButtonGroup(self)
        self.protection_buttons: dict[str, QRadioButton] = {}
        for value, text, hint in PROTECTIONS:
            radio = WrapRadioButton(_(text))
            radio.setAccessibleName(_(text))
            self.protection_group.addButton(radio)
            self.protection_buttons[value] = radio
            protection.body.addWidget(_option(radio, _(hint)))
            if value == RECIPIENT:
                self.key_line: QLabel = label(_(NO_PROVIDER_KEY), "muted")
                self.key_line.setIndent(char_width(radio) * 4)
                protection.body.addWidget(self.key_line)
        self.protection_buttons[PASSPHRASE].setChecked(True)
        self.protection_buttons[RECIPIENT].setEnabled(False)
        col.addWidget(protection)

        self.problem: QLabel = label("", "error")
        self.problem.hide()
        col.addWidget(self.problem)
        self.progress = ProgressPanel(_("Preview"))
        col.addWidget(self.progress)
        self.preview_button: QPushButton = primary_button(
            _("Preview what will be shared"),
            description=_("Shows everything the file will hold. Nothing is saved yet."),
        )
        col.addLayout(button_row(self.preview_button))
        col.addStretch(1)

        self.when.currentIndexChanged.connect(self._when_changed)
        self.start_date.dateChanged.connect(self._dates_changed)
        self.end_date.dateChanged.connect(self._dates_changed)
        self.entry_group.buttonToggled.connect(self._entries_changed)
        for box in self.parts.values():
            box.toggled.connect(self._clear_problem)
        self.picker.model.picked_changed.connect(self._clear_problem)
        self.preview_button.clicked.connect(self.preview_requested)
        self._update_range_line()

    # --- reading the choices ------------------------------------------------------------------
    def dates(self) -> tuple[date | None, date | None]:
        months = int(self.when.currentData())
        if months == CUSTOM:
            first: date = self.start_date.date().toPython()  # type: ignore[assignment]
            last: date = self.end_date.date().toPython()  # type: ignore[assignment]
            return first, last
        return preset_range(months, self._today)

    def entry_choice(self) -> EntryChoice:
        return next(c for c, b in self.entry_buttons.items() if b.isChecked())

    def format_value(self) -> str:
        return next(v for v, b in self.format_buttons.items() if b.isChecked())

    def protection_value(self) -> str:
        return next(v for v, b in self.protection_buttons.items() if b.isChecked())

    def selection(self) -> Selection:
        start, end = self.dates()
        parts = {part for part, box in self.parts.items() if box.isChecked()}
        choice = self.entry_choice()
        if choice is not EntryChoice.NONE:
            parts.add(Part.ENTRIES)
        return Selection(
            start=start,
            end=end,
            parts=frozenset(parts),
            entries=choice,
            picked=self.picker.model.picked if choice is EntryChoice.PICKED else frozenset(),
            zone=local_zone(),
        )

    # --- updates from the page ---------------------------------------------------------------
    def set_today(self, today: date) -> None:
        self._today = today
        for edit in (self.start_date, self.end_date):
            edit.setMaximumDate(qdate(today))
        self._update_range_line()

    def set_provider_key(self, recipient: str | None) -> None:
        radio = self.protection_buttons[RECIPIENT]
        radio.setEnabled(bool(recipient))
        if recipient:
            short = f"{recipient[:10]}…{recipient[-6:]}"
            self.key_line.setText(
                _("Your provider's key, saved in Settings: {key}").format(key=short)
            )
        else:
            self.key_line.setText(_(NO_PROVIDER_KEY))
            if radio.isChecked():
                self.protection_buttons[PASSPHRASE].setChecked(True)

    def set_entries(self, entries: Sequence[EntrySummary]) -> None:
        listed = list(entries)
        self.picker.model.set_entries(listed)
        shared = sum(1 for e in listed if e.shared)
        self.shared_line.setText(
            n_(
                "Marked to share with your provider: {shared} of the {n} entry in these dates.",
                "Marked to share with your provider: {shared} of the {n} entries in these dates.",
                len(listed),
            ).format(shared=format_number(shared))
            if listed
            else _("There are no journal entries in these dates.")
        )

    def show_problem(self, text: str) -> None:
        if text == self.problem.text() and self.problem.isVisible() == bool(text):
            return
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        settle_layouts()

    def set_busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)

    # --- reactions ----------------------------------------------------------------------------
    def _when_changed(self) -> None:
        custom = int(self.when.currentData()) == CUSTOM
        self.start_field.setVisible(custom)
        self.end_field.setVisible(custom)
        self._dates_changed()

    def _dates_changed(self) -> None:
        self._update_range_line()
        self._clear_problem()
        self.range_changed.emit()

    def _update_range_line(self) -> None:
        start, end = self.dates()
        if start is not None and end is not None and start > end:
            self.range_line.setText(_("The start date is after the end date."))
            return
        self.range_line.setText(range_text(start, end))

    def _entries_changed(self, _button: QAbstractButton, _checked: bool) -> None:
        picking = self.entry_choice() is EntryChoice.PICKED
        self.picker.setVisible(picking)
        self.shared_line.setVisible(self.entry_choice() is EntryChoice.SHARED)
        self._clear_problem()

    def _clear_problem(self) -> None:
        self.show_problem("")
