"""What the journal service takes and hands out: an entry as written (``EntryInput``) and as
stored (``Entry``), its earlier versions, drafts, tags in use, and the errors it raises.

Plain frozen values, readable on any thread. The service is ``journal.JournalService``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from companion.domain.journal import EntryKind, markdown_to_plain, word_count
from companion.errors import CompanionError
from companion.i18n import N_


class EntryNotFoundError(CompanionError):
    message = N_("That journal entry no longer exists.")


class RevisionNotFoundError(CompanionError):
    message = N_("That earlier version no longer exists. Nothing was changed.")
    vault_unchanged = True


# --------------------------------------------------------------------------------------------
# What the UI sends and gets back


@dataclass(frozen=True, slots=True)
class Answer:
    prompt_id: str
    prompt_text: str
    answer: str


@dataclass(frozen=True, slots=True)
class Dissociation:
    """The short rating after a session: how detached from body / surroundings / time, 0-4."""

    body: int | None = None
    surroundings: int | None = None
    time: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {"body": self.body, "surroundings": self.surroundings, "time": self.time}


@dataclass(frozen=True, slots=True)
class EntryInput:
    """An entry as written: what ``create`` and ``update`` take."""

    kind: str = EntryKind.FREE.value  # reflection, integration, free
    title: str = ""
    body: str = ""  # plain text or Markdown, never HTML
    answers: tuple[Answer, ...] = ()
    mood: int | None = None  # 0-10
    dissociation: Dissociation = field(default_factory=Dissociation)
    tags: tuple[str, ...] = ()  # as typed or picked; normalised on save
    shared_with_provider: bool = False
    session_id: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    created_at: datetime
    updated_at: datetime
    content: EntryInput  # normalised as stored

    @property
    def word_count(self) -> int:
        c = self.content
        return word_count(markdown_to_plain(c.body)) + sum(
            word_count(markdown_to_plain(a.answer)) for a in c.answers
        )


@dataclass(frozen=True, slots=True)
class Revision:
    """An earlier version of an entry, kept when it was edited."""

    id: str
    entry_id: str
    saved_at: datetime  # when it was replaced
    version_updated_at: datetime | None  # when this version itself had been saved
    content: EntryInput


@dataclass(frozen=True, slots=True)
class Restored:
    """What ``restore`` did."""

    entry: Entry  # the entry as it is now
    undo_revision_id: str | None  # the replaced words, kept; None if nothing had to change
    version_of: datetime  # when the restored version had been saved
    draft_kept: bool  # an unsaved edit of the entry is still waiting as a draft


@dataclass(frozen=True, slots=True)
class Draft:
    key: str
    kind: str
    entry_id: str | None
    session_id: str | None
    content: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TagUse:
    name: str
    entries: int
