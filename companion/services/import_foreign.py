"""What every reader of another app's journal shares (``import_formats``, ``import_markdown``):
the refusal, the entries read, the limits and the patterns."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from companion.errors import CompanionError
from companion.i18n import N_, Text

JRNL = "jrnl"
DAY_ONE = "Day One"
MARKDOWN = "Markdown"
MAX_ENTRIES = 200_000
MAX_ZIP_MEMBERS = 10_000
MAX_JSON_BYTES = 512 * 1024 * 1024  # uncompressed Journal.json in a Day One zip
MAX_MARKDOWN_FILES = 50_000
MAX_MARKDOWN_BYTES = 10 * 1024 * 1024  # one .md file
NAMESPACE = uuid.UUID("0f6b8a52-5f0e-4d2c-9c55-4c1a3e6f7d21")
DATE_IN_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T _-](\d{2})[-:.]?(\d{2}))?")
COMPANION_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
DAY_ONE_PHOTO = re.compile(r"!\[[^\]\n]*\]\(dayone-moment:/[^)\n]*\)\n?")


class ForeignFormatError(CompanionError):
    message = N_("The file could not be read as a journal. Nothing in the vault was changed.")
    vault_unchanged = True


def refuse(problem: Text) -> ForeignFormatError:
    return ForeignFormatError(N_("{problem}. Nothing in the vault was changed."), problem=problem)


@dataclass(frozen=True, slots=True)
class ForeignEntry:
    created_at: datetime  # aware
    title: str
    body: str
    tags: tuple[str, ...]
    key: str  # what the entry's id is derived from
    mood: int | None = None
    record_id: str = ""  # a Companion id (Markdown written by Companion): used as it is


@dataclass(frozen=True, slots=True)
class ForeignJournal:
    source: str  # JRNL, DAY_ONE or MARKDOWN
    entries: tuple[ForeignEntry, ...]
    skipped: int = 0  # items without a usable date (Markdown files), or empty ones

    @property
    def first(self) -> datetime | None:
        return min((e.created_at for e in self.entries), default=None)

    @property
    def last(self) -> datetime | None:
        return max((e.created_at for e in self.entries), default=None)


EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # a journal entry outside these is a broken date


def split_title(text: str) -> tuple[str, str]:
    """Day One has no title field: a first line that is a Markdown heading is the title."""
    stripped = text.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("#"):
        return first.lstrip("#").strip(), rest.strip("\n")
    return "", stripped
