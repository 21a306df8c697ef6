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
        return _(
            "You started preparing at {time}. Your answers so far are saved; carry on from the "
            "checklist."
        ).format(time=clock_time(facts.started_at))
    if info.stage is ResumeStage.AFTER:
        return _(
            "The music ended while Companion was closed. Carry on with how you feel now: "
            "your vitals, any side effects and the reminders for today."
        )
    state = info.state
    if facts.dose is None or state is None or state.since_dose_seconds is None:
        return _("You began to settle in at {time}. Your medicine has not been logged yet.").format(
            time=clock_time(facts.started_at)
        )
    paused = " " + _("It is paused; resume it when you are ready.") if state.paused else ""
    return (
        _(
            "Your session is still running: {minutes} since you took your medicine at {time}. "
            "The music and the prompts carry on from where they should be now."
        ).format(
            minutes=spoken_minutes(state.since_dose_seconds), time=clock_time(facts.dose.taken_at)
        )
        + paused
    )


def interrupted_text(info: ResumeInfo) -> str:
    from companion.ui.common.dates import friendly_date

    return _(
        "Your session of {when} was left open and ended too long ago to pick up, so it was "
        "closed as interrupted. Everything recorded is kept."
    ).format(when=friendly_date(info.facts.started_at))
