"""Unlocking does not freeze the window while seven pages are built (issue 16): Home is built
and painted first; the other pages follow one per event-loop turn, or at once when asked for
(a click, F1); Settings and Export wait until first shown. Each page built late still fetches
its data and gets the profile."""

from __future__ import annotations

import gc

import pytest
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.ui.main_window import MainWindow
from companion.ui.shell import Shell
from companion.ui.shell_pages import BUILD_ORDER, PAGE_NAMES
from tests.support.gui import WindowFactory, click, type_text
from tests.support.services import make_profile
from tests.support.vault import PASSPHRASE

EVERY_PAGE = range(len(PAGE_NAMES))


def press_unlock(qtbot: QtBot, window: MainWindow, on_unlocked: object) -> None:
    screen = window.unlock_screen
    assert screen is not None
    window.unlocked.connect(on_unlocked)
    type_text(qtbot, screen.form.passphrase.edit, PASSPHRASE)
    click(qtbot, screen.form.unlock_button)
    qtbot.waitUntil(lambda: window.shell is not None, timeout=10_000)


def built(shell: Shell) -> list[str]:
    return [PAGE_NAMES[i] for i in EVERY_PAGE if shell.is_built(i)]


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """The background building done and every outcome delivered, before the window closes."""
    shell = window.shell
    assert shell is not None
    qtbot.waitUntil(lambda: all(shell.is_built(i) for i in BUILD_ORDER), timeout=15_000)
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)


@pytest.fixture
def profiled(services: Services) -> Services:
    services.vault.create(PASSPHRASE)
    services.profile.save(make_profile())
    services.vault.lock()
    return services


@pytest.mark.usefixtures("profiled")
def test_unlock_builds_only_home_then_session_and_journal_one_page_at_a_time(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    at_unlock: list[list[str]] = []
    press_unlock(qtbot, window, lambda: at_unlock.append(built(window.shell)))  # type: ignore[arg-type]
    assert at_unlock == [["Home"]]
    shell = window.shell
    assert shell is not None
    assert shell.stack.currentWidget() is shell.home
    in_background = ["Home", "Session", "Journal", "Reflections", "Insights"]
    qtbot.waitUntil(lambda: built(shell) == in_background, timeout=15_000)
    assert shell.stack.currentWidget() is shell.home  # building in the background shows nothing
    qtbot.wait(300)
    assert built(shell) == in_background  # Settings and Export wait until first shown
    shell.show_page(PAGE_NAMES.index("Export"))
    assert shell.stack.currentWidget() is shell.export_page
    assert built(shell) == [name for name in PAGE_NAMES if name != "Settings"]
    assert shell.stack.count() == len(PAGE_NAMES)
    # Pages built after the unlock still load what they show, and get the profile.
    shell.show_page(PAGE_NAMES.index("Settings"))
    profile = make_profile()
    qtbot.waitUntil(lambda: shell.session_page.protocol is not None, timeout=10_000)
    assert shell.session_page.profile is not None
    qtbot.waitUntil(lambda: shell.settings_page.profile.save_button.isEnabled(), timeout=10_000)
    edits = shell.settings_page.profile.form.edits
    assert edits["provider_name"].text() == profile.provider_name
    qtbot.waitUntil(lambda: shell.review.reflections.loaded, timeout=10_000)
    settle(qtbot, window)


@pytest.mark.usefixtures("profiled")
def test_a_page_asked_for_before_its_turn_is_built_and_shown_at_once(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    export = PAGE_NAMES.index("Export")
    shown: list[bool] = []

    def go_to_export() -> None:
        shell = window.shell
        assert shell is not None
        assert not shell.is_built(export)
        shell.show_page(export)
        shown.append(shell.stack.currentWidget() is shell.export_page)

    press_unlock(qtbot, window, go_to_export)
    assert shown == [True]
    settle(qtbot, window)


@pytest.mark.usefixtures("profiled")
def test_help_opens_at_once_even_before_the_session_page_is_built(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    helped: list[bool] = []

    def press_f1() -> None:
        shell = window.shell
        assert shell is not None and not shell.is_built(PAGE_NAMES.index("Session"))
        shell.open_help()
        helped.append(shell.session_page.showing_help)

    press_unlock(qtbot, window, press_f1)
    assert helped == [True]
    shell = window.shell
    assert shell is not None and shell.stack.currentWidget() is shell.session_page
    settle(qtbot, window)


@pytest.mark.usefixtures("profiled")
def test_locking_before_every_page_is_built_stops_the_building(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    press_unlock(qtbot, window, lambda: None)
    window.lock()
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)
    assert window.shell is None and window.unlock_screen is not None
    qtbot.wait(200)  # a build still queued would now touch a cleared shell
    assert window.shell is None


@pytest.mark.usefixtures("profiled")
def test_a_review_page_asked_for_is_built_alone_and_a_lock_builds_no_journal(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Journal, Reflections and Insights were built together (80-190 ms in one turn): each is
    now built on its own, and locking before the Journal exists does not build it to look for
    words being typed (there can be none)."""
    window = make_window()
    seen: list[list[str]] = []

    def open_reflections_then_lock() -> None:
        shell = window.shell
        assert shell is not None
        shell.show_page(PAGE_NAMES.index("Reflections"))
        seen.append(built(shell))
        window.lock()
        seen.append(built(shell))

    screen = window.unlock_screen
    assert screen is not None
    window.unlocked.connect(open_reflections_then_lock)
    type_text(qtbot, screen.form.passphrase.edit, PASSPHRASE)
    click(qtbot, screen.form.unlock_button)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert seen == [["Home", "Reflections"], ["Home", "Reflections"]]
    qtbot.wait(100)  # the background build queued at the unlock went with the shell
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)
    assert window.shell is None and window.unlock_screen is not None


@pytest.mark.usefixtures("profiled")
def test_the_pages_built_after_unlock_stay_out_of_full_collections_until_the_lock(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """A full collection walked every object of the open vault's pages (35-55 ms at 10k
    entries, at any moment of a session); once they are built it walks only what is new."""
    gc.unfreeze()
    window = make_window()
    press_unlock(qtbot, window, lambda: None)
    shell = window.shell
    assert shell is not None
    settle(qtbot, window)
    assert gc.get_freeze_count() > len(gc.get_objects())  # most of what exists is kept
    window.lock()
    qtbot.waitUntil(lambda: window.ctx.tasks.pending == 0, timeout=10_000)
    assert gc.get_freeze_count() == 0  # locked: the shell's garbage is collected again
