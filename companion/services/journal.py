"""Writing in the journal: entries with guided answers, tags, earlier versions and drafts.

Every write keeps the full-text index (``companion.storage.fts``) in step in the same
transaction. Deleting an entry removes its text, answers, tags no other entry uses, earlier
versions, drafts and index rows; ``PRAGMA secure_delete`` (and FTS5's own secure-delete) zero
the freed space, and the WAL is checkpointed and truncated afterwards, so the words are gone
from the files too. Exported copies are outside the vault and are not recalled.

Logging: event names only, never text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from companion.domain.journal import EntryKind, draft_key_for_entry
from companion.errors import InvalidInputError
from companion.i18n import N_, Text
from companion.services.journal_model import (
    Draft,
    Entry,
    EntryInput,
    EntryNotFoundError,
    Restored,
    Revision,
    RevisionNotFoundError,
    TagUse,
)
from companion.services.journal_rows import (
    apply_content,
    content_of,
    draft_id,
    draft_of,
    drop_unused_tags,
    get_row,
    normalised,
    revision_of,
    snapshot,
    tag_rows,
)
from companion.services.vault import VaultService
from companion.storage import fts
from companion.storage.models import (
    DraftRow,
    EntryTagRow,
    JournalAnswerRow,
    JournalEntryRow,
    JournalRevisionRow,
    TagRow,
)

log = logging.getLogger(__name__)


class JournalService:
    def __init__(self, vault: VaultService, now: Callable[[], datetime]) -> None:
        self._vault = vault
        self._now = now
        self._index_checked = False
        vault.add_lock_listener(self._on_lock)

    # --- entries ------------------------------------------------------------------------------
    def create(
        self,
        entry: EntryInput,
        *,
        created_at: datetime | None = None,
        draft_key: str | None = None,
    ) -> Entry:
        """Saves a new entry; publishing it removes the draft ``draft_key`` in the same step."""
        content = normalised(entry)
        self.ensure_index()
        now = self._now()
        with self._vault.unit_of_work() as session:
            row = JournalEntryRow(created_at=created_at or now, updated_at=now)
            apply_content(session, row, content)
            session.add(row)
            session.flush()
            if draft_key is not None:
                session.execute(delete(DraftRow).where(DraftRow.id == draft_id(draft_key)))
            self._reindex_rows(session, [row.id])
            result = Entry(row.id, row.created_at, row.updated_at, content)
        log.info("journal.entry_created")
        return result

    def create_many(self, entries: Sequence[tuple[EntryInput, datetime]]) -> list[str]:
        """Saves entries written at the given times (the sample data), each checked and stored
        as ``create`` stores one, in one transaction with one search-index update; returns
        their ids in order."""
        contents = [(normalised(entry), at) for entry, at in entries]
        self.ensure_index()
        with self._vault.unit_of_work() as session:
            names = sorted({name for content, _ in contents for name in content.tags})
            tags = dict(zip(names, tag_rows(session, names), strict=True))
            rows = []
            for content, at in contents:
                row = JournalEntryRow(created_at=at, updated_at=at)
                apply_content(session, row, content, tags)
                session.add(row)
                rows.append(row)
            session.flush()
            ids = [row.id for row in rows]
            self._reindex_rows(session, ids)
        log.info("journal.entries_created")
        return ids

    def update(self, entry_id: str, entry: EntryInput, *, draft_key: str | None = None) -> Entry:
        """Saves a new version; the one it replaces is kept (see ``revisions``). The entry's
        edit draft and ``draft_key`` are removed. Nothing is kept when nothing changed."""
        content = normalised(entry)
        self.ensure_index()
        now = self._now()
        with self._vault.unit_of_work() as session:
            row = get_row(session, entry_id)
            before = content_of(row)
            keys = [draft_key_for_entry(entry_id), *([draft_key] if draft_key else [])]
            session.execute(delete(DraftRow).where(DraftRow.id.in_([draft_id(k) for k in keys])))
            if before == content:
                return Entry(row.id, row.created_at, row.updated_at, before)
            self._replace(session, row, before, content, now)
            result = Entry(row.id, row.created_at, row.updated_at, content)
        log.info("journal.entry_updated")
        return result

    def restore(self, entry_id: str, revision_id: str) -> Restored:
        """Makes an earlier version the entry's words again. Nothing is lost: the version it
        replaces is kept as an earlier version too (its id is ``Restored.undo_revision_id``;
        restoring that one is the undo). The share-with-provider choice, the kind and the
        session stay as they are now: going back to older words never shares anything. The
        entry's edit draft, if any, is left alone (those are unsaved words of the person)."""
        self.ensure_index()
        now = self._now()
        with self._vault.unit_of_work() as session:
            found = session.get(JournalRevisionRow, revision_id)
            if found is None or found.entry_id != entry_id:
                raise RevisionNotFoundError()
            row = get_row(session, entry_id)
            version = revision_of(found)
            before = content_of(row)
            content = normalised(
                replace(
                    version.content,
                    kind=before.kind,
                    session_id=before.session_id,
                    shared_with_provider=before.shared_with_provider,
                )
            )
            draft = session.get(DraftRow, draft_id(draft_key_for_entry(entry_id)))
            undo: str | None = None
            if before != content:
                undo = self._replace(session, row, before, content, now)
            result = Restored(
                Entry(row.id, row.created_at, row.updated_at, content),
                undo,
                version.version_updated_at or version.saved_at,
                draft is not None,
            )
        log.info("journal.entry_restored")
        return result

    def _replace(
        self,
        session: Session,
        row: JournalEntryRow,
        before: EntryInput,
        content: EntryInput,
        now: datetime,
    ) -> str:
        """Keeps ``before`` as an earlier version and stores ``content``; returns the id of
        the kept version. Versions saved in the same instant still list in the order made."""
        newest = session.scalar(
            select(func.max(JournalRevisionRow.saved_at)).where(
                JournalRevisionRow.entry_id == row.id
            )
        )
        saved_at = now
        if newest is not None and newest >= now:
            saved_at = newest + timedelta(microseconds=1)
        kept = JournalRevisionRow(
            entry_id=row.id, saved_at=saved_at, snapshot_json=snapshot(before, row.updated_at)
        )
        session.add(kept)
        apply_content(session, row, content)
        row.updated_at = now
        session.flush()
        drop_unused_tags(session)
        self._reindex_rows(session, [row.id])
        return kept.id

    def set_shared(self, entry_id: str, shared: bool) -> None:
        """The share-with-provider switch; a flag, so no earlier version is kept for it."""
        self.ensure_index()
        now = self._now()
        with self._vault.unit_of_work() as session:
            row = get_row(session, entry_id)
            row.shared_with_provider = shared
            row.updated_at = now
            fts.update_flags(session.connection(), entry_id, shared=shared, updated_at=now)
        log.info("journal.entry_sharing_changed")

    def get(self, entry_id: str) -> Entry:
        with self._vault.unit_of_work() as session:
            row = get_row(session, entry_id)
            return Entry(row.id, row.created_at, row.updated_at, content_of(row))

    def delete(self, entry_id: str) -> None:
        """Removes the entry and everything written with it, then checkpoints the WAL so the
        old pages leave the files too. Exported copies are not recalled."""
        self.ensure_index()
        with self._vault.unit_of_work() as session:
            if session.get(JournalEntryRow, entry_id) is None:
                raise EntryNotFoundError()
            connection = session.connection()
            connection.execute(
                delete(DraftRow).where(
                    (DraftRow.entry_id == entry_id)
                    | (DraftRow.id == draft_id(draft_key_for_entry(entry_id)))
                )
            )
            connection.execute(
                delete(JournalRevisionRow).where(JournalRevisionRow.entry_id == entry_id)
            )
            connection.execute(
                delete(JournalAnswerRow).where(JournalAnswerRow.entry_id == entry_id)
            )
            connection.execute(delete(EntryTagRow).where(EntryTagRow.entry_id == entry_id))
            fts.remove_entries(connection, [entry_id])
            connection.execute(delete(JournalEntryRow).where(JournalEntryRow.id == entry_id))
            drop_unused_tags(session)
            session.expunge_all()
        self.checkpoint()
        log.info("journal.entry_deleted")

    def revisions(self, entry_id: str) -> list[Revision]:
        """Earlier versions, newest first."""
        with self._vault.unit_of_work() as session:
            rows = session.scalars(
                select(JournalRevisionRow)
                .where(JournalRevisionRow.entry_id == entry_id)
                .order_by(JournalRevisionRow.saved_at.desc(), JournalRevisionRow.id)
            ).all()
            return [revision_of(r) for r in rows]

    def tags(self) -> list[TagUse]:
        """Tags in use, most used first (for the tag picker)."""
        with self._vault.unit_of_work() as session:
            count = func.count(EntryTagRow.entry_id)
            rows = session.execute(
                select(TagRow.name, count)
                .join(EntryTagRow, EntryTagRow.tag_id == TagRow.id)
                .group_by(TagRow.id)
                .order_by(count.desc(), TagRow.name)
            ).all()
            return [TagUse(name, int(n)) for name, n in rows]

    # --- drafts -------------------------------------------------------------------------------
    def save_draft(
        self,
        key: str,
        content: Mapping[str, Any],
        *,
        kind: str = EntryKind.FREE.value,
        entry_id: str | None = None,
        session_id: str | None = None,
    ) -> None:
        """Upserts the draft ``key`` (see ``domain.journal.draft_key_for_new`` / ``_for_entry``).

        One small committed write: call it every few seconds while typing and on every focus
        change. ``content`` is whatever the editor needs back, as JSON-compatible values.
        """
        if kind not in {k.value for k in EntryKind}:
            raise InvalidInputError(problems={"kind": Text(N_("Unknown kind of entry."))})
        try:
            payload = json.dumps(
                {"key": key, "content": dict(content)}, ensure_ascii=False, separators=(",", ":")
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(N_("A draft can only hold text, numbers and lists.")) from exc
        now = self._now()
        values = {
            "id": draft_id(key),
            "entry_id": entry_id,
            "session_id": session_id,
            "kind": kind,
            "content_json": payload,
            "updated_at": now,
        }
        statement = sqlite_insert(DraftRow).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[DraftRow.id],
            set_={k: statement.excluded[k] for k in values if k != "id"},
        )
        with self._vault.unit_of_work() as session:
            session.execute(statement)

    def get_draft(self, key: str) -> Draft | None:
        with self._vault.unit_of_work() as session:
            row = session.get(DraftRow, draft_id(key))
            return draft_of(row) if row is not None else None

    def pending_drafts(self) -> list[Draft]:
        """Drafts to offer back (after a crash, or on the next unlock), newest first."""
        with self._vault.unit_of_work() as session:
            rows = session.scalars(select(DraftRow).order_by(DraftRow.updated_at.desc())).all()
            return [draft_of(r) for r in rows]

    def discard_draft(self, key: str) -> None:
        with self._vault.unit_of_work() as session:
            session.execute(delete(DraftRow).where(DraftRow.id == draft_id(key)))
        log.info("journal.draft_discarded")

    # --- the index ----------------------------------------------------------------------------
    def reindex(self) -> int:
        """Rebuilds the full-text index and the Reflections read model from every entry."""
        with self._vault.unit_of_work() as session:
            count = fts.rebuild(session.connection())
        self._index_checked = True
        self.checkpoint()
        log.info("journal.reindexed")
        return count

    def ensure_index(self) -> int:
        """Once per unlock: creates the index if the vault lacks it, indexes entries that are
        missing from it and drops rows of entries that are gone. Returns how many it fixed."""
        if self._index_checked:
            return 0
        with self._vault.unit_of_work() as session:
            connection = session.connection()
            fixed = 0
            if fts.ensure_fts(connection):
                fixed = fts.rebuild(connection)
            else:
                missing, orphans = fts.missing_and_orphans(connection)
                fts.remove_entries(connection, orphans)
                fts.index_entries(connection, fts.load_indexed(connection, missing))
                fixed = len(missing) + len(orphans)
        self._index_checked = True
        if fixed:
            log.info("journal.index_repaired")
        return fixed

    def checkpoint(self) -> None:
        """Moves the WAL into the database file and truncates it (old pages leave the disk)."""
        with self._vault.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    # --- internals ----------------------------------------------------------------------------
    def _reindex_rows(self, session: Session, entry_ids: Sequence[str]) -> None:
        connection = session.connection()
        fts.index_entries(connection, fts.load_indexed(connection, entry_ids))

    def _on_lock(self) -> None:
        self._index_checked = False
