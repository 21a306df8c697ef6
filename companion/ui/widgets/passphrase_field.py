"""A passphrase entry with a Show/Hide toggle. Its text is never copied out or logged."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from companion.i18n import _
from companion.ui.widgets.qt_numbers import NO_CONTEXT_MENU, SECRET_HINTS
from companion.ui.widgets.text import button, repolish


class PassphraseField(QWidget):
    text_changed = Signal(str)
    return_pressed = Signal()

    def __init__(
        self, accessible_name: str, description: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._name = accessible_name
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        # By number: no ``Qt`` before the first frame (``qt_numbers``)
        self.edit.setProperty("inputMethodHints", SECRET_HINTS)
        self.edit.setAccessibleName(accessible_name)
        if description:
            self.edit.setAccessibleDescription(description)
        self.edit.setProperty("contextMenuPolicy", NO_CONTEXT_MENU)
        self.toggle: QPushButton = button(
            _("Show"), accessible_name=_("Show {field}").format(field=accessible_name.lower())
        )
        self.toggle.setCheckable(True)
        self.toggle.setAutoDefault(False)
        self.toggle.toggled.connect(self._set_visible)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.toggle)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.text_changed)
        self.edit.returnPressed.connect(self.return_pressed)

    def _set_visible(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.toggle.setText(_("Hide") if shown else _("Show"))
        verb = _("Hide {field}") if shown else _("Show {field}")
        self.toggle.setAccessibleName(verb.format(field=self._name.lower()))

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        """Empties the field and hides it again."""
        self.edit.clear()
        self.toggle.setChecked(False)

    def set_invalid(self, invalid: bool) -> None:
        self.edit.setProperty("invalid", "true" if invalid else "false")
        repolish(self.edit)

    def setReadOnly(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
