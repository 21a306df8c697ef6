"""Work spread over turns of the event loop: a timer for "in the next turn"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

# A turn's work is followed by the next after at least this long. With 0 ms, the next piece
# often ran straight after the last one, before timers already due (its own timer, started
# before a long layout, was due earlier than theirs): two pieces of the Before step, or a
# prompt's view and its sound, were one stall. 1 ms still lost to a 5 ms timer; 4 ms does not.
TURN_GAP_MS = 4


def next_turn_timer(owner: QObject, slot: Callable[[], None]) -> QTimer:
    """A single-shot timer of ``TURN_GAP_MS``: ``slot`` runs in the next turn of the event
    loop, after what is queued (input, paint) has been handled. Started by the owner when it
    has work."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(TURN_GAP_MS)
    timer.timeout.connect(slot)
    return timer


def in_next_turn(owner: QObject, slot: Callable[[], None]) -> None:
    """``slot`` once, in a later turn of the event loop, after the input, paint and timers
    already due; nothing if ``owner`` is deleted first. (``QTimer.singleShot(0, ...)`` posts a
    call instead, which runs straight after this turn's work, before any of those: the two
    were one stall.)"""

    def fire() -> None:
        timer.deleteLater()
        slot()

    timer = next_turn_timer(owner, fire)
    timer.start()
