"""The Export preview's viewer on real widgets: a long preview is laid out only where it is
shown (a bounded number of pieces, whatever its length), and keys scroll it like a text view,
line by line inside an entry taller than the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.ui.export.preview_pane import CACHED_PIECES, PreviewPane

WORDS = "calm river stone morning light breath quiet walk " * 30  # ~1,500 characters


def entry(number: int, paragraphs: int = 2) -> str:
    body = "".join(f"<p>{WORDS}</p>" for _ in range(paragraphs))
    return f"<hr><h3>Entry {number}</h3>{body}"


def shown_pane(qtbot: QtBot, pieces: list[str]) -> PreviewPane:
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    qtbot.waitExposed(pane)
    pane.set_pieces(pieces)
    last = pane.model().index(len(pieces) - 1, 0)
    qtbot.waitUntil(lambda: pane.visualRect(last).height() > 0, timeout=5_000)  # all measured
    return pane


def test_a_long_preview_holds_only_a_few_pieces_laid_out_while_read_to_the_end(
    qtbot: QtBot, qapp: QApplication
) -> None:
    pieces = [entry(n) for n in range(40)]
    pane = shown_pane(qtbot, pieces)
    bar = pane.verticalScrollBar()
    assert bar.maximum() > 40 * pane.fontMetrics().height() * 10  # the whole length scrolls
    held = []
    for _ in range(200):  # far more pages than it has
        if bar.value() == bar.maximum():
            break
        qtbot.keyClick(pane, Qt.Key.Key_PageDown)
        pane.viewport().repaint()
        held.append(pane.delegate.held)
    assert len(held) > 15 and max(held) <= CACHED_PIECES, held
    assert pane.currentIndex().row() == 39  # the piece at the top: what a screen reader reads
    assert "Entry 39" in str(pane.currentIndex().data())
    text = pane.toPlainText()
    assert all(f"Entry {n}\n" in text for n in range(40))
    pane.clear()
    assert pane.delegate.held == 0 and pane.toPlainText() == ""


def test_keys_scroll_the_preview_line_by_line_inside_an_entry_taller_than_the_window(
    qtbot: QtBot, qapp: QApplication
) -> None:
    pane = shown_pane(qtbot, [entry(0, paragraphs=12), entry(1)])
    tall = pane.visualRect(pane.model().index(0, 0)).height()
    assert tall > 3 * pane.viewport().height()
    bar = pane.verticalScrollBar()
    qtbot.keyClick(pane, Qt.Key.Key_Down)
    line = pane.fontMetrics().height()
    assert 0 < bar.value() <= 3 * line  # a few lines, not the next entry
    qtbot.keyClick(pane, Qt.Key.Key_PageDown)
    assert bar.value() < tall - pane.viewport().height()  # still inside entry 0
    assert pane.currentIndex().row() == 0
    qtbot.keyClick(pane, Qt.Key.Key_End)
    assert bar.value() == bar.maximum() and pane.currentIndex().row() == 1
    qtbot.keyClick(pane, Qt.Key.Key_Home)
    assert bar.value() == 0 and pane.currentIndex().row() == 0
