"""Feedback that appears must not push what is below it: a click would land in the wrong place.

``FeedbackArea`` is a block of messages with room reserved for typical messages at the current
width and text size, whether or not they are showing.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from companion.ui.widgets.fits_text import looks_changed
from companion.ui.widgets.text import Paragraph


class FeedbackArea(QWidget):
    """Labels stacked in a column that always keeps room for ``samples`` (one per label)."""

    def __init__(
        self, labels: Sequence[QLabel], samples: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._labels = tuple(labels)
        self._samples = tuple(samples)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for widget in self._labels:
            self._layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addStretch(1)
        # a hidden twin of each label, holding its sample, measures the room to keep
        self._rulers = []
        for widget in self._labels:
            ruler = Paragraph(parent=self) if isinstance(widget, Paragraph) else QLabel(self)
            ruler.setTextFormat(widget.textFormat())
            ruler.setWordWrap(widget.wordWrap())
            ruler.setProperty("role", widget.property("role"))
            ruler.setContentsMargins(widget.contentsMargins())
            ruler.hide()
            self._rulers.append(ruler)
        self._reserve(self.width())

    def _needed(self, width: int) -> int:
        """The height the samples take at ``width``."""
        if width <= 0:
            return 0
        needed = 0
        for ruler, sample in zip(self._rulers, self._samples, strict=True):
            ruler.ensurePolished()
            if ruler.text() != sample:
                ruler.setText(sample)
            needed += ruler.heightForWidth(width)
        return needed + self._layout.spacing() * max(0, len(self._rulers) - 1)

    def _reserve(self, width: int) -> None:
        needed = self._needed(width)
        if needed and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        shown = self._layout.heightForWidth(width) if self._layout.hasHeightForWidth() else 0
        return max(self._needed(width), shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reserve(event.size().width())

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            self._reserve(self.width())
        super().changeEvent(event)
