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
import re
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from companion.domain.journal import MAX_TITLE, clean_text, normalise_tags
from companion.errors import CompanionError
from companion.export.jsondoc import format_datetime
from companion.export.schema import FORMAT_NAME, FORMAT_VERSION
from companion.export.tables import KINDS
from companion.i18n import N_, Text, _, format_date, n_

JRNL = "jrnl"
DAY_ONE = "Day One"
MARKDOWN = "Markdown"
MAX_ENTRIES = 200_000
MAX_ZIP_MEMBERS = 10_000
MAX_JSON_BYTES = 512 * 1024 * 1024  # uncompressed Journal.json in a Day One zip
MAX_MARKDOWN_FILES = 50_000
MAX_MARKDOWN_BYTES = 10 * 1024 * 1024  # one .md file
_NAMESPACE = uuid.UUID("0f6b8a52-5f0e-4d2c-9c55-4c1a3e6f7d21")
_DATE_IN_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T _-](\d{2})[-:.]?(\d{2}))?")
_COMPANION_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_DAY_ONE_PHOTO = re.compile(r"!\[[^\]\n]*\]\(dayone-moment:/[^)\n]*\)\n?")


class ForeignFormatError(CompanionError):
    message = N_("The file could not be read as a journal. Nothing in the vault was changed.")
    vault_unchanged = True


def _refuse(problem: Text) -> ForeignFormatError:
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


# --------------------------------------------------------------------------------------------
# Recognising a file


