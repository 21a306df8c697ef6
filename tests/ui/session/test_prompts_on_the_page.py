"""On the real session page (rehearsal at 60x, manual clock, silent real VLC): the eye-mask
prompt falls due while Help is open and is heard when Help closes; the sound check is in the
Before step; with no sound and no voice, the words stay large and the monitor is told."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.audio import prompt_assets
from companion.audio.prompt_assets import VoiceMode
from companion.domain.clock import ManualClock
from companion.domain.timeline import SessionTimeline
from companion.paths import ASSETS_DIR
from companion.services.container import Services
from companion.services.protocol_files import default_protocol
from companion.settings import SPOKEN_PROMPTS, TEXT_SCALE, THEME, Settings
from companion.ui.session.journey import PROMPT_VISIBLE_SECONDS, JourneyView
from companion.ui.session.page_journey import NO_VOICE_NOTE, SOUND_FAILED_NOTE
from companion.ui.session.sound_check import SOUND_FAILED_TEXT, VOICE_TEXT, SoundCheck
from companion.ui.theme import apply_theme
from tests.support.gui import click
from tests.support.screen import layout_problems
from tests.support.session_walk import SessionWindow, advance, settle, start_rehearsal


def heard(page: object, what: str, key: str) -> bool:
    history = page.session_audio.history  # type: ignore[attr-defined]
    return (what, key) in [(w, k) for _t, w, k in history]


def test_a_prompt_due_while_help_is_open_is_heard_when_help_closes(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow, manual_clock: ManualClock
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
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


def broken_sound_assets(folder: Path) -> Path:
    """A copy of the bundled cue and speech folders whose sound files are noise VLC cannot
    decode (a damaged installation): the same manifests, so every text still has a file."""
    noise = random.Random(10)
    for part in ("cues", "speech"):
        (folder / part).mkdir(parents=True)
        manifest = ASSETS_DIR / part / "manifest.json"
        shutil.copy(manifest, folder / part / "manifest.json")
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
            (folder / part / entry["file"]).write_bytes(noise.randbytes(20_000))
    return folder


@pytest.mark.parametrize(
    ("scale", "theme"), [(100, "light"), (200, "light"), (100, "dark"), (200, "dark")]
)
def test_with_no_sound_and_no_voice_the_prompt_stays_large_and_the_monitor_is_told(
    scale: int,
    theme: str,
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    settings: Settings,
    themed_app: QApplication,
) -> None:
    """Real VLC (silent output) fails to play every cue and recording; there is no system
    voice. The patient sees it in the sound check; in the session each spoken prompt's words
    stay large until answered, and the monitor is told the sound is not working; nothing of it
    is cut at 100 % and 200 % text, light and dark."""
    monkeypatch.setattr(prompt_assets, "ASSETS_DIR", broken_sound_assets(tmp_path / "assets"))
    settings.set(TEXT_SCALE, scale)
    settings.set(THEME, theme)
    apply_theme(themed_app, theme, scale)
    window, shell, page = session_window((1366, 768), voice_engine="absent")
    assert not page.voice.available
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    assert before is not None and isinstance(before.sound_check, SoundCheck)
    check = before.sound_check
    assert check.mode is VoiceMode.RECORDED  # the files are there; nobody has played one yet
    click(qtbot, check.play_button)
    qtbot.waitUntil(lambda: page.session_audio.sound_failed, timeout=10_000)
    assert check.device_note.isVisible() and check.device_note.text() == SOUND_FAILED_TEXT
    assert check.voice_note.text() == VOICE_TEXT[VoiceMode.TEXT_ONLY]
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    journey = page.journey
    assert page.dose is not None and journey is not None
    assert journey.sound_note.text() == SOUND_FAILED_NOTE  # ready before the eyes close
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, manual_clock, 16.0)  # the hold ends: the eye-mask prompt
    advance(qtbot, window, page, manual_clock, 2.0)
    assert heard(page, "PlayCue", "prompt:eye_mask")  # the cue is still tried
    assert heard(page, "ShowText", "prompt:eye_mask")
    assert not heard(page, "Speak", "prompt:eye_mask")
    assert page.stack.currentWidget() is journey and journey.property("role") == "quiet"
    assert journey.pinned == ["prompt:eye_mask"]
    assert journey.prompt.isVisible() and "eye mask" in journey.prompt.text()
    assert journey.sound_note.isVisible()
    shots = os.environ.get("COMPANION_SHOTS")
    if shots:
        window.grab().save(str(Path(shots) / f"journey_no_sound_{scale}_{theme}.png"))
    # Nothing on the dim screen is cut. (At 200 % the journey and the rehearsal bar already
    # ask for more than 1366x768 without this note; see the note on issue 10.)
    assert [str(p) for p in layout_problems(journey)] == []
    click(qtbot, journey.prompt_ok)
    settle(qtbot, window)
    assert journey.pinned == [] and journey.center.currentIndex() == 0


def test_with_the_voice_switched_off_the_prompt_stays_large_and_the_monitor_reads_it(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    settings: Settings,
) -> None:
    """The sound works (real VLC, silent output) but the patient chose no spoken prompts: the
    cue plays, the words stay large, and the note says no voice speaks (not that sound fails)."""
    settings.set(SPOKEN_PROMPTS, False)
    window, shell, page = session_window((1366, 768))
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    assert before is not None
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    journey = page.journey
    assert page.dose is not None and journey is not None
    assert not journey.sound_note.isVisibleTo(journey)
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, manual_clock, 16.0)
    advance(qtbot, window, page, manual_clock, 2.0)
    assert heard(page, "PlayCue", "prompt:eye_mask") and heard(page, "ShowText", "prompt:eye_mask")
    assert not page.session_audio.sound_failed
    assert journey.pinned == ["prompt:eye_mask"] and "eye mask" in journey.prompt.text()
    assert journey.sound_note.isVisible() and journey.sound_note.text() == NO_VOICE_NOTE


def test_a_prompt_no_voice_could_say_stays_past_the_usual_time_until_answered(
    qtbot: QtBot, themed_app: QApplication
) -> None:
    """The journey view with a real timeline (manual times): a prompt normally gives way to the
    quiet clock after PROMPT_VISIBLE_SECONDS; a pinned one stays, steps aside for a check-in,
    comes back, and goes only when answered."""
    protocol = default_protocol()
    timeline = SessionTimeline(protocol.timeline, 0.0)
    timeline.dose_taken(360.0)
    events = {e.id: e for e in timeline.events()}
    eye_mask, checkin = events["prompt:eye_mask"], events["checkin:1"]
    due = timeline.monotonic_at(eye_mask.at_seconds)
    checkin_due = timeline.monotonic_at(checkin.at_seconds)
    assert due is not None and checkin_due is not None
    later = due + PROMPT_VISIBLE_SECONDS + 30.0
    assert later < checkin_due

    plain = JourneyView(protocol)
    qtbot.addWidget(plain)
    plain.update_state(timeline.state(due))
    assert plain.shown_prompt == eye_mask.id
    plain.update_state(timeline.state(later))
    assert plain.center.currentIndex() == 0  # the usual: the quiet clock returns

    journey = JourneyView(protocol)
    qtbot.addWidget(journey)
    journey.update_state(timeline.state(due))
    journey.pin(eye_mask.id, eye_mask.text)
    journey.update_state(timeline.state(later))
    assert journey.center.currentIndex() == 1 and journey.shown_prompt == eye_mask.id
    journey.update_state(timeline.state(checkin_due + 1.0))
    assert journey.showing_checkin  # the monitor's check-in comes first
    timeline.acknowledge(checkin.id)
    journey.update_state(timeline.state(checkin_due + 2.0))
    assert journey.center.currentIndex() == 1 and journey.shown_prompt == eye_mask.id
    with qtbot.waitSignal(journey.prompt_acknowledged) as answered:
        journey.prompt_ok.click()
    assert answered.args == [eye_mask.id] and journey.pinned == []
    timeline.acknowledge(eye_mask.id)
    journey.update_state(timeline.state(checkin_due + 3.0))
    assert journey.center.currentIndex() == 0
