"""One form for choosing a new passphrase (first run, recovery, Settings): its strength is
estimated once typing pauses, off the GUI thread, and never counts for a text it was not
estimated for."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.domain.passphrase import Strength
from companion.ui.widgets import strength_meter
from companion.ui.widgets.new_passphrase import NewPassphraseForm
from tests.support.gui import STRONG, wait_for_strength


class Estimates:
    """Observes the real estimator: which texts, on which threads."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.threads: list[str] = []
        self.real = strength_meter._assess

    def __call__(self, passphrase: str, user_inputs: list[str]) -> Strength:
        self.texts.append(passphrase)
        self.threads.append(threading.current_thread().name)
        return self.real(passphrase, user_inputs)


@pytest.fixture
def estimates(monkeypatch: pytest.MonkeyPatch) -> Estimates:
    seen = Estimates()
    monkeypatch.setattr(strength_meter, "_assess", seen)
    return seen


def test_typing_is_estimated_once_when_it_pauses_off_the_gui_thread(
    qtbot: QtBot, qapp: QApplication, estimates: Estimates
) -> None:
    form = NewPassphraseForm(debounce_ms=200)
    qtbot.addWidget(form)
    qtbot.keyClicks(form.passphrase.edit, STRONG)  # one keystroke after the other, no pause
    assert not form.meter.acceptable  # not yet known: the button stays off
    wait_for_strength(qtbot, form)
    assert estimates.texts == [STRONG]  # one estimate, for the whole text
    assert threading.current_thread().name not in estimates.threads
    assert form.meter.acceptable and not form.acceptable  # strong, not yet typed twice
    with qtbot.waitSignal(form.changed):
        qtbot.keyClicks(form.confirm.edit, STRONG)
    assert form.acceptable


def test_an_answer_for_an_older_text_never_counts(
    qtbot: QtBot, qapp: QApplication, estimates: Estimates
) -> None:
    form = NewPassphraseForm(debounce_ms=0)
    qtbot.addWidget(form)
    qtbot.keyClicks(form.passphrase.edit, STRONG)
    wait_for_strength(qtbot, form)
    assert form.meter.acceptable
    qtbot.keyClicks(form.passphrase.edit, "x")  # a new text: the strong answer no longer counts
    assert not form.meter.acceptable and not form.acceptable
    wait_for_strength(qtbot, form)
    assert form.meter.acceptable


def test_a_weak_passphrase_says_why_and_the_mismatch_shows(
    qtbot: QtBot, qapp: QApplication
) -> None:
    form = NewPassphraseForm(mismatch="They differ.", debounce_ms=0)
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.passphrase.edit, "password1")
    qtbot.keyClicks(form.confirm.edit, "pass")
    wait_for_strength(qtbot, form)
    assert form.meter.reason.text() and not form.meter.acceptable
    assert form.mismatch.isVisible() and form.mismatch.text() == "They differ."
    form.clear()
    assert form.mismatch.isHidden() and form.meter.settled and not form.acceptable
