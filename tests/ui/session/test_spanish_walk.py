"""Companion in Spanish shows no English (issue 15, "done means"): with the language set to
Spanish, first run, every page (Home, Session, Journal, Reflections, Insights, Export,
Settings), unlock and recovery, a rehearsal's every step and Help, a PHQ-9 answered, a journal
entry, a search in Reflections and the PDF report.

Every visible text is collected: labels, buttons, group boxes, placeholders, tooltips,
accessible names and descriptions, window titles, combo-box items and list rows; the PDF is
read back as text. A text that is exactly an English message of the catalogue whose Spanish
differs is English leaking through (a constant shown without ``_()``, a string never marked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion import i18n
from companion.domain.clock import ManualClock
from companion.domain.export_selection import Selection
from companion.domain.journal import FREE
from companion.pdf.render import render_pdf
from companion.services.container import Services
from companion.services.protocol_files import default_protocol
from companion.settings import LANGUAGE, TEXT_SCALE, THEME, Settings
from companion.ui.export.choice_options import PLAINTEXT
from companion.ui.journal.page import JournalPage
from companion.ui.language import apply_language
from companion.ui.main_window import MainWindow
from companion.ui.questionnaires.form import QuestionnaireForm, ResultView
from companion.ui.reflections.page import ReflectionsPage
from companion.ui.theme import apply_theme
from companion.ui.widgets.text import relayout_now
from tests.support.export_gui import save_to
from tests.support.gui import WindowFactory, click, each_screen, type_text
from tests.support.language import TEST_LANGUAGE
from tests.support.pdftext import pdftotext
from tests.support.recorded import vault_with_a_rehearsal_and_an_early_end
from tests.support.session_walk import SCREEN, SessionWindow, settle
from tests.support.walks import dataclass_strings, session_steps

SPANISH = "es"
_TAG = re.compile(r"<[^>]*>")
LIST_ROWS = 40  # the first rows of a list are enough: they all come from the same code


@cache
def english_messages() -> frozenset[str]:
    """The catalogue's English messages whose Spanish differs (each plural form too)."""
    with i18n.catalogue_path(SPANISH).open("rb") as handle:
        catalogue = read_po(handle, locale=SPANISH)
    english: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            if isinstance(text, str) and text not in strings:
                english.add(text.strip())
    return frozenset(text for text in english if text)


@cache
def english_protocol_texts() -> frozenset[str]:
    """The default protocol's English texts that its Spanish (``text.es``) replaces."""
    before = i18n.current_language()
    try:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
        english: set[str] = set()
        dataclass_strings(default_protocol(), english)
        i18n.set_language(SPANISH)
        spanish: set[str] = set()
        dataclass_strings(default_protocol(), spanish)
    finally:
        i18n.set_language(before)
    return frozenset(t for t in english - spanish if re.search("[a-z]{3}", t))


def plain(text: str) -> str:
    text = _TAG.sub("", text).replace("&amp;", "&").replace("\u200b", "")
    return re.sub(r"&(?=\w)", "", text).strip()


def leaks_in(texts: Iterator[tuple[str, str]], step: str) -> list[str]:
    english = english_messages() | english_protocol_texts()
    return [
        f"{step}: {where} {text[:90]!r}"
        for where, text in texts
        if text and (text.strip() in english or plain(text) in english)
    ]


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """Every text a patient can see or hear from a screen reader under ``root``."""
    window = root.window()
    yield "window title", window.windowTitle()
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisibleTo(window) and widget is not window:
            continue
        kind = type(widget).__name__
        if isinstance(widget, QLabel | QAbstractButton):
            yield f"{kind} text", widget.text()
        if isinstance(widget, QGroupBox):
            yield f"{kind} title", widget.title()
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield f"{kind} placeholder", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for n in range(widget.count()):
                yield f"{kind} item", widget.itemText(n)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(model.rowCount(), LIST_ROWS)):
                value = model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole)
                if isinstance(value, str):
                    yield f"{kind} row", value
        yield f"{kind} tooltip", widget.toolTip()
        yield f"{kind} name", widget.accessibleName()
        yield f"{kind} description", widget.accessibleDescription()


def look(qtbot: QtBot, window: MainWindow, root: QWidget, step: str, _data: set[str]) -> list[str]:
    relayout_now()
    qtbot.wait(50)
    relayout_now()
    return leaks_in(visible_texts(root), step)


@pytest.fixture
def spanish(
    themed_app: QApplication, settings: Settings, request: pytest.FixtureRequest
) -> set[str]:
    settings.set(LANGUAGE, SPANISH)
    apply_language(SPANISH)
    request.addfinalizer(lambda: apply_language(TEST_LANGUAGE))
    settings.set(TEXT_SCALE, 100)
    settings.set(THEME, "light")
    apply_theme(themed_app, "light", 100)
    return set()


