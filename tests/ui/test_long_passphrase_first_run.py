"""A passphrase longer than zxcvbn's 72 characters: the strength meter answers on every
keystroke up to 200 characters, and a 77-character passphrase creates a vault that opens."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.ui.first_run.flow import FirstRunFlow
from tests.support.gui import WindowFactory, click, type_text, wait_for_strength
from tests.support.vault import LONG_STRONG

PASSPHRASE_77 = LONG_STRONG[:77]


def passphrase_step(qtbot: QtBot, make_window: WindowFactory) -> FirstRunFlow:
    window = make_window()
    flow = window.first_run
    assert flow is not None
    click(qtbot, flow.welcome.continue_button)
    assert flow.currentWidget() is flow.passphrase
    return flow


def test_strength_meter_answers_up_to_200_characters(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Each pause in typing gets an answer, also past zxcvbn's 72 characters."""
    step = passphrase_step(qtbot, make_window).passphrase
    for n in range(10, len(LONG_STRONG) + 1, 10):
        qtbot.keyClicks(step.passphrase.edit, LONG_STRONG[n - 10 : n])
        wait_for_strength(qtbot, step)
        assert len(step.passphrase.text()) == n
        assert step.meter.bar.value() >= 1, n
        if n >= 40:
            assert step.meter.acceptable, n
            assert step.meter.reason.isHidden(), n


def test_77_character_passphrase_creates_a_vault(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    assert len(PASSPHRASE_77) == 77
    flow = passphrase_step(qtbot, make_window)
    step = flow.passphrase
    type_text(qtbot, step.passphrase.edit, PASSPHRASE_77)
    type_text(qtbot, step.confirm.edit, PASSPHRASE_77)
    assert step.meter.acceptable
    click(qtbot, step.continue_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.recovery, timeout=10_000)
    assert services.paths.header.exists()
    services.vault.lock()
    services.vault.unlock(PASSPHRASE_77)
    assert services.vault.is_unlocked
