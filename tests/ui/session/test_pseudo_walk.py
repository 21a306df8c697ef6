"""Every word the UI shows is translatable and still fits: the app walked in the pseudo language
(each translated message accented, bracketed and about 40 % longer) at 200 % text, dark, on a
1366x768 screen: first run, unlock, Home, a rehearsal's every step, a journal entry,
Reflections, Insights, Export and Settings.

A visible label, button, group box, window title, placeholder or tooltip that is not
pseudo-translated is a string nobody can translate; a clipped or cut one would be cut in Spanish
too. Exempt are the patient's own data (the profile), numbers, dates and times (Babel writes
them), the languages' own names, the brand, and words that are not the UI's: the protocol file's
texts (translated per language inside the file) and the domain's words (see ``NOT_UI_WORDS``).

Screenshots go to $COMPANION_SHOTS when it is set.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.journal import FREE
from companion.i18n import LANGUAGES, PSEUDO
from companion.services.container import Services
from companion.services.protocol_files import default_protocol
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.journal.page import JournalPage
from companion.ui.language import apply_language
from companion.ui.main_window import MainWindow
from companion.ui.theme import apply_theme
from tests.support.gui import WindowFactory, each_screen
from tests.support.language import TEST_LANGUAGE
from tests.support.services import make_profile
from tests.support.session_walk import SCREEN, SessionWindow, problems_on_screen, settle
from tests.support.walks import dataclass_strings, session_steps

# Words on screen that are not the UI's to translate here: they come from the domain (the
# core's catalogue translates them where they are defined) or are names.
NOT_UI_WORDS = frozenset({"Companion", "PHQ-9", "GAD-7", "mmHg", "age1…", "https://…"})
# The layers below the UI: their words are theirs to mark (the core's part of issue 15)
CORE = ("domain", "services", "audio", "export", "storage", "errors.py", "pdf")
ROOT = Path(__file__).resolve().parents[3]
_DATE_OR_NUMBER = re.compile(
    r"^[\s\d:.,/%×–\-+()]*(AM|PM)?[\s\d:.,/%×–\-+()]*$"
    r"|^(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d"
    r"|^[A-Z0-9]{5}(-[A-Z0-9]{5})+(\n[A-Z0-9]{5}(-[A-Z0-9]{5})+)*$"  # a recovery key
)
_TAG = re.compile(r"<[^>]*>")


def core_words() -> set[str]:
    """Every sentence written in the layers below the UI (their own check covers them)."""
    words: set[str] = set()
    package = ROOT / "companion"
    for part in CORE:
        where = package / part
        for path in [where] if where.is_file() else sorted(where.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    text = node.value.strip()
                    if (len(text) > 3 and " " in text) or text[:1].isupper():
                        words.add(text.split("{")[0].strip())
    return {w for w in words if len(w) > 3}


def data_words() -> set[str]:
    words: set[str] = set(NOT_UI_WORDS) | {language.name for language in LANGUAGES}
    dataclass_strings(default_protocol(), words)
    dataclass_strings(make_profile(), words)
    return {w for w in words | core_words() if w}


def is_foreign(text: str, data: set[str]) -> bool:
    """True when ``text`` holds UI words that did not go through the catalogue."""
    plain = _TAG.sub("", text).replace("&amp;", "&").replace("\u200b", "").strip()
    if not plain or "~]" in plain or not re.search(r"[A-Za-z]", plain):
        return False
    if plain in data or _DATE_OR_NUMBER.search(plain):
        return False
    return not any(plain in word or word in plain for word in data if len(word) > 3)


def untranslated(root: QWidget, step: str, data: set[str]) -> list[str]:
    """Visible texts under ``root`` (and its window title) that are not pseudo-translated."""
    found: list[str] = []

    def check(kind: str, widget: QWidget, text: str) -> None:
        if text and is_foreign(text, data):
            found.append(f"{step}: {kind} {type(widget).__name__} {text[:80]!r}")

    window = root.window()
    check("window title", window, window.windowTitle())
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            check("text", widget, widget.text())
        if isinstance(widget, QGroupBox):
            check("group box", widget, widget.title())
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            check("placeholder", widget, widget.placeholderText())
        check("tooltip", widget, widget.toolTip())
    return found


def look(
    qtbot: QtBot, window: MainWindow, root: QWidget, step: str, data: set[str]
) -> tuple[list[str], list[str]]:
    """What is wrong on screen now: words not translatable, and anything clipped or cut."""
    layout = problems_on_screen(qtbot, window, step, f"pseudo_{step.replace(' ', '-')}")
    return untranslated(root, step, data), layout


def judge(found: Iterable[tuple[list[str], list[str]]]) -> None:
    """Every word must be translatable, and everything must fit at 200 % in a language 40 %
    longer: buttons, check boxes and headings wrap (``companion.ui.widgets.wrap``)."""
    words: list[str] = []
    layout: list[str] = []
    for w, lay in found:
        words += w
        layout += lay
    assert words == [], "\n".join(words)
    assert layout == [], f"{len(layout)} layout findings at 200 % in pseudo:\n" + "\n".join(layout)


@pytest.fixture
def pseudo(
    themed_app: QApplication, settings: Settings, request: pytest.FixtureRequest
) -> set[str]:
    apply_language(PSEUDO)
    request.addfinalizer(lambda: apply_language(TEST_LANGUAGE))
    settings.set(TEXT_SCALE, 200)
    settings.set(THEME, "dark")
    apply_theme(themed_app, "dark", 200)
    return data_words()


def test_first_run_unlock_and_every_page_in_the_pseudo_language(
    qtbot: QtBot, make_window: WindowFactory, pseudo: set[str]
) -> None:
    window = make_window(size=SCREEN)
    judge(look(qtbot, window, root, step, pseudo) for step, root in each_screen(qtbot, window))


def test_a_rehearsal_and_a_journal_entry_in_the_pseudo_language(
    qtbot: QtBot,
    prepared: Services,
    session_window: SessionWindow,
    manual_clock: ManualClock,
    pseudo: set[str],
) -> None:
    window, shell, _page = session_window(SCREEN)
    found = list(session_steps(qtbot, window, manual_clock, pseudo, shell, look))
    shell.show_page(2)
    journal = shell.review.pages[0]
    assert isinstance(journal, JournalPage)
    journal.new_entry(FREE.id)
    settle(qtbot, window)
    found.append(look(qtbot, window, journal, "journal entry", pseudo))
    judge(found)
