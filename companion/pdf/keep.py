"""Headings kept with their text: a heading that would end a page (its text starting on the
next one) starts that next page instead.

A moved heading shifts everything below it, so deciding the next move needs the pages as they
are after this one. Laying the document out again after each move made the report quadratic
(16 moves, 4.8 s of 7.5 s for a year's report). Instead, once Qt has laid the document out,
one pass replays Qt's own pagination (``QTextDocumentLayout``: a block's gap is the larger of
its top margin and the previous block's bottom margin; a line that would cross a page's bottom
starts the next page; a forced break starts the next page) on the blocks' lines, which do not
depend on where the pages break, and decides each move as it reaches the heading. The moves
are made in one edit (one more layout), and every line must then be exactly where the replay
put it: if one is not (a document this replay does not cover), the headings go back to one
move per layout. Documents with tables (the cover and the sessions) take that way too: they
are short.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QPaintDevice,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

HEADINGS = 3  # h1..h3 keep their text with them
_ALWAYS = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
_AFTER = QTextFormat.PageBreakFlag.PageBreak_AlwaysAfter
_SINGLE = QTextBlockFormat.LineHeightTypes.SingleHeight.value


@dataclass(slots=True)
class KeepStats:
    """What keeping the headings cost: ``layouts`` counts the times Qt laid the document out
    (its first layout included; placing the lines again without breaking them into lines is
    part of that), ``moved`` the headings moved; ``replayed``: in one pass."""

    layouts: int = 0
    moved: int = 0
    replayed: bool = False


@dataclass(slots=True)
class _Replay:
    """Qt's pagination of the root frame's blocks, replayed: ``y`` and the current page's
    bottom as ``QTextLayoutStruct`` keeps them (multiples of 1/64 dot: exact in floats)."""

    page: float
    scale: float  # block margins are in pixels of Qt's default dpi; the device has more
    y: float = 0.0
    bottom: float = 0.0

    def place(
        self, block: QTextBlock, previous: QTextBlockFormat | None, moved: bool = False
    ) -> list[float]:
        """Places ``block`` (laid out by Qt: its lines are only measured) and returns its top
        and its lines' tops; ``moved``: as if it had a page break before it. The state moves
        on: place on a ``copy`` to look ahead."""
        fmt = block.blockFormat()
        if moved or _breaks_before(fmt):
            self._new_page()
        if previous is not None:
            margin = max(fmt.topMargin(), previous.bottomMargin())
            if margin > 0:
                margin *= self.scale
            self.y += math.floor(margin * 64 + 0.5) / 64  # QFixed::fromReal
        tops = [self.y]
        lines = block.layout()
        bottom = self.y
        for number in range(lines.lineCount()):
            line = lines.lineAt(number)
            height = line.height()
            while self.y + height > self.bottom and self.page >= height:
                self._new_page()
            tops.append(self.y)
            bottom = self.y + height
            self.y += math.ceil(line.ascent() + line.descent() + line.leading())
        self.y = max(self.y, bottom)
        return tops

    def _new_page(self) -> None:
        self.bottom += self.page
        self.y = max(self.y, self.bottom - self.page)

    def copy(self) -> _Replay:
        return _Replay(self.page, self.scale, self.y, self.bottom)


def keep_headings_with_text(doc: QTextDocument, page_height: float) -> KeepStats:
    """Moves to the next page each heading that would end a page. ``doc`` has its page size
    and its HTML, and may not be laid out yet."""
    stats = KeepStats()
    if _replayable(doc) and _replay_and_move(doc, page_height, stats):
        return stats
    if not stats.layouts:
        lay_out(doc, stats)
    keep_one_by_one(doc, page_height, stats)
    return stats


def _replayable(doc: QTextDocument) -> bool:
    """Blocks in the root frame only (no tables), single line heights, no break after."""
    if doc.rootFrame().childFrames():
        return False
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.lineHeightType() != _SINGLE or fmt.pageBreakPolicy() & _AFTER:
            return False
        block = block.next()
    return True


def _margin_scale(doc: QTextDocument) -> float:
    """Device pixels per pixel of a block margin (``qt_defaultDpiY``: the screen's dpi)."""
    device: QPaintDevice | None = doc.documentLayout().paintDevice()  # None: screen pixels
    if device is None:
        return 1.0
    if QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_Use96Dpi):
        default = 96
    else:
        screen = QGuiApplication.primaryScreen()
        default = round(screen.logicalDotsPerInchY()) if screen is not None else 100
    return device.logicalDpiY() / default


