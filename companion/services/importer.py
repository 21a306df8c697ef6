"""Importing the JSON export format (plain or age-encrypted) into the unlocked vault.

Order of checks, each refusing the file with a message that names the first problem and
leaving the vault untouched:

1. decryption (age: passphrase or identity file), size, UTF-8, JSON syntax;
2. the JSON Schema (``companion.export.schema``), first problem by JSON pointer;
3. meaning the schema cannot express: real dates, no record twice, every reference resolves
   to a record in the file or already in the vault.

A file is read twice and never held (issue 16): the first pass (``import_reader`` and
``import_scan``) checks every record and keeps only ids, keys and what the preview shows; the
second reads it again and inserts everything in ONE transaction, the search index of the
imported journal entries included (``import_sink``). The file's SHA-256 is compared between the
passes, so a file changed in between is refused before the transaction commits. Records are
matched by their stable ids: a record already in the vault is kept as it is (never
overwritten), so importing the same file twice adds nothing the second time.

An age-encrypted file is decrypted in memory (pyrage 1.4 decrypts passphrase files only as
bytes), so it is held once as plaintext, never written anywhere; its records are still read
one at a time. Journals from other apps (jrnl, Day One) and Markdown folders are converted to
the same document in memory first (their size is capped).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, BinaryIO, cast

from companion.domain.localtime import local_zone
from companion.export import age
from companion.export.jsondoc import DocumentError, typed_record
from companion.export.progress import CancelToken, Progress, ProgressFn
from companion.export.tables import KINDS
from companion.fsutil import FileRefusedError, open_regular_file, storage_error
from companion.i18n import N_, Text
from companion.services import import_formats, import_sink
from companion.services.import_checks import ImportRefusedError, refuse
from companion.services.import_preview import JOURNAL_KINDS, Summary, summary_lines
from companion.services.import_reader import ExportReader
from companion.services.import_scan import Scanner, Survey, document_events, scan_records
from companion.services.journal import JournalService
from companion.services.vault import VaultService
from companion.storage import models_export

log = logging.getLogger(__name__)
__all__ = ["MAX_IMPORT_BYTES", "CheckedFile", "ImportRefusedError", "ImportReport", "ImportService"]

MAX_IMPORT_BYTES = 1024 * 1024 * 1024  # 1 GiB
_HEAD = 4096  # bytes that tell an age file or another app's journal from a Companion export
_KINDS = {kind.name: kind for kind in KINDS}
Records = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: dict[str, int]
    skipped: dict[str, int]  # already in the vault (same id)
    encrypted: bool

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


@dataclass
class CheckedFile:
    """A file that passed every check that needs no vault, ready to be imported: where to read
    it again (the path, the decrypted bytes, or records already in memory) and its survey."""

    survey: Survey
    encrypted: bool
    titles: list[tuple[datetime, str]] = field(default_factory=list)
    path: Path | None = None
    data: bytes | None = None
    records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
    digest: bytes = b""

    def preview(self, zone: tzinfo) -> list[str]:
        """What the import will bring in (``import_preview``), from what pass one kept."""
        counts = self.survey.counts
        return summary_lines(
            Summary(
                entries=counts["journal_entry"],
                others=sum(n for k, n in counts.items() if k not in JOURNAL_KINDS),
                shared=self.survey.shared,
                tags=list(self.survey.tag_names.values()),
                first=self.titles,
                latest=self.survey.latest,
            ),
            zone,
        )

    def rows(self, steps: Progress) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every record, typed, in the file's order (pass two)."""
        if self.records is not None:
            for kind in KINDS:
                for row in self.records.get(kind.name, ()):
                    yield kind.name, dict(row)
            return
        with _open(self.path, self.data) as stream:
            hashed = _Hashed(None, 0.0, 0)  # progress: the sink's
            index: dict[str, int] = {}
            try:
                for event, name, raw in ExportReader(stream, hashed.update).events():
                    if event == "record" and name in _KINDS:
                        index[name] = index.get(name, -1) + 1
                        yield name, typed_record(_KINDS[name], index[name], raw)
            except (ImportRefusedError, DocumentError):
                if hashed.digest() == self.digest:
                    raise
                raise _changed() from None
        if hashed.digest() != self.digest:
            raise _changed()


