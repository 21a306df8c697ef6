"""Restyling the window after the text size (or the theme) changed, without freezing it.

Setting a stylesheet on a widget re-polishes every widget inside it: about 1 ms a widget here,
so a whole page at once (the Settings page has ~340 widgets) froze the window for 200-400 ms,
and the application's stylesheet for all pages 1-2.5 s. Instead a part of the window (a page,
the navigation column) is split into pieces of a few dozen widgets, and each piece takes its
sheet in its own short turn of the event loop. The window does not repaint until the last piece
is done, so nobody sees a half-restyled page, while input, timers and the session's prompts
keep running between the pieces.

A piece's sheet is ``theme.text_size_sheet()`` followed by the own stylesheet of every page (or
card) around it that has one (``own_style()``, outermost first), so the piece looks exactly as
if its page's own sheet had been set again over an application sheet of the new size. Widgets
left between the pieces (scroll areas, plain containers) have no sized rules.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from functools import partial

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from companion.ui.next_turn import next_turn_timer
from companion.ui.theme import look_sheet, text_size_sheet

PIECE_WIDGETS = 40  # a piece this small restyles in a few milliseconds
CARD_WIDGETS = 200  # a card (anything with a role) is kept whole up to this size: its own look
TURN_BUDGET_S = 0.008  # pieces per turn until this much time has gone


def _own_style(widget: QWidget) -> str | None:
    kind = type(widget)
    has = _HAS_OWN_STYLE.get(kind)
    if has is None:  # asked once per class: a failed getattr on a Qt object is slow
        has = _HAS_OWN_STYLE[kind] = callable(getattr(kind, "own_style", None))
    return str(widget.own_style()) if has else None  # type: ignore[attr-defined]


_HAS_OWN_STYLE: dict[type, bool] = {}


def _widgets(widget: QWidget) -> list[QWidget]:
    """The widgets directly inside ``widget`` (not its layouts, timers or models)."""
    direct = QtCore.Qt.FindChildOption.FindDirectChildrenOnly  # ``Qt`` read after the first frame
    return widget.findChildren(QWidget, options=direct)


class _Node:
    """A widget and the widgets inside it (the wrappers kept while the plan is made)."""

    __slots__ = ("children", "size", "widget")

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self.children: list[_Node] = [_Node(child) for child in _widgets(widget)]
        self.size: int = 1 + sum(child.size for child in self.children)

    def inside(self) -> Iterator[QWidget]:
        """Every widget inside this one, depth first (as ``findChildren``)."""
        for child in self.children:
            yield child.widget
            yield from child.inside()


def pieces(part: QWidget, between: list[QWidget] | None = None) -> list[tuple[QWidget, str]]:
    """The (widget, stylesheet) pairs that restyle ``part``, in order, each a small subtree;
    the widgets left between the pieces go into ``between`` (outermost first)."""
    found: list[tuple[QWidget, str]] = []

    def split(node: _Node, around: tuple[str, ...], under_sheet: bool) -> None:
        widget = node.widget
        own = _own_style(widget)
        here = (*around, own) if own is not None else around
        size = node.size
        whole = size <= PIECE_WIDGETS or (bool(widget.property("role")) and size <= CARD_WIDGETS)
        if whole or not node.children:
            # Under a widget that keeps a sheet of its own (a page built after an earlier
            # change, a page's own rules), the piece takes the whole sheet of the look now:
            # a piece's own sheet wins over its ancestors' rule for rule, so nothing of an
            # older look (another theme, another size) shows through.
            sizes = look_sheet() if under_sheet else text_size_sheet()
            found.append((widget, "\n".join(s for s in (sizes, *here) if s)))
            for inner in node.inside():  # cards with a sheet of their own
                inner_own = _own_style(inner)
                if inner_own is not None:
                    found.append((inner, inner_own))
            return
        if between is not None:
            between.append(widget)
        sheeted = under_sheet or bool(widget.styleSheet())
        for child in node.children:
            split(child, here, sheeted)

    split(_Node(part), (), False)
    return found


def _set_sheet(widget: QWidget, sheet: str) -> None:
    if shiboken6.isValid(widget) and widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def _repolish(widget: QWidget) -> None:
    """A widget between the pieces, alone (not what is inside it): a widget polished under a
    stylesheet keeps the font size it had then, so it takes the new one from its parent; pages
    size their margins and columns from it. One step per widget, outermost first (all of a
    page's in one step took 25-38 ms, most of a turn)."""
    if shiboken6.isValid(widget):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))