def _replay_and_move(doc: QTextDocument, page_height: float, stats: KeepStats) -> bool:
    """The replay decides every move in one pass; the moves are made together (one layout);
    then each line must be where the replay put it."""
    lay_out(doc, stats)
    replay = _Replay(page_height, _margin_scale(doc), bottom=page_height)
    placed: list[float] = []
    moved: list[QTextBlock] = []
    previous: QTextBlockFormat | None = None
    block = doc.begin()
    while block.isValid():
        move = _strands(replay.copy(), block, previous, page_height)
        if move:
            moved.append(block)
        placed += replay.place(block, previous, move)
        previous = block.blockFormat()
        block = block.next()
    if moved:
        _break_before(doc, moved, True)
        doc.pageCount()
        stats.layouts += 1
    if _line_tops(doc) == placed:
        stats.moved, stats.replayed = len(moved), True
        return True
    if moved:  # not Qt's pagination after all: one move per layout instead
        _break_before(doc, moved, False)
    return False


def lay_out(doc: QTextDocument, stats: KeepStats) -> None:
    """Qt's layout, then its lines placed again in one continuous pass: Qt lays a document
    out lazily, part by part, and that can leave a line across a page's bottom edge (block
    3483 of a year's report at 1k: 50 dots across). The second pass moves the lines, it does
    not break them again (only block 0's)."""
    doc.pageCount()
    doc.markContentsDirty(0, 1)
    doc.pageCount()
    stats.layouts += 1


def _strands(
    ahead: _Replay,
    block: QTextBlock,
    previous: QTextBlockFormat | None,
    page_height: float,
) -> bool:
    """Whether heading ``block``, placed where the replay stands, would end a page: "its text"
    is the line under it and the first line after that (an entry's title has its date line,
    then the words)."""
    fmt = block.blockFormat()
    after = block.next()
    if not 0 < fmt.headingLevel() <= HEADINGS or not after.isValid() or _breaks_before(fmt):
        return False
    keep = after.next() if after.next().isValid() else after
    if keep.blockFormat().headingLevel():
        keep = after
    top = ahead.place(block, previous)[0] + 1  # a dot of rounding
    tops = ahead.place(after, fmt)
    if keep != after:
        tops = ahead.place(keep, after.blockFormat())
    first = keep.layout().lineAt(0)
    ends = tops[1] + first.height() if first.isValid() else tops[0]
    return _ends_page(top, ends, page_height)


def _ends_page(top: float, ends: float, page_height: float) -> bool:
    return int(ends // page_height) != int(top // page_height) and top % page_height > 2


def _breaks_before(fmt: QTextBlockFormat) -> bool:
    return bool(fmt.pageBreakPolicy() & _ALWAYS)


def _break_before(doc: QTextDocument, blocks: list[QTextBlock], on: bool) -> None:
    """Sets (or takes off) a page break before each of ``blocks``, in one edit: Qt lays the
    document out again once, from the first of them."""
    edit = QTextCursor(doc)
    edit.beginEditBlock()
    for block in blocks:
        fmt = block.blockFormat()
        if on:
            fmt.setPageBreakPolicy(_ALWAYS)
        else:
            fmt.clearProperty(QTextFormat.Property.PageBreakPolicy)
        QTextCursor(block).setBlockFormat(fmt)
    edit.endEditBlock()


def _line_tops(doc: QTextDocument) -> list[float]:
    """Each block's top and its lines' tops, in document order, as Qt placed them."""
    tops: list[float] = []
    block = doc.begin()
    while block.isValid():
        lines = block.layout()
        y = lines.position().y()
        tops.append(y)
        tops += [y + lines.lineAt(n).y() for n in range(lines.lineCount())]
        block = block.next()
    return tops


def _first_line_bottom(doc: QTextDocument, block: QTextBlock) -> float:
    rect = doc.documentLayout().blockBoundingRect(block)
    lines = block.layout()
    if not lines.lineCount():
        return rect.bottom()
    first = lines.lineAt(0)
    return rect.top() + first.y() + first.height()


def keep_one_by_one(doc: QTextDocument, page_height: float, stats: KeepStats) -> None:
    """The general way (tables and all; the tests' reference): after each move the whole
    document is laid out again, now and in one pass, as a move shifts everything below it.
    ``doc`` is laid out (``lay_out``)."""
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        after = block.next()
        fmt = block.blockFormat()
        if 0 < fmt.headingLevel() <= HEADINGS and after.isValid() and not _breaks_before(fmt):
            top = layout.blockBoundingRect(block).top() + 1  # a dot of rounding
            keep = after.next() if after.next().isValid() else after
            if keep.blockFormat().headingLevel():
                keep = after
            if _ends_page(top, _first_line_bottom(doc, keep), page_height):
                _break_before(doc, [block], True)
                doc.markContentsDirty(0, doc.characterCount())
                doc.pageCount()
                stats.layouts += 1
                stats.moved += 1
                continue  # the same block, now at the top of a page
        block = after
