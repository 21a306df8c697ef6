"""The Reflections models: what the timeline's columns show (the paged table itself is
``pages.EntryPagesModel``) and the ranked search results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from companion.domain.journal import EntryKind, strip_marks
from companion.i18n import N_, _
from companion.ui.common.render import local_day

if TYPE_CHECKING:
    from companion.services.search import Hit

Index = QModelIndex | QPersistentModelIndex

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2

WHEN, KIND, TITLE, TAGS, MOOD, SHARED = range(6)
HEADERS = (N_("When"), N_("Kind"), N_("Title"), N_("Tags"), N_("Mood"), N_("Shared"))
KIND_SHORT = {
    EntryKind.REFLECTION.value: N_("Reflection"),
    EntryKind.INTEGRATION.value: N_("Integration"),
    EntryKind.FREE.value: N_("Free writing"),
}
UNTITLED_CHARS = 70


def kind_label(kind: str) -> str:
    return _(KIND_SHORT[kind]) if kind in KIND_SHORT else kind.capitalize()


def shown_title(title: str, preview: str) -> str:
    if title:
        return title
    if not preview:
        return _("Untitled")
    return preview if len(preview) <= UNTITLED_CHARS else preview[:UNTITLED_CHARS].rstrip() + "…"


class HitsModel(QAbstractListModel):
    """Search results, best match first (the service's bm25 order)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self.terms: tuple[str, ...] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def hit_at(self, row: int) -> Hit:
        return self._hits[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            heading = shown_title(hit.title, "")
            return (
                f"{heading}. {local_day(hit.created_at)}, {kind_label(hit.kind)}. "
                f"{strip_marks(hit.snippet)}"
            )
        if role == ENTRY_ID_ROLE:
            return hit.entry_id
        if role == ITEM_ROLE:
            return hit
        return None

    def set_hits(self, hits: Sequence[Hit], terms: tuple[str, ...]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.terms = terms
        self.endResetModel()

    def set_passages(self, passages: dict[str, str]) -> None:
        """Fills in the matching passages of hits that came without one."""
        from dataclasses import replace

        for row, hit in enumerate(self._hits):
            passage = passages.get(hit.entry_id)
            if passage is not None and not hit.has_passage:
                self._hits[row] = replace(hit, snippet=passage, has_passage=True)
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def clear(self) -> None:
        self.set_hits([], ())
