"""The safety card: shown the moment PHQ-9 item 9 gets any answer above "Not at all".

Crisis line and emergency number from the profile, the provider's contact, "you can call now".
Nothing about it is sent anywhere; it only shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from companion.domain.profile import Profile
from companion.domain.scales import safety_card
from companion.i18n import N_, _
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import label, set_paragraphs

NOT_SENT = N_("Nothing about this answer is sent anywhere. It stays in your vault.")


class SafetyCard(FitsText, QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "safety")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QVBoxLayout(self)

        def fit(h: int) -> None:
            layout.setContentsMargins(h, h, h, h)
            layout.setSpacing(max(8, h // 2))

        fit_to_text(self, fit)
        self.heading: QLabel = label("", "safety-title", wrap=True)
        layout.addWidget(self.heading)
        self.lines: list[QLabel] = []
        self._layout = layout
        self.not_sent: QLabel = label(_(NOT_SENT), "muted")
        layout.addWidget(self.not_sent)
        self.show_for(Profile())

    def show_for(self, profile: Profile) -> None:
        card = safety_card(profile)
        self.heading.setText(card.title)
        self.lines = set_paragraphs(self._layout, self.lines, card.lines, at=1)
        self.setAccessibleName(card.title)
        self.setAccessibleDescription(" ".join(card.lines))

    def text(self) -> str:
        return " ".join([self.heading.text(), *(line.text() for line in self.lines)])
