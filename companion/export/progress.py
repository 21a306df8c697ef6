"""Progress and cancellation for long exports, imports and backups (run off the GUI thread).

The worker calls ``report(fraction, stage)``; the UI turns it into a progress bar and sets the
``CancelToken`` when Cancel is pressed. Stages are fixed event-like names, never data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from companion.errors import CompanionError
from companion.i18n import N_

ProgressFn = Callable[[float, str], None]


class CancelledError(CompanionError):
    message = N_("Cancelled. Nothing was written and nothing in the vault changed.")
    nothing_written = vault_unchanged = True


class CancelToken:
    """Set from any thread; checked by the worker between steps."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise CancelledError()


class Progress:
    """Reports ``fraction`` in [0, 1] with a stage name, and checks for cancellation."""

    def __init__(self, report: ProgressFn | None = None, cancel: CancelToken | None = None) -> None:
        self._report = report
        self._cancel = cancel or CancelToken()

    @property
    def token(self) -> CancelToken:
        return self._cancel

    def step(self, fraction: float, stage: str) -> None:
        self._cancel.check()
        if self._report is not None:
            self._report(max(0.0, min(1.0, fraction)), stage)

    def check(self) -> None:
        self._cancel.check()

    def report(self, fraction: float, stage: str) -> None:
        """Progress past the point of no return: reported, never cancelled."""
        if self._report is not None:
            self._report(max(0.0, min(1.0, fraction)), stage)