def test_the_catalogue_rule_finds_english() -> None:
    """The check itself: an English message is caught, its Spanish and a name are not."""
    english = english_messages()
    assert "Save entry" in english and "Journal" in english and "Companion" not in english
    assert "My eye mask and music are ready." in english_protocol_texts()
    texts = iter([("a", "Save entry"), ("b", "Guardar entrada"), ("c", "&Journal"), ("d", "")])
    assert leaks_in(texts, "x") == ["x: a 'Save entry'", "x: c '&Journal'"]


def test_first_run_every_page_unlock_and_recovery_in_spanish(
    qtbot: QtBot, make_window: WindowFactory, spanish: set[str]
) -> None:
    window = make_window(size=SCREEN)
    found: list[str] = []
    seen: set[str] = set()
    for step, root in each_screen(qtbot, window):
        found += look(qtbot, window, root, step, spanish)
        seen.update(text for _where, text in visible_texts(root))
    assert {"Diario", "Reflexiones", "Ajustes"} <= seen  # the walk did see Spanish
    assert found == [], "\n".join(found)


def test_a_rehearsal_a_questionnaire_a_journal_entry_and_a_search_in_spanish(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    spanish: set[str],
    tmp_path: Path,
) -> None:
    window, shell, _page = session_window(SCREEN)
    found = [leak for step in session_steps(qtbot, window, manual_clock, spanish, shell, look)
             for leak in step]  # fmt: skip
    shell.show_page(2)
    journal = shell.review.pages[0]
    assert isinstance(journal, JournalPage)
    click(qtbot, journal.start.phq9_button)
    form = journal.form
    assert isinstance(form, QuestionnaireForm)
    settle(qtbot, window)
    found += look(qtbot, window, form, "questionnaire", spanish)
    for group in form.groups:
        click(qtbot, group.button(1))
    found += look(qtbot, window, form, "questionnaire answered", spanish)
    click(qtbot, form.submit_button)
    qtbot.waitUntil(lambda: journal.result is not None, timeout=10_000)
    result = journal.result
    assert isinstance(result, ResultView)
    found += look(qtbot, window, result, "questionnaire result", spanish)
    click(qtbot, result.done_button)
    settle(qtbot, window)
    journal.new_entry(FREE.id)
    settle(qtbot, window)
    found += look(qtbot, window, journal, "journal entry", spanish)
    shell.show_page(3)
    reflections = shell.review.pages[1]
    assert isinstance(reflections, ReflectionsPage)
    settle(qtbot, window)
    found += look(qtbot, window, reflections, "reflections", spanish)
    type_text(qtbot, reflections.listing.search, "calma")  # keyClicks takes ASCII only
    qtbot.wait(400)  # the search waits for typing to pause
    settle(qtbot, window)
    found += look(qtbot, window, reflections, "search", spanish)
    found += export_preview_and_its_question(qtbot, window, shell, tmp_path)
    assert found == [], "\n".join(found)


def export_preview_and_its_question(
    qtbot: QtBot, window: MainWindow, shell: object, folder: Path
) -> list[str]:
    """Export: the preview of what will be shared, and the unencrypted file's question."""
    from companion.ui.shell import Shell

    assert isinstance(shell, Shell)
    shell.show_page(5)
    page = shell.export_page
    settle(qtbot, window)
    found = look(qtbot, window, page, "export", set())
    click(qtbot, page.choices.protection_buttons[PLAINTEXT])
    click(qtbot, page.choices.preview_button)
    qtbot.waitUntil(lambda: page.currentWidget() is page.preview, timeout=15_000)
    settle(qtbot, window)
    found += look(qtbot, window, page, "export preview", set())
    shown = page.preview.pane.toPlainText().splitlines()
    assert "Qué contendrá el archivo" in shown, shown  # the preview is there, in Spanish
    found += leaks_in(((f"preview line {n}", t) for n, t in enumerate(shown)), "export preview")
    save_to(page, folder / "informe.pdf")
    click(qtbot, page.preview.save_button)
    dialog = page.plaintext_dialog
    assert dialog is not None and dialog.isVisible()
    texts = [("question", dialog.text()), ("title", dialog.windowTitle())]
    texts += [("button", b.text()) for b in dialog.buttons()]
    found += leaks_in(iter(texts), "export question")
    dialog.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: page.plaintext_dialog is None)
    return found


def test_the_pdf_report_in_spanish_holds_no_english_message(
    unlocked_services: Services, manual_clock: ManualClock, tmp_path: Path
) -> None:
    vault_with_a_rehearsal_and_an_early_end(unlocked_services, manual_clock)
    i18n.set_language(SPANISH)
    report = unlocked_services.export.preview(Selection(zone=UTC)).report
    data = render_pdf(report, locale=QLocale(QLocale.Language.Spanish, QLocale.Country.Spain))
    lines = [line.strip() for line in pdftotext(data, tmp_path).splitlines()]
    assert "Resumen" in lines
    found = leaks_in(((f"line {n}", line) for n, line in enumerate(lines)), "PDF")
    assert found == [], "\n".join(found)
