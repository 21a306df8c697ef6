"""Views of the next step, built before they are needed, a piece per turn of the event loop.

Building a step's view when the patient presses a button took one long turn of the event loop
(100-300 ms for the journey or the After step), during which nothing moved. So the Session page
builds them while the patient reads the step before, one piece per turn (``Pieces``), as
hidden children of its stack (``hidden_page``): built there, they take the page's style sheet and
are polished once; a view made elsewhere and moved into the stack later was styled again, its
whole tree, in the turn it was needed (90 ms for the After step). Being hidden and outside the
stack's layout, nothing built in them makes the window lay itself out, and the stack does not
ask room for them until they become pages.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QLayout,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from companion.ui.next_turn import next_turn_timer


def hidden_page(stack: QStackedWidget, view: QWidget) -> None:
    """``view``, made with ``stack`` as its parent, waits there hidden and outside the stack's
    layout: it is never polished or moved again when it becomes a page, and until then nothing
    built in it makes the window lay itself out (a hidden widget's changes stop at it)."""
    assert view.parentWidget() is stack
    view.hide()  # explicitly: it must not show itself when the stack is shown again


def unseen_page(stack: QStackedWidget, view: QWidget, page: QRect | None = None) -> None:
    """``view``, made with ``stack`` as its parent, is shown at the size of the stack's page
    but below it, outside the stack: Qt clips it away whole (nothing of it is painted, the page
    shown is not covered) while its layouts run as on a page shown, a part at a time as its
    parts are added in turns of their own. Laid out there, it becomes the page with a paint
    only (``show_unseen``); hidden, its first layout was all done in the turn it was shown
    (100-300 ms for the Before step).

    Shown to Qt, its widgets would be in the window's focus chain: disabled until it becomes
    the page, Tab and a screen reader's focus pass it by (disabled is a colour only here; its
    sizes, and so the layout done off screen, stay the same).

    ``page``: the page's rectangle when the view will be shown, if not the present one (the
    After step: the width the page has once the navigation is back)."""
    assert view.parentWidget() is stack
    page = stack.contentsRect() if page is None else page
    view.setEnabled(False)
    view.setProperty("unseen", True)  # for tools/layout_check: off screen on purpose
    view.setGeometry(page.translated(0, stack.height()))
    view.show()
    view.lower()


def show_unseen(view: QWidget) -> None:
    """A view laid out by ``unseen_page`` is hidden again, to be made a page of the stack
    (which moves it into place: the same size, so no layout is redone), and enabled."""
    view.hide()
    view.setEnabled(True)
    view.setProperty("unseen", False)


class Pieces(QObject):
    """Build steps, run one per turn of the event loop, in order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: deque[Callable[[], None]] = deque()
        self.turns = 0  # steps run in a turn of their own (the rest ran in ``finish``)
        self._timer = next_turn_timer(self, self._next)

    @property
    def pending(self) -> int:
        return len(self._steps)

    def add(self, step: Callable[[], None]) -> None:
        self._steps.append(step)
        if not self._timer.isActive():
            self._timer.start()

    def _next(self) -> None:
        if self._steps:
            self.turns += 1
            self._steps.popleft()()
        if self._steps:
            self._timer.start()

    def finish(self) -> None:
        """Everything left, now: a view is needed at once (the patient did not wait)."""
        self._timer.stop()
        while self._steps:
            self._steps.popleft()()

    def cancel(self) -> None:
        self._timer.stop()
        self._steps.clear()


class Disposal(QObject):
    """Views done with, deleted ``per_turn`` parts per turn of the event loop, the deepest
    first (``parts_deepest_first``): a whole view deleted at once took 5-10 ms of the turn it
    went in (the Before step at Begin, the After step at Finish), every label's text document
    and layout freed together. A view given here is hidden, out of every layout, and from the
    next turn its signals are blocked: nothing of it is seen or heard from again. A Qt
    widget's own insides (a scroll area's bars) go with it, never before it: a scroll area
    whose bar was deleted first crashed on its next event."""

    def __init__(self, parent: QObject | None = None, per_turn: int = 24) -> None:
        super().__init__(parent)
        self._per_turn = per_turn
        self._left: deque[QWidget] = deque()
        self._views: deque[QWidget] = deque()  # given, their parts not yet found
        self._timer = next_turn_timer(self, self._next)

    @property
    def pending(self) -> int:
        return len(self._left) + len(self._views)

    def add(self, view: QWidget) -> None:
        """``view`` hidden now; its parts are found in a turn of their own (a walk of a few
        hundred widgets, a few ms: not in the turn of Begin or Finish) and deleted after."""
        view.hide()
        self._views.append(view)
        if not self._timer.isActive():
            self._timer.start()

    def _next(self) -> None:
        if self._views:
            view = self._views.popleft()
            if shiboken6.isValid(view):
                for part in (view, *view.findChildren(QWidget)):
                    part.blockSignals(True)
                for timer in view.findChildren(QTimer):
                    timer.stop()
                self._left.extend(parts_deepest_first(view))
        else:
            for _n in range(min(self._per_turn, len(self._left))):
                gone = self._left.popleft()
                if shiboken6.isValid(gone):  # not gone with a parent of its own deleting it
                    gone.deleteLater()
        if self._left or self._views:
            self._timer.start()


def parts_deepest_first(widget: QWidget) -> list[QWidget]:
    """``widget``'s parts, each after the parts it holds, and ``widget`` last: found through
    the layouts (and a scroll area's page), never inside a Qt widget's own make-up (a scroll
    area's bars, a combo box's list, a spin box's field), which must go with their widget."""
    found: list[QWidget] = []
    if isinstance(widget, QAbstractScrollArea):
        page = widget.widget() if isinstance(widget, QScrollArea) else None
        layout = page.layout() if page is not None else None  # the page goes with the area
    else:
        layout = widget.layout() if _plain(widget) else None
    for part in _laid_out(layout):
        found += parts_deepest_first(part)
    found.append(widget)
    return found


def _plain(widget: QWidget) -> bool:
    """A container of ours (or a bare QWidget or QFrame): what its layout holds is ours."""
    for kind in type(widget).__mro__:
        if kind.__module__.startswith("PySide6"):
            return kind in (QWidget, QFrame)
    return False


def _laid_out(layout: QLayout | None) -> list[QWidget]:
    found: list[QWidget] = []
    if layout is None:
        return found
    for n in range(layout.count()):
        item = layout.itemAt(n)
        if item is None:
            continue
        inner, sub = item.widget(), item.layout()
        if inner is not None:
            found.append(inner)
        elif sub is not None:
            found += _laid_out(sub)
    return found
