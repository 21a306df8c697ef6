"""No GUI-thread stall over a frame in a session (issue 16): what each step used to do in one
long turn of the event loop is done elsewhere or ahead of time. ``bench/timeline.py`` measures
the stalls; these tests pin down each way they were removed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.audio.player import PlayerState
from companion.domain.checklist import Finding, FindingLevel
from companion.domain.clock import ManualClock
from companion.domain.protocol import PhaseId
from companion.services.container import Services
from companion.services.protocol_files import default_protocol
from companion.ui.session.ahead import Disposal
from companion.ui.session.before import CHECKLIST_FIRST_TURN, BeforeView
from companion.ui.session.before_parts import ReadinessCard
from companion.ui.session.side_effects import ROWS_PER_PART, SideEffectsCard
from companion.ui.session.wrapcheck import WrapCheck
from tests.support.gui import click
from tests.support.session_walk import (
    RecordingFactory,
    SessionWindow,
    advance,
    answer_checkin,
    settle,
    start_rehearsal,
)

if TYPE_CHECKING:
    from companion.ui.main_window import MainWindow
    from companion.ui.session.page import SessionPage


def test_libvlc_starts_on_its_own_thread_while_the_before_step_shows(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    silent_audio: RecordingFactory,
    manual_clock: ManualClock,
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    starter = silent_audio.starter
    assert starter is not None and starter.started  # while the patient reads the Before step
    qtbot.waitUntil(lambda: starter.done, timeout=10_000)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is not None and page.conductor is not None
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, manual_clock, 16.0)  # the journey: music and a prompt's cue
    player = page.conductor.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    assert len(silent_audio.made) >= 2  # the music and the cues...
    gui = threading.main_thread().ident
    made_on = silent_audio.watched.instances_made_on
    assert len(made_on) == 1 and made_on[0] != gui  # ...share one libvlc, made on its thread


def test_the_journey_and_its_check_in_panel_are_built_before_begin_and_reused(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    qtbot.waitUntil(lambda: page.ahead.pending == 0)  # a view per turn of the event loop
    dose, journey = page.dose_ahead, page.journey_ahead
    assert dose is not None and journey is not None
    assert not dose.isVisible() and not journey.isVisible()
    assert page.stack.indexOf(journey) < 0  # not in the stack: the window is not relaid out
    panel = journey.checkin
    resized = Resizes(before, dose)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is dose and page.journey is journey  # Begin only moved them into place
    settle(qtbot, window)
    # the window relaid out without its navigation while no page showed: the Before step was
    # not measured again at the new width, the dose view was laid out once, at that width
    assert resized.count[before] == 0 and resized.count[dose] == 1
    assert dose.geometry() == page.stack.contentsRect()
    click(qtbot, dose.confirm_button)
    settle(qtbot, window)
    advance(qtbot, window, page, manual_clock, 32.0)  # the hold, the journey, a check-in
    assert journey.showing_checkin and journey.checkin is panel
    answer_checkin(qtbot, page)
    for _step in range(60):  # on to the next check-in
        advance(qtbot, window, page, manual_clock, 2.0)
        if journey.showing_checkin:
            break
    assert journey.showing_checkin and journey.checkin is panel  # the same panel, reset
    assert not any(box.isChecked() for box in panel.boxes.values())
    assert not shiboken6.isValid(before)  # deleted, a few widgets per turn, since Begin


def test_the_after_step_is_built_in_parts_during_the_return(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    assert page.dose is not None
    click(qtbot, page.dose.confirm_button)
    settle(qtbot, window)
    turns = page.ahead.turns  # parts run in a turn of their own so far
    for _step in range(200):  # to the return, answering what comes
        advance(qtbot, window, page, manual_clock, 1.0)
        state = page.driver.last_state
        if state is not None and state.phase is PhaseId.RETURN:
            break
        if page.journey is not None and page.journey.showing_checkin:
            answer_checkin(qtbot, page)
    qtbot.waitUntil(lambda: page.prebuilt_after is not None)
    after = page.prebuilt_after
    assert after is not None
    # laid out off screen (below the stack, out of reach), at the width it will have beside
    # the navigation, which is hidden for now
    assert page.stack.indexOf(after) < 0 and not after.isEnabled()
    assert after.isVisible() and after.geometry().top() >= page.stack.height()
    assert after.width() < page.stack.contentsRect().width()
    qtbot.waitUntil(lambda: page.ahead.pending == 0)
    # The rest came a part per turn: its five parts at least, each in a turn of its own. (It
    # checked that parts were still pending when the view appeared, which the test's own
    # waits, 10 ms apart, could outlast.)
    assert page.ahead.turns - turns >= 5
    # Its times are in place before it is shown: the worker's reply, asked for as it was
    # shown, came during its first paint and laid it out and painted it again.
    settle(qtbot, window)
    assert page.after is None
    # A rehearsal does not need the reading after the dose, and says so: it said "Your
    # reading after the dose is saved." over an empty form.
    assert "A rehearsal does not need this reading" in after.vitals_due.text()
    assert "No driving" in after.no_driving.text() and "sign off" in after.observation.text()
    assert page.journey is not None
    resized = Resizes(after)
    click(qtbot, page.journey.continue_button)
    qtbot.waitUntil(lambda: page.after is not None)
    assert page.after is after and page.stack.currentWidget() is after
    settle(qtbot, window)
    # shown at the width it was laid out for, beside the navigation that came back
    assert resized.count[after] == 0 and after.geometry() == page.stack.contentsRect()
    assert after.finish_button.isVisible() and after.isEnabled()


def test_the_before_step_is_built_a_part_per_turn_and_shown_whole(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    assert page.ahead.turns == 0
    click(qtbot, page.start_view.rehearse_button)
    qtbot.waitUntil(lambda: page.ahead.pending > 0, timeout=10_000)
    building = page.stack.findChild(BeforeView)
    assert building is not None and page.before is None
    # laid out while its parts are built, at the page's size, below the stack: never painted
    assert building.isVisible() and building.geometry().top() >= page.stack.height()
    assert building.size() == page.stack.contentsRect().size()
    assert page.stack.currentWidget() is page.start_view
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    before = page.before
    assert before is building
    # seven parts (the checklist in two, health, vitals, intention, sound check, readiness),
    # the first start check, its findings built while unseen (one a turn), then shown in place
    findings = before.readiness.list.count()
    assert findings > 3 and before.last_result is not None
    assert page.ahead.turns >= 9 + findings
    # the checklist's second turn added the rest of its rows, in the protocol's order
    items = before.run.protocol.checklist
    assert len(items) > CHECKLIST_FIRST_TURN
    assert list(before.checklist.boxes) == [item.id for item in items]
    rows = [before.checklist.body.itemAt(i).widget() for i in range(before.checklist.body.count())]
    assert [row.box for row in rows if isinstance(row, WrapCheck)] == list(
        before.checklist.boxes.values()
    )
    assert page.stack.currentWidget() is before
    assert before.geometry() == page.stack.contentsRect()
    assert before.sound_check is not None and before.sound_check.isVisible()
    assert before.begin_button.isVisible() and before.readiness.isVisible()
    assert before.checklist.isAncestorOf(window.focusWidget())  # the first box has the focus


def test_a_new_start_check_keeps_the_findings_that_did_not_change(qtbot: QtBot) -> None:
    card = ReadinessCard()
    qtbot.addWidget(card)
    card.show()
    meal = Finding("fasting:short", FindingLevel.CONFIRM, "A recent meal", "Wait a little.")
    mask = Finding("checklist:mask", FindingLevel.BLOCK, "Eye mask", "Needed.")
    note = Finding("timing:late", FindingLevel.INFO, "Late in the day", "Plan the evening.")
    card.show_findings((mask, meal, note), rehearsal=False)
    first = shown(card)
    card.acks[meal.id].setChecked(True)  # acknowledged by the patient
    card.show_findings((meal, note), rehearsal=False)  # the mask ticked: a check again
    assert shown(card) == first[1:]  # the same widgets, in order
    assert card.acks[meal.id].isChecked() and meal.id in card.acknowledged
    assert first[0].isHidden() and all(widget.isVisible() for widget in shown(card))


def shown(card: ReadinessCard) -> list[QWidget]:
    items = (card.list.itemAt(n) for n in range(card.list.count()))
    return [widget for item in items if item is not None and (widget := item.widget())]


class Resizes(QObject):
    """Counts the resize events each watched widget gets (a resize lays it out again)."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.count = {widget: 0 for widget in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched in self.count:
            self.count[watched] += 1
        return False


