"""The Journal, Reflections and Insights pages, wired to each other, each built when first
asked for.

The shell creates one ``ReviewPages`` and puts its three pages in the navigation. Between them:
"Edit" on an entry opens it in the Journal; the
Session page's ``reflection_requested(session_id)`` goes to ``open_reflection``; "Explore with
sample data" (on an empty vault) is one ``DemoLauncher`` shared by the pages, offered only when
the composition root gave a ``DemoFactory``. A saved or deleted entry needs no wiring: the op
that wrote it broadcasts ``Change.JOURNAL`` and each page reloads itself (``ui/tasks.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton, QWidget

from companion.i18n import _, n_
from companion.ui.common.demo import DemoLauncher
from companion.ui.context import UiContext
from companion.ui.insights.page import InsightsPage
from companion.ui.journal.editor import EntryEditor
from companion.ui.journal.page import JournalPage
from companion.ui.reflections.page import ReflectionsPage


class ReviewPages(QObject):
    """The three pages, each built when first asked for (the shell asks one per turn of the
    event loop after Home: built together they froze the window 80-190 ms at once). ``place``
    puts a page just built into the shell's stack: its position (0-2) and the page."""

    def __init__(
        self,
        ctx: UiContext,
        show: Callable[[QWidget], None],
        place: Callable[[int, QWidget], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._show = show
        self._place = place
        self.launcher = DemoLauncher(ctx, parent=self)
        self._offer = self.launcher if self.launcher.available else None  # none inside the demo
        self._journal: JournalPage | None = None
        self._reflections: ReflectionsPage | None = None
        self._insights: InsightsPage | None = None
        self._loaded = False  # load() was called: a page built later loads itself
        self._nav: QPushButton | None = None

    @property
    def journal(self) -> JournalPage:
        if self._journal is None:
            page = self._journal = JournalPage(self._ctx)
            page.drafts_changed.connect(self._drafts_changed)
            self._built(0, page)
            if self._loaded:
                page.load()
        return self._journal

    @property
    def reflections(self) -> ReflectionsPage:
        if self._reflections is None:
            page = self._reflections = ReflectionsPage(self._ctx, self._offer)
            page.edit_requested.connect(self.edit_entry)
            page.write_requested.connect(lambda: self._show(self.journal))
            self._built(1, page)
            if self._loaded:
                page.load()
        return self._reflections

    @property
    def insights(self) -> InsightsPage:
        if self._insights is None:
            page = self._insights = InsightsPage(self._ctx, self._offer)
            self._built(2, page)  # it loads itself when shown
        return self._insights

    def _built(self, position: int, page: QWidget) -> None:
        if self._place is not None:
            self._place(position, page)

    @property
    def pages(self) -> tuple[QWidget, QWidget, QWidget]:
        """The three pages (building those not built yet)."""
        return self.journal, self.reflections, self.insights

    def page_at(self, position: int) -> QWidget:
        """The page at ``position`` (0-2), built now if it was not."""
        if position == 0:
            return self.journal
        return self.reflections if position == 1 else self.insights

    def built_page(self, position: int) -> QWidget | None:
        return (self._journal, self._reflections, self._insights)[position]

    @property
    def journal_editor(self) -> EntryEditor | None:
        """The editor open in the Journal, if the Journal is built and one is open."""
        return None if self._journal is None else self._journal.editor

    def attach_nav(self, journal_button: QPushButton) -> None:
        """The Journal navigation button says when unfinished writing waits there."""
        self._nav = journal_button

    def _drafts_changed(self, count: int) -> None:
        if self._nav is None:
            return
        self._nav.setText(_("Journal · draft") if count else _("Journal"))
        self._nav.setAccessibleName(
            n_("Journal, {n} unfinished draft", "Journal, {n} unfinished drafts", count)
            if count
            else _("Journal")
        )

    def open_reflection(self, session_id: str) -> None:
        """The reflection after a session (the Session page's ``reflection_requested``)."""
        self.journal.open_reflection(session_id)
        self._show(self.journal)

    def edit_entry(self, entry_id: str) -> None:
        self.journal.edit_entry(entry_id)
        self._show(self.journal)

    def flush_drafts(self) -> Future[Any] | None:
        """Just before a lock or a close: whatever is being typed goes into the draft now (the
        write is returned: its outcome says whether the words are safe). Nothing can be typed
        in a Journal not built yet."""
        return None if self._journal is None else self._journal.flush_draft()

    def load(self) -> None:
        self._loaded = True
        if self._reflections is not None:
            self._reflections.load()  # first on the worker: the list is what people look for
        if self._journal is not None:
            self._journal.load()

    def apply_style(self) -> None:
        for page in self._built_pages():
            page.apply_style()

    def clear(self) -> None:
        self._loaded = False
        for page in self._built_pages():
            page.clear()
        self._drafts_changed(0)

    def _built_pages(self) -> list[JournalPage | ReflectionsPage | InsightsPage]:
        return [p for p in (self._journal, self._reflections, self._insights) if p is not None]
