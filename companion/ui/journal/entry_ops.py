"""Deleting an entry and opening its earlier versions: the same two operations wherever an
entry is open (the Journal's editor, Reflections' viewer); each caller says what follows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from companion.errors import CompanionError
from companion.ui.journal.revisions import RevisionsDialog
from companion.ui.tasks import Change

if TYPE_CHECKING:
    from companion.services.journal_model import Revision
    from companion.ui.context import UiContext

ENTRY_CHANGES = frozenset({Change.JOURNAL, Change.DRAFTS})


def delete_entry(
    ctx: UiContext,
    receiver: QWidget,
    entry_id: str,
    *,
    done: Callable[[object], None],
    failed: Callable[[CompanionError], None],
) -> None:
    """Deletes the entry on the database worker; ``done`` runs on the GUI thread."""
    ctx.tasks.run(
        lambda s: s.journal.delete(entry_id),
        receiver=receiver,
        on_result=done,
        on_error=failed,
        changes=ENTRY_CHANGES,
    )


def open_revisions(
    ctx: UiContext,
    parent: QWidget,
    entry_id: str,
    *,
    restore: Callable[[str], None],
    opened: Callable[[RevisionsDialog], None],
    failed: Callable[[CompanionError], None],
    from_editor: bool = False,
) -> None:
    """Reads the entry's earlier versions, then opens them in a dialog whose "Bring back" calls
    ``restore`` with the version's id; ``opened`` keeps the dialog."""

    def shown(revisions: list[Revision]) -> None:
        dialog = RevisionsDialog(revisions, parent, from_editor=from_editor)
        dialog.restore_requested.connect(restore)
        opened(dialog)
        dialog.open()

    ctx.tasks.run(
        lambda s: s.journal.revisions(entry_id),
        receiver=parent,
        on_result=shown,
        on_error=failed,
    )
