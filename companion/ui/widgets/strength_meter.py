"""A live passphrase strength meter (zxcvbn) that says in plain words why a weak one is refused.

zxcvbn takes a noticeable moment (its word lists load on first use, and a long passphrase costs
more), so it never runs on the GUI thread or on every keystroke: the meter waits until typing
pauses (``DEBOUNCE_MS``), then asks on a thread of its own, and shows the answer only if the
text has not changed since. Until then ``acceptable`` is False, so a form never accepts a
passphrase whose strength is not yet known.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from companion.i18n import N_, _
from companion.ui.widgets.steady import FeedbackArea
from companion.ui.widgets.text import label, repolish

if TYPE_CHECKING:
    from companion.domain.passphrase import Strength

# Words that make a passphrase easier to guess for someone who knows what this app is.
APP_WORDS = ["companion", "ketamine", "session", "journal", "passphrase", "password"]
LEVELS = ("weak", "weak", "fair", "strong", "strong")
# typical words for the room kept free below the bar (a reason, then a suggestion)
FEEDBACK_SAMPLES = (
    N_("This passphrase would be too easy to guess."),
    N_("Add another word or two. Uncommon words are better."),
)
DEBOUNCE_MS = 150  # typing pauses this long before the strength is estimated


class StrengthMeter(QWidget):
    assessed = Signal()  # a fresh answer for the text now in the field is shown
    _answer = Signal(int, object)  # (request number, Strength), from the estimating thread

    def __init__(self, parent: QWidget | None = None, *, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._strength: Strength | None = None
        self._request = 0  # the number of the latest text asked about
        self._text = ""
        self._user_inputs: list[str] = []
        self._executor: ThreadPoolExecutor | None = None  # made on first use
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._estimate)
        self._answer.connect(self._show)
        self.bar = QProgressBar()
        self.bar.setRange(0, 5)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(_("Passphrase strength"))
        self.label: QLabel = label(_("Strength: —"), "muted", wrap=False)
        self.reason: QLabel = label("", "error")
        self.reason.hide()
        self.suggestion: QLabel = label("", "muted")
        self.suggestion.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.bar, 1)
        top.addWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        # why it is refused and what to try: room reserved, so the field below never jumps
        self.feedback = FeedbackArea(
            (self.reason, self.suggestion), tuple(_(sample) for sample in FEEDBACK_SAMPLES)
        )
        layout.addWidget(self.feedback)

    @property
    def acceptable(self) -> bool:
        """True once the text now in the field is known to be strong enough."""
        return self._strength is not None and self._strength.acceptable

    @property
    def settled(self) -> bool:
        """No estimate is waiting or running for the text now in the field."""
        return self._strength is not None or not self._text

    def update_for(self, passphrase: str, user_inputs: list[str] | None = None) -> None:
        """A new text: the last answer stays on screen (no flicker while typing), but it no
        longer counts; the estimate starts once typing pauses. The same text again (the
        confirmation field changed) keeps its answer."""
        inputs = [*APP_WORDS, *(user_inputs or [])]
        if passphrase == self._text and inputs == self._user_inputs and passphrase:
            return
        self._request += 1
        self._text = passphrase
        self._user_inputs = inputs
        self._strength = None
        if not passphrase:
            self._timer.stop()
            self.reset()
            return
        self._timer.start()

    def _estimate(self) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="strength")
        number, text, inputs = self._request, self._text, self._user_inputs
        future = self._executor.submit(_assess, text, inputs)
        future.add_done_callback(lambda done: self._deliver(number, done))

    def _deliver(self, number: int, done: Future[Strength]) -> None:
        """On the estimating thread: hands the answer to the GUI thread (queued)."""
        if done.exception() is not None:
            return
        with contextlib.suppress(RuntimeError):  # the meter was closed meanwhile
            self._answer.emit(number, done.result())

    def _show(self, number: int, strength: Strength) -> None:
        if number != self._request:
            return  # the text changed since: a newer estimate is coming
        self._strength = strength
        self.bar.setValue(strength.score + 1)
        self.bar.setProperty(
            "level", LEVELS[strength.score] if not strength.acceptable else "strong"
        )
        repolish(self.bar)
        self.label.setText(_("Strength: {level}").format(level=strength.label))
        self.bar.setAccessibleDescription(strength.label)
        self.reason.setText(strength.reason)
        self.reason.setVisible(bool(strength.reason))
        self.suggestion.setText("" if strength.acceptable else strength.suggestion)
        self.suggestion.setVisible(not strength.acceptable and bool(strength.suggestion))
        self.assessed.emit()

    def reset(self) -> None:
        self._request += 1
        self._text = ""
        self._timer.stop()
        self._strength = None
        self.bar.setValue(0)
        self.label.setText(_("Strength: —"))
        self.reason.clear()
        self.reason.hide()
        self.suggestion.clear()
        self.suggestion.hide()


def _assess(passphrase: str, user_inputs: list[str]) -> Strength:
    from companion.domain.passphrase import assess  # zxcvbn loads word lists: only when needed

    return assess(passphrase, user_inputs)
