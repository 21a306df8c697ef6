"""What the three parts of Settings → "Your data" share: the card, the context, the one job
that may run at a time, and how a status line reads."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel

from companion.ui.common.jobs import JobState, settle_layouts
from companion.ui.context import UiContext
from companion.ui.widgets.card import Card
from companion.ui.widgets.text import set_role


def show_status(widget: QLabel, text: str, role: str) -> None:
    """A status line in its role (success, error, muted); hidden when there is no text."""
    set_role(widget, role)
    widget.setText(text)
    widget.setVisible(bool(text))
    settle_layouts()


class DataPart(Card):
    """The base of the import, backup and provider-key parts of ``DataSection``: one card, one
    job at a time (import, backup or restore), one busy state."""

    lock_requested = Signal()  # after a restore: unlock the restored vault

    _ctx: UiContext
    _job: JobState | None

    def _set_busy(self, busy: bool) -> None:
        """While a job runs, nothing in this card can start another. ``DataSection``, which
        joins the parts, overrides this to hold every part's buttons at once."""
        self.setEnabled(not busy)
