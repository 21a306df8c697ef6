"""Checking the database inside a backup before it may replace the vault: every page's HMAC,
SQLite's integrity check, the commit count sealed into the backup's header, a schema no newer
than this Companion's; and what it holds (table sizes, the span of dates), with no private text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from companion.crypto import header as hdr
from companion.crypto.secret import SecretKey
from companion.i18n import N_, _, format_date, n_
from companion.services.backup_archive import BackupInvalidError
from companion.storage import migrate


@dataclass(frozen=True, slots=True)
class BackupContents:
    """What a verified backup holds (no private text): table sizes and the span of dates."""

    counts: dict[str, int]
    first_entry: datetime | None
    last_entry: datetime | None
    last_session: datetime | None
    schema_revision: str | None

    def summary(self) -> str:
        entries = self.counts.get("journal_entry", 0)
        sessions = self.counts.get("session", 0)
        lines = [
            n_(
                "This backup holds {n} journal entry.",
                "This backup holds {n} journal entries.",
                entries,
            )
        ]
        if self.first_entry and self.last_entry:
            lines.append(
                _("They were written from {first} to {last}.").format(
                    first=format_date(self.first_entry.date()),
                    last=format_date(self.last_entry.date()),
                )
            )
        lines.append(n_("It holds {n} session.", "It holds {n} sessions.", sessions))
        return " ".join(lines)


def open_raw(path: Path, key: SecretKey) -> Any:
    connection = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def check_database(path: Path, key: SecretKey) -> dict[str, int]:
    """Every page's HMAC, SQLite's integrity check; returns row counts of the main tables."""
    try:
        connection = open_raw(path, key)
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    try:
        problems = [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if problems or integrity != ["ok"]:
            raise BackupInvalidError()
        counts = {}
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'journal_fts%' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
        ):
            counts[name] = int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # noqa: S608 (names from sqlite_master)
        return counts
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    finally:
        connection.close()


def read_contents(path: Path, key: SecretKey, header: hdr.VaultHeader) -> BackupContents:
    """The full check of an extracted backup database, then what it holds.

    Besides page HMACs and integrity, the database's commit count must be the one sealed into
    the backup's header: a database swapped for another copy of the same vault (with a
    recomputed manifest) is refused."""
    counts = check_database(path, key)
    try:
        connection = open_raw(path, key)
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    try:
        count = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if header.commits is not None and header.commits.count != count:
            raise BackupInvalidError()
        first, last = _span(connection, "journal_entry", "created_at")
        _unused, last_session = _span(connection, "session", "started_at")
    except sqlcipher.Error as exc:
        raise BackupInvalidError() from exc
    finally:
        connection.close()
    return BackupContents(counts, first, last, last_session, None)


def _span(connection: Any, table: str, column: str) -> tuple[datetime | None, datetime | None]:
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if not exists:
        return None, None
    row = connection.execute(f'SELECT min("{column}"), max("{column}") FROM "{table}"').fetchone()  # noqa: S608 (fixed names)
    return _as_time(row[0]), _as_time(row[1])


def _as_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


def refuse_newer(revision: object) -> None:
    if revision is None:
        return
    head = migrate.head_revision()
    if not isinstance(revision, str) or revision > head:
        raise BackupInvalidError(
            N_(
                "This backup was made by a newer Companion; update Companion, then restore it. "
                "Your current vault is unchanged."
            )
        )
