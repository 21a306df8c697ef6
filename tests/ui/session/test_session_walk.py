"""A whole session, walked at high speed by clicking as a patient (and their monitor) would.

The manual clock stands in for an hour and a half; every step is checked on screen, on the
music player (its real volume) and, at the end, in the vault.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.audio.player import PlayerState
from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId, Severity
from companion.services.container import Services
from companion.services.sessions_model import SessionEventKind, SessionFacts, SessionState
from companion.settings import MUSIC_VOLUME, Settings
from companion.ui.session.music import WHISPER_FACTOR
from tests.support.gui import click, visible_texts
from tests.support.services import DOSE_TEXT
from tests.support.session_walk import (
    MINUTE,
    SessionWindow,
    advance,
    answer_no_to_health,
    settle,
    tick,
    tick_checklist,
    type_reading,
)


def facts_of(services: Services, session_id: str) -> SessionFacts:
    return services.worker.submit(services.sessions.session_facts, session_id).result()


def test_a_whole_session_from_checklist_to_landing(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    settings: Settings,
) -> None:
    clock = manual_clock
    window, shell, page = session_window()
    volume = settings.get(MUSIC_VOLUME)
    shell.show_page(1)
    assert not window.session_in_progress()
    click(qtbot, page.start_view.start_button)
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    settle(qtbot, window)
    before = page.before
    assert before is not None and window.session_in_progress()
    sid = page.run.session_id if page.run else ""

    # The checklist blocks the start until the required items are ticked, and says why.
    assert not before.begin_button.isEnabled()
    fasting_why = next(i.why for i in before.run.protocol.checklist if i.id == "fasting")
    assert fasting_why in visible_texts(before.readiness)
    tick_checklist(qtbot, before, required_only=True)
    answer_no_to_health(qtbot, before)
    settle(qtbot, window)
    assert not before.begin_button.isEnabled()  # no blood pressure yet

    # A calm pair of readings, an intention and a mood: now it may begin. (Readings saved at
    # the same instant count as one set; a stop-level reading is walked in test_safety_walk.)
    type_reading(qtbot, before.vitals.first, 128, 82, 72)
    click(qtbot, before.vitals.add_second)
    type_reading(qtbot, before.vitals.second, 124, 80, 70)
    click(qtbot, before.vitals.save_button)
    qtbot.keyClicks(before.intention.intention, "Be gentle with myself")
    before.intention.mood.setValue(4)
    settle(qtbot, window)
    qtbot.waitUntil(before.begin_button.isEnabled, timeout=10_000)
    assert not before.vitals.stop_card.isVisible()
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None and page.stack.currentWidget() is page.dose)
    dose = page.dose
    assert dose is not None
    assert dose.prescription.dose.text() == DOSE_TEXT  # verbatim, never computed
    assert not shell.nav.isVisible()  # the quiet part: navigation steps aside

    # Settle a little, then confirm the dose; the hold counts down from the clock.
    advance(qtbot, window, page, clock, 2 * MINUTE)
    click(qtbot, dose.confirm_button)
    qtbot.waitUntil(lambda: dose.taken.isVisible())
    assert dose.taken.text().startswith("Taken at ")
    advance(qtbot, window, page, clock, 5 * MINUTE)
    assert dose.remaining.text() == "10:00"

    # The hold ends: the eye-mask prompt, large, chimed and spoken; the music fades in.
    advance(qtbot, window, page, clock, 10 * MINUTE)
    journey = page.journey
    assert journey is not None and page.stack.currentWidget() is journey
    assert "eye mask" in journey.prompt.text()
    heard = page.session_audio.history
    assert ("PlayCue", "prompt:eye_mask") in [(what, key) for _t, what, key in heard]
    conductor = page.conductor
    assert conductor is not None
    player = conductor.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    advance(qtbot, window, page, clock, 2.0)  # the spoken line follows its cue
    assert ("Speak", "prompt:eye_mask") in [(what, key) for _t, what, key in heard]
    click(qtbot, journey.prompt_ok)
    settle(qtbot, window)
    assert journey.center.currentIndex() == 0  # the quiet clock
    advance(qtbot, window, page, clock, MINUTE)
    assert player.volume() == pytest.approx(volume, abs=0.5)

    # Help: F1 from anywhere; the music drops to a whisper, the numbers and signs show.
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert page.showing_help
    texts = " ".join(visible_texts(page.help_view))
    assert "+1 555 0101" in texts and "Blood in the urine" in texts
    clock.advance(2.0)
    qtbot.waitUntil(lambda: player.volume() <= volume * WHISPER_FACTOR + 0.5, timeout=5_000)
    click(qtbot, page.help_view.back_button)
    assert not page.showing_help
    clock.advance(4.0)
    qtbot.waitUntil(lambda: player.volume() >= volume - 0.5, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc opens Help too, and never closes it
    assert page.showing_help
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert page.showing_help
    click(qtbot, page.help_view.back_button)

    # Mark this moment (M); music off for five minutes: the time since the dose goes on.
    journey.setFocus()
    qtbot.keyClick(journey, Qt.Key.Key_M)
    assert "Moment marked" in journey.marked.text()
    since = journey.clock.text()
    click(qtbot, journey.music_button)
    settle(qtbot, window)
    assert page.timeline is not None and not page.timeline.paused
    advance(qtbot, window, page, clock, 5 * MINUTE)
    qtbot.waitUntil(lambda: player.volume() <= 0.5, timeout=5_000)
    assert journey.clock.text() != since  # never frozen
    click(qtbot, journey.music_button)
    settle(qtbot, window)

    # The first monitor check-in, 15 minutes into the journey.
    advance(qtbot, window, page, clock, 14 * MINUTE)
    assert journey.showing_checkin
    panel = journey.checkin
    tick(qtbot, panel.boxes["responsive"])
    tick(qtbot, panel.boxes["breathing"])
    qtbot.keyClicks(panel.note, "resting calmly")
    click(qtbot, panel.save_button)
    settle(qtbot, window)
    assert not journey.showing_checkin

    # On to the return: the music has faded out; the return prompt; then the after step.
    state = page.driver.last_state
    while state is not None and state.phase is PhaseId.JOURNEY:  # later check-ins as they come
        remaining = state.phase_remaining_seconds or 0.0
        advance(qtbot, window, page, clock, min(10 * MINUTE, remaining + 1.0))
        if journey.showing_checkin:
            tick(qtbot, panel.boxes["responsive"])
            tick(qtbot, panel.boxes["breathing"])
            click(qtbot, panel.save_button)
            settle(qtbot, window)
        state = page.driver.last_state
    state = page.driver.last_state
    assert state is not None and state.phase is PhaseId.RETURN
    assert "remove your eye mask" in journey.prompt.text()
    assert player.state() is PlayerState.STOPPED
    click(qtbot, journey.prompt_ok)
    settle(qtbot, window)
    click(qtbot, journey.continue_button)
    qtbot.waitUntil(lambda: page.after is not None)  # the After step: next turn
    after = page.after
    assert after is not None and page.stack.currentWidget() is after
    assert shell.nav.isVisible()
    assert "Do not drive" in " ".join(visible_texts(after.aftercare))

    type_reading(qtbot, after.vitals.first, 126, 80, 70)
    click(qtbot, after.vitals.save_button)
    after.effects.set_severity("nausea", Severity.MILD)
    after.effects.set_severity("dizziness", Severity.SEVERE)
    click(qtbot, after.effects.save_button)
    settle(qtbot, window)
    assert after.effects.emergency.isVisible()
    after.effects.set_severity("dizziness", Severity.MODERATE)
    click(qtbot, after.effects.save_button)
    settle(qtbot, window)
    assert not after.effects.emergency.isVisible()
    click(qtbot, after.recovered_save)
    after.mood.setValue(7)
    # The monitor signs off only at the end of the observation time (2 h after the dose).
    click(qtbot, after.finish_button)
    settle(qtbot, window)
    qtbot.waitUntil(after.status.isVisible)
    assert "your monitor's sign-off" in after.status.text()
    clock.advance(45 * MINUTE)
    tick(qtbot, after.aftercare_read)
    click(qtbot, after.finish_button)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.done_view, timeout=10_000)
    assert not window.session_in_progress()
    assert page.done_view.reflect_button.isVisible()
    with qtbot.waitSignal(page.reflection_requested) as handed_over:
        click(qtbot, page.done_view.reflect_button)
    assert handed_over.args == [sid]

    facts = facts_of(prepared, sid)
    assert facts.status is SessionState.COMPLETED
    assert facts.checklist["fasting"] and facts.intention == "Be gentle with myself"
    assert facts.mood_before == 4 and facts.mood_after == 7
    assert [v.context.value for v in facts.vitals] == ["before", "after"]
    assert facts.vitals_before is not None and len(facts.vitals_before.readings) == 2
    assert facts.dose is not None and facts.dose.dose_text == DOSE_TEXT
    assert len(facts.checkins) == 3 and facts.checkins[0].note == "resting calmly"
    assert len(facts.markers) == 1 and facts.markers[0].since_dose_seconds is not None
    assert not facts.pauses and facts.help_opened_count == 2
    assert {(e.effect, e.severity) for e in facts.side_effects} == {
        ("nausea", Severity.MILD),
        ("dizziness", Severity.MODERATE),
    }
    assert facts.recovered_at is not None
    kinds = [e.kind for e in facts.events]
    assert kinds.count(SessionEventKind.HELP_CLOSED) == 2
    fired = {str(e.detail.get("event_id")) for e in facts.events}
    assert {"prompt:eye_mask", "checkin:1", "prompt:return", "phase:return"} <= fired
