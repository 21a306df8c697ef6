"""The monitor's check-in: a quiet cue, then a simple screen of ticks and a short note.

Compact so it fits the dim view at 200 % text on a 1366x768 screen: the question (it names
the monitor), the ticks two to a line (each wraps when long), the note beside its button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.domain.protocol import Checkin
from companion.i18n import _
from companion.ui.session.wrapcheck import WrapCheck
from companion.ui.widgets.announce import announce
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import label, primary_button

COLUMNS = 2  # the ticks sit side by side: at 200 % text, one per line did not fit a laptop


class CheckinPanel(FitsText, QWidget):
    submitted = Signal(str, dict, str)  # event id, {protocol item id: ticked}, note

    def __init__(self, checkin: Checkin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._checkin = checkin
        self.event_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text: QLabel = label(checkin.text, "checkin")
        layout.addWidget(self.text)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)

        def fit(h: int) -> None:
            layout.setSpacing(h * 3 // 4)
            grid.setHorizontalSpacing(h)
            grid.setVerticalSpacing(h // 3)

        fit_to_text(self, fit)
        for n, item in enumerate(checkin.items):
            check = WrapCheck(item.text, accessible_name=item.text)  # long items wrap
            check.caption.setProperty("role", "check")
            grid.addWidget(check, n // COLUMNS, n % COLUMNS)
            self.boxes[item.id] = check.box
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("A short note (optional)"))
        self.note.setAccessibleName(_("Check-in note"))
        self.note.setMaxLength(1000)
        row.addWidget(self.note, 1)
        self.save_button: QPushButton = primary_button(_("Save check-in"))
        self.save_button.clicked.connect(self._submit)
        self.note.returnPressed.connect(self._submit)
        row.addWidget(self.save_button)
        layout.addLayout(row)

    def show_for(self, event_id: str) -> None:
        if event_id == self.event_id:
            return
        self.event_id = event_id
        announce(self.text, _("For the monitor. {text}").format(text=self.text.text()))
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
