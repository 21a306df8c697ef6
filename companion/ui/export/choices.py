"""The first step of an export: which dates, what to include, which format, what protection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)

from companion.domain.export_selection import EntryChoice, Part, Selection
from companion.i18n import _, format_number, n_
from companion.ui.common.heading import heading
from companion.ui.common.jobs import ProgressPanel, settle_layouts
from companion.ui.export.choice_options import (
    CUSTOM,
    DEFAULT_PRESET,
    ENTRY_CHOICES,
    FORMATS,
    NO_PROVIDER_KEY,
    PARTS,
    PASSPHRASE,
    PRESETS,
    PROTECTIONS,
    RECIPIENT,
    local_zone,
    months_back,
    option_row,
    preset_range,
    qdate,
    range_text,
)
from companion.ui.export.picker import EntryPicker
from companion.ui.widgets.card import Card
from companion.ui.widgets.field import FormField
from companion.ui.widgets.fits_text import fit_to_text
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import char_width, label, primary_button, title
from companion.ui.widgets.wrap import WrapCheckBox, WrapRadioButton

if TYPE_CHECKING:
    from companion.services.search import EntrySummary


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

        col.addWidget(self._build_dates(today))
        col.addWidget(self._build_include())
        col.addWidget(self._build_formats())
        col.addWidget(self._build_protection())
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

    # --- parts ----------------------------------------------------------------------------------
    def _build_dates(self, today: date) -> Card:
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
        return dates

    def _build_include(self) -> Card:
        include = Card(_("What to include"))
        self.parts: dict[Part, QCheckBox] = {}
        for part, text, hint in PARTS:
            box: QCheckBox = WrapCheckBox(_(text))
            box.setAccessibleName(_(text))
            box.setChecked(True)
            self.parts[part] = box
            include.body.addWidget(option_row(box, _(hint)))
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
            include.body.addWidget(option_row(radio, _(hint) if hint else ""))
        self.entry_buttons[EntryChoice.SHARED].setChecked(True)
        self.shared_line: QLabel = label("", "muted")
        include.body.addWidget(self.shared_line)
        self.picker = EntryPicker()
        self.picker.hide()
        include.body.addWidget(self.picker)
        return include

    def _build_formats(self) -> Card:
        formats = Card(_("File format"))
        self.format_group = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        for value, text, hint in FORMATS:
            radio = WrapRadioButton(_(text))
            radio.setAccessibleName(_(text))
            self.format_group.addButton(radio)
            self.format_buttons[value] = radio
            formats.body.addWidget(option_row(radio, _(hint)))
        self.format_buttons["pdf"].setChecked(True)
        return formats

    def _build_protection(self) -> Card:
        protection = Card(_("Protection"))
        self.protection_group = QButtonGroup(self)
        self.protection_buttons: dict[str, QRadioButton] = {}
        for value, text, hint in PROTECTIONS:
            radio = WrapRadioButton(_(text))
            radio.setAccessibleName(_(text))
            self.protection_group.addButton(radio)
            self.protection_buttons[value] = radio
            protection.body.addWidget(option_row(radio, _(hint)))
            if value == RECIPIENT:
                self.key_line: QLabel = label(_(NO_PROVIDER_KEY), "muted")
                fit_to_text(radio, self._indent_key_line)
                protection.body.addWidget(self.key_line)
        self.protection_buttons[PASSPHRASE].setChecked(True)
        self.protection_buttons[RECIPIENT].setEnabled(False)
        return protection

    def _indent_key_line(self, _line: int) -> None:
        """The note under "the provider's key" lines up with the option's text."""
        self.key_line.setIndent(char_width(self.protection_buttons[RECIPIENT]) * 4)

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
