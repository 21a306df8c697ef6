"""The After step's side-effects card: a strength for each side effect the protocol names, and
"something else".

Its rows are built a few per turn of the event loop when the After step is built in parts
(``in_pieces``): each combo box makes its list view as its first item goes in, and fourteen of
them in one turn were ~20-40 ms of the return's stall.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from companion.domain.protocol import Protocol, Severity
from companion.i18n import N_, _
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import label, primary_button

if TYPE_CHECKING:
    from companion.services.sessions_model import SideEffectReport

SEVERITIES = (
    (N_("None"), Severity.NONE),
    (N_("Mild"), Severity.MILD),
    (N_("Moderate"), Severity.MODERATE),
    (N_("Severe"), Severity.SEVERE),
)
OTHER = "other"
ROWS_PER_PART = 4  # rows built in one turn of the event loop (a few ms)


class SideEffectsCard(Card):
    def __init__(
        self,
        protocol: Protocol,
        parent: QWidget | None = None,
        *,
        in_pieces: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        """``in_pieces``: the rows after the first few are handed to it, to be built later
        (in order, before the card is shown); without it, all now."""
        super().__init__(
            _("How is your body?"),
            _("Note anything you felt. “None” is the most common answer."),
            parent,
        )
        grid = QGridLayout()
        self.combos: dict[str, QComboBox] = {}
        effects = [(e.id, e.name) for e in protocol.side_effects] + [(OTHER, _("Something else"))]
        grid.setColumnStretch(0, 1)
        self.body.addLayout(grid)
        rows = list(enumerate(effects))
        for start in range(0, len(rows), ROWS_PER_PART):
            part = partial(self._add_rows, grid, rows[start : start + ROWS_PER_PART])
            if start == 0 or in_pieces is None:
                part()
            else:
                in_pieces(part)
        self.other_note = QLineEdit()
        self.other_note.setAccessibleName(_("Something else: what"))
        self.other_note.setPlaceholderText(_("If something else: what was it?"))
        self.other_note.setMaxLength(1000)
        self.body.addWidget(self.other_note)
        self.save_button: QPushButton = primary_button(_("Save side effects"))
        self.body.addLayout(button_row(self.save_button))
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self.emergency = Card(_("Please get help now"))
        self.emergency.setProperty("role", "stop-card")
        self.emergency_text: QLabel = label("")
        self.emergency.body.addWidget(self.emergency_text)
        self.emergency.hide()
        self.body.addWidget(self.emergency)

    def _add_rows(self, grid: QGridLayout, rows: list[tuple[int, tuple[str, str]]]) -> None:
        """Rows added later keep the Tab order of the screen: each combo box comes right after
        the one above it (a widget made later joins the end of the window's focus chain)."""
        before = list(self.combos.values())[-1] if self.combos else None
        for row, (effect_id, name) in rows:
            caption = QLabel(name)  # plain: fourteen rich-text labels cost a visible pause
            caption.setWordWrap(True)
            combo = QComboBox()
            for text, severity in SEVERITIES:
                combo.addItem(_(text), severity.value)
            combo.setAccessibleName(_("{effect}: how strong").format(effect=name))
            caption.setBuddy(combo)
            grid.addWidget(caption, row, 0)
            grid.addWidget(combo, row, 1)
            self.combos[effect_id] = combo
            if before is not None:
                QWidget.setTabOrder(before, combo)
            before = combo

    def reports(self) -> list[SideEffectReport]:
        found: list[SideEffectReport] = []
        for effect_id, combo in self.combos.items():
            severity = str(combo.currentData())
            if severity != Severity.NONE.value:
                note = self.other_note.text() if effect_id == OTHER else ""
                found.append((effect_id, severity, note))
        return found

    def set_severity(self, effect_id: str, severity: Severity) -> None:
        combo = self.combos[effect_id]
        combo.setCurrentIndex(combo.findData(severity.value))
