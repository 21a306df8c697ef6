"""One form field: a label above the control, an optional hint, and an inline problem message."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from companion.i18n import _
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import label, repolish


class FormField(FitsText, QWidget):
    def __init__(
        self,
        caption: str,
        control: QWidget,
        *,
        hint: str = "",
        accessible_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.control = control
        if isinstance(control, QComboBox):
            # A long choice must not force the page wider than the window at large text sizes.
            control.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            control.setMinimumContentsLength(8)
        self.caption: QLabel = label(caption)
        self.caption.setBuddy(control)
        control.setAccessibleName(accessible_name or caption.rstrip(": "))
        if hint:
            control.setAccessibleDescription(hint)
        self.hint: QLabel | None = label(hint, "muted") if hint else None
        self.problem: QLabel = label("", "error")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        fit_to_text(self, lambda line: layout.setSpacing(max(4, line // 4)))
        layout.addWidget(self.caption)
        if self.hint is not None:
            layout.addWidget(self.hint)
        layout.addWidget(control)
        layout.addWidget(self.problem)
        self.setFocusProxy(control)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.control.setProperty("invalid", "true" if text else "false")
        repolish(self.control)
        marker = " " + _("Problem:") + " "
        base = self.control.accessibleDescription().split(marker)[0]
        self.control.setAccessibleDescription(f"{base}{marker}{text}".strip() if text else base)

    def clear_problem(self) -> None:
        self.show_problem("")
