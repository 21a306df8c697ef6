"""First run, end to end on a real vault: welcome, passphrase, recovery key, profile."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.settings import EMERGENCY_NUMBER
from companion.ui.first_run.flow import FirstRunFlow
from companion.ui.main_window import MainWindow
from tests.support.gui import (
    STRONG,
    WindowFactory,
    click,
    type_text,
    unlock,
    visible_texts,
    wait_for_shell,
    wait_for_strength,
)

RECOVERY_KEY = re.compile(r"^[A-Z2-7]{5}(-[A-Z2-7]{5}){7}$")


def flow_of(window: MainWindow) -> FirstRunFlow:
    assert window.first_run is not None
    return window.first_run


def to_recovery_step(qtbot: QtBot, window: MainWindow) -> FirstRunFlow:
    flow = flow_of(window)
    click(qtbot, flow.welcome.continue_button)
    type_text(qtbot, flow.passphrase.passphrase.edit, STRONG)
    type_text(qtbot, flow.passphrase.confirm.edit, STRONG)
    click(qtbot, flow.passphrase.continue_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.recovery, timeout=10_000)
    return flow


def test_welcome_says_what_companion_is_and_is_not(make_window: WindowFactory) -> None:
    window = make_window()
    text = " ".join(visible_texts(flow_of(window).welcome))
    assert "never suggests a dose" in text
    assert "does not replace your provider or medical care" in text
    assert "emergency" in text


def test_first_run_end_to_end(qtbot: QtBot, make_window: WindowFactory, services: Services) -> None:
    window = make_window()
    flow = flow_of(window)
    click(qtbot, flow.welcome.continue_button)
    step = flow.passphrase
    assert flow.currentWidget() is step

    # A weak passphrase is refused, with the reason in plain words.
    type_text(qtbot, step.passphrase.edit, "password1")
    type_text(qtbot, step.confirm.edit, "password1")
    assert not step.meter.reason.isHidden()
    assert step.meter.reason.text()
    assert not step.continue_button.isEnabled()

    # A strong one that does not match is refused too.
    step.passphrase.clear()
    step.confirm.clear()
    type_text(qtbot, step.passphrase.edit, STRONG)
    type_text(qtbot, step.confirm.edit, STRONG + "x")
    assert step.meter.acceptable
    assert step.mismatch.text() == "The two passphrases do not match yet."
    assert not step.continue_button.isEnabled()

    # Matching and strong: the vault is created on the worker.
    qtbot.keyClick(step.confirm.edit, "\b")  # backspace removes the extra "x"
    wait_for_strength(qtbot, step)
    assert step.continue_button.isEnabled()
    click(qtbot, step.continue_button)
    qtbot.waitUntil(lambda: flow.currentWidget() is flow.recovery, timeout=10_000)
    assert services.paths.header.exists()
    assert step.passphrase.text() == ""

    # The recovery key, shown once; Continue waits for the tick.
    recovery = flow.recovery
    key = recovery.key
    assert RECOVERY_KEY.match(key)
    assert recovery.key_label.text().replace("\n", "-") == key
    assert not recovery.continue_button.isEnabled()
    click(qtbot, recovery.copy_button)
    assert QGuiApplication.clipboard().text() == key
    recovery.stored.setChecked(True)
    assert recovery.continue_button.isEnabled()
    click(qtbot, recovery.continue_button)
    assert flow.currentWidget() is flow.profile
    assert recovery.key == ""
    assert recovery.key_label.text() == ""

    # The profile: problems appear next to the fields, then it saves.
    profile_step = flow.profile
    form = profile_step.form
    assert form.edits["emergency_number"].text() == "911"
    assert form.edits["crisis_line"].text() == "988"
    click(qtbot, profile_step.save_button)
    assert not form.fields["provider_name"].problem.isHidden()
    assert not form.fields["provider_contact"].problem.isHidden()
    assert form.fields["monitor_name"].problem.isHidden()
    type_text(qtbot, form.edits["name"], "Sam")
    type_text(qtbot, form.edits["provider_name"], "Dr. Rivera")
    assert form.fields["provider_name"].problem.isHidden()  # fixed problems go away as you type
    type_text(qtbot, form.edits["provider_contact"], "555 0100")
    type_text(qtbot, form.edits["monitor_name"], "Jordan")
    type_text(qtbot, form.edits["dose_text"], "As on the label")
    form.hold.setValue(20)
    click(qtbot, profile_step.save_button)  # the numbers are not confirmed yet
    assert "check the numbers" in profile_step.error.text()
    assert window.shell is None
    form.edits["crisis_line"].clear()  # a blank crisis line only by saying so
    click(qtbot, profile_step.numbers.checked)
    click(qtbot, profile_step.save_button)
    assert "crisis line" in profile_step.error.text() and window.shell is None
    type_text(qtbot, form.edits["crisis_line"], "988")
    click(qtbot, profile_step.save_button)
    shell = wait_for_shell(qtbot, window)
    assert window.ctx.settings.get(EMERGENCY_NUMBER) == "911"
    qtbot.waitUntil(lambda: "Sam" in shell.home.greeting.text())
    assert "911" in shell.help_label.text()

    # Lock, unlock: the profile is there in Settings.
    window.lock()
    assert QGuiApplication.clipboard().text() != key  # our copy of the key was cleared
    qtbot.waitUntil(lambda: not services.vault.is_unlocked)
    shell = unlock(qtbot, window, STRONG)
    saved = shell.settings_page.profile.form
    assert saved.edits["provider_name"].text() == "Dr. Rivera"
    assert saved.edits["monitor_name"].text() == "Jordan"
    assert saved.edits["dose_text"].text() == "As on the label"
    assert saved.hold.value() == 20


def test_recovery_key_can_be_saved_and_printed(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: object
) -> None:
    window = make_window()
    recovery = to_recovery_step(qtbot, window).recovery
    target = tmp_path / "my key.txt"
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    click(qtbot, recovery.save_button)
    assert recovery.key in target.read_text(encoding="utf-8")
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0  # private to the user
    assert "Saved to" in recovery.status.text()

    pdf = tmp_path / "key.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf))
    recovery.print_to(printer)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_closing_while_the_key_is_shown_asks_first(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: object
) -> None:
    window = make_window(ask_before_losing_key=True)
    to_recovery_step(qtbot, window)
    asked: list[str] = []

    def answer_no(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer_no))  # type: ignore[attr-defined]
    window.close()
    assert asked and "will not be shown again" in asked[0]
    assert window.isVisible()
    flow = flow_of(window)
    flow.recovery.stored.setChecked(True)
    click(qtbot, flow.recovery.continue_button)  # once stored, closing needs no question
    window.close()
    assert not window.isVisible()


def test_back_from_passphrase_returns_to_welcome(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    flow = flow_of(window)
    click(qtbot, flow.welcome.continue_button)
    click(qtbot, flow.passphrase.back_button)
    assert flow.currentWidget() is flow.welcome
