"""The writing surface: a plain-text editor for simple Markdown, with emphasis shortcuts,
an honest spell-check status, and the word count.

The text is plain: paragraphs separated by blank lines, ``**strong**`` and ``*emphasis*``
written as characters. Nothing is stored as HTML. Pasting keeps only the plain text.

Spell-check: Qt has no spelling engine of its own. When the optional ``enchant`` library and a
dictionary for the system language are installed, misspelled words are underlined; otherwise
the editor says so plainly (``SPELLING_UNAVAILABLE``) instead of pretending.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, QMimeData, QSize, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from companion.i18n import N_
from companion.ui.widgets.fits_text import looks_changed

SPELLING_UNAVAILABLE = N_(
    "Spell-check is not available: Qt has no spelling engine of its own, and no spelling "
    "library (Enchant with a dictionary for your language) was found on this computer. "
    "Your words are kept exactly as you type them."
)
SPELLING_ON = N_("Spell-check is on ({language}): words it does not know are underlined.")

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

SpellCheck = Callable[[str], bool]  # True when a word is spelled correctly


def system_spell_checker() -> tuple[SpellCheck | None, str]:
    """The platform's spelling engine, if there is one: (checker, language) or (None, "")."""
    try:
        enchant = importlib.import_module("enchant")
    except ImportError:
        return None, ""
    language = QLocale.system().name() or "en_US"
    try:
        if not enchant.dict_exists(language):
            language = "en_US"
            if not enchant.dict_exists(language):
                return None, ""
        dictionary = enchant.Dict(language)
    except Exception:  # a broken provider is the same as none
        return None, ""
    check: SpellCheck = dictionary.check
    return check, language


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines the words ``check`` does not know (wavy, in the text's own colour)."""

    def __init__(self, document: QTextDocument, check: SpellCheck) -> None:
        super().__init__(document)
        self._check = check
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)

    def highlightBlock(self, text: str) -> None:
        for match in _WORD.finditer(text):
            if not self._check(match.group(0)):
                self.setFormat(match.start(), match.end() - match.start(), self._format)


class WritingEdit(QPlainTextEdit):
    """A calm, large plain-text editor. ``focus_left`` fires when focus moves elsewhere."""

    focus_left = Signal()

    def __init__(
        self,
        accessible_name: str,
        *,
        placeholder: str = "",
        lines: int = 8,
        spell_check: SpellCheck | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._lines = lines
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)  # Tab moves on; the text holds no tab characters
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.highlighter = (
            SpellHighlighter(self.document(), spell_check) if spell_check is not None else None
        )
        self._update_height()

    def _update_height(self) -> None:
        line = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(line * self._lines + line)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if looks_changed(event):
            self._update_height()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste plain text only: no formatting or HTML comes in with it."""
        if source.hasText():
            self.textCursor().insertText(source.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Bold):
            self.toggle_emphasis("**")
            return
        if event.matches(QKeySequence.StandardKey.Italic):
            self.toggle_emphasis("*")
            return
        super().keyPressEvent(event)

    def toggle_emphasis(self, marker: str) -> None:
        """Wraps the selection (or the word at the cursor) in ``marker``, or unwraps it."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        selected = cursor.selectedText()
        if not selected.strip():
            cursor = self.textCursor()
            cursor.insertText(marker + marker)
            cursor.movePosition(
                QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.MoveAnchor, len(marker)
            )
            self.setTextCursor(cursor)
            return
        n = len(marker)
        wrapped = (
            len(selected) > 2 * n and selected.startswith(marker) and selected.endswith(marker)
        )
        start = cursor.selectionStart()
        cursor.beginEditBlock()
        replacement = selected[n:-n] if wrapped else f"{marker}{selected}{marker}"
        cursor.insertText(replacement)
        cursor.endEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(start + len(replacement), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def text(self) -> str:
        return self.toPlainText()

    def set_text(self, text: str) -> None:
        """Replaces the text; the undo history starts again from here."""
        self.setPlainText(text)
        self.document().clearUndoRedoStacks()
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), self.minimumHeight()))
        return hint
