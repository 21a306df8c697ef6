"""Reading an entry shows its Markdown as it reads (issue 13, finding 12), and a link in it
opens only after the person confirms, chosen with the keyboard as with the mouse."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.journal_model import EntryInput
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.journal.dialogs import OpenLinkDialog
from companion.ui.reflections.viewer import EntryView
from companion.ui.theme import apply_theme
from tests.support.gui import WindowFactory, click
from tests.support.steps import open_window, prepare_vault, show
from tests.support.vault import PASSPHRASE

BODY = (
    "# What stayed with me\n\n"
    "The **warmth** and the *colours*.\n\n"
    "- breathing slowly\n  - counting to four\n\n"
    "> Be gentle.\n\n"
    "The [music I used](https://example.org/calm) helped.\n\n"
    "<script>alert('x')</script> [trap](javascript:alert%281%29)"
)


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("COMPANION_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.window().grab().save(str(Path(folder) / f"{name}.png"))


def open_view(
    qtbot: QtBot, make_window: WindowFactory, services: Services, clock: ManualClock
) -> EntryView:
    prepare_vault(services, clock, sessions=0)
    services.vault.unlock(PASSPHRASE)
    entry = services.journal.create(EntryInput(title="Colours", body=BODY))
    services.vault.lock()
    _window, shell = open_window(qtbot, make_window)
    reflections = shell.review.reflections
    show(shell, "Reflections")
    reflections.open_entry(entry.id)
    qtbot.waitUntil(lambda: reflections.view is not None, timeout=10_000)
    view = reflections.view
    assert view is not None
    return view


def test_an_entry_reads_as_written_and_raw_html_stays_words(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    view = open_view(qtbot, make_window, services, manual_clock)
    [body] = view.texts
    html_text = body.text()
    assert "<h3>What stayed with me</h3>" in html_text
    assert "<b>warmth</b>" in html_text and "<i>colours</i>" in html_text
    assert '<a href="https://example.org/calm">music I used</a>' in html_text
    assert "<script" not in html_text and "&lt;script&gt;" in html_text
    assert "javascript" not in html_text.split("&lt;/script&gt;")[1]  # the trap: words only
    assert "**" not in html_text and "# What" not in html_text
    shoot(view, "markdown_view")


def test_a_link_opens_only_after_confirming(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    view = open_view(qtbot, make_window, services, manual_clock)
    opened: list[QUrl] = []
    view.open_url = opened.append
    [body] = view.texts
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Tab)  # to the entry's one link
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(view.link_dialog, OpenLinkDialog), timeout=5_000)
    dialog = view.link_dialog
    assert isinstance(dialog, OpenLinkDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.address.text() == "https://example.org/calm"
    assert dialog.stay_button.isDefault()
    qtbot.waitUntil(dialog.stay_button.hasFocus, timeout=5_000)
    assert opened == []  # nothing opened by itself
    qtbot.keyClick(dialog.stay_button, Qt.Key.Key_Return)  # Enter stays
    assert not dialog.isVisible() and opened == []

    view.ask_to_open("https://example.org/calm")
    dialog = view.link_dialog
    assert isinstance(dialog, OpenLinkDialog)
    qtbot.waitUntil(dialog.isVisible)
    click(qtbot, dialog.open_button)
    assert opened == [QUrl("https://example.org/calm")]


def test_a_dangerous_address_is_never_offered(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    view = open_view(qtbot, make_window, services, manual_clock)
    opened: list[QUrl] = []
    view.open_url = opened.append
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "smb://host/x"):
        view.ask_to_open(url)
        assert view.link_dialog is None, url
    assert opened == []


def test_the_link_question_fits_a_small_screen_at_200_percent_light(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    settings: Settings,
    themed_app: QApplication,
) -> None:
    settings.set(TEXT_SCALE, 200)
    settings.set(THEME, "light")
    apply_theme(themed_app, "light", 200)
    view = open_view(qtbot, make_window, services, manual_clock)
    view.ask_to_open("https://example.org/a/rather/long/address/that/must/wrap?x=1&y=2")
    dialog = view.link_dialog
    assert isinstance(dialog, OpenLinkDialog)
    qtbot.waitUntil(dialog.isVisible)
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    for widget in (dialog.address, dialog.explanation, dialog.stay_button, dialog.open_button):
        corner = widget.mapTo(dialog, widget.rect().bottomRight())
        assert dialog.rect().contains(corner), widget
    folder = os.environ.get("COMPANION_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        qtbot.wait(100)  # drawn once settled
        dialog.grab().save(str(Path(folder) / "open_link_200_light.png"))
    click(qtbot, dialog.stay_button)
