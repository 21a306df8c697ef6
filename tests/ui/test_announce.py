"""Announcements for screen readers: the helper itself, and the PHQ-9 item 9 safety card.

The session's cards (stop card, severe side effect, journey prompts, check-in) are checked on a
walked session in tests/ui/session/test_announcements.py.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.services.container import Services
from companion.ui.questionnaires.form import QuestionnaireForm
from companion.ui.widgets.announce import (
    HAS_ANNOUNCEMENT_EVENT,
    announce,
    announcement_log,
    spoken_text,
)
from companion.ui.widgets.text import label
from tests.support.gui import WindowFactory, click
from tests.support.services import make_profile
from tests.support.steps import open_window, settle, show
from tests.support.vault import PASSPHRASE


class Heard:
    """Every announcement made while it listens: (text, widget)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, QObject]] = []
        announcement_log().announced.connect(self._on)

    def _on(self, text: str, widget: QObject) -> None:
        self.items.append((text, widget))

    def texts(self) -> list[str]:
        return [t for t, _w in self.items]

    def close(self) -> None:
        announcement_log().announced.disconnect(self._on)


def card(qtbot: QtBot) -> tuple[QWidget, QPushButton, QWidget]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    message = label("No session today.  Call your provider now.")
    ok = QPushButton("I have read this")
    layout.addWidget(message)
    layout.addWidget(ok)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    ok.setFocus()
    qtbot.waitUntil(ok.hasFocus)
    return host, ok, message


def test_the_pinned_qt_raises_a_real_announcement_event(qtbot: QtBot) -> None:
    assert HAS_ANNOUNCEMENT_EVENT  # PySide6 6.8+; the project pins 6.11
    from PySide6.QtGui import QAccessibleAnnouncementEvent

    _host, ok, message = card(qtbot)
    heard = Heard()
    try:
        said = announce(message)
    finally:
        heard.close()
    assert said == "No session today. Call your provider now."
    assert heard.items == [(said, message)]
    assert QApplication.focusWidget() is ok, "with the event, focus stays where it was"
    event = QAccessibleAnnouncementEvent(message, said)  # what announce() sends, inspected
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    assert event.message() == said and event.type() == QAccessible.Event.Announcement
    assert event.politeness() == QAccessible.AnnouncementPoliteness.Assertive


def test_without_the_event_focus_moves_to_the_message_not_the_button(qtbot: QtBot) -> None:
    _host, ok, message = card(qtbot)
    assert QApplication.focusWidget() is ok
    announce(message, use_event=False)
    qtbot.waitUntil(message.hasFocus)
    focused = QApplication.focusWidget()
    assert focused is not None
    interface = QAccessible.queryAccessibleInterface(focused)
    assert interface is not None and interface.state().focused
    assert interface.text(QAccessible.Text.Name) == "No session today. Call your provider now."
    assert spoken_text(message) == "No session today. Call your provider now."


def test_an_empty_message_is_not_announced(qtbot: QtBot) -> None:
    _host, _ok, _message = card(qtbot)
    heard = Heard()
    try:
        assert announce(label("")) == ""
    finally:
        heard.close()
    assert heard.items == []


def test_item_9_safety_card_is_announced_the_moment_it_shows(
    qtbot: QtBot, make_window: WindowFactory, services: Services
) -> None:
    services.vault.create(PASSPHRASE)
    services.profile.save(replace(make_profile(), crisis_line="13 11 14"))
    services.vault.lock()
    window, shell = open_window(qtbot, make_window)
    journal = shell.review.journal
    show(shell, "Journal")
    click(qtbot, journal.start.phq9_button)
    form = journal.form
    assert isinstance(form, QuestionnaireForm)
    settle(qtbot, window)
    heard = Heard()
    try:
        click(qtbot, form.groups[8].button(0))
        assert heard.items == [], "'Not at all' shows no card"
        click(qtbot, form.groups[8].button(1))
    finally:
        heard.close()
    assert len(heard.items) == 1
    text, widget = heard.items[0]
    assert widget is form.safety
    assert text.startswith("You can call now") and "13 11 14" in text
