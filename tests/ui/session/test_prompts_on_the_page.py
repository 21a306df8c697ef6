"""On the real session page (rehearsal at 60x, manual clock, silent real VLC): the eye-mask
prompt falls due while Help is open and is heard when Help closes; the sound check is in the
Before step."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from tests.ui.helpers import click
from tests.ui.session.conftest import SessionWindow
from tests.ui.session.walk import advance, settle


def heard(page: object, what: str, key: str) -> bool:
    history = page.session_audio.history  # type: ignore[attr-defined]
    return (what, key) in [(w, k) for _t, w, k in history]


def test_a_prompt_due_while_help_is_open_is_heard_when_help_closes(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    page.start_view.speed.setCurrentIndex(page.start_view.speed.findData(60))
    click(qtbot, page.start_view.rehearse_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None and before.sound_check is not None
    assert before.sound_check.isVisibleTo(before)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is not None
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    page.open_help()
    advance(qtbot, window, page, manual_clock, 16.0)  # the hold ends behind Help
    advance(qtbot, window, page, manual_clock, 5.0)
    assert not heard(page, "PlayCue", "prompt:eye_mask")  # nothing plays over Help
    page.close_help()
    settle(qtbot, window)
    assert heard(page, "PlayCue", "prompt:eye_mask")
    advance(qtbot, window, page, manual_clock, 2.0)
    assert heard(page, "Speak", "prompt:eye_mask")
    # Help again, mid-sentence: the line stops, and is said again afterwards.
    page.open_help()
    assert heard(page, "StopSpeech", "prompt:eye_mask")
    page.close_help()
    settle(qtbot, window)
    cues = [k for _t, w, k in page.session_audio.history if w == "PlayCue"]
    assert cues.count("prompt:eye_mask") == 2
