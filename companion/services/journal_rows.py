"""Between an entry's content and its rows, for ``JournalService``: checking and normalising
what was written, filling and reading the rows, tags, the JSON snapshots of earlier versions
and drafts. Each function takes the caller's database session; the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from companion.domain.journal import EntryKind, clean_text, normalise_tags, validate_entry
from companion.errors import InvalidInputError
from companion.services.journal_model import (
    Answer,
    Dissociation,
    Draft,
    EntryInput,
    EntryNotFoundError,
    Revision,
)
from companion.storage.models import (
    DraftRow,
    EntryTagRow,
    JournalAnswerRow,
    JournalEntryRow,
    JournalRevisionRow,
    TagRow,
)

SNAPSHOT_VERSION = 1


def normalised(entry: EntryInput) -> EntryInput:
    tags = tuple(sorted(normalise_tags(entry.tags)))  # stored unordered; shown by name
    problems = validate_entry(
        kind=str(entry.kind),
        title=entry.title,
        mood=entry.mood,
        dissociation=entry.dissociation.as_dict(),
        tags=tags,
    )
    if problems:
        raise InvalidInputError(problems=problems)
    answers = tuple(
        Answer(a.prompt_id, clean_text(a.prompt_text).strip(), clean_text(a.answer).strip())
        for a in entry.answers
        if clean_text(a.answer).strip()
    )
    return replace(
        entry,
        kind=EntryKind(entry.kind).value,
        title=" ".join(clean_text(entry.title).split()),
        body=clean_text(entry.body).strip(),
        answers=answers,
        tags=tags,
    )


def get_row(session: Session, entry_id: str) -> JournalEntryRow:
    row = session.get(JournalEntryRow, entry_id)
    if row is None:
        raise EntryNotFoundError()
    return row


def apply_content(
    session: Session,
    row: JournalEntryRow,
    content: EntryInput,
    tags: Mapping[str, TagRow] | None = None,
) -> None:
    """The entry's rows from its (normalised) content; ``tags``: the tag rows already looked
    up for a batch of entries (by name), or None to look them up now."""
    row.kind = content.kind
    row.session_id = content.session_id
    row.title = content.title
    row.body = content.body
    row.mood = content.mood
    row.dissociation_body = content.dissociation.body
    row.dissociation_surroundings = content.dissociation.surroundings
    row.dissociation_time = content.dissociation.time
    row.shared_with_provider = content.shared_with_provider
    row.answers = [
        JournalAnswerRow(
            position=position, prompt_id=a.prompt_id, prompt_text=a.prompt_text, answer=a.answer
        )
        for position, a in enumerate(content.answers)
    ]
    row.tags = tag_rows(session, content.tags) if tags is None else [tags[n] for n in content.tags]


def tag_rows(session: Session, names: Sequence[str]) -> list[TagRow]:
    if not names:
        return []
    existing = {t.name: t for t in session.scalars(select(TagRow).where(TagRow.name.in_(names)))}
    rows = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = TagRow(name=name)
            session.add(tag)
            existing[name] = tag
        rows.append(tag)
    return rows


def drop_unused_tags(session: Session) -> None:
    """A tag name can be private too: it goes when no entry uses it any more."""
    session.flush()
    session.execute(
        delete(TagRow).where(TagRow.id.not_in(select(EntryTagRow.tag_id))),
        execution_options={"synchronize_session": False},
    )


def content_of(row: JournalEntryRow) -> EntryInput:
    return EntryInput(
        kind=row.kind,
        title=row.title,
        body=row.body,
        answers=tuple(Answer(a.prompt_id, a.prompt_text, a.answer) for a in row.answers),
        mood=row.mood,
        dissociation=Dissociation(
            row.dissociation_body, row.dissociation_surroundings, row.dissociation_time
        ),
        tags=tuple(t.name for t in row.tags),
        shared_with_provider=row.shared_with_provider,
        session_id=row.session_id,
    )


def snapshot(content: EntryInput, updated_at: datetime) -> str:
    data = {
        "version": SNAPSHOT_VERSION,
        "updated_at": updated_at.isoformat(),
        "kind": content.kind,
        "title": content.title,
        "body": content.body,
        "answers": [
            {"prompt_id": a.prompt_id, "prompt_text": a.prompt_text, "answer": a.answer}
            for a in content.answers
        ],
        "mood": content.mood,
        "dissociation": content.dissociation.as_dict(),
        "tags": list(content.tags),
        "shared_with_provider": content.shared_with_provider,
        "session_id": content.session_id,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def revision_of(row: JournalRevisionRow) -> Revision:
    data = json.loads(row.snapshot_json)
    diss = data.get("dissociation") or {}
    content = EntryInput(
        kind=data.get("kind", EntryKind.FREE.value),
        title=data.get("title", ""),
        body=data.get("body", ""),
        answers=tuple(
            Answer(a.get("prompt_id", ""), a.get("prompt_text", ""), a.get("answer", ""))
            for a in data.get("answers", [])
        ),
        mood=data.get("mood"),
        dissociation=Dissociation(diss.get("body"), diss.get("surroundings"), diss.get("time")),
        tags=tuple(data.get("tags", [])),
        shared_with_provider=bool(data.get("shared_with_provider", False)),
        session_id=data.get("session_id"),
    )
    updated = data.get("updated_at")
    return Revision(
        id=row.id,
        entry_id=row.entry_id,
        saved_at=row.saved_at,
        version_updated_at=datetime.fromisoformat(updated) if updated else None,
        content=content,
    )


def draft_id(key: str) -> str:
    """Draft ids are derived from the key, so saving the same key again updates one row."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def draft_of(row: DraftRow) -> Draft:
    data = json.loads(row.content_json)
    return Draft(
        key=str(data.get("key", "")),
        kind=row.kind,
        entry_id=row.entry_id,
        session_id=row.session_id,
        content=dict(data.get("content", {})),
        updated_at=row.updated_at,
    )
