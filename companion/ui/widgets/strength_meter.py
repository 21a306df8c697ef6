"""A live passphrase strength meter (zxcvbn) that says in plain words why a weak one is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from companion.ui.widgets.steady import FeedbackArea
from companion.ui.widgets.text import label

if TYPE_CHECKING:
    from companion.domain.passphrase import Strength

# Words that make a passphrase easier to guess for someone who knows what this app is.
APP_WORDS = ["companion", "ketamine", "session", "journal", "passphrase", "password"]
LEVELS = ("weak", "weak", "fair", "strong", "strong")
# typical words for the room kept free below the bar (a reason, then a suggestion)
FEEDBACK_SAMPLES = (
    "This passphrase would be too easy to guess.",
    "Add another word or two. Uncommon words are better.",
)


class StrengthMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strength: Strength | None = None
        self.bar = QProgressBar()
        self.bar.setRange(0, 5)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Passphrase strength")
        self.label: QLabel = label("Strength: —", "muted", wrap=False)
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
        self.feedback = FeedbackArea((self.reason, self.suggestion), FEEDBACK_SAMPLES)
        layout.addWidget(self.feedback)

    @property
    def acceptable(self) -> bool:
        return self._strength is not None and self._strength.acceptable

    def update_for(self, passphrase: str, user_inputs: list[str] | None = None) -> None:
        if not passphrase:
            self.reset()
            return
        from companion.domain.passphrase import assess  # zxcvbn loads word lists: only when needed

        strength = assess(passphrase, [*APP_WORDS, *(user_inputs or [])])
        self._strength = strength
        self.bar.setValue(strength.score + 1)
        self.bar.setProperty(
            "level", LEVELS[strength.score] if not strength.acceptable else "strong"
        )
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)
        self.label.setText(f"Strength: {strength.label}")
        self.bar.setAccessibleDescription(strength.label)
        self.reason.setText(strength.reason)
        self.reason.setVisible(bool(strength.reason))
        self.suggestion.setText("" if strength.acceptable else strength.suggestion)
        self.suggestion.setVisible(not strength.acceptable and bool(strength.suggestion))

    def reset(self) -> None:
        self._strength = None
        self.bar.setValue(0)
        self.label.setText("Strength: —")
        self.reason.clear()
        self.reason.hide()
        self.suggestion.clear()
        self.suggestion.hide()