def _changed() -> ImportRefusedError:
    return refuse(Text(N_("the file changed while it was being imported")))


class _Hashed:
    """Counts, hashes and reports the bytes read; refuses past the size limit."""

    def __init__(self, steps: Progress | None, share: float, size: int) -> None:
        self._sha = hashlib.sha256()
        self._steps = steps
        self._share = share
        self._size = max(1, size)
        self.total = 0

    def update(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > MAX_IMPORT_BYTES:
            raise refuse(FileRefusedError(MAX_IMPORT_BYTES).reason)
        self._sha.update(chunk)
        if self._steps is not None:
            self._steps.step(self._share * min(1.0, self.total / self._size), "check")

    def digest(self) -> bytes:
        return self._sha.digest()


def _open(path: Path | None, data: bytes | None) -> BinaryIO:
    if data is not None:
        return io.BytesIO(data)
    assert path is not None
    try:
        return open_regular_file(Path(path), MAX_IMPORT_BYTES)
    except FileRefusedError as exc:
        raise refuse(exc.reason) from None
    except FileNotFoundError:
        raise ImportRefusedError(
            N_("There is no file at that path. Nothing was imported.")
        ) from None
    except IsADirectoryError:
        raise ImportRefusedError(
            N_("That is a folder, not a file. Nothing was imported.")
        ) from None
    except OSError as exc:
        raise storage_error(exc) from exc


def _size(stream: BinaryIO, data: bytes | None) -> int:
    if data is not None:
        return len(data)
    return os.fstat(stream.fileno()).st_size


class ImportService:
    def __init__(
        self, vault: VaultService, now: Callable[[], datetime], journal: JournalService
    ) -> None:
        self._vault = vault
        self._now = now
        self._journal = journal

    # --- reading and checking (no vault needed) -----------------------------------------------
    def check_file(
        self,
        path: Path,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
        keep: bool = False,
    ) -> CheckedFile:
        """Pass one over the file at ``path``: every check that needs no vault, or
        ``ImportRefusedError`` (a decryption error is a ``CompanionError`` too). ``keep``
        keeps the typed records in memory (for a preview that lists them)."""
        steps = Progress(progress, cancel)
        with _open(path, None) as stream:
            size = _size(stream, None)
            head = _read(stream, _HEAD)
            if age.is_age(head) or import_formats.maybe_foreign(head):
                data = head + _read(stream, MAX_IMPORT_BYTES + 1 - len(head))
                if len(data) > MAX_IMPORT_BYTES:
                    raise refuse(FileRefusedError(MAX_IMPORT_BYTES).reason)
                encrypted = age.is_age(data)
                data = _decrypt(data, passphrase, identity_text)  # the ciphertext let go
                return self._check_plain(data, encrypted, steps, keep)
            stream.seek(0)
            hashed = _Hashed(steps, 0.3, size)
            scanner = Scanner(keep)
            scanner.feed(ExportReader(stream, hashed.update).events())
        survey = scanner.finish()
        return CheckedFile(
            survey,
            False,
            scanner.titles(),
            path=None if keep else Path(path),
            records=scanner.kept,
            digest=hashed.digest(),
        )

    def check_bytes(
        self,
        data: bytes,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
        steps: Progress | None = None,
        keep: bool = False,
    ) -> CheckedFile:
        """``check_file`` for a file already in memory."""
        if len(data) > MAX_IMPORT_BYTES:
            raise refuse(Text(N_("the file is larger than 1 GiB")))
        encrypted = age.is_age(data)
        plain = _decrypt(data, passphrase, identity_text)
        return self._check_plain(plain, encrypted, steps or Progress(), keep)

    def _check_plain(
        self, data: bytes, encrypted: bool, steps: Progress, keep: bool
    ) -> CheckedFile:
        # Journals from other apps (jrnl, Day One) become the same kind of document.
        foreign = import_formats.read_foreign(data, local_zone())
        hashed = _Hashed(steps, 0.3, len(data))
        if foreign:
            scanner = Scanner(keep=True)
            scanner.feed(document_events(import_formats.to_document(foreign, self._now())))
        else:
            scanner = Scanner(keep)
            scanner.feed(ExportReader(io.BytesIO(data), hashed.update).events())
        survey = scanner.finish()
        return CheckedFile(
            survey,
            encrypted,
            scanner.titles(),
            data=None if scanner.kept is not None else data,
            records=scanner.kept,
            digest=hashed.digest(),
        )

    def read_file(
        self,
        path: Path,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
    ) -> tuple[Records, bool]:
        """The file's typed records, held in memory (a preview of another app's journal)."""
        checked = self.check_file(
            path, passphrase=passphrase, identity_text=identity_text, keep=True
        )
        assert checked.records is not None
        return _as_records(checked.records), checked.encrypted

    def parse(
        self,
        data: bytes,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
    ) -> tuple[Records, bool]:
        """Typed records from the file's bytes, or ``ImportRefusedError`` (or a decryption
        error, a ``CompanionError`` too). Pure: the vault is not touched."""
        checked = self.check_bytes(
            data, passphrase=passphrase, identity_text=identity_text, keep=True
        )
        assert checked.records is not None
        return _as_records(checked.records), checked.encrypted

    # --- importing ----------------------------------------------------------------------------
    def import_file(
        self,
        path: Path,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        checked = self.check_file(
            path,
            passphrase=passphrase,
            identity_text=identity_text,
            progress=progress,
            cancel=cancel,
        )
        return self.import_checked(checked, progress=progress, cancel=cancel)

    def import_bytes(
        self,
        data: bytes,
        *,
        passphrase: str | None = None,
        identity_text: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        steps = Progress(progress, cancel)
        checked = self.check_bytes(
            data, passphrase=passphrase, identity_text=identity_text, steps=steps
        )
        return self.import_checked(checked, progress=progress, cancel=cancel)

    def import_records(
        self,
        records: Mapping[str, Sequence[Mapping[str, Any]]],
        *,
        encrypted: bool = False,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        # records may come from another importer, not only parse(): checked again
        checked = CheckedFile(scan_records(records), encrypted, records=records)
        return self.import_checked(checked, progress=progress, cancel=cancel)

    def import_checked(
        self,
        checked: CheckedFile,
        *,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Pass two: the checked file into the vault, in one transaction, or not at all."""
        steps = Progress(progress, cancel)
        self._journal.ensure_index()
        with self._vault.unit_of_work() as db:
            connection = db.connection()
            models_export.ExportProfileRow.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]
            # Kinds come in the file's order; references are checked at commit.
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            steps.step(0.3, "check")
            tags = import_sink.tag_map(connection, checked.survey.tag_names)
            import_sink.check_references(connection, checked.survey, tags)
            sink = import_sink.Sink(connection, checked.survey, tags, steps)
            for kind, row in checked.rows(steps):
                sink.add(_KINDS[kind], row)
            sink.finish()
            steps.check()  # last chance to cancel: the transaction rolls back
        if sum(sink.added.values()):
            self._journal.checkpoint()
        steps.report(1.0, "done")
        log.info("import.done")
        return ImportReport(sink.added, sink.skipped, checked.encrypted)


def _decrypt(data: bytes, passphrase: str | None, identity_text: str | None) -> bytes:
    """The plaintext of an age file, in memory only (pyrage 1.4 decrypts a passphrase file only
    from bytes to bytes); any other file as it is."""
    if not age.is_age(data):
        return data
    identities = age.parse_identities(identity_text) if identity_text else []
    return age.decrypt(data, passphrase=passphrase, identities=identities)


def _read(stream: BinaryIO, count: int) -> bytes:
    chunks: list[bytes] = []
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _as_records(records: Mapping[str, Sequence[Mapping[str, Any]]]) -> Records:
    return cast(Records, records)  # the scanner's own lists of dicts
