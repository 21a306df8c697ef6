"""Draft autosave: a few seconds after the last keystroke, and at once on every focus change.

Time is asked of the injected ``Clock`` (DESIGN.md §1): the single-shot ``QTimer`` only wakes
the object up, and ``tick`` decides from the clock whether the quiet period has passed. Tests
move a ``ManualClock`` and call ``tick``; nothing counts timer ticks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from companion.domain.clock import Clock

AUTOSAVE_AFTER_S = 3.0


class Autosave(QObject):
    """Calls ``save`` once typing has paused for ``delay_s`` seconds, or on ``flush``."""

    flushed = Signal()

    def __init__(
        self,
        clock: Clock,
        save: Callable[[], None],
        delay_s: float = AUTOSAVE_AFTER_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._save = save
        self._delay = delay_s
        self._dirty = False
        self._last_change = 0.0
        self._enabled = True
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.tick)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def changed(self) -> None:
        """Something was typed or picked."""
        if not self._enabled:
            return
        self._dirty = True
        self._last_change = self._clock.monotonic()
        self.timer.start(round(self._delay * 1000))

    def tick(self) -> None:
        """What the timer does: saves if the pause has lasted long enough, else waits on."""
        if not self._dirty or not self._enabled:
            return
        waited = self._clock.monotonic() - self._last_change
        if waited >= self._delay:
            self.flush()
        else:
            self.timer.start(max(50, round((self._delay - waited) * 1000)))

    def flush(self) -> None:
        """Saves now if anything changed since the last save (focus change, leaving, lock)."""
        if not self._dirty or not self._enabled:
            return
        self._dirty = False
        self.timer.stop()
        self._save()
        self.flushed.emit()

    def resume(self) -> None:
        """Saving drafts again (publishing failed: the words are still only here)."""
        self._enabled = True

    def stop(self) -> None:
        """No more saves (the entry was published, discarded or the vault locked)."""
        self._enabled = False
        self._dirty = False
        self.timer.stop()
