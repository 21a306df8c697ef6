"""Journal entries as Markdown files, so nothing is locked in: one ``.md`` file per entry,
in a zip or a folder, readable by any editor and by other journal apps.

Each file starts with a small front matter block (the simple YAML most Markdown tools read)::

    ---
    title: "After the session"
    date: 2025-11-03T21:15:00+01:00
    tags: ["music", "session"]
    mood: 7
    kind: "free"
    shared: false
    id: "3f2a..."
    ---

    The entry's text, exactly as written (it is Markdown already).

then the answers of a guided entry as ``## prompt`` sections. Times are local with their
offset. File names are ``YYYY-MM-DD-HHMM-title.md`` (ASCII, at most 80 characters, unique).
``companion-cli import FOLDER`` reads such a folder back (``services.import_formats``).

Pure: no Qt, no database.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from companion.export.jsondoc import Records

FOLDER_IN_ZIP = "journal"
_SLUG = re.compile(r"[^a-z0-9]+")
MAX_NAME = 80


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is one)."""
    return json.dumps(text, ensure_ascii=False)


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_title.lower()).strip("-")[:40].rstrip("-")


def front_matter(
    title: str,
    created: datetime,
    tags: Sequence[str],
    mood: int | None,
    kind: str,
    shared: bool,
    entry_id: str = "",
) -> str:
    lines = [
        "---",
        f"title: {_quoted(title)}",
        f"date: {created.isoformat(timespec='seconds')}",
        f"tags: [{', '.join(_quoted(t) for t in tags)}]",
    ]
    if mood is not None:
        lines.append(f"mood: {mood}")
    lines += [f"kind: {_quoted(kind)}", f"shared: {'true' if shared else 'false'}"]
    if entry_id:
        lines.append(f"id: {_quoted(entry_id)}")  # read back, the same entry is recognised
    lines.append("---")
    return "\n".join(lines) + "\n"


def entry_files(records: Records, zone: tzinfo) -> list[tuple[str, str]]:
    """(file name, text) for each journal entry, oldest first."""
    answers: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for answer in records.get("journal_answer", ()):
        answers[answer["entry_id"]].append(answer)
    tag_names = {t["id"]: t["name"] for t in records.get("tag", ())}
    tags: dict[str, list[str]] = defaultdict(list)
    for link in records.get("entry_tag", ()):
        if link["tag_id"] in tag_names:
            tags[link["entry_id"]].append(tag_names[link["tag_id"]])
    files: list[tuple[str, str]] = []
    used: set[str] = set()
    entries = sorted(records.get("journal_entry", ()), key=lambda e: (e["created_at"], e["id"]))
    for entry in entries:
        created = entry["created_at"].astimezone(zone)
        stem = created.strftime("%Y-%m-%d-%H%M")
        slug = _slug(entry["title"])
        name = f"{stem}-{slug}" if slug else stem
        name = name[: MAX_NAME - 6]
        unique, n = name, 2
        while unique in used:
            unique, n = f"{name}-{n}", n + 1
        used.add(unique)
        parts = [
            front_matter(
                entry["title"],
                created,
                sorted(tags.get(entry["id"], [])),
                entry["mood"],
                entry["kind"],
                bool(entry["shared_with_provider"]),
                entry["id"],
            ),
            "",
        ]
        if entry["body"]:
            parts.append(entry["body"].rstrip("\n") + "\n")
        for answer in sorted(answers.get(entry["id"], []), key=lambda a: a["position"]):
            parts.append(f"\n## {answer['prompt_text']}\n\n{answer['answer'].rstrip()}\n")
        files.append((f"{unique}.md", "\n".join(parts)))
    return files


def build_zip(
    records: Records,
    zone: tzinfo,
    exported_at: datetime,
    check: Callable[[], None] | None = None,
) -> bytes:
    """All entries as ``journal/<name>.md`` in one zip, built in memory."""
    stamp = exported_at.utctimetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (name, text) in enumerate(entry_files(records, zone)):
            if check is not None and index % 100 == 0:
                check()
            info = zipfile.ZipInfo(f"{FOLDER_IN_ZIP}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
