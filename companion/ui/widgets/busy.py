"""A quiet "working on it" line: a moving bar and a sentence saying what is happening."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from companion.i18n import _
from companion.ui.widgets.text import label


class BusyIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text: QLabel = label("", "muted")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # indeterminate: the duration is honest only as "about a second"
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(_("Working"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
        self.hide()

    @property
    def running(self) -> bool:
        return not self.isHidden()

    def start(self, text: str) -> None:
        self.text.setText(text)
        self.bar.setAccessibleDescription(text)
        self.show()

    def stop(self) -> None:
        self.hide()
        self.text.clear()
