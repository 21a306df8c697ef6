"""A quiet framed section with a heading, used to group settings."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import label, subtitle


class Card(FitsText, QFrame):
    def __init__(self, heading: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setAccessibleName(heading)
        self.body = QVBoxLayout(self)
        fit_to_text(self, self._fit)
        self.body.addWidget(subtitle(heading))
        if intro:
            self.body.addWidget(label(intro, "muted"))

    def _fit(self, line: int) -> None:
        """Margins and spacing of a line's height: after a text-size change while Companion
        runs as at a start at the new size (they kept the size of the start)."""
        self.body.setContentsMargins(line, line, line, line)
        self.body.setSpacing(max(12, line * 3 // 4))
