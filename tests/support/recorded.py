"""A real vault's history for the report tests: a session ended early before the dose, a
rehearsal (recorded nowhere), a second try the same day and a session a week later."""

from __future__ import annotations

from datetime import UTC

from companion.domain.clock import ManualClock
from companion.i18n import format_time
from companion.services.container import Services
from companion.services.sessions_rehearsal import rehearsal_service
from tests.support.flow import PROTOCOL, before_step, begin, finish_after, take_dose
from tests.support.services import make_profile


def _clock_time(clock: ManualClock) -> str:
    return format_time(clock.now().astimezone(UTC)).replace("\u202f", " ")


def vault_with_a_rehearsal_and_an_early_end(
    services: Services, clock: ManualClock
) -> dict[str, str]:
    """Session id -> its start as the report writes it (UTC), in the order they began."""
    services.profile.save(make_profile())
    starts: dict[str, str] = {}

    stopped = services.sessions.start_session()
    starts[stopped] = _clock_time(clock)
    before_step(services.sessions, stopped)
    begin(services.sessions, stopped, clock)
    services.sessions.end_early(stopped, reason="Felt unwell before the medicine")

    clock.advance(20 * 60)
    rehearsal = rehearsal_service(PROTOCOL, make_profile().prescription, clock)
    rid = rehearsal.start_session()
    before_step(rehearsal, rid)
    timeline = begin(rehearsal, rid, clock)
    take_dose(rehearsal, rid, timeline, clock)
    rehearsal.end_early(rid, reason="Only trying")

    for gap in (40 * 60, 7 * 24 * 3600):
        clock.advance(gap)
        sid = services.sessions.start_session()
        starts[sid] = _clock_time(clock)
        before_step(services.sessions, sid)
        timeline = begin(services.sessions, sid, clock)
        take_dose(services.sessions, sid, timeline, clock)
        finish_after(services.sessions, sid, clock)
    return starts
