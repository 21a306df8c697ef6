"""Journals from other apps, read into Companion journal entries: a jrnl JSON export
(``jrnl --export json``), a Day One JSON export (the zip with ``Journal.json``, or that file
alone) and a folder of Markdown files (as ``companion-cli export --format markdown`` writes
them, or any ``.md`` file with a date in its front matter or at the start of its name).

Each becomes a Companion export document (``companion.export.jsondoc``'s format) holding
only ``journal_entry``, ``tag`` and ``entry_tag`` records, so it goes through the very same
checks and the same one-transaction insert as a Companion file. Markdown written by Companion
carries each entry's id in its front matter, so a folder read back into the same vault adds
nothing. What is kept: the date and time, the
title, the text and the tags. Every entry is free writing and private (never marked to
share). Ids are derived from the source (the entry's uuid, or its date, title and text), so
importing the same file twice adds nothing the second time.

Pure: no database, no Qt. Refusals are ``ForeignFormatError`` with a plain message that never
quotes the file's text.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from companion.domain.journal import MAX_TITLE, clean_text, normalise_tags
from companion.export.jsondoc import format_datetime
from companion.export.schema import FORMAT_NAME, FORMAT_VERSION
from companion.export.tables import KINDS
from companion.i18n import N_, Text
from companion.services.import_foreign import (
    DAY_ONE,
    DAY_ONE_PHOTO,
    EARLIEST_YEAR,
    JRNL,
    LATEST_YEAR,
    MAX_ENTRIES,
    MAX_JSON_BYTES,
    MAX_ZIP_MEMBERS,
    NAMESPACE,
    ForeignEntry,
    ForeignFormatError,
    ForeignJournal,
    refuse,
    split_title,
)
from companion.services.import_markdown import (
    markdown_entry,
    read_markdown_folder,
    split_front_matter,
)
from companion.services.import_preview import preview_lines

__all__ = [
    "ForeignFormatError",
    "markdown_entry",
    "maybe_foreign",
    "preview_lines",
    "read_foreign",
    "read_markdown_folder",
    "sniff",
    "split_front_matter",
    "to_document",
]

# --------------------------------------------------------------------------------------------
# Recognising a file


def sniff(data: bytes) -> str | None:
    """JRNL or DAY_ONE when the bytes look like one of their exports, else None (then the
    file is treated as a Companion export)."""
    if data.startswith(b"PK\x03\x04"):
        return DAY_ONE
    if not maybe_foreign(data[:4096]):
        return None
    try:
        document = _json(data)
    except ForeignFormatError:
        return None
    if isinstance(document, dict) and "format" not in document:
        if isinstance(document.get("entries"), list) and isinstance(document.get("tags"), dict):
            return JRNL
        if isinstance(document.get("entries"), list) and "metadata" in document:
            return DAY_ONE
    return None


def maybe_foreign(head: bytes) -> bool:
    """False when the file's first 4 KiB show a Companion export (or no journal at all): only
    then can the file be read a record at a time without looking further."""
    if head.startswith(b"PK\x03\x04"):
        return True
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"format"' not in head[:200]


def read_foreign(data: bytes, zone: tzinfo) -> ForeignJournal | None:
    """The journal in a jrnl or Day One export, or None when it is neither."""
    kind = sniff(data)
    if kind == JRNL:
        return read_jrnl(data, zone)
    if kind == DAY_ONE:
        return read_day_one(data, zone)
    return None


def _json(data: bytes) -> Any:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise refuse(Text(N_("The file is not UTF-8 text"))) from None
    except (ValueError, RecursionError):
        raise refuse(Text(N_("The file is not valid JSON"))) from None


def _sane(moment: datetime, where: Text | str) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise refuse(
            Text(
                N_("{where} has a date outside {EARLIEST_YEAR}–{LATEST_YEAR}"),
                {"where": where, "EARLIEST_YEAR": EARLIEST_YEAR, "LATEST_YEAR": LATEST_YEAR},
            )
        )
    return moment


def _text(value: object, where: Text | str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise refuse(Text(N_("{where} is not text"), {"where": where}))
    return value


def _tags(values: object, where: Text | str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(t, str) for t in values):
        raise refuse(Text(N_("{where} is not a list of tags"), {"where": where}))
    return normalise_tags(t.lstrip("@#") for t in values)


def _entries_list(document: object, name: str) -> list[Any]:
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise refuse(
            Text(N_("This is not a {name} export (it has no list of entries)"), {"name": name})
        )
    entries: list[Any] = document["entries"]
    if len(entries) > MAX_ENTRIES:
        raise refuse(
            Text(N_("The file holds more than {MAX_ENTRIES} entries"), {"MAX_ENTRIES": MAX_ENTRIES})
        )
    return entries


# --------------------------------------------------------------------------------------------
# jrnl: {"tags": {...}, "entries": [{"title", "body", "date", "time", "tags", "starred"}]}


def read_jrnl(data: bytes, zone: tzinfo) -> ForeignJournal:
    """jrnl writes local times without a zone: they are read in ``zone`` (this computer's)."""
    entries = _entries_list(_json(data), "jrnl")
    found: list[ForeignEntry] = []
    skipped = 0
    for index, item in enumerate(entries, start=1):
        where = Text(N_("Entry {index}"), {"index": index})
        if not isinstance(item, dict):
            raise refuse(Text(N_("{where} is not an entry"), {"where": where}))
        try:
            day = date.fromisoformat(_text(item.get("date"), f"{where}'s date"))
            clock = time.fromisoformat(_text(item.get("time") or "00:00", f"{where}'s time"))
        except ValueError:
            raise refuse(Text(N_("{where} has no real date and time"), {"where": where})) from None
        title = _text(item.get("title"), f"{where}'s title")
        body = _text(item.get("body"), f"{where}'s text")
        if not title.strip() and not body.strip():
            skipped += 1
            continue
        created = _sane(datetime.combine(day, clock.replace(tzinfo=None)), where).replace(
            tzinfo=zone
        )
        found.append(
            ForeignEntry(
                created_at=created,
                title=title,
                body=body,
                tags=_tags(item.get("tags"), f"{where}'s tags"),
                key=f"jrnl|{day.isoformat()}T{clock.isoformat()}|{title}|{body}",
            )
        )
    return ForeignJournal(JRNL, tuple(found), skipped)


# --------------------------------------------------------------------------------------------
# Day One: a zip with Journal.json (and photos), {"metadata", "entries": [{"uuid",
# "creationDate", "text", "tags", "timeZone", "starred", ...}]}


def read_day_one(data: bytes, zone: tzinfo) -> ForeignJournal:
    documents: list[Any] = []
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = archive.infolist()
                if len(members) > MAX_ZIP_MEMBERS:
                    raise refuse(Text(N_("The zip file holds too many files")))
                journals = [
                    m
                    for m in members
                    if m.filename.lower().endswith(".json")
                    and not m.is_dir()
                    and "/" not in m.filename
                ]
                if not journals:
                    raise refuse(Text(N_("The zip file holds no Day One journal (Journal.json)")))
                for member in journals:
                    if member.file_size > MAX_JSON_BYTES:
                        raise refuse(Text(N_("The journal in the zip file is too large")))
                    with archive.open(member) as handle:
                        raw = handle.read(MAX_JSON_BYTES + 1)
                    if len(raw) > MAX_JSON_BYTES:
                        raise refuse(Text(N_("The journal in the zip file is too large")))
                    documents.append(_json(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
            raise refuse(Text(N_("The zip file is damaged"))) from None
    else:
        documents.append(_json(data))
    found: list[ForeignEntry] = []
    skipped = 0
    for document in documents:
        for index, item in enumerate(_entries_list(document, "Day One"), start=1):
            entry = _day_one_entry(item, index, zone)
            if entry is None:
                skipped += 1
            else:
                found.append(entry)
    return ForeignJournal(DAY_ONE, tuple(found), skipped)


def _day_one_entry(item: object, index: int, zone: tzinfo) -> ForeignEntry | None:
    where = Text(N_("Entry {index}"), {"index": index})
    if not isinstance(item, dict):
        raise refuse(Text(N_("{where} is not an entry"), {"where": where}))
    stamp = _text(item.get("creationDate"), f"{where}'s date")
    try:
        created = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise refuse(Text(N_("{where} has no real date and time"), {"where": where})) from None
    _sane(created, where)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    zone_name = item.get("timeZone")
    if isinstance(zone_name, str) and zone_name:
        try:
            created = created.astimezone(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            created = created.astimezone(zone)
    text = DAY_ONE_PHOTO.sub("", _text(item.get("text"), f"{where}'s text"))
    title, body = split_title(text)
    if not title.strip() and not body.strip():
        return None
    ident = item.get("uuid")
    key = f"dayone|{ident}" if isinstance(ident, str) and ident else f"dayone|{stamp}|{text}"
    return ForeignEntry(created, title, body, _tags(item.get("tags"), f"{where}'s tags"), key)


# --------------------------------------------------------------------------------------------
# As a Companion export document


def _id(*parts: str) -> str:
    return uuid.uuid5(NAMESPACE, "\x1f".join(parts)).hex  # 32 characters, the id pattern


def to_document(journal: ForeignJournal, imported_at: datetime) -> dict[str, Any]:
    """A Companion export document (format 1) with the journal's entries and tags."""
    entries: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    tags: dict[str, str] = {}
    stamp = format_datetime(imported_at)
    seen: set[str] = set()
    for entry in journal.entries:
        entry_id = entry.record_id or _id(entry.key)
        if entry_id in seen:  # the very same entry twice in one file
            continue
        seen.add(entry_id)
        title = " ".join(clean_text(entry.title).split())[:MAX_TITLE]
        created = format_datetime(entry.created_at)
        entries.append(
            {
                "id": entry_id,
                "session_id": None,
                "kind": "free",
                "title": title,
                "body": clean_text(entry.body).strip(),
                "mood": entry.mood,
                "dissociation_body": None,
                "dissociation_surroundings": None,
                "dissociation_time": None,
                "shared_with_provider": False,
                "created_at": created,
                "updated_at": created if created <= stamp else stamp,
            }
        )
        for name in entry.tags:
            tags.setdefault(name, _id("tag", name))
            links.append({"entry_id": entry_id, "tag_id": tags[name]})
    records: dict[str, list[dict[str, Any]]] = {kind.name: [] for kind in KINDS}
    records["journal_entry"] = entries
    records["tag"] = [{"id": tag_id, "name": name} for name, tag_id in sorted(tags.items())]
    records["entry_tag"] = links
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": stamp,
        "generator": f"import of a {journal.source} journal",
        "scope": {
            "complete": False,
            "from": None,
            "to": None,
            "parts": ["entries"],
            "entries": "all",
        },
        "records": records,
    }
