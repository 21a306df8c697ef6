"""Settings → "Your data" → Import: a Companion JSON export (plain or age-encrypted, asking
for its passphrase or key file only when needed), or a journal from jrnl or Day One, shown
before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.errors import CompanionError
from companion.export.progress import CancelledError
from companion.i18n import _, n_
from companion.ui.common.heading import heading
from companion.ui.common.jobs import JobState, ProgressPanel, run_job
from companion.ui.common.messages import breakable
from companion.ui.pages.data_parts import DataPart, show_status
from companion.ui.tasks import EVERYTHING, NOTHING, Change
from companion.ui.widgets.field import FormField
from companion.ui.widgets.page import button_row
from companion.ui.widgets.passphrase_field import PassphraseField
from companion.ui.widgets.text import button, label, link_button, primary_button

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.importer import ImportReport

# How an import's counts read, by record kind (the rest are "other records").
KIND_WORDS: tuple[tuple[str, Callable[[int], str]], ...] = (
    ("session", lambda n: n_("{n} session", "{n} sessions", n)),
    ("journal_entry", lambda n: n_("{n} journal entry", "{n} journal entries", n)),
    ("assessment", lambda n: n_("{n} questionnaire", "{n} questionnaires", n)),
    (
        "vital_reading",
        lambda n: n_(
            "{n} blood pressure and pulse reading", "{n} blood pressure and pulse readings", n
        ),
    ),
    ("side_effect", lambda n: n_("{n} side effect", "{n} side effects", n)),
)


@dataclass(frozen=True, slots=True)
class PendingImport:
    """A journal from another app, read and checked, waiting for "Import these entries"."""

    records: dict[str, list[dict[str, Any]]]
    encrypted: bool
    lines: list[str]


def looks_like_other_journal(path: Path) -> bool:
    """A jrnl or Day One export (read on the worker; a file that cannot be read is left to
    the import itself to refuse with its own message)."""
    from companion.services.import_formats import sniff
    from companion.services.importer import MAX_IMPORT_BYTES

    try:
        if not path.is_file() or path.stat().st_size > MAX_IMPORT_BYTES:
            return False
        return sniff(path.read_bytes()) is not None
    except OSError:
        return False


def import_summary(report: ImportReport, name: str) -> str:
    added = report.total_added
    skipped = sum(report.skipped.values())
    if added == 0:
        return _(
            "Nothing new: everything in {file} is already in your vault. Nothing was changed."
        ).format(file=name)
    named = {kind for kind, _words in KIND_WORDS}
    parts = [words(report.added[kind]) for kind, words in KIND_WORDS if report.added.get(kind, 0)]
    other = sum(n for kind, n in report.added.items() if kind not in named)
    if other:
        parts.append(n_("{n} other record", "{n} other records", other))
    text = _("Imported from {file}: {records}.").format(file=name, records=", ".join(parts))
    if skipped:
        text += " " + n_(
            "{n} record was already in your vault and stayed as it was.",
            "{n} records were already in your vault and stayed as they were.",
            skipped,
        )
    return text


# What each table an import adds rows to changes for the pages (companion/storage/models.py).
IMPORTED_KINDS = {
    "profile": Change.PROFILE,
    "prescription": Change.PROFILE,
    "protocol": Change.PROTOCOL,
    "planned_session": Change.PLAN,
    **dict.fromkeys(
        (
            "session",
            "session_event",
            "checklist_answer",
            "vital_reading",
            "dose_log",
            "monitor_checkin",
            "side_effect",
        ),
        Change.SESSIONS,
    ),
    **dict.fromkeys(
        ("journal_entry", "journal_answer", "journal_revision", "tag", "entry_tag"),
        Change.JOURNAL,
    ),
    "draft": Change.DRAFTS,
    "assessment": Change.ASSESSMENTS,
    "assessment_item": Change.ASSESSMENTS,
}


def import_changes(result: ImportReport | PendingImport) -> frozenset[Change]:
    """What an import changed, for the change broadcast: the kinds of the rows it added (a
    table this list does not know changes everything, to be safe); a preview changed nothing."""
    if isinstance(result, PendingImport):
        return NOTHING
    added = [table for table, count in result.added.items() if count]
    if any(table not in IMPORTED_KINDS for table in added):
        return EVERYTHING
    return frozenset(IMPORTED_KINDS[table] for table in added)


def _question_box() -> tuple[QWidget, QVBoxLayout, QLabel]:
    """A hidden box that asks something about the chosen file: its text line first."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    text: QLabel = label("")
    layout.addWidget(text)
    box.hide()
    return box, layout, text