def test_the_before_step_built_off_screen_cannot_be_reached_by_tab_or_a_screen_reader(
    qtbot: QtBot, prepared: Services, session_window: SessionWindow
) -> None:
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    click(qtbot, page.start_view.rehearse_button)

    def building() -> BeforeView | None:
        view = page.stack.findChild(BeforeView)
        boxes = view.findChildren(QCheckBox) if view is not None else []
        return view if any(box.isVisible() for box in boxes) else None  # a card shown off screen

    qtbot.waitUntil(lambda: building() is not None, timeout=10_000)
    view = building()
    assert view is not None and page.before is None and view.isVisible()  # still off screen
    reached = []
    for _press in range(150):  # round the whole focus chain of the window, and more
        QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_Tab)
        reached.append(window.focusWidget())
    assert len({id(widget) for widget in reached}) > 3  # Tab did move round the window
    assert not [widget for widget in reached if widget is not None and view.isAncestorOf(widget)]
    box = next(box for box in view.findChildren(QCheckBox) if box.isVisible())
    box.setFocus()
    assert not box.hasFocus()
    # A screen reader finds nothing of it: not in the window's accessible tree, nor focusable.
    tree = QAccessible.queryAccessibleInterface(window)
    assert accessible_inside(tree, page.start_view)  # the page shown is there
    assert not accessible_inside(tree, view)
    box_info = QAccessible.queryAccessibleInterface(box)
    assert box_info is not None and box_info.state().disabled
    qtbot.waitUntil(lambda: page.before is not None, timeout=10_000)
    first = next(iter(view.checklist.boxes.values()))
    assert page.before is view and first.isEnabled() and first.hasFocus()  # its page now
    assert not QAccessible.queryAccessibleInterface(first).state().disabled


