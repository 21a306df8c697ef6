"""A session's facts beside its reflection: date, dose as logged, vital signs, side effects,
mood before and after, the monitor's check-ins and the moments marked during the journey."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from companion.domain.vitals import mean_reading
from companion.i18n import N_, _, format_number
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
    "completed": N_("completed"),
    "in_progress": N_("not finished"),
    "aborted": N_("stopped early"),
    "interrupted": N_("interrupted"),
}
LEVEL = {"warn": N_("above your provider's caution level"), "stop": N_("above the limit")}
SEVERITY = {
    "none": N_("none"),
    "mild": N_("mild"),
    "moderate": N_("moderate"),
    "severe": N_("severe"),
}


def vitals_text(v: VitalsFacts | None) -> str:
    if v is None:
        return _("Not taken")
    r = mean_reading(v.readings) if v.readings else None
    if r is None:
        return _("Not taken")
    text = _("{top}/{bottom} mmHg").format(
        top=format_number(r.systolic, 0), bottom=format_number(r.diastolic, 0)
    )
    if r.pulse is not None:
        text = _("{pressure}, pulse {pulse}").format(pressure=text, pulse=format_number(r.pulse, 0))
    if len(v.readings) > 1:
        text = _("{reading} (average of {count} readings)").format(
            reading=text, count=len(v.readings)
        )
    text = _("{reading} at {time}").format(reading=text, time=local_time(v.taken_at))
    level = LEVEL.get(str(v.level.value))
    return _("{reading} ({level})").format(reading=text, level=_(level)) if level else text


NOT_ASKED_NAMES = {
    "responsive": N_("responsive"),
    "breathing": N_("breathing"),
    "nausea": N_("nausea"),
    "needs_help": N_("needing help"),
}


def checkin_text(c: CheckinFacts) -> str:
    """An item the protocol did not ask reads "not asked", never as an answer."""
    parts = []
    if c.responsive is not None:
        parts.append(_("responsive") if c.responsive else _("not responsive"))
    if c.breathing_ok is not None:
        parts.append(_("breathing fine") if c.breathing_ok else _("breathing not fine"))
    if c.nausea:
        parts.append(_("nausea"))
    if c.needs_help:
        parts.append(_("asked for help"))
    text = _("{time}: {answers}").format(
        time=local_time(c.at), answers=", ".join(parts) or _("answered")
    )
    if c.not_asked:
        text = _("{checkin}; not asked: {items}").format(
            checkin=text, items=", ".join(_(NOT_ASKED_NAMES[i]) for i in c.not_asked)
        )
    return _("{checkin}. Note: {note}").format(checkin=text, note=c.note) if c.note else text


def mood_text(value: int | None) -> str:
    return _("not noted") if value is None else _("{mood} of 10").format(mood=value)


def since_dose(seconds: float | None) -> str:
    if seconds is None:
        return _("before the dose")
    minutes = int(seconds // 60)
    return _("{minutes} min after the dose").format(minutes=minutes)


class SessionFactsCard(Card):
    """Everything recorded about one session, in plain sentences."""

    def __init__(self, facts: SessionFacts, parent: QWidget | None = None) -> None:
        super().__init__(_("The session"), parent=parent)
        self.lines: list[QLabel] = []
        f = facts
        fact = self._fact
        value = str(f.status.value)
        status = _(STATUS[value]) if value in STATUS else value
        fact(
            _("Date"),
            _("{when} ({status})").format(when=local_day_time(f.started_at), status=status),
        )
        if f.dose is not None:
            d = f.dose
            fact(
                _("Dose as logged"),
                _("{medicine}, {form}: {dose}. Taken at {time}; held for {minutes} min.").format(
                    medicine=d.medicine,
                    form=d.form,
                    dose=d.dose_text,
                    time=local_time(d.taken_at),
                    minutes=d.hold_minutes,
                ),
            )
        else:
            fact(_("Dose as logged"), _("No dose was logged."))
        fact(
            _("Mood"),
            _("before {before}, after {after}").format(
                before=mood_text(f.mood_before), after=mood_text(f.mood_after)
            ),
        )
        fact(_("Blood pressure and pulse before"), vitals_text(f.vitals_before))
        fact(_("Blood pressure and pulse after"), vitals_text(f.vitals_after))
        if f.intention:
            fact(_("Intention"), f.intention)
        if f.recovered_at is not None:
            fact(_("Felt recovered at"), local_time(f.recovered_at))
        self._lists(f)

    def _fact(self, caption: str, value: str) -> None:
        line = label(_("{caption}: {value}").format(caption=caption, value=value))
        self.lines.append(line)
        self.body.addWidget(line)

    def _lists(self, f: SessionFacts) -> None:
        """Side effects, monitor check-ins and the moments marked, one line each."""
        self._list(
            _("Side effects"),
            [
                (
                    _("{effect} ({severity}): {note}") if e.note else _("{effect} ({severity})")
                ).format(
                    effect=e.name,
                    severity=_(SEVERITY.get(e.severity.value, e.severity.value)),
                    note=e.note,
                )
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
                (_("{time} ({since}): {note}") if m.note else _("{time} ({since})")).format(
                    time=local_time(m.at), since=since_dose(m.since_dose_seconds), note=m.note
                )
                for m in f.markers
            ],
            _("None."),
        )

    def _list(self, caption: str, items: list[str], empty: str) -> None:
        if not items:
            line = label(_("{caption}: {value}").format(caption=caption, value=empty))
            self.lines.append(line)
            self.body.addWidget(line)
            return
        heading = label(_("{caption}:").format(caption=caption))
        self.lines.append(heading)
        self.body.addWidget(heading)
        for item in items:
            row = bullet(item)
            self.body.addWidget(row)
            self.lines.extend(row.findChildren(QLabel))

    def text(self) -> str:
        return "\n".join(line.text() for line in self.lines)
