"""A session's facts beside its reflection: date, dose as logged, vital signs, side effects,
mood before and after, the monitor's check-ins and the moments marked during the journey."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from companion.domain.vitals import mean_reading
from companion.i18n import _
from companion.ui.common.render import local_day_time, local_time
from companion.ui.widgets.card import Card
from companion.ui.widgets.text import bullet, label

if TYPE_CHECKING:
    from companion.services.sessions_model import (
        CheckinFacts,
        SessionFacts,
        VitalsFacts,
    )

STATUS = {
    "completed": "Completed",
    "in_progress": "Not finished",
    "aborted": "Stopped early",
    "interrupted": "Interrupted",
}
LEVEL = {"ok": "", "warn": " (above your provider's caution level)", "stop": " (above the limit)"}


def vitals_text(v: VitalsFacts | None) -> str:
    if v is None:
        return _("Not taken")
    r = mean_reading(v.readings) if v.readings else None
    if r is None:
        return _("Not taken")
    text = f"{r.systolic:.0f}/{r.diastolic:.0f} mmHg"
    if r.pulse is not None:
        text += f", pulse {r.pulse:.0f}"
    if len(v.readings) > 1:
        text += f" (average of {len(v.readings)} readings)"
    return text + f" at {local_time(v.taken_at)}" + LEVEL.get(str(v.level.value), "")


NOT_ASKED_NAMES = {
    "responsive": "responsive",
    "breathing": "breathing",
    "nausea": "nausea",
    "needs_help": "needing help",
}


def checkin_text(c: CheckinFacts) -> str:
    """An item the protocol did not ask reads "not asked", never as an answer."""
    parts = []
    if c.responsive is not None:
        parts.append("responsive" if c.responsive else _("not responsive"))
    if c.breathing_ok is not None:
        parts.append(_("breathing fine") if c.breathing_ok else _("breathing not fine"))
    if c.nausea:
        parts.append("nausea")
    if c.needs_help:
        parts.append(_("asked for help"))
    text = f"{local_time(c.at)}: " + (", ".join(parts) or "answered")
    if c.not_asked:
        text += _("; not asked: ") + ", ".join(NOT_ASKED_NAMES[i] for i in c.not_asked)
    return text + (f". Note: {c.note}" if c.note else "")


def mood_text(value: int | None) -> str:
    return _("not noted") if value is None else f"{value} of 10"


def since_dose(seconds: float | None) -> str:
    if seconds is None:
        return _("before the dose")
    minutes = int(seconds // 60)
    return f"{minutes} min after the dose"


class SessionFactsCard(Card):
    """Everything recorded about one session, in plain sentences."""

    def __init__(self, facts: SessionFacts, parent: QWidget | None = None) -> None:
        super().__init__(_("The session"), parent=parent)
        self.lines: list[QLabel] = []
        f = facts

        def fact(caption: str, value: str) -> None:
            line = label(f"{caption}: {value}")
            self.lines.append(line)
            self.body.addWidget(line)

        status = STATUS.get(str(f.status.value), str(f.status.value))
        fact(_("Date"), f"{local_day_time(f.started_at)} ({status.lower()})")
        if f.dose is not None:
            d = f.dose
            fact(
                _("Dose as logged"),
                f"{d.medicine}, {d.form}: {d.dose_text}. Taken at {local_time(d.taken_at)}; "
                f"held for {d.hold_minutes} min.",
            )
        else:
            fact(_("Dose as logged"), _("No dose was logged."))
        fact(_("Mood"), f"before {mood_text(f.mood_before)}, after {mood_text(f.mood_after)}")
        fact(_("Blood pressure and pulse before"), vitals_text(f.vitals_before))
        fact(_("Blood pressure and pulse after"), vitals_text(f.vitals_after))
        if f.intention:
            fact(_("Intention"), f.intention)
        if f.recovered_at is not None:
            fact(_("Felt recovered at"), local_time(f.recovered_at))
        self._list(
            _("Side effects"),
            [
                f"{e.name} ({e.severity.value})" + (f": {e.note}" if e.note else "")
                for e in f.side_effects
            ],
            _("None noted."),
        )
        self._list(
            _("Monitor check-ins"), [checkin_text(c) for c in f.checkins], _("None recorded.")
        )
        self._list(
            _("Moments you marked"),
            [
                f"{local_time(m.at)} ({since_dose(m.since_dose_seconds)})"
                + (f": {m.note}" if m.note else "")
                for m in f.markers
            ],
            _("None."),
        )

    def _list(self, caption: str, items: list[str], empty: str) -> None:
        if not items:
            line = label(f"{caption}: {empty}")
            self.lines.append(line)
            self.body.addWidget(line)
            return
        heading = label(f"{caption}:")
        self.lines.append(heading)
        self.body.addWidget(heading)
        for item in items:
            row = bullet(item)
            self.body.addWidget(row)
            self.lines.extend(row.findChildren(QLabel))

    def text(self) -> str:
        return "\n".join(line.text() for line in self.lines)