def accessible_inside(node: QAccessibleInterface | None, view: QWidget, depth: int = 0) -> bool:
    """Whether walking the accessible tree down from ``node`` reaches a part of ``view``."""
    if node is None or depth > 40:
        return False
    found = node.object()
    if isinstance(found, QWidget) and (found is view or view.isAncestorOf(found)):
        return True
    return any(accessible_inside(node.child(n), view, depth + 1) for n in range(node.childCount()))


def test_a_view_done_with_is_deleted_a_few_widgets_per_turn_deepest_first(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each processEvents() below is one turn: the pause between turns is not what this checks.
    monkeypatch.setattr("companion.ui.next_turn.TURN_GAP_MS", 0)
    view = QScrollArea()  # not given to qtbot: the test deletes it
    view.setWidgetResizable(True)
    page = QWidget()
    layout = QVBoxLayout(page)
    cards = [QWidget() for _card in range(5)]
    labels, combos = [], []
    for card in cards:
        inner = QVBoxLayout(card)
        for n in range(9):
            labels.append(QLabel(f"line {n}"))
            inner.addWidget(labels[-1])
        combos.append(QComboBox())
        inner.addWidget(combos[-1])
        layout.addWidget(card)
    view.setWidget(page)
    view.show()
    disposal = Disposal(per_turn=20)
    disposal.add(view)
    assert view.isHidden() and shiboken6.isValid(view)
    bar, listing = view.verticalScrollBar(), combos[4].view()
    turns = 0
    while shiboken6.isValid(view):
        QApplication.processEvents()  # a turn: the next parts handed to deleteLater
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # and deleted
        turns += 1
        if turns == 1:  # a turn to find the parts
            assert all(shiboken6.isValid(w) for w in (*labels, *combos, *cards))
        if turns == 2:  # the first card's parts, that card, the second card's first parts
            gone = [w for w in (*labels, *combos, *cards) if not shiboken6.isValid(w)]
            assert [id(w) for w in gone] == [id(w) for w in (*labels[:18], combos[0], cards[0])]
        if shiboken6.isValid(view):  # a scroll area keeps its bars while it is there
            assert shiboken6.isValid(bar) and shiboken6.isValid(page)
            QApplication.sendEvent(view, QEvent(QEvent.Type.LayoutRequest))  # sets their range
        assert shiboken6.isValid(listing) == shiboken6.isValid(combos[4])  # goes with its box
        assert turns < 10
    assert turns >= 4 and disposal.pending == 0  # a walk, then 56 parts, 20 a turn
    assert not any(shiboken6.isValid(card) for card in cards)


def test_the_side_effect_rows_come_a_few_per_turn_and_keep_the_tab_order(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    later: list[Callable[[], None]] = []
    card = SideEffectsCard(default_protocol(), page, in_pieces=later.append)
    after_it = QPushButton("the next card's button", page)  # a part built after the card
    assert len(card.combos) == ROWS_PER_PART and later  # the rest waits for its turns
    for part in later:
        part()
    combos = list(card.combos.values())
    assert len(combos) == len(default_protocol().side_effects) + 1 > 2 * ROWS_PER_PART
    chain: list[QWidget] = [page]
    while (step := chain[-1].nextInFocusChain()) is not None and step is not page:
        chain.append(step)
        assert len(chain) < 200
    order = [w for w in chain if w in (*combos, card.other_note, card.save_button, after_it)]
    assert order == [*combos, card.other_note, card.save_button, after_it]  # as on screen


def dosed_rehearsal(qtbot: QtBot, session_window: SessionWindow) -> tuple[MainWindow, SessionPage]:
    """A rehearsal begun and its dose confirmed: the hold has started."""
    window, shell, page = session_window()
    shell.show_page(1)
    settle(qtbot, window)
    before = start_rehearsal(qtbot, window, page)
    click(qtbot, before.begin_button)
    qtbot.waitUntil(lambda: page.dose is not None)
    dose = page.dose
    assert dose is not None
    click(qtbot, dose.confirm_button)
    settle(qtbot, window)
    return window, page


def hold_ends_now(qtbot: QtBot, session_window: SessionWindow, clock: ManualClock) -> SessionPage:
    """The tick in which the hold ends: the eye-mask prompt is due (its sound not yet done)."""
    _window, page = dosed_rehearsal(qtbot, session_window)
    clock.advance(16.0)  # a rehearsal (60x): 16 minutes
    page.driver.tick()
    return page


def test_the_journey_is_laid_out_off_screen_during_the_dose_and_shown_with_a_paint_only(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
) -> None:
    window, page = dosed_rehearsal(qtbot, session_window)
    journey = page.journey
    assert journey is not None
    # below the stack, out of reach (disabled), at the size of the page without navigation
    qtbot.waitUntil(journey.isVisible)
    assert page.stack.indexOf(journey) < 0 and not journey.isEnabled()
    assert journey.geometry().top() >= page.stack.height()
    assert journey.size() == page.stack.contentsRect().size()
    resized = Resizes(journey)
    advance(qtbot, window, page, manual_clock, 16.0)  # the hold ends (a rehearsal: 60x)
    assert page.stack.currentWidget() is journey and journey.isEnabled()
    assert journey.geometry() == page.stack.contentsRect()
    assert resized.count[journey] == 0  # moved into place, not laid out again


def test_a_due_prompt_changes_the_view_in_its_turn_and_sounds_in_the_next(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
) -> None:
    page = hold_ends_now(qtbot, session_window, manual_clock)
    journey = page.journey
    assert journey is not None and page.stack.currentWidget() is journey
    assert "eye mask" in journey.prompt.text()
    history = page.session_audio.history
    assert not any(key == "prompt:eye_mask" for _t, _what, key in history)
    assert page.sound_pending
    qtbot.waitUntil(lambda: not page.sound_pending)  # the next turn: its chime
    assert ("PlayCue", "prompt:eye_mask") in [(what, key) for _t, what, key in history]


def test_a_cue_asked_for_in_the_last_tick_is_not_played_once_the_session_is_put_away(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
) -> None:
    page = hold_ends_now(qtbot, session_window, manual_clock)
    assert page.sound_pending  # the eye-mask prompt's chime waits for the next turn
    page.clear()  # the window locks in this same turn
    assert not page.sound_pending
    qtbot.wait(50)
    history = page.session_audio.history
    assert not any(what == "PlayCue" for _t, what, _key in history)
