"""Work spread over turns of the event loop: a timer for "in the next turn"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def next_turn_timer(owner: QObject, slot: Callable[[], None]) -> QTimer:
    """A single-shot timer of 0 ms: ``slot`` runs in the next turn of the event loop, after
    what is queued (input, paint) has been handled. Started by the owner when it has work."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(slot)
    return timer
