"""A completed session is followed by an automatic, verifiable backup; a rehearsal is not."""

from __future__ import annotations

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.sessions_rehearsal import rehearsal_service
from tests.support.flow import PROTOCOL, before_step, begin, finish_after, take_dose
from tests.support.vault import PASSPHRASE


def test_completing_a_session_writes_a_backup(
    with_profile: Services, manual_clock: ManualClock
) -> None:
    app = with_profile
    assert app.backup.list_backups() == []
    sid = app.sessions.start_session()
    before_step(app.sessions, sid)
    timeline = begin(app.sessions, sid, manual_clock)
    take_dose(app.sessions, sid, timeline, manual_clock)
    finish_after(app.sessions, sid, manual_clock)

    backups = app.backup.list_backups()
    assert len(backups) == 1
    counts = app.backup.verify_backup(backups[0].path, PASSPHRASE)
    assert counts["session"] == 1 and counts["dose_log"] == 1


def test_a_rehearsal_makes_no_backup(with_profile: Services, manual_clock: ManualClock) -> None:
    app = with_profile
    rehearsal = rehearsal_service(PROTOCOL, app.profile.load().prescription, manual_clock)
    sid = rehearsal.start_session()
    before_step(rehearsal, sid)
    timeline = begin(rehearsal, sid, manual_clock)
    take_dose(rehearsal, sid, timeline, manual_clock)
    finish_after(rehearsal, sid, manual_clock)
    assert app.backup.list_backups() == []