def _answer_buttons(
    layout: QVBoxLayout, go: str, go_name: str, cancel_name: str
) -> tuple[QPushButton, QPushButton]:
    """ "Don't import" and the box's own import button, in a row at its end."""
    cancel: QPushButton = link_button(_("Don't import"), accessible_name=cancel_name)
    accept: QPushButton = primary_button(go, accessible_name=go_name)
    layout.addLayout(button_row(accept, leading=(cancel,)))
    return cancel, accept


class ImportPart(DataPart):
    _import_path: Path | None
    _identity_path: Path | None
    _pending: PendingImport | None

    def _build_import(self) -> None:
        body = self.body
        body.addWidget(heading(_("Import")))
        body.addWidget(
            label(
                _(
                    "Bring in a Companion JSON export, for example from your old computer, or a "
                    "journal from jrnl (JSON export) or Day One (JSON export, a zip file). Records "
                    "you already have are left as they are, so importing a file twice is safe."
                ),
                "muted",
            )
        )
        self.import_button: QPushButton = button(
            _("Import a JSON export…"), accessible_name=_("Import a JSON export")
        )
        body.addLayout(button_row(leading=(self.import_button,)))
        self.secret_box, secret, self.secret_reason = _question_box()
        self.import_passphrase = PassphraseField(
            _("Passphrase of the file"), _("The passphrase that came with the file.")
        )
        secret.addWidget(FormField(_("Passphrase of the file"), self.import_passphrase))
        self.identity_button: QPushButton = button(
            _("Or choose a key file…"), accessible_name=_("Choose an age key file")
        )
        self.identity_line: QLabel = label("", "muted")
        self.identity_line.hide()
        secret.addLayout(button_row(leading=(self.identity_button,)))
        secret.addWidget(self.identity_line)
        self.secret_cancel, self.secret_import = _answer_buttons(
            secret, _("Import"), _("Import the encrypted file"), _("Don't import this file")
        )
        body.addWidget(self.secret_box)
        # A journal from another app: what will come in, before anything is written.
        self.journal_box, journal, self.journal_preview = _question_box()
        self.journal_cancel, self.journal_import = _answer_buttons(
            journal,
            _("Import these entries"),
            _("Import these journal entries"),
            _("Don't import these entries"),
        )
        body.addWidget(self.journal_box)
        self._pending: PendingImport | None = None
        self.journal_cancel.clicked.connect(self._cancel_journal)
        self.journal_import.clicked.connect(self._import_journal)
        self.import_progress = ProgressPanel(_("Import"))
        body.addWidget(self.import_progress)
        self.import_status: QLabel = label("", "success")
        self.import_status.hide()
        body.addWidget(self.import_status)
        self.import_button.clicked.connect(self.start_import)
        self.identity_button.clicked.connect(self._choose_identity)
        self.secret_cancel.clicked.connect(self._cancel_secret)
        self.secret_import.clicked.connect(self._import_with_secret)
        self.import_passphrase.return_pressed.connect(self._import_with_secret)

    # --- import -------------------------------------------------------------------------------
    def choose_import_file(self) -> Path | None:
        """Asks which export to import (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import a Companion export"),
            str(Path.home()),
            _("Exports and journals (*.json *.age *.zip);;All files (*)"),
        )
        return Path(name) if name else None

    def choose_identity_file(self) -> Path | None:
        """Asks for an age key file (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose the key file"),
            str(Path.home()),
            _("Key files (*.txt *.key);;All files (*)"),
        )
        return Path(name) if name else None

    def start_import(self) -> None:
        if self._job is not None:
            return
        path = self.choose_import_file()
        if path is None:
            return
        self._import_path = path
        self._identity_path = None
        self._cancel_secret(keep_path=True)
        self._run_import(None, None)

    def _choose_identity(self) -> None:
        path = self.choose_identity_file()
        if path is not None:
            self._identity_path = path
            self.identity_line.setText(_("Key file: {file}").format(file=path.name))
            self.identity_line.show()

    def _cancel_secret(self, keep_path: bool = False) -> None:
        self.secret_box.hide()
        self.import_passphrase.clear()
        self.identity_line.hide()
        self._identity_path = None
        if not keep_path:
            self._import_path = None
            show_status(self.import_status, _("Not imported. Nothing was changed."), "muted")

    def _import_with_secret(self) -> None:
        passphrase = self.import_passphrase.text() or None
        if passphrase is None and self._identity_path is None:
            show_status(
                self.import_status,
                _("Enter the file's passphrase or choose its key file."),
                "error",
            )
            return
        self._run_import(passphrase, self._identity_path)
        self.import_passphrase.clear()

    def _run_import(self, passphrase: str | None, identity: Path | None) -> None:
        path = self._import_path
        if path is None or self._job is not None:
            return

        def run(services: Services, state: JobState) -> ImportReport | PendingImport:
            identity_text = None
            if identity is not None:
                try:
                    identity_text = identity.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise CompanionError("The key file could not be read.") from exc
            if passphrase is None and identity is None and looks_like_other_journal(path):
                from companion.domain.localtime import local_zone
                from companion.services.import_formats import preview_lines

                records, encrypted = services.importer.read_file(path)
                return PendingImport(records, encrypted, preview_lines(records, local_zone()))
            return services.importer.import_file(
                path,
                passphrase=passphrase,
                identity_text=identity_text,
                progress=state.report,
                cancel=state.token,
            )

        self.import_status.hide()
        self._start_import_job(path, run)

    def _imported(self, report: ImportReport | PendingImport) -> None:
        self._job = None
        self._set_busy(False)
        if isinstance(report, PendingImport):
            self._pending = report
            self.journal_preview.setText("\n".join(report.lines))
            self.journal_box.show()
            self.journal_import.setFocus()
            self.import_status.hide()
            return
        name = breakable(self._import_path.name) if self._import_path else _("the file")
        self._cancel_secret(keep_path=True)
        self._import_path = None
        show_status(self.import_status, import_summary(report, name), "success")

    def _cancel_journal(self) -> None:
        self._pending = None
        self._import_path = None
        self.journal_box.hide()
        show_status(self.import_status, _("Not imported. Nothing was changed."), "muted")

    def _import_journal(self) -> None:
        pending, path = self._pending, self._import_path
        if pending is None or path is None or self._job is not None:
            return
        self._pending = None
        self.journal_box.hide()

        def run(services: Services, state: JobState) -> ImportReport:
            return services.importer.import_records(
                pending.records,
                encrypted=pending.encrypted,
                progress=state.report,
                cancel=state.token,
            )

        self._start_import_job(path, run)

    def _start_import_job(
        self, path: Path, run: Callable[[Services, JobState], ImportReport | PendingImport]
    ) -> None:
        self._set_busy(True)
        self._job = run_job(
            self._ctx,
            receiver=self,
            panel=self.import_progress,
            what=_("Importing {file}").format(file=path.name),
            call=run,
            on_result=self._imported,
            on_error=self._import_failed,
            changes=import_changes,
        )

    def _import_failed(self, error: CompanionError) -> None:
        from companion.export.age import NoKeyError

        self._job = None
        self._set_busy(False)
        if isinstance(error, NoKeyError):
            self.secret_reason.setText(str(error))
            self.secret_box.show()
            self.import_passphrase.setFocus()
            self.import_status.hide()
            return
        if isinstance(error, CancelledError):
            text = _("Import cancelled. Nothing in the vault was changed.")
        else:
            text = str(error)  # an import is one transaction: a refused one changed nothing
            if not error.vault_unchanged:
                text += _(" Nothing in the vault was changed.")
        show_status(self.import_status, text, "error")
