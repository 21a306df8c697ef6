"""The Export page: choose, preview exactly what leaves, then save (encrypted by default).

Three views in one stack: the choices, the preview (built on the worker from the very records
the file will hold) and the result (with a generated passphrase shown this once). Every
service call goes through the task runner; the preview and the export run with a progress bar
and Cancel. A file is only written after the preview, by "Save…", into a place the person
picks; a file that would not be encrypted needs an explicit confirmation first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QStackedWidget, QWidget

from companion.domain.export_selection import Selection
from companion.errors import CompanionError
from companion.heap import release_free_memory
from companion.i18n import N_, _
from companion.settings import TEXT_SCALE, THEME
from companion.ui.common.jobs import JobState, run_job, run_read_then_write, settle_layouts
from companion.ui.common.messages import (
    PLAINTEXT_DETAIL,
    PLAINTEXT_QUESTION,
    breakable,
    export_error,
    preview_error,
    size_text,
)
from companion.ui.common.style import review_stylesheet
from companion.ui.context import UiContext
from companion.ui.export.choice_options import FORMAT_NAMES, PLAINTEXT, RECIPIENT, range_text
from companion.ui.export.choices import ChoicesView
from companion.ui.export.preview_html import preview_parts
from companion.ui.export.views import DoneView, PreviewView
from companion.ui.theme import with_text_size

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.export import ExportResult, Preview, ReadForExport
    from companion.services.search import EntrySummary

ENTRIES_DELAY_MS = 200  # typing a date fires many changes: ask for the list once they settle
SAVE_PLAIN = N_("Save without encryption")
RESULT_PROTECTION = {
    "passphrase": N_("The file is encrypted. It opens only with the passphrase below."),
    "recipient": N_(
        "The file is encrypted for your provider's key: only your provider can open it."
    ),
    "plaintext": N_(
        "The file is not encrypted: anyone who gets it can read it. Hand it over safely."
    ),
}


@dataclass(frozen=True, slots=True)
class Previewed:
    """What the preview showed; Save writes exactly this selection."""

    selection: Selection
    format: str
    protection: str
    preview: Preview


class ExportPage(QStackedWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setAccessibleName(_("Export"))
        self.choices = ChoicesView(self._today())
        self.preview = PreviewView()
        self.done = DoneView()
        for view in (self.choices, self.preview, self.done):
            self.addWidget(view)
        self.previewed: Previewed | None = None
        self.plaintext_dialog: QMessageBox | None = None
        self._job: JobState | None = None
        self._entries_generation = 0
        self._last_folder = Path.home()
        self._entries_timer = QTimer(self)
        self._entries_timer.setSingleShot(True)
        self._entries_timer.setInterval(ENTRIES_DELAY_MS)
        self._entries_timer.timeout.connect(self.load_entries)
        self.choices.range_changed.connect(self._entries_timer.start)
        self.choices.preview_requested.connect(self.make_preview)
        self.preview.back_requested.connect(self.show_choices)
        self.preview.save_requested.connect(self.save)
        self.done.finished.connect(self.finish)
        self.done.copy_requested.connect(ctx.clipboard.copy)
        self.apply_style()

    def apply_style(self) -> None:
        self.setStyleSheet(with_text_size(self.own_style()))

    def own_style(self) -> str:
        settings = self._ctx.settings
        return review_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE))

    def _today(self) -> date:
        return self._ctx.clock.now().astimezone().date()

    @property
    def busy(self) -> bool:
        return self._job is not None

    # --- what the choices need from the vault -------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Today's date, the provider's key and the entries of the range (on every visit)."""
        self.choices.set_today(self._today())
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.export.provider_recipient(),
            receiver=self,
            on_result=self._provider_key_loaded,
        )
        self.load_entries()

    def load_entries(self) -> None:
        self._entries_timer.stop()
        start, end = self.choices.dates()
        if start is not None and end is not None and start > end:
            return
        low, high = Selection(start=start, end=end, zone=self.choices.selection().zone).bounds()
        self._entries_generation += 1
        generation = self._entries_generation
        ctx = self._ctx

        def listed(services: Services) -> list[EntrySummary]:
            from companion.services.search import EntryFilters

            return services.search.list_entries(EntryFilters(start=low, end=high))

        ctx.tasks.run(
            listed,
            receiver=self,
            on_result=lambda entries: self._entries_loaded(generation, entries),
            on_error=lambda error: self.choices.show_problem(str(error)),
        )

    def _provider_key_loaded(self, recipient: str | None) -> None:
        self.choices.set_provider_key(recipient)
        settle_layouts()

    def _entries_loaded(self, generation: int, entries: list[EntrySummary]) -> None:
        if generation == self._entries_generation:  # an older answer to an older question
            self.choices.set_entries(entries)
            settle_layouts()

    # --- the preview --------------------------------------------------------------------------
    def make_preview(self) -> None:
        if self.busy:
            return
        choices = self.choices
        selection = choices.selection()
        problems = selection.problems()
        if problems:
            choices.show_problem(next(iter(problems.values())))
            return
        choices.show_problem("")
        fmt, protection = choices.format_value(), choices.protection_value()
        start, end = choices.dates()
        dates = range_text(start, end).rstrip(".")
        ctx = self._ctx

        def build(services: Services, state: JobState) -> tuple[Preview, list[str]]:
            preview = services.export.preview(selection, state.report, state.token)
            document = preview_parts(
                preview, dates=dates, format_name=_(FORMAT_NAMES[fmt]), protection=protection
            )
            return preview, document

        def shown(result: tuple[Preview, list[str]]) -> None:
            self._job = None
            choices.set_busy(False)
            preview, document = result
            self.previewed = Previewed(selection, fmt, protection, preview)
            self.preview.show_document(document, can_save=not preview.is_empty)
            self.setCurrentWidget(self.preview)
            self.preview.setFocus()
            self.release_memory()  # the worker's copies of the records and the HTML are gone

        def failed(error: CompanionError) -> None:
            self._job = None
            choices.set_busy(False)
            choices.show_problem(preview_error(error))

        choices.set_busy(True)
        self._job = run_job(
            ctx,
            receiver=self,
            panel=choices.progress,
            what=_("Preparing the preview"),
            call=build,
            on_result=shown,
            on_error=failed,
        )

    def show_choices(self) -> None:
        self.previewed = None
        self.preview.clear()
        self.setCurrentWidget(self.choices)
        self.choices.preview_button.setFocus()
        self.release_memory()  # the preview's document (~50 MB at 10k entries) is gone

    def release_memory(self) -> None:
        """Gives what the preview freed back to the system, off the GUI thread (``heap``)."""
        self._ctx.tasks.run_without_db(release_free_memory, receiver=self)

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        if self.previewed is None or self.busy:
            return
        if self.previewed.protection == PLAINTEXT:
            self._ask_plaintext()
        else:
            self._choose_and_write(confirmed=False)

    def _ask_plaintext(self) -> None:
        dialog = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Save without encryption?"),
            _(PLAINTEXT_QUESTION),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        dialog.setInformativeText(_(PLAINTEXT_DETAIL))
        plain = dialog.addButton(_(SAVE_PLAIN), QMessageBox.ButtonRole.AcceptRole)
        cancel = dialog.addButton(QMessageBox.StandardButton.Cancel)
        plain.setAccessibleName(_(SAVE_PLAIN))
        cancel.setAccessibleName(_("Cancel: do not save"))
        dialog.setDefaultButton(cancel)
        dialog.setEscapeButton(cancel)
        self.plaintext_dialog = dialog

        def answered() -> None:
            self.plaintext_dialog = None
            clicked: QAbstractButton | None = dialog.clickedButton()
            dialog.deleteLater()
            if clicked is plain:
                self._choose_and_write(confirmed=True)
            else:
                self.preview.show_status(_("Not saved. Nothing was written."))

        dialog.finished.connect(answered)
        dialog.open()

    def suggested_path(self) -> Path:
        from companion.services.export import ExportFormat

        assert self.previewed is not None
        extension = ExportFormat(self.previewed.format).extension
        if self.previewed.protection != PLAINTEXT:
            extension += ".age"
        return self._last_folder / f"companion-export-{self._today():%Y-%m-%d}{extension}"

    def choose_save_path(self, suggested: Path) -> Path | None:
        """Asks where to save (tests replace this)."""
        name = _(FORMAT_NAMES[self.previewed.format]) if self.previewed else _("Export")
        pattern = "*" + "".join(suggested.suffixes)
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the export"),
            str(suggested),
            _("{kind} ({pattern});;All files (*)").format(kind=name, pattern=pattern),
        )
        return Path(chosen) if chosen else None

    def _choose_and_write(self, *, confirmed: bool) -> None:
        previewed = self.previewed
        if previewed is None:
            return
        out = self.choose_save_path(self.suggested_path())
        if out is None:
            self.preview.show_status(_("Not saved. Nothing was written."))
            return
        self._last_folder = out.parent
        ctx = self._ctx

        def read(services: Services, state: JobState) -> ReadForExport:
            from companion.services.export import ExportFormat, ExportRequest, Protection

            export = services.export
            if previewed.protection == PLAINTEXT:
                protection = Protection.plaintext(confirmed=confirmed)
            elif previewed.protection == RECIPIENT:
                key = export.provider_recipient()
                if not key:
                    raise CompanionError(
                        "Your provider's key is no longer saved in Settings, so the file could "
                        "not be encrypted for it."
                    )
                protection = Protection.to_recipient(key)
            else:
                protection = Protection.generated_passphrase()
            request = ExportRequest(previewed.selection, ExportFormat(previewed.format), protection)
            return export.read(request, out, state.report, state.token)

        def write(done: ReadForExport) -> ExportResult:  # PDF layout, zip, age: no database
            from companion.services.export_service import ExportService

            return ExportService.write(done)

        self.preview.show_status("")
        self.preview.set_busy(True)
        self._job = run_read_then_write(
            ctx,
            receiver=self,
            panel=self.preview.progress,
            what=_("Saving the export"),
            read=read,
            write=write,
            on_result=self._saved,
            on_error=self._not_saved,
        )

    def _saved(self, result: ExportResult) -> None:
        self._job = None
        self.preview.set_busy(False)
        protection = "plaintext"
        if result.encrypted:
            protection = "recipient" if result.recipient else "passphrase"
        where = _("Saved to {path} ({size}).").format(
            path=breakable(result.path), size=size_text(result.size)
        )
        self.done.show_result(where, _(RESULT_PROTECTION[protection]), result.passphrase)
        self.previewed = None
        self.preview.clear()
        self.setCurrentWidget(self.done)
        self.done.setFocus()

    def _not_saved(self, error: CompanionError) -> None:
        self._job = None
        self.preview.set_busy(False)
        self.preview.show_status(export_error(error))

    def finish(self) -> None:
        self.done.clear()
        self.show_choices()

    # --- locking ------------------------------------------------------------------------------
    def clear(self) -> None:
        """The vault locks: forget the preview, the passphrase and the entry list."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        if self.plaintext_dialog is not None:
            self.plaintext_dialog.reject()
        self.choices.progress.stop()
        self.preview.progress.stop()
        self.choices.set_busy(False)
        self.preview.set_busy(False)
        self.done.clear()
        self.preview.clear()
        self.previewed = None
        self.choices.picker.model.clear()
        self.setCurrentWidget(self.choices)
