"""The last first-run step: who to call, and the prescription as the provider gave it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from companion.domain.profile import validate_profile
from companion.errors import CompanionError, InvalidInputError
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.first_run.numbers import NumbersCard
from companion.ui.profile_form import ProfileForm
from companion.ui.tasks import Change
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import label, primary_button, title

INTRO = N_(
    "Companion uses these details to show you who to call and to remind you of your "
    "provider's instructions. Only your provider's name and contact and an emergency number "
    "are needed now. You can change everything later in Settings."
)


class ProfileStep(ScrollPage):
    saved = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._ctx = ctx
        col = self.column
        col.addWidget(label(_("Step 4 of 4"), "step"))
        col.addWidget(title(_("About your care")))
        col.addWidget(label(_(INTRO)))
        self.form = ProfileForm()
        self.numbers = NumbersCard(
            self.form.edits["emergency_number"], self.form.edits["crisis_line"]
        )
        col.addWidget(self.numbers)
        col.addWidget(self.form)
        self.busy = BusyIndicator()
        col.addWidget(self.busy)
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)
        self.save_button: QPushButton = primary_button(_("Save and finish"))
        self.save_button.clicked.connect(self.save)
        col.addLayout(button_row(self.save_button))
        col.addStretch(1)
        self.setFocusProxy(self.form.edits["name"])

    def save(self) -> None:
        profile = self.form.profile()
        problems = validate_profile(profile)
        self.form.show_problems(problems)
        numbers_problem = self.numbers.problem()
        if numbers_problem and not problems:
            self._show_error(numbers_problem)
            self.numbers.setFocus()
            self.ensureWidgetVisible(self.numbers)
            return
        if problems:
            self._show_error(_("A few details are still needed; see the notes next to the fields."))
            target = self.form.first_problem_field(problems)
            if target is not None:
                target.setFocus()
                self.ensureWidgetVisible(target)
            return
        self.error.hide()
        self.busy.start(_("Saving…"))
        self.save_button.setEnabled(False)
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.profile.save(profile),
            receiver=self,
            on_result=self._on_saved,
            on_error=self._on_error,
            changes=frozenset({Change.PROFILE}),
        )

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _on_saved(self, _result: object) -> None:
        self.numbers.remember(self._ctx.settings)
        self.busy.stop()
        self.save_button.setEnabled(True)
        self.saved.emit()

    def _on_error(self, error: CompanionError) -> None:
        self.busy.stop()
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidInputError):
            self.form.show_problems(error.problems)
        self._show_error(str(error))

    def clear(self) -> None:
        self.form.clear()
        self.error.hide()
