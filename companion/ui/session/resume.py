"""What to say when Companion finds a session a crash (or a lock) left open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.i18n import _
from companion.ui.session.timefmt import clock_time, spoken_minutes

if TYPE_CHECKING:
    from companion.services.sessions_model import ResumeInfo


def resume_text(info: ResumeInfo) -> str:
    from companion.services.sessions_model import ResumeStage

    facts = info.facts
    if info.stage is ResumeStage.BEFORE:
        return (
            f"You started preparing at {clock_time(facts.started_at)}. Your answers so far are "
            "saved; carry on from the checklist."
        )
    if info.stage is ResumeStage.AFTER:
        return _(
            "The music ended while Companion was closed. Carry on with how you feel now: "
            "your vitals, any side effects and the reminders for today."
        )
    state = info.state
    if facts.dose is None or state is None or state.since_dose_seconds is None:
        return (
            f"You began to settle in at {clock_time(facts.started_at)}. Your medicine has not "
            "been logged yet."
        )
    paused = _(" It is paused; resume it when you are ready.") if state.paused else ""
    return (
        f"Your session is still running: {spoken_minutes(state.since_dose_seconds)} since you "
        f"took your medicine at {clock_time(facts.dose.taken_at)}. The music and the prompts "
        f"carry on from where they should be now.{paused}"
    )


def interrupted_text(info: ResumeInfo) -> str:
    from companion.ui.common.dates import friendly_date

    return (
        f"Your session of {friendly_date(info.facts.started_at)} was left open and ended too "
        "long ago to pick up, so it was closed as interrupted. Everything recorded is kept."
    )
