"""Long work (exports, imports, backups, restores) on the database worker, with a progress bar
and a Cancel button on the GUI thread.

The worker only writes the latest ``(fraction, stage)`` into a ``JobState`` (a lock and two
values, no Qt); the ``ProgressPanel`` asks it "where are you now?" with one ``QTimer`` while the
job runs. Nothing crosses threads but plain values, so a panel that is closed mid-way (the
window locks) cannot be reached by a late report. Cancel sets the job's ``CancelToken``; the
service stops at its next step and raises ``CancelledError``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from companion.errors import CompanionError
from companion.export.progress import CancelToken
from companion.i18n import N_, _
from companion.ui.context import UiContext
from companion.ui.tasks import NOTHING, Change
from companion.ui.widgets.text import button, label

if TYPE_CHECKING:
    from companion.services.container import Services

T = TypeVar("T")
R = TypeVar("R")

POLL_MS = 80
# Stage names the services report (companion/export/progress.py), in words a person reads.
STAGES = {
    "read": N_("Reading your records"),
    "render": N_("Preparing the file"),
    "fhir": N_("Building the FHIR bundle"),
    "encrypt": N_("Encrypting"),
    "write": N_("Saving the file"),
    "copy": N_("Copying your vault"),
    "check": N_("Checking"),
    "insert": N_("Adding the records"),
    "index": N_("Updating search"),
    "open": N_("Opening the restored vault"),
    "done": N_("Finishing"),
}
# From these stages on, the work is past the point where stopping would leave things as they
# were: Cancel is withdrawn rather than pretending.
NO_RETURN = frozenset({"write", "index", "open", "done"})


class JobState:
    """Shared by the worker (``report``, ``token.check``) and the GUI (``snapshot``)."""

    def __init__(self) -> None:
        self.token = CancelToken()
        self._lock = threading.Lock()
        self._fraction = 0.0
        self._stage = ""

    def report(self, fraction: float, stage: str) -> None:
        with self._lock:
            self._fraction, self._stage = fraction, stage

    def snapshot(self) -> tuple[float, str]:
        with self._lock:
            return self._fraction, self._stage

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled


class ProgressPanel(QWidget):
    """What is happening, how far along, and Cancel. Hidden when nothing runs."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: JobState | None = None
        self.caption: QLabel = label("", "muted")
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(_("{name}: progress").format(name=name))
        self.cancel_button: QPushButton = button(
            _("Cancel"), accessible_name=_("Cancel: {name}").format(name=name.lower())
        )
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addLayout(row)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._what = ""
        self.hide()

    @property
    def running(self) -> bool:
        return self._state is not None

    def start(self, what: str, state: JobState) -> None:
        self._state = state
        self._what = what
        self.caption.setText(f"{what}…")
        self.bar.setValue(0)
        self.bar.setAccessibleDescription(what)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(_("Cancel"))
        self.show()
        self._timer.start()
        settle_layouts()

    def _poll(self) -> None:
        state = self._state
        if state is None:
            return
        fraction, stage = state.snapshot()
        self.bar.setValue(round(fraction * 100))
        if state.cancelled:
            return
        words = _(STAGES[stage]) if stage in STAGES else ""
        self.caption.setText(
            _("{task}: {stage}…").format(task=self._what, stage=words.lower())
            if words
            else _("{task}…").format(task=self._what)
        )
        if stage in NO_RETURN and self.cancel_button.isEnabled():
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(_("Almost done"))

    def cancel(self) -> None:
        if self._state is None:
            return
        self._state.cancel()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(_("Cancelling…"))
        self.caption.setText(_("Stopping…"))

    def stop(self) -> None:
        self._timer.stop()
        self._state = None
        self.hide()
        self.caption.clear()
        self.bar.setValue(0)
        settle_layouts()


class _PanelJob(Generic[T]):
    """One job shown on a panel: the panel starts with it, and stops before the job's result
    or error is handed on (whichever half of the work delivers it)."""

    def __init__(
        self,
        panel: ProgressPanel,
        what: str,
        on_result: Callable[[T], None],
        on_error: Callable[[CompanionError], None],
    ) -> None:
        self.state = JobState()
        self._panel = panel
        self._on_result = on_result
        self._on_error = on_error
        panel.start(what, self.state)

    def finished(self, result: T) -> None:
        self._panel.stop()
        self._on_result(result)

    def failed(self, error: CompanionError) -> None:
        self._panel.stop()
        self._on_error(error)


def run_job(
    ctx: UiContext,
    *,
    receiver: QObject,
    panel: ProgressPanel,
    what: str,
    call: Callable[[Services, JobState], T],
    on_result: Callable[[T], None],
    on_error: Callable[[CompanionError], None],
    changes: frozenset[Change] | Callable[[T], frozenset[Change]] = NOTHING,
) -> JobState:
    """Runs ``call(services, state)`` on the worker while ``panel`` shows its progress and
    offers Cancel; ``changes`` is broadcast when it succeeds (see ``TaskRunner.run``)."""
    job = _PanelJob(panel, what, on_result, on_error)
    state = job.state
    ctx.tasks.run(
        lambda s: call(s, state),
        receiver=receiver,
        on_result=job.finished,
        on_error=job.failed,
        changes=changes,
    )
    return state


def run_read_then_write(
    ctx: UiContext,
    *,
    receiver: QObject,
    panel: ProgressPanel,
    what: str,
    read: Callable[[Services, JobState], R],
    write: Callable[[R], T],
    on_result: Callable[[T], None],
    on_error: Callable[[CompanionError], None],
) -> JobState:
    """A job in two halves under one progress bar and one Cancel: ``read`` on the database
    worker, then ``write`` (render, encrypt, write a file: no database) on the second
    executor, so the database is free for a session event meanwhile."""
    job = _PanelJob(panel, what, on_result, on_error)
    state = job.state

    def then_write(read_result: R) -> None:
        ctx.tasks.run_without_db(
            lambda: write(read_result),
            receiver=receiver,
            on_result=job.finished,
            on_error=job.failed,
        )

    ctx.tasks.run(
        lambda s: read(s, state), receiver=receiver, on_result=then_write, on_error=job.failed
    )
    return state


def settle_layouts(rounds: int = 8) -> None:
    """Runs pending layout passes now, so text that changed a moment ago is never drawn (or
    measured) squeezed. Each nesting level (label, card, column, scrolling page) posts the
    next request, hence several rounds."""
    for _round in range(rounds):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
