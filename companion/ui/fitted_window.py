"""The window's size: never larger than the screen, wide enough for the page on screen at large
text (pages never scroll sideways), and back to the size the patient chose when the text is
smaller again. Saved and restored between runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QGuiApplication, QResizeEvent, QScreen, QShowEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from companion.settings import WINDOW_GEOMETRY
from companion.ui.widgets.page import ScrollPage, SideColumn

if TYPE_CHECKING:
    from PySide6.QtWidgets import QScrollArea

    from companion.ui.context import UiContext
    from companion.ui.shell import Shell

DEFAULT_SIZE = (1120, 800)


class FittedWindow(QMainWindow):
    """The main window's sizing (``MainWindow`` sets ``ctx`` and ``shell``)."""

    ctx: UiContext
    shell: Shell | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chosen_size = QSize(*DEFAULT_SIZE)  # the size the patient chose (or the default)

    def available_size(self) -> QSize | None:
        """The largest the window may be: the screen's free area less the window frame."""
        screen: QScreen | None = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return None
        frame = self.frameGeometry().size() - self.geometry().size()
        return screen.availableGeometry().size() - frame

    def fit_to_screen(self) -> None:
        """Never larger than the screen, never partly off it: every page scrolls instead."""
        limit = self.available_size()
        if limit is None:
            return
        self.setMaximumSize(limit)
        if self.width() > limit.width() or self.height() > limit.height():
            self.resize(self.size().boundedTo(limit))
        screen: QScreen | None = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None and self.isVisible():
            area = screen.availableGeometry()
            frame = self.frameGeometry()
            x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
            y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
            if (x, y) != (frame.x(), frame.y()):
                self.move(max(x, area.x()), max(y, area.y()))

    def _wanted_extra_width(self, shown_only: bool = False) -> int | None:
        """How much wider (or, below zero, narrower) the window could be with every page's
        column (or only those on screen) fitting without squeezing (large text): pages never
        scroll sideways, so they need the width. None when no page can be measured now."""
        from PySide6.QtWidgets import QScrollArea, QSizePolicy, QStackedWidget

        extra: int | None = None
        for area in self.findChildren(QScrollArea):
            inner = area.widget()
            if inner is None or not _never_sideways(area):
                continue
            if area.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Fixed:
                continue  # sized to its own content (the navigation), not to the window
            holder = area.parentWidget()
            if area.isVisible():
                width = area.width()
            elif not shown_only and isinstance(holder, QStackedWidget) and holder.isVisible():
                width = holder.width()  # a page not shown now: it will have the stack's width
                area.ensurePolished()  # hidden pages take the new text size only when polished
            else:
                continue  # inside something hidden: its size means nothing yet
            bar = area.verticalScrollBar().sizeHint().width()
            wanted = inner.minimumSizeHint().width() + bar - width
            extra = wanted if extra is None else max(extra, wanted)
        return extra

    def _widen_if_needed(self) -> None:
        """A page shown for the first time after the text grew may need more width: the
        window widens within the screen rather than cutting the page's right side off. Not
        while the page is being restyled (its sizes are not final yet): the restyle's end fits
        the window instead."""
        if self.shell is not None and self.shell.restyler.busy:
            return
        extra = self._wanted_extra_width()
        limit = self.available_size()
        if extra is not None and extra > 0 and limit is not None:
            wider = QSize(self.width() + extra, self.height()).boundedTo(limit)
            if wider != self.size():
                self.resize(wider)
                self.fit_to_screen()

    def _return_to_chosen_size(self) -> None:
        """The size the patient chose, but never narrower than the width at which what is on
        screen fits: a window widened for the page shown (exactly to its width, so nothing more
        was wanted) was shrunk back here, cutting that page's right side off (the screen walk).
        A page not shown is restyled, and the window widened for it, when it is shown."""
        limit = self.available_size()
        target = self._chosen_size
        extra = self._wanted_extra_width(shown_only=True)
        if extra is not None:
            target = target.expandedTo(QSize(self.width() + extra, 0))
        if limit is not None:
            self.setMaximumSize(limit)
            target = target.boundedTo(limit)
        if target != self.size():
            self.resize(target)
        self.fit_to_screen()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.spontaneous():
            self._chosen_size = event.size()  # the patient (or the window manager) chose it

    def _restore_geometry(self) -> None:
        saved = self.ctx.settings.get(WINDOW_GEOMETRY)
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            self._chosen_size = self.size()
            return
        width, height = DEFAULT_SIZE
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width())
            height = min(height, available.height())
        self.resize(width, height)
        self._chosen_size = QSize(width, height)

    def save_geometry(self) -> None:
        encoded = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.ctx.settings.set(WINDOW_GEOMETRY, encoded)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_to_screen()
        handle = self.windowHandle()
        if handle is not None and not self.property("companion_watches_screen"):
            handle.screenChanged.connect(lambda _screen: self.fit_to_screen())
            self.setProperty("companion_watches_screen", True)
            # The size the window opens with (restored, or set before showing it) is the one
            # the text-size changes come back to, as one the patient resized it to later.
            self._chosen_size = self.size()


def _never_sideways(area: QScrollArea) -> bool:
    """The area never scrolls sideways. A page or side column is known to be so without asking
    Qt: reading the policy returns a ``Qt`` enum, and PySide builds the whole namespace on its
    first use (~120M instructions before the first frame, ``widgets.qt_numbers``)."""
    if isinstance(area, ScrollPage | SideColumn):
        return True
    return area.horizontalScrollBarPolicy() == QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
