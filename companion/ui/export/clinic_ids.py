"""Settings → Your data → "For your clinic's records": the record number the clinic gave
(with the address of its numbering system) and the birth date, both optional. They go into
a FHIR export's Patient so the clinic's system files it with the right person; Companion's
own random patient id is always there and never changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from companion.errors import CompanionError, InvalidInputError
from companion.i18n import N_, _
from companion.ui.common.heading import heading
from companion.ui.tasks import Change
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label, set_role

if TYPE_CHECKING:
    from companion.domain.profile import PatientIdentity
    from companion.ui.context import UiContext

FIELDS = ("mrn", "mrn_system", "birth_date")
SAVED = N_("Saved. FHIR exports now carry these.")


class ClinicIds(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("For your clinic's records")))
        column.addWidget(
            label(
                _(
                    "Optional. If your clinic gave you a record number, type it here with the "
                    "address of their numbering system (ask them for both). A FHIR export then "
                    "files under your own record at the clinic."
                ),
                "muted",
            )
        )
        self.mrn = QLineEdit()
        self.mrn_system = QLineEdit()
        self.mrn_system.setPlaceholderText("https://…")
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText("1990-04-23")
        self.edits = {"mrn": self.mrn, "mrn_system": self.mrn_system, "birth_date": self.birth_date}
        column.addWidget(FormField(_("Record number"), self.mrn))
        column.addWidget(FormField(_("Numbering system"), self.mrn_system))
        column.addWidget(
            FormField(_("Birth date"), self.birth_date, hint=_("Year, month, day: 1990-04-23."))
        )
        self.save: QPushButton = button(
            _("Save for the clinic"), accessible_name=_("Save the clinic's record number")
        )
        column.addLayout(button_row(self.save))
        self.status: QLabel = label("", "success")
        self.status.hide()
        column.addWidget(self.status)
        self.save.clicked.connect(self._save)

    def load(self) -> None:
        ctx = self._ctx
        ctx.tasks.run(lambda s: s.export.patient_identity(), receiver=self, on_result=self._show)

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.clear()
        self._say("", "success")

    def _show(self, identity: PatientIdentity) -> None:
        self.mrn.setText(identity.mrn)
        self.mrn_system.setText(identity.mrn_system)
        self.birth_date.setText(identity.birth_date)

    def _save(self) -> None:
        ctx = self._ctx
        values = {name: edit.text().strip() for name, edit in self.edits.items()}

        def saved(identity: PatientIdentity) -> None:
            self._show(identity)
            self._say(_(SAVED), "success")

        def failed(error: CompanionError) -> None:
            if isinstance(error, InvalidInputError) and error.problems:
                first = next(n for n in FIELDS if n in error.problems)
                self.edits[first].setFocus()
            self._say(str(error), "error")

        ctx.tasks.run(
            lambda s: s.export.set_patient_identity(**values),
            receiver=self,
            on_result=saved,
            on_error=failed,
            changes=frozenset({Change.SHARING}),
        )

    def _say(self, text: str, role: str) -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.setVisible(bool(text))
