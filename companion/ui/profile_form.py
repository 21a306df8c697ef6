"""The profile editor used by first run and by Settings: contacts and the prescription.

Companion records the prescription exactly as the provider gave it; it never suggests a dose.
Problems from ``validate_profile`` (or from the service) appear next to the field concerned.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.domain.profile import (
    MAX_FIELD,
    MAX_HOLD_MINUTES,
    MEDICINE_FORMS,
    Prescription,
    Profile,
)
from companion.i18n import N_, _
from companion.ui.widgets.field import FormField
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import label, subtitle

NO_DOSE_NOTE = N_("Companion records your provider's prescription; it never suggests a dose.")

# (profile attribute, caption, hint) for the plain text fields, in reading order.
TEXT_FIELDS: dict[str, tuple[str, str]] = {
    "name": (N_("Your first name (optional)"), N_("Used only to greet you.")),
    "provider_name": (N_("Provider's name"), N_("The clinician who prescribed your treatment.")),
    "provider_contact": (
        N_("Provider's phone or contact"),
        N_("How to reach them about your treatment."),
    ),
    "monitor_name": (
        N_("Monitor's name"),
        N_("The trusted person who stays with you during a session."),
    ),
    "monitor_phone": (N_("Monitor's phone"), ""),
    "emergency_contact_name": (
        N_("Emergency contact's name"),
        N_("Someone close to you to call if needed."),
    ),
    "emergency_contact_phone": (N_("Emergency contact's phone"), ""),
    "emergency_number": (
        N_("Emergency number"),
        N_("Your local emergency services, for example 911."),
    ),
    "crisis_line": (
        N_("Crisis line"),
        N_("A line to talk to someone right away, for example 988."),
    ),
    "medicine": (N_("Medicine"), ""),
    "dose_text": (
        N_("Dose, exactly as prescribed"),
        N_("For example the text on your prescription label."),
    ),
}

SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (N_("You"), "", ("name",)),
    (N_("Your provider"), "", ("provider_name", "provider_contact")),
    (
        N_("Your monitor"),
        N_("A sober adult who knows your plan and stays nearby during a session."),
        ("monitor_name", "monitor_phone"),
    ),
    (
        N_("In an emergency"),
        "",
        ("emergency_contact_name", "emergency_contact_phone", "emergency_number", "crisis_line"),
    ),
)


class ProfileForm(FitsText, QWidget):
    """Edits a ``Profile``. Holds private text: ``clear()`` empties every field."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        self.fields: dict[str, FormField] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        line = self.fontMetrics().height()
        fit_to_text(self, lambda h: layout.setSpacing(max(12, h * 3 // 4)))

        for heading, intro, names in SECTIONS:
            layout.addSpacing(line // 2)
            layout.addWidget(subtitle(_(heading)))
            if intro:
                layout.addWidget(label(_(intro), "muted"))
            for name in names:
                layout.addWidget(self._text_field(name))

        layout.addSpacing(line // 2)
        layout.addWidget(subtitle(_("Your prescription, as your provider gave it")))
        layout.addWidget(label(_(NO_DOSE_NOTE), "note"))
        layout.addWidget(self._text_field("medicine"))

        self.form = QComboBox()
        self.form.addItems(list(MEDICINE_FORMS))
        self.fields["form"] = FormField(_("Form"), self.form)
        layout.addWidget(self.fields["form"])

        layout.addWidget(self._text_field("dose_text"))

        self.hold = QSpinBox()
        self.hold.setRange(0, MAX_HOLD_MINUTES)
        self.hold.setSuffix(_(" minutes"))
        inner = self.hold.findChild(QLineEdit)
        if inner is not None:  # line the number up with the text of the other fields
            inner.setTextMargins(self.fontMetrics().height() // 2, 0, 0, 0)
        self.hold.setAccessibleDescription(_("How long to hold the medicine under the tongue."))
        self.fields["hold_minutes"] = FormField(
            _("Hold time under the tongue"),
            self.hold,
            hint=_("As your provider instructed. Use the arrow keys or type a number."),
        )
        layout.addWidget(self.fields["hold_minutes"])

        self.instructions = QPlainTextEdit()
        self.instructions.setTabChangesFocus(True)
        line_height = self.fontMetrics().lineSpacing()
        self.instructions.setMinimumHeight(line_height * 4)
        self.instructions.setMaximumHeight(line_height * 7)
        self.fields["instructions"] = FormField(
            _("Other instructions from your provider (optional)"), self.instructions
        )
        layout.addWidget(self.fields["instructions"])

        for edit in self.edits.values():
            edit.textEdited.connect(self._on_edited)
        self.form.currentIndexChanged.connect(self._on_edited)
        self.hold.valueChanged.connect(self._on_edited)
        self.instructions.textChanged.connect(self._on_edited)
        self.set_profile(Profile())

    def _text_field(self, name: str) -> FormField:
        caption, hint = TEXT_FIELDS[name]
        edit = QLineEdit()
        edit.setMaxLength(MAX_FIELD)
        edit.setObjectName(f"profile_{name}")
        self.edits[name] = edit
        field = FormField(_(caption), edit, hint=_(hint) if hint else "")
        self.fields[name] = field
        return field

    def _on_edited(self) -> None:
        self.edited.emit()
        self._clear_fixed_problems()

    def _clear_fixed_problems(self) -> None:
        """Once a problem has been shown, it disappears as soon as it is fixed (never nags)."""
        from companion.domain.profile import validate_profile

        problems = validate_profile(self.profile())
        for name, field in self.fields.items():
            if not field.problem.isHidden() and name not in problems:
                field.clear_problem()

    def set_profile(self, profile: Profile) -> None:
        for name, edit in self.edits.items():
            if name == "medicine":
                edit.setText(profile.prescription.medicine)
            elif name == "dose_text":
                edit.setText(profile.prescription.dose_text)
            else:
                edit.setText(str(getattr(profile, name)))
        index = self.form.findText(profile.prescription.form)
        if index < 0:
            self.form.addItem(profile.prescription.form)
            index = self.form.count() - 1
        self.form.setCurrentIndex(index)
        self.hold.setValue(profile.prescription.hold_minutes)
        self.instructions.setPlainText(profile.prescription.instructions)
        self.show_problems({})

    def profile(self) -> Profile:
        text = {name: edit.text().strip() for name, edit in self.edits.items()}
        prescription = Prescription(
            medicine=text.pop("medicine"),
            form=self.form.currentText(),
            dose_text=text.pop("dose_text"),
            hold_minutes=self.hold.value(),
            instructions=self.instructions.toPlainText().strip(),
        )
        return Profile(prescription=prescription, **text)

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, field in self.fields.items():
            field.show_problem(problems.get(name, ""))

    def first_problem_field(self, problems: dict[str, str]) -> QWidget | None:
        for name, field in self.fields.items():
            if name in problems:
                return field.control
        return None

    def clear(self) -> None:
        """Removes every private value from the widgets (used when the vault locks)."""
        for edit in self.edits.values():
            edit.clear()
        self.instructions.clear()
        self.hold.setValue(0)
        self.form.setCurrentIndex(0)
        self.show_problems({})
