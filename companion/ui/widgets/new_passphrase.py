"""Choosing a new passphrase: the field, its strength meter, the same again, and the note
when the two differ. One form for the first run, the recovery and Settings → Passphrase."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from companion.i18n import _
from companion.ui.widgets.field import FormField
from companion.ui.widgets.fits_text import looks_changed
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.steady import FeedbackArea
from companion.ui.widgets.strength_meter import DEBOUNCE_MS, StrengthMeter
from companion.ui.widgets.text import label


class NewPassphraseForm(QWidget):
    changed = Signal()  # either field changed, or the strength is known: re-check the button
    submitted = Signal()  # Return in the second field

    def __init__(
        self,
        *,
        caption: str = "",  # "" means the words below, in the current language
        name: str = "",
        again_caption: str = "",
        again_name: str = "",
        mismatch: str = "",
        debounce_ms: int = DEBOUNCE_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        caption, name = caption or _("New passphrase"), name or _("New passphrase")
        again_caption = again_caption or _("New passphrase again")
        again_name = again_name or _("New passphrase again")
        mismatch = mismatch or _("The two new passphrases do not match yet.")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.passphrase = PassphraseField(name)
        self._layout.addWidget(FormField(caption, self.passphrase, accessible_name=name))
        self.passphrase.edit.setAccessibleName(name)
        self.meter = StrengthMeter(debounce_ms=debounce_ms)
        self._layout.addWidget(self.meter)
        self.confirm = PassphraseField(again_name)
        self._layout.addWidget(FormField(again_caption, self.confirm, accessible_name=again_name))
        self.confirm.edit.setAccessibleName(again_name)
        self.mismatch: QLabel = label(mismatch, "error")
        self.mismatch.hide()
        self._layout.addWidget(FeedbackArea((self.mismatch,), (mismatch,)))  # room kept: no jump
        self._update_spacing()

        self.passphrase.text_changed.connect(self._on_text)
        self.confirm.text_changed.connect(self._on_text)
        self.passphrase.return_pressed.connect(self.confirm.setFocus)
        self.confirm.return_pressed.connect(self.submitted)
        self.meter.assessed.connect(self.changed)
        self.setFocusProxy(self.passphrase)

    @property
    def acceptable(self) -> bool:
        """Strong enough (as far as is known now) and typed the same twice."""
        return self.meter.acceptable and self.passphrase.text() == self.confirm.text()

    def text(self) -> str:
        return self.passphrase.text()

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()
        self.meter.reset()
        self.mismatch.hide()

    def _on_text(self) -> None:
        self.meter.update_for(self.passphrase.text())
        confirm = self.confirm.text()
        mismatch = bool(confirm) and confirm != self.passphrase.text()
        self.mismatch.setVisible(mismatch)
        self.confirm.set_invalid(mismatch)
        self.changed.emit()

    def _update_spacing(self) -> None:
        self._layout.setSpacing(max(12, self.fontMetrics().height() * 3 // 4))  # as a Column

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            self._update_spacing()
        super().changeEvent(event)
