"""A folder of Markdown files read as journal entries (as ``companion-cli export --format
markdown`` writes them, or any ``.md`` file with a date in its front matter or at the start of
its name). Pure: no database, no Qt."""

from __future__ import annotations

import json
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from companion.domain.journal import normalise_tags
from companion.i18n import N_, Text
from companion.services.import_foreign import (
    COMPANION_ID,
    DATE_IN_NAME,
    EARLIEST_YEAR,
    LATEST_YEAR,
    MARKDOWN,
    MAX_MARKDOWN_BYTES,
    MAX_MARKDOWN_FILES,
    ForeignEntry,
    ForeignJournal,
    refuse,
    split_title,
)


def read_markdown_folder(folder: Path, zone: tzinfo) -> ForeignJournal:
    """Each ``.md`` file (in the folder or below it) is an entry. Its date comes from the
    front matter (``date:``) or the start of its name (``2026-01-05``, optionally followed
    by ``-0930``); a file with neither is skipped and counted, never dated by guesswork."""
    if not folder.is_dir():
        raise refuse(Text(N_("That is not a folder")))
    files = sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.is_symlink())
    if len(files) > MAX_MARKDOWN_FILES:
        raise refuse(Text(N_("The folder holds too many files")))
    found: list[ForeignEntry] = []
    skipped = 0
    for path in files:
        if path.stat().st_size > MAX_MARKDOWN_BYTES:
            skipped += 1
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            skipped += 1
            continue
        entry = markdown_entry(text, path.stem, zone)
        if entry is None:
            skipped += 1
        else:
            found.append(entry)
    return ForeignJournal(MARKDOWN, tuple(found), skipped)


def markdown_entry(text: str, name: str, zone: tzinfo) -> ForeignEntry | None:
    meta, body = split_front_matter(text.replace("\r\n", "\n"))
    created = _when(meta.get("date", ""), zone) or _date_in_name(name, zone)
    if created is None or not EARLIEST_YEAR <= created.year <= LATEST_YEAR:
        return None
    title = meta.get("title", "")
    if not title:
        heading, rest = split_title(body)
        if heading:
            title, body = heading, rest
    mood = None
    if meta.get("mood", "").isdigit() and 0 <= int(meta["mood"]) <= 10:
        mood = int(meta["mood"])
    tags = normalise_tags(_list_value(meta.get("tags", "")))
    body = body.strip("\n")
    if not title.strip() and not body.strip():
        return None
    key = f"markdown|{created.isoformat()}|{title}|{body}"
    record_id = meta.get("id", "")
    if not COMPANION_ID.match(record_id):
        record_id = ""
    return ForeignEntry(created, title, body, tags, key, mood, record_id)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading ``---`` block of ``key: value`` lines (the simple YAML that Companion writes
    and most Markdown journals use); anything else is left in the text."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[4:end].split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = _unquote(value.strip())
    rest = text[end + 4 :]
    return meta, rest[1:] if rest.startswith("\n") else rest


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
        except ValueError:
            return value[1:-1]
        return decoded if isinstance(decoded, str) else value
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _list_value(value: str) -> list[str]:
    inner = value.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    return [_unquote(v.strip()) for v in inner.split(",") if v.strip()]


def _when(value: str, zone: tzinfo) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _date_in_name(name: str, zone: tzinfo) -> datetime | None:
    found = DATE_IN_NAME.match(name)
    if found is None:
        return None
    try:
        day = date.fromisoformat(found.group(1))
        clock = time(int(found.group(2) or 0), int(found.group(3) or 0))
    except ValueError:
        return None
    return datetime.combine(day, clock).replace(tzinfo=zone)
