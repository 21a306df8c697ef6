"""Pages that later versions fill. They say plainly what will be here; nothing pretends to work."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import bullet, label, title

NOT_YET = "This part of Companion is not built yet. There is nothing to do here for now."


@dataclass(frozen=True, slots=True)
class Upcoming:
    title: str
    intro: str
    will_hold: tuple[str, ...]


SESSION = Upcoming(
    "Session",
    "This is where Companion will guide you through a session, one calm step at a time.",
    (
        "Before: your provider's checklist, blood pressure and pulse, your intention and mood.",
        "The dose exactly as your provider prescribed it, and the hold timer they set.",
        "During: music, gentle prompts, check-ins for your monitor, and Help one key away.",
        "After: how you feel, any side effects, and reminders for the rest of the day.",
    ),
)
JOURNAL = Upcoming(
    "Journal",
    "This is where your private journal will live.",
    (
        "Free writing whenever you want, before or after a session or on any day.",
        "Your mood, tags and a search over everything you wrote.",
        "Drafts saved as you type, so nothing is lost if you step away.",
    ),
)
REFLECTIONS = Upcoming(
    "Reflections",
    "This is where you will look back over time.",
    (
        "Guided reflection prompts after each session, and later integration notes.",
        "Questionnaires your provider asks for (PHQ-9 and GAD-7) on their schedule.",
        "Charts of mood, scores, vital signs and side effects across sessions.",
    ),
)
EXPORT = Upcoming(
    "Export",
    "This is where you will choose what to share with your provider, if anything.",
    (
        "Only entries you mark to share, shown in a preview before anything is written.",
        "Encrypted files by default; a plain file only if you explicitly confirm it.",
        "Nothing ever leaves this computer unless you choose to send it.",
    ),
)


class UpcomingPage(ScrollPage):
    def __init__(self, content: Upcoming, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        col = self.column
        col.addWidget(title(content.title))
        col.addWidget(label(content.intro))
        col.addWidget(label("What this page will hold:", "muted"))
        for item in content.will_hold:
            col.addWidget(bullet(item))
        col.addSpacing(self.fontMetrics().height() // 2)
        col.addWidget(label(NOT_YET, "note"))
        col.addStretch(1)
