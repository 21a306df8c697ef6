"""The monitor's check-in: a quiet cue, then a large, simple screen of ticks and a short note."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from companion.domain.protocol import Checkin
from companion.ui.widgets.announce import announce
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import label, primary_button, subtitle


class CheckinPanel(QWidget):
    submitted = Signal(str, dict, str)  # event id, {protocol item id: ticked}, note

    def __init__(self, checkin: Checkin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._checkin = checkin
        self.event_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        line = self.fontMetrics().height()
        layout.setSpacing(line * 3 // 4)
        layout.addWidget(subtitle("For the monitor"))
        self.text: QLabel = label(checkin.text, "prompt")
        layout.addWidget(self.text)
        self.boxes: dict[str, QCheckBox] = {}
        for item in checkin.items:
            box = QCheckBox(item.text)
            box.setAccessibleName(item.text)
            layout.addWidget(box)
            self.boxes[item.id] = box
        self.note = QLineEdit()
        self.note.setPlaceholderText("A short note (optional)")
        self.note.setAccessibleName("Check-in note")
        self.note.setMaxLength(1000)
        layout.addWidget(self.note)
        self.save_button: QPushButton = primary_button("Save check-in")
        self.save_button.clicked.connect(self._submit)
        self.note.returnPressed.connect(self._submit)
        layout.addLayout(button_row(self.save_button))

    def show_for(self, event_id: str) -> None:
        if event_id == self.event_id:
            return
        self.event_id = event_id
        announce(self.text, f"For the monitor. {self.text.text()}")
        for box in self.boxes.values():
            box.setChecked(False)
        self.note.clear()
        self.save_button.setEnabled(True)

    def answers(self) -> dict[str, bool]:
        """Every item of the protocol, as ticked (the protocol decides what is worrying)."""
        return {key: box.isChecked() for key, box in self.boxes.items()}

    def urgent(self) -> bool:
        """A worrying answer to an item the protocol marks urgent: Help opens at once."""
        return any(item.urgent for item in self._checkin.concerns(self.answers()))

    def _submit(self) -> None:
        if not self.event_id:
            return
        self.save_button.setEnabled(False)
        self.submitted.emit(self.event_id, self.answers(), self.note.text())
