"""Puts a resumed session's saved answers back into the before step, without saving them again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker

from companion.i18n import _
from companion.ui.session.before import BeforeView

if TYPE_CHECKING:
    from companion.services.sessions_model import SessionFacts


def prefill_before(view: BeforeView, facts: SessionFacts) -> None:
    for item_id, ticked in facts.checklist.items():
        box = view.checklist.boxes.get(item_id)
        if box is not None:
            with QSignalBlocker(box):
                box.setChecked(ticked)
    for question_id, yes in facts.health.items():
        target = (view.health.yes if yes else view.health.no).get(question_id)
        if target is not None:
            with QSignalBlocker(view.health.groups[question_id]):
                target.setChecked(True)
    view.health.notice.setVisible(any(facts.health.values()))
    card = view.intention
    with QSignalBlocker(card.intention):
        card.intention.setPlainText(facts.intention)
    with QSignalBlocker(card.mood):
        card.mood.setValue(facts.mood_before if facts.mood_before is not None else -1)
    card.mood_label.setText(
        _("Mood right now: {mood}").format(mood=facts.mood_before)
        if facts.mood_before is not None
        else _("Mood right now: not set")
    )
    before = facts.vitals_before
    if before is not None:
        rows = (view.vitals.first, view.vitals.second)
        for row, reading in zip(rows, before.readings, strict=False):
            pulse = None if reading.pulse is None else round(reading.pulse)
            row.set_reading(round(reading.systolic), round(reading.diastolic), pulse)
        if len(before.readings) > 1:
            view.vitals.second.show()
            view.vitals.add_second.hide()
        view.vitals.result.setText(
            _("Your reading from earlier is saved. Save again if you measure once more.")
        )
        view.vitals.result.show()
    view.refresh()
