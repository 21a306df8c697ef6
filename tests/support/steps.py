"""Shared steps for the journal, reflections and insights UI tests: a vault with a completed
session made through the real services, a window unlocked on it, and small waits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.vitals import Context, Reading
from companion.services.container import Services
from companion.services.sessions_model import SessionEventKind
from companion.services.sessions_store import last_dose_at
from companion.ui.main_window import MainWindow
from companion.ui.pages.settings_data import DataSection
from companion.ui.shell import Shell
from companion.ui.shell_pages import PAGE_NAMES
from tests.support.flow import MINUTE, advance, before_step, begin, finish_after, take_dose
from tests.support.gui import WindowFactory, unlock
from tests.support.services import make_profile
from tests.support.vault import PASSPHRASE

T = TypeVar("T")
MARKER_NOTE = "warm light on the ceiling"


def complete_session(services: Services, clock: ManualClock) -> str:
    """A whole session through the recorder: vitals, dose, check-ins, a marker, side effects,
    the After phase to the monitor's sign-off. A day apart from the last dose, as the core asks."""
    s = services.sessions
    with services.vault.unit_of_work() as db:
        last = last_dose_at(db)
    if last is not None:
        wait = (last + timedelta(hours=24) - clock.now()).total_seconds()
        if wait > 0:
            clock.advance(wait + MINUTE)
    sid = s.start_session()
    before_step(s, sid)  # mood before: 4
    timeline = begin(s, sid, clock)
    advance(s, sid, timeline, clock, 2)
    take_dose(s, sid, timeline, clock)
    advance(s, sid, timeline, clock, 25)
    s.log_event(sid, SessionEventKind.MARKER, {"note": MARKER_NOTE})
    advance(s, sid, timeline, clock, 70)
    s.record_vitals(sid, Context.AFTER, Reading(131, 83, 75))
    s.record_side_effects(sid, [("nausea", "mild", "passed quickly")])
    finish_after(s, sid, clock)
    clock.advance(30 * MINUTE)
    return sid


def prepare_vault(services: Services, clock: ManualClock, *, sessions: int = 1) -> list[str]:
    """A vault with a profile and ``sessions`` completed sessions, locked again."""
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    ids = [complete_session(services, clock) for _ in range(sessions)]
    services.vault.lock()
    return ids


def open_window(
    qtbot: QtBot, make_window: WindowFactory, **kwargs: Any
) -> tuple[MainWindow, Shell]:
    window = make_window(**kwargs)
    shell = unlock(qtbot, window, PASSPHRASE)
    settle(qtbot, window)
    return window, shell


def settle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=15_000)


def on_worker(window: MainWindow, call: Callable[[Services], T]) -> T:
    """Runs ``call`` on the database worker (as the UI does) and waits for it: test-side reads."""
    handle = window.ctx.handle
    result: T = handle.submit(lambda: call(handle.get())).result(timeout=30)
    return result


def show(shell: Shell, name: str) -> None:
    shell.show_page(PAGE_NAMES.index(name))


def entry_count(window: MainWindow) -> int:
    return on_worker(window, lambda s: len(s.search.list_entries()))


def open_settings(qtbot: QtBot, make_window: WindowFactory) -> tuple[MainWindow, DataSection]:
    window, shell = open_window(qtbot, make_window)
    show(shell, "Settings")
    settle(qtbot, window)
    return window, shell.settings_page.data
