"""A check box whose text wraps (QCheckBox never wraps, so long items were cut off).

The box itself carries the accessible name; clicking the text toggles it, as with a plain
check box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from companion.ui.widgets.text import label


class _ToggleLabel(QLabel):
    def __init__(self, box: QCheckBox, text: str) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class WrapCheck(QWidget):
    def __init__(
        self, text: str, note: str = "", *, accessible_name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setAccessibleName(accessible_name or text)
        if note:
            self.box.setAccessibleDescription(note)
        self.caption = _ToggleLabel(self.box, text)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.caption)
        if note:
            column.addWidget(label(note, "muted"))
        row.addLayout(column, 1)
        self.setFocusProxy(self.box)
