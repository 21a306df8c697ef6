"""Opening an entry from the Reflections list, and what can be done to it there: back to the
list, delete, earlier versions and restoring one. ``ReflectionsPage`` builds on this."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStackedWidget,
    QWidget,
)

from companion.errors import CompanionError
from companion.settings import THEME
from companion.ui.common.style import mark_colours
from companion.ui.context import UiContext
from companion.ui.journal import entry_ops
from companion.ui.journal.dialogs import ConfirmDeleteDialog
from companion.ui.journal.revisions import RevisionsDialog, restored_message
from companion.ui.reflections.listing import ReflectionsList
from companion.ui.reflections.model import (
    ENTRY_ID_ROLE,
    HitsModel,
)
from companion.ui.reflections.viewer import EntryView, Opened, fetch_opened

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.journal_model import Restored


class EntryActions(QWidget):
    """The entry half of the Reflections page (the page provides the attributes below)."""

    edit_requested = Signal(str)
    entry_deleted = Signal(str)
    _ctx: UiContext
    listing: ReflectionsList
    hits_model: HitsModel
    stack: QStackedWidget
    view: EntryView | None
    dialog: ConfirmDeleteDialog | RevisionsDialog | None
    # ...and these methods: reload the list, the list in view, show a problem.
    load: Callable[[], None]
    _current_view: Callable[[], QAbstractItemView | None]
    _show_error: Callable[[CompanionError], None]

    def _open_index(self, index: QModelIndex) -> None:
        entry_id = index.siblingAtColumn(0).data(ENTRY_ID_ROLE)  # a row's first holds it
        if isinstance(entry_id, str):
            terms = self.hits_model.terms if index.model() is self.hits_model else ()
            self.open_entry(entry_id, terms)

    def _open_current(self) -> None:
        view = self._current_view()
        if view is not None and view.currentIndex().isValid():
            self._open_index(view.currentIndex())

    def open_entry(self, entry_id: str, terms: tuple[str, ...] = ()) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: fetch_opened(s, entry_id),
            receiver=self,
            on_result=lambda opened: self._show_entry(opened, terms),
            on_error=self._show_error,
        )

    def _show_entry(self, opened: Opened, terms: tuple[str, ...]) -> None:
        self._close_view()
        view = EntryView(
            self._ctx, opened, terms=terms, marks=mark_colours(self._ctx.settings.get(THEME))
        )
        view.back_requested.connect(self.back_to_list)
        view.edit_requested.connect(self.edit_requested)
        view.delete_requested.connect(self.confirm_delete)
        view.revisions_requested.connect(self.show_revisions)
        entry_id = opened.entry.id
        view.restored.undo_requested.connect(
            lambda rid: self.restore_version(entry_id, rid, undoing=True)
        )
        view.sharing_changed.connect(lambda *_: self.load())
        self.view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        view.back_button.setFocus()

    def back_to_list(self) -> None:
        self._close_view()
        self.stack.setCurrentWidget(self.listing)
        view = self._current_view()
        (view or self.listing.search).setFocus()

    def _close_view(self) -> None:
        if self.view is not None:
            self.view.clear()
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None

    def confirm_delete(self, entry_id: str) -> None:
        heading = self.view.heading.text() if self.view is not None else ""
        dialog = ConfirmDeleteDialog(heading, self)
        dialog.confirmed.connect(lambda: self._delete(entry_id))
        self.dialog = dialog
        dialog.open()

    def _delete(self, entry_id: str) -> None:
        def done(_r: object) -> None:
            self.back_to_list()
            self.load()
            self.entry_deleted.emit(entry_id)

        entry_ops.delete_entry(self._ctx, self, entry_id, done=done, failed=self._show_error)

    def show_revisions(self, entry_id: str) -> None:
        entry_ops.open_revisions(
            self._ctx,
            self,
            entry_id,
            restore=lambda rid: self.restore_version(entry_id, rid),
            opened=self._keep_dialog,
            failed=self._show_error,
        )

    def _keep_dialog(self, dialog: RevisionsDialog) -> None:
        self.dialog = dialog

    def restore_version(self, entry_id: str, revision_id: str, *, undoing: bool = False) -> None:
        """Brings back an earlier version (the words it replaces are kept as one more), then
        shows the entry again with a notice and an undo."""
        ctx = self._ctx

        def work(services: Services) -> tuple[Restored, Opened]:
            restored = services.journal.restore(entry_id, revision_id)
            return restored, fetch_opened(services, entry_id)

        def done(result: tuple[Restored, Opened]) -> None:
            restored, opened = result
            if self.dialog is not None:
                self.dialog.close()
                self.dialog = None
            self._show_entry(opened, ())
            if self.view is not None:
                self.view.restored.show_restored(
                    restored_message(
                        restored.version_of, undone=undoing, draft_kept=restored.draft_kept
                    ),
                    None if undoing else restored.undo_revision_id,
                )
            self.load()

        def failed(error: CompanionError) -> None:
            if isinstance(self.dialog, RevisionsDialog):
                self.dialog.show_problem(str(error))
            elif self.view is not None:
                self.view.restored.show_restored(str(error), None)

        ctx.tasks.run(
            work, receiver=self, on_result=done, on_error=failed, changes=entry_ops.ENTRY_CHANGES
        )