def sniff(data: bytes) -> str | None:
    """JRNL or DAY_ONE when the bytes look like one of their exports, else None (then the
    file is treated as a Companion export)."""
    if data.startswith(b"PK\x03\x04"):
        return DAY_ONE
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{") or b'"format"' in head[:200]:
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
        raise _refuse(Text(N_("The file is not UTF-8 text"))) from None
    except (ValueError, RecursionError):
        raise _refuse(Text(N_("The file is not valid JSON"))) from None


EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # a journal entry outside these is a broken date


def _sane(moment: datetime, where: Text | str) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise _refuse(
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
        raise _refuse(Text(N_("{where} is not text"), {"where": where}))
    return value


def _tags(values: object, where: Text | str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(t, str) for t in values):
        raise _refuse(Text(N_("{where} is not a list of tags"), {"where": where}))
    return normalise_tags(t.lstrip("@#") for t in values)


def _entries_list(document: object, name: str) -> list[Any]:
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise _refuse(
            Text(N_("This is not a {name} export (it has no list of entries)"), {"name": name})
        )
    entries: list[Any] = document["entries"]
    if len(entries) > MAX_ENTRIES:
        raise _refuse(
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
            raise _refuse(Text(N_("{where} is not an entry"), {"where": where}))
        try:
            day = date.fromisoformat(_text(item.get("date"), f"{where}'s date"))
            clock = time.fromisoformat(_text(item.get("time") or "00:00", f"{where}'s time"))
        except ValueError:
            raise _refuse(Text(N_("{where} has no real date and time"), {"where": where})) from None
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
                    raise _refuse(Text(N_("The zip file holds too many files")))
                journals = [
                    m
                    for m in members
                    if m.filename.lower().endswith(".json")
                    and not m.is_dir()
                    and "/" not in m.filename
                ]
                if not journals:
                    raise _refuse(Text(N_("The zip file holds no Day One journal (Journal.json)")))
                for member in journals:
                    if member.file_size > MAX_JSON_BYTES:
                        raise _refuse(Text(N_("The journal in the zip file is too large")))
                    with archive.open(member) as handle:
                        raw = handle.read(MAX_JSON_BYTES + 1)
                    if len(raw) > MAX_JSON_BYTES:
                        raise _refuse(Text(N_("The journal in the zip file is too large")))
                    documents.append(_json(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
            raise _refuse(Text(N_("The zip file is damaged"))) from None
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
        raise _refuse(Text(N_("{where} is not an entry"), {"where": where}))
    stamp = _text(item.get("creationDate"), f"{where}'s date")
    try:
        created = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise _refuse(Text(N_("{where} has no real date and time"), {"where": where})) from None
    _sane(created, where)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    zone_name = item.get("timeZone")
    if isinstance(zone_name, str) and zone_name:
        try:
            created = created.astimezone(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            created = created.astimezone(zone)
    text = _DAY_ONE_PHOTO.sub("", _text(item.get("text"), f"{where}'s text"))
    title, body = _split_title(text)
    if not title.strip() and not body.strip():
        return None
    ident = item.get("uuid")
    key = f"dayone|{ident}" if isinstance(ident, str) and ident else f"dayone|{stamp}|{text}"
    return ForeignEntry(created, title, body, _tags(item.get("tags"), f"{where}'s tags"), key)


def _split_title(text: str) -> tuple[str, str]:
    """Day One has no title field: a first line that is a Markdown heading is the title."""
    stripped = text.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("#"):
        return first.lstrip("#").strip(), rest.strip("\n")
    return "", stripped


# --------------------------------------------------------------------------------------------
# A folder of Markdown files


def read_markdown_folder(folder: Path, zone: tzinfo) -> ForeignJournal:
    """Each ``.md`` file (in the folder or below it) is an entry. Its date comes from the
    front matter (``date:``) or the start of its name (``2026-01-05``, optionally followed
    by ``-0930``); a file with neither is skipped and counted, never dated by guesswork."""
    if not folder.is_dir():
        raise _refuse(Text(N_("That is not a folder")))
    files = sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.is_symlink())
    if len(files) > MAX_MARKDOWN_FILES:
        raise _refuse(Text(N_("The folder holds too many files")))
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
        heading, rest = _split_title(body)
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
    if not _COMPANION_ID.match(record_id):
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
    found = _DATE_IN_NAME.match(name)
    if found is None:
        return None
    try:
        day = date.fromisoformat(found.group(1))
        clock = time(int(found.group(2) or 0), int(found.group(3) or 0))
    except ValueError:
        return None
    return datetime.combine(day, clock).replace(tzinfo=zone)


# --------------------------------------------------------------------------------------------
# As a Companion export document


def _id(*parts: str) -> str:
    return uuid.uuid5(_NAMESPACE, "\x1f".join(parts)).hex  # 32 characters, the id pattern


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


def preview_lines(
    records: Mapping[str, Sequence[Mapping[str, Any]]], zone: tzinfo, limit: int = 8
) -> list[str]:
    """What a file will bring in, before anything is written: counts, the entries' dates and
    their first titles, and how many are marked to share."""
    entries = sorted(records.get("journal_entry", ()), key=lambda e: e["created_at"])
    others = sum(len(v) for k, v in records.items() if k not in _JOURNAL_KINDS)
    lines = [n_("{n} journal entry.", "{n} journal entries.", len(entries))]
    if others:
        lines.append(n_("{n} other record.", "{n} other records.", others))
    if entries:
        first = format_date(entries[0]["created_at"].astimezone(zone).date())
        last = format_date(entries[-1]["created_at"].astimezone(zone).date())
        lines.append(_("Written from {first} to {last}.").format(first=first, last=last))
        shared = sum(1 for e in entries if e["shared_with_provider"])
        lines.append(
            n_(
                "{n} is marked to share with your provider.",
                "{n} are marked to share with your provider.",
                shared,
            )
            if shared
            else _("All of them stay private: none is marked to share with your provider.")
        )
    tags = sorted(t["name"] for t in records.get("tag", ()))
    if tags:
        lines.append(
            _("Tags: {tags}.").format(tags=", ".join(tags[:12]) + (", …" if len(tags) > 12 else ""))
        )
    for entry in entries[:limit]:
        day = format_date(entry["created_at"].astimezone(zone).date())
        lines.append(f"  {day}  {entry['title'].strip() or _('(untitled)')}")
    if len(entries) > limit:
        more = len(entries) - limit
        lines.append("  " + n_("… and {n} more.", "… and {n} more.", more))
    return lines


_JOURNAL_KINDS = frozenset({"journal_entry", "tag", "entry_tag", "journal_answer"})
