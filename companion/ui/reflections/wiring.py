"""The Journal, Reflections and Insights pages, built together and wired to each other.

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
from companion.ui.journal.page import JournalPage
from companion.ui.reflections.page import ReflectionsPage


class ReviewPages(QObject):
    def __init__(
        self,
        ctx: UiContext,
        show: Callable[[QWidget], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._show = show
        self.launcher = DemoLauncher(ctx, parent=self)
        offer = self.launcher if self.launcher.available else None  # none inside the demo
        self.journal = JournalPage(ctx)
        self.reflections = ReflectionsPage(ctx, offer)
        self.insights = InsightsPage(ctx, offer)
        self._nav: QPushButton | None = None
        j, r = self.journal, self.reflections
        r.edit_requested.connect(self.edit_entry)
        r.write_requested.connect(lambda: self._show(j))
        j.drafts_changed.connect(self._drafts_changed)

    @property
    def pages(self) -> tuple[QWidget, QWidget, QWidget]:
        return self.journal, self.reflections, self.insights

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
        write is returned: its outcome says whether the words are safe)."""
        return self.journal.flush_draft()

    def load(self) -> None:
        self.reflections.load()  # first on the worker: the list is what people look for
        self.journal.load()

    def apply_style(self) -> None:
        for page in (self.journal, self.reflections, self.insights):
            page.apply_style()

    def clear(self) -> None:
        self.journal.clear()
        self.reflections.clear()
        self.insights.clear()
        self._drafts_changed(0)
