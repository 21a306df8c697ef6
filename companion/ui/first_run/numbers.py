"""First run: the country, and the emergency and crisis numbers for it, which the patient
confirms. A crisis line may be left blank only by saying so. The numbers also go to the
preferences (public numbers, not health data) so the unlock screen can show them."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from companion.domain.emergency_numbers import COUNTRIES, OTHER, by_code, country_from_locale
from companion.i18n import N_, _
from companion.settings import COUNTRY, CRISIS_LINE, EMERGENCY_NUMBER, Settings
from companion.ui.widgets.card import Card
from companion.ui.widgets.text import label
from companion.ui.widgets.wrap import WrapCheckBox

NO_CRISIS = N_("I have no crisis line to add")
CHECKED = N_("I have checked these numbers")


class NumbersCard(Card):
    """Fills ``emergency`` and ``crisis`` (the profile form's fields) from the country."""

    changed = Signal()

    def __init__(
        self,
        emergency: QLineEdit,
        crisis: QLineEdit,
        *,
        locale_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Where you live"),
            _("Companion fills in the numbers to call for your country. Please check them."),
            parent,
        )
        self._emergency = emergency
        self._crisis = crisis
        self.country = QComboBox()
        self.country.setAccessibleName(_("Country"))
        for c in COUNTRIES:
            self.country.addItem(c.name, c.code)
        self.country.addItem(OTHER.name, OTHER.code)
        caption = label(_("Country"))
        caption.setBuddy(self.country)
        self.body.addWidget(caption)
        self.body.addWidget(self.country)
        self.summary: QLabel = label("")  # a sentence, not a key to copy: wrapped body text
        self.body.addWidget(self.summary)
        self.no_crisis = WrapCheckBox(_(NO_CRISIS))
        self.no_crisis.setAccessibleName(_(NO_CRISIS))
        self.body.addWidget(self.no_crisis)
        self.checked = WrapCheckBox(_(CHECKED))
        self.checked.setAccessibleName(_(CHECKED))
        self.body.addWidget(self.checked)
        code = country_from_locale(locale_name if locale_name is not None else QLocale().name())
        self.country.setCurrentIndex(max(0, self.country.findData(code or "US")))
        self.country.currentIndexChanged.connect(lambda _i: self.fill())
        for edit in (emergency, crisis):
            edit.textChanged.connect(lambda _t: self._describe())
        self.no_crisis.toggled.connect(lambda _on: self._describe())
        self.fill()

    @property
    def code(self) -> str:
        return str(self.country.currentData() or "")

    def fill(self) -> None:
        numbers = by_code(self.code)
        self._emergency.setText(numbers.emergency)
        self._crisis.setText(numbers.crisis)
        self.checked.setChecked(False)
        self._describe()

    def _describe(self) -> None:
        emergency = self._emergency.text().strip() or _("not set")
        crisis = self._crisis.text().strip()
        numbers = by_code(self.code)
        if crisis and crisis == numbers.crisis and numbers.crisis_name:
            crisis_text = _("{number} ({name})").format(number=crisis, name=numbers.crisis_name)
        else:
            crisis_text = crisis or _("none")
        self.summary.setText(
            _("Emergency: {emergency}. Crisis line: {crisis}.").format(
                emergency=emergency, crisis=crisis_text
            )
        )
        self.no_crisis.setVisible(not crisis)
        self.changed.emit()

    def problem(self) -> str:
        """What still needs an answer ("" when the numbers are confirmed)."""
        if not self._emergency.text().strip():
            return _("Add the emergency number where you live.")
        if not self._crisis.text().strip() and not self.no_crisis.isChecked():
            return _("Add a crisis line, or tick that you have none to add.")
        if not self.checked.isChecked():
            return _("Please check the numbers, then tick that you have.")
        return ""

    def remember(self, settings: Settings) -> None:
        remember_numbers(settings, self._emergency.text(), self._crisis.text(), self.code)


def remember_numbers(settings: Settings, emergency: str, crisis: str, code: str = "") -> None:
    """The numbers for the unlock screen (public numbers; no health data)."""
    settings.set(EMERGENCY_NUMBER, emergency.strip())
    settings.set(CRISIS_LINE, crisis.strip())
    if code:
        settings.set(COUNTRY, code)
