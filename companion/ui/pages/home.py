"""Home: a greeting, reminders, the plan (next session and its preparation), the last reflection
and the sessions completed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from companion.domain.profile import Profile, validate_profile
from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.ui.common.dates import friendly_date
from companion.ui.context import UiContext
from companion.ui.session.planning import PlanCard
from companion.ui.tasks import Change, Changed
from companion.ui.widgets.fits_text import looks_changed
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import label, title

if TYPE_CHECKING:  # services import SQLAlchemy: kept off the start-up path
    from companion.domain.reminders import Reminder
    from companion.services.home import HomeSummary

REMINDER_RECHECK_MS = 60_000  # "tomorrow" stops being true at midnight, even on an idle Home

NO_REFLECTION = N_("No reflections yet")
PROFILE_INCOMPLETE = N_(
    "Your profile is missing a few details that Help uses, such as your provider's contact. "
    "You can add them in Settings whenever you are ready."
)


def greeting_for(now: datetime, name: str) -> str:
    hour = now.astimezone().hour
    part = (
        _("Good morning")
        if 5 <= hour < 12
        else _("Good afternoon")
        if 12 <= hour < 18
        else _("Good evening")
    )
    return _("{greeting}, {name}").format(greeting=part, name=name) if name.strip() else part


class Fact(QFrame):
    """One fact on a card: a quiet caption and a value."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self._layout = QVBoxLayout(self)
        self._fit_to_text()
        layout = self._layout
        self.caption: QLabel = label(caption, "muted")
        self.value: QLabel = label("…", "figure")
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def _fit_to_text(self) -> None:
        """Margins of a line's height, after a live text-size change as at a start."""
        pad = self.fontMetrics().height()
        self._layout.setContentsMargins(pad, pad * 3 // 4, pad, pad * 3 // 4)

    def changeEvent(self, event: QEvent) -> None:
        if looks_changed(event):
            self._fit_to_text()
        super().changeEvent(event)

    def set_value(self, text: str) -> None:
        self.value.setText(text)
        self.setAccessibleName(f"{self.caption.text()}: {text}")


# What Home shows: the next session and the plan, the last reflection, sessions completed.
SHOWN = (Change.SESSIONS, Change.PLAN, Change.JOURNAL)


class HomePage(ScrollPage):
    plan_changed = Signal()  # the plan was changed here: the Session page asks again

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._ctx = ctx
        col = self.column
        self.greeting: QLabel = title(greeting_for(ctx.clock.now(), ""))
        col.addWidget(self.greeting)
        col.addWidget(label(_("Here is where things stand. There is no rush."), "muted"))
        self.reminder: QLabel = label("", "note")
        self.reminder.hide()
        col.addWidget(self.reminder)
        self.last_reflection = Fact(_("Last reflection"))
        self.completed = Fact(_("Sessions completed"))
        self.plan = PlanCard(ctx)
        self.plan.changed.connect(self._refresh_summary)
        self.plan.changed.connect(self._refresh_reminder)
        self.plan.changed.connect(self.plan_changed)
        for widget in (self.plan, self.last_reflection, self.completed):
            col.addWidget(widget)
        self.profile_note: QLabel = label(_(PROFILE_INCOMPLETE), "note")
        self.profile_note.hide()
        col.addWidget(self.profile_note)
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)
        col.addStretch(1)
        self._recheck = QTimer(self)
        self._recheck.setInterval(REMINDER_RECHECK_MS)
        self._recheck.timeout.connect(self._refresh_reminder)
        ctx.tasks.changed.connect(self._on_changed)

    def _on_changed(self, changed: Changed) -> None:
        """Sessions, the plan or the journal changed elsewhere (an import, a session closed)."""
        if not changed.came_from(self) and changed.touches(*SHOWN):
            self.refresh()

    def refresh(self) -> None:
        self._refresh_summary()
        self._refresh_reminder()
        self.plan.refresh()

    def show_reminder(self, title: str, text: str) -> None:
        """The tray says a reminder fell due. Home shows only what is true when it is read,
        so it asks the plan again rather than keeping the tray's words."""
        del title, text
        self._refresh_reminder()

    def _refresh_reminder(self) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.planning.current_reminder(),
            receiver=self,
            on_result=self.show_current_reminder,
            on_error=self._on_error,
        )

    def show_current_reminder(self, reminder: Reminder | None) -> None:
        if reminder is None:
            self.reminder.clear()
            self.reminder.hide()
            return
        self.reminder.setText(f"{reminder.title}. {reminder.text}")
        self.reminder.setAccessibleName(self.reminder.text())
        self.reminder.show()

    def showEvent(self, event: QShowEvent) -> None:
        self._recheck.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._recheck.stop()
        super().hideEvent(event)

    def _refresh_summary(self) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.home.summary(),
            receiver=self,
            on_result=self.show_summary,
            on_error=self._on_error,
        )

    def show_summary(self, summary: HomeSummary) -> None:
        self.error.hide()
        self.last_reflection.set_value(
            friendly_date(summary.last_reflection_at)
            if summary.last_reflection_at
            else _(NO_REFLECTION)
        )
        self.completed.set_value(str(summary.sessions_completed))

    def show_profile(self, profile: Profile) -> None:
        self.greeting.setText(greeting_for(self._ctx.clock.now(), profile.name))
        self.greeting.setAccessibleName(self.greeting.text())
        self.profile_note.setVisible(bool(validate_profile(profile)))

    def _on_error(self, error: CompanionError) -> None:
        self.show_error(str(error))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear(self) -> None:
        self._recheck.stop()
        self.reminder.clear()
        self.reminder.hide()
        self.greeting.setText(greeting_for(self._ctx.clock.now(), ""))
        self.greeting.setAccessibleName(self.greeting.text())
