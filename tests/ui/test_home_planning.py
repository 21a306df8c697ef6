"""Home plans truthfully on a real window: a past time is refused in plain words, "tomorrow"
leaves Home at midnight, and the Session page hears at once that the plan changed."""

from __future__ import annotations

from datetime import time, timedelta

from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.i18n import format_time
from companion.services.container import Services
from companion.ui.session.planning import to_qdatetime
from companion.ui.tasks import TaskRunner
from tests.support.gui import WindowFactory, click, unlock
from tests.support.services import make_profile
from tests.support.vault import PASSPHRASE


def _settle(qtbot: QtBot, tasks: TaskRunner) -> None:
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def test_home_refuses_a_past_date_and_drops_tomorrow_at_midnight(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.vault.lock()
    window = make_window()
    shell = unlock(qtbot, window, PASSPHRASE)
    window.autolock.stop()  # days pass on the manual clock; the idle lock is tested elsewhere
    tasks = window.ctx.tasks
    card = shell.home.plan
    _settle(qtbot, tasks)
    assert "No session is planned" in shell.session_page.start_view.next_text.text()

    yesterday = manual_clock.now().astimezone() - timedelta(days=1)
    card.first_start.setDateTime(to_qdatetime(yesterday))
    click(qtbot, card.plan_button)
    _settle(qtbot, tasks)
    assert "already passed" in card.status.text() and card.visits == ()
    assert card.next_label.text() == "No session planned yet"

    first = (manual_clock.now() + timedelta(days=3)).astimezone()
    first = first.replace(hour=17, minute=0, second=0, microsecond=0)
    heard: list[bool] = []
    shell.home.plan_changed.connect(lambda: heard.append(True))
    card.first_start.setDateTime(to_qdatetime(first))
    click(qtbot, card.plan_button)
    qtbot.waitUntil(lambda: len(card.visits) == 4, timeout=10_000)
    assert card.next_label.text().startswith("Session 1 of 4") and heard == [True]
    _settle(qtbot, tasks)
    # the Session page was told: it no longer says "No session is planned"
    assert shell.session_page.start_view.next_text.text().startswith("Session 1 of 4")

    eve = first - timedelta(days=1)
    manual_clock.advance((eve - manual_clock.now()).total_seconds())
    shell.show_page(0)
    _settle(qtbot, tasks)
    assert shell.home.reminder.text().startswith(
        f"Session 1 is tomorrow at {format_time(time(17, 0))}"
    )
    assert shell.home.reminder.isVisibleTo(shell.home)

    midnight = first.replace(hour=0)
    manual_clock.advance((midnight - manual_clock.now()).total_seconds())
    shell.show_page(0)
    _settle(qtbot, tasks)
    assert shell.home.reminder.isHidden() and "tomorrow" not in shell.home.reminder.text()
