"""Settings → Your profile: the same fields as first run, saved through the profile service."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from companion.domain.profile import Profile, validate_profile
from companion.errors import CompanionError, InvalidInputError
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.profile_form import ProfileForm
from companion.ui.tasks import Change
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import label, primary_button, set_role

SAVED = N_("Saved.")


class ProfileSection(Card):
    saved = Signal(object)  # the Profile as saved

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Your profile"),
            _("Who to call and your prescription as your provider gave it."),
            parent,
        )
        self._ctx = ctx
        self.form = ProfileForm()
        self.form.setEnabled(False)  # until the saved profile has loaded
        self.body.addWidget(self.form)
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.save_button: QPushButton = primary_button(_("Save profile"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.body.addWidget(self.status)
        self.body.addLayout(button_row(self.save_button))
        self.form.edited.connect(self.status.hide)

    def show_loaded(self, profile: Profile) -> None:
        self.form.set_profile(profile)
        self.form.setEnabled(True)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        profile = self.form.profile()
        problems = validate_profile(profile)
        self.form.show_problems(problems)
        if problems:
            self._show_status(_("A few details are still needed; see the notes above."), "error")
            target = self.form.first_problem_field(problems)
            if target is not None:
                target.setFocus()
            return
        self.save_button.setEnabled(False)
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.profile.save(profile),
            receiver=self,
            on_result=lambda _none: self._on_saved(profile),
            on_error=self._on_error,
            changes=frozenset({Change.PROFILE}),
        )

    def _show_status(self, text: str, role: str) -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.show()

    def _on_saved(self, profile: Profile) -> None:
        self.save_button.setEnabled(True)
        self._show_status(_(SAVED), "success")
        self.saved.emit(profile)

    def _on_error(self, error: CompanionError) -> None:
        self.save_button.setEnabled(self.form.isEnabled())
        if isinstance(error, InvalidInputError):
            self.form.show_problems(error.problems)
        self._show_status(str(error), "error")

    def clear(self) -> None:
        self.form.clear()
        self.status.hide()