def _hold_layouts(between: list[QWidget], held: bool) -> None:
    """While the pieces change, the layouts between them wait: each piece then lays out only
    itself, and the page once at the end (not once per piece). A layout that waited let its
    requests to be done again pass unheeded, and Qt asks again only after a layout was done:
    so the request is made again here (a page's wrapped labels kept their old heights, and the
    Session page's bar its old height, until the window was next resized), outermost first:
    each is then done once, at the size its parent gives it."""
    for widget in between:
        if shiboken6.isValid(widget):
            layout = widget.layout()
            if layout is not None:
                layout.setEnabled(not held)
                if not held:
                    layout.invalidate()
                    QCoreApplication.postEvent(widget, QEvent(QEvent.Type.LayoutRequest))


def _next_turn() -> None:
    """A step that ends the turn: what was asked for (the layouts) is done before the next."""


def _lay_out() -> None:
    """The layouts asked for, done now (in a turn of their own): a page's column, then (asked
    by it) its scroll area fitting it to its width. The restyle ends with the page laid out."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def _fit_outside(part: QWidget) -> None:
    """A part laid out at the new size tells the layout around it that its size hint changed
    (a scroll area, as the navigation is, does not pass on its contents' new width)."""
    if shiboken6.isValid(part):
        part.updateGeometry()


def _restyled(part: QWidget) -> None:
    """Whatever a page redraws itself when its look changes (chart fonts, highlight colours)."""
    if not shiboken6.isValid(part):
        return
    for widget in (part, *part.findChildren(QWidget)):
        hook = getattr(widget, "restyled", None)
        if callable(hook):
            hook()


def style_new(part: QWidget) -> None:
    """A part just built, not yet shown: a page with a sheet of its own has already set it
    with the text size (``with_text_size`` in its ``apply_style``); any other takes the text
    size sheet on itself. No walk through its widgets (that cost 100-170 ms a page)."""
    sizes = text_size_sheet()
    if sizes and _own_style(part) is None and part.styleSheet() != sizes:
        part.setStyleSheet(sizes)


class Restyler(QObject):
    """Restyles parts of a window a few pieces per turn of the event loop, the window's painting
    held until the last one is done.

    The layouts of every part restyled together wait until the last piece of the last part is
    done; then the parts are laid out outermost first (the navigation and the footer, then the
    window's frame fitted to their new sizes), and the page last, once, at the width it keeps:
    released together, a page was laid out at its old width and then again at its new one (the
    navigation grows with the text), every wrapped label measured at both."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: deque[Callable[[], None]] = deque()
        # The parts whose layouts wait, each with the widgets between its pieces.
        self._waiting: list[tuple[QWidget, list[QWidget]]] = []
        self._held: QWidget | None = None
        self._timer = next_turn_timer(self, self._run)

    @property
    def busy(self) -> bool:
        return bool(self._steps or self._waiting)

    def restyle(self, part: QWidget) -> None:
        if self._held is None:
            self._held = part.window()
            self._held.setUpdatesEnabled(False)
        between: list[QWidget] = []
        found = pieces(part, between)
        _hold_layouts(between, True)  # now: a new font must not lay the page out twice
        self._steps.extend(partial(_repolish, widget) for widget in between)
        for widget, sheet in found:
            self._steps.append(partial(_set_sheet, widget, sheet))
        self._waiting.append((part, between))
        self._timer.start()

    def _lay_out_parts(self) -> None:
        """The steps that lay the parts out, once every piece is done: each part but the last
        (the page) released and laid out, its new size hint passed up (the window's frame fits
        it: the page takes its new width while its own layouts still wait); then the last."""
        waiting, self._waiting = self._waiting, []
        *outer, (_last, last_between) = waiting
        for part, between in outer:
            self._steps.append(partial(_hold_layouts, between, False))
            self._steps.extend((_next_turn, _lay_out, _next_turn))
            self._steps.append(partial(_fit_outside, part))
            self._steps.extend((_next_turn, _lay_out, _next_turn))
        self._steps.append(partial(_hold_layouts, last_between, False))
        # The page laid out in turns of its own (its column, then its scroll area), then painted.
        self._steps.extend((_next_turn, _lay_out, _next_turn, _lay_out, _next_turn))
        self._steps.extend(partial(_restyled, part) for part, _ in waiting)

    def _run(self) -> None:
        start = time.perf_counter()
        while time.perf_counter() - start < TURN_BUDGET_S:
            if not self._steps:
                if not self._waiting:
                    break
                self._lay_out_parts()
            step = self._steps.popleft()
            if step is _next_turn:
                break
            step()
        if self.busy:
            self._timer.start()
        else:
            self._release()

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is not None and shiboken6.isValid(held):
            held.setUpdatesEnabled(True)
        self.finished.emit()
