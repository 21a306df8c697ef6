"""Export and import, headless.

``export`` encrypts by default: to ``--recipient`` (an age public key), else to the provider's
key saved in the profile, else with a generated passphrase that is printed once (or written to
``--passphrase-out FILE``). ``--plaintext`` writes an unencrypted file and says so.

``import FILE`` reads a JSON export, plain or age-encrypted (the passphrase from
COMPANION_EXPORT_PASSPHRASE or a prompt, or ``--identity KEYFILE``). Backup and restore
are ``backup_commands``; the plan, patient id and provider key ``provider_commands``.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from companion.cli.command import EXIT_OK, CliError, Command
from companion.cli.vault_commands import _read_secret, unlock
from companion.domain.export_selection import ALL_PARTS, EntryChoice, Selection, parse_parts
from companion.domain.localtime import local_zone
from companion.errors import CompanionError
from companion.export import age
from companion.fsutil import FileRefusedError, atomic_write, read_head
from companion.i18n import N_, _
from companion.services import import_formats
from companion.services.container import Services
from companion.services.export import (
    ExportFormat,
    ExportRequest,
    FhirBundle,
    Protection,
    default_zone,
)
from companion.services.importer import CheckedFile

EXPORT_PASSPHRASE_ENV = "COMPANION_EXPORT_PASSPHRASE"  # noqa: S105 (a variable name)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from None


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=[f.value for f in ExportFormat])
    parser.add_argument("--from", dest="start", type=_date, help=_("first day (YYYY-MM-DD)"))
    parser.add_argument("--to", dest="end", type=_date, help=_("last day, included (YYYY-MM-DD)"))
    parser.add_argument(
        "--include",
        default=",".join(sorted(p.value for p in ALL_PARTS)),
        help=_("what to include: sessions,vitals,questionnaires,entries (default: all four)"),
    )
    entries = parser.add_mutually_exclusive_group()
    entries.add_argument(
        "--shared-only",
        action="store_true",
        help=_("journal entries marked 'share with provider' only (the default)"),
    )
    entries.add_argument(
        "--all-entries", action="store_true", help=_("private journal entries too (your own copy)")
    )
    entries.add_argument(
        "--entry", action="append", default=[], metavar="ID", help=_("pick entries by id")
    )
    parser.add_argument(
        "--complete",
        action="store_true",
        help=_("JSON only: the whole vault, for moving to a new computer (range ignored)"),
    )
    protection = parser.add_mutually_exclusive_group()
    protection.add_argument("--recipient", metavar="AGE_KEY", help=_("encrypt to this age key"))
    protection.add_argument(
        "--passphrase-out",
        type=Path,
        metavar="FILE",
        help=_("encrypt with a generated passphrase and write it to FILE (not printed)"),
    )
    protection.add_argument(
        "--plaintext", action="store_true", help=_("write an UNENCRYPTED file (explicit choice)")
    )
    parser.add_argument(
        "--fhir-bundle",
        choices=[b.value for b in FhirBundle],
        default=FhirBundle.TRANSACTION.value,
        help=_("fhir only: 'transaction' to send to a FHIR server (default), or 'collection'"),
    )
    parser.add_argument("--out", type=Path, required=True, help=_("the file to write"))


def _selection(args: argparse.Namespace) -> Selection:
    if args.complete:
        if args.format != ExportFormat.JSON.value:
            raise CliError(N_("--complete works with --format json only."))
        return Selection.whole_vault()
    try:
        parts = parse_parts(args.include.split(","))
    except ValueError as exc:
        raise CliError(N_("--include: {exc}."), exc=exc) from None
    choice = EntryChoice.SHARED
    if args.all_entries:
        choice = EntryChoice.ALL
    elif args.entry:
        choice = EntryChoice.PICKED
    return Selection(
        start=args.start,
        end=args.end,
        parts=parts,
        entries=choice,
        picked=frozenset(args.entry),
        zone=default_zone(),
    )


def _wants_folder(args: argparse.Namespace) -> bool:
    """Markdown goes to a folder unless ``--out`` names a zip (``journal.md.zip``)."""
    out: Path = args.out.expanduser()
    return args.format == ExportFormat.MARKDOWN.value and (
        out.is_dir() or not out.name.lower().endswith(".zip")
    )


def cmd_export(services: Services, args: argparse.Namespace) -> int:
    selection = _selection(args)
    if _wants_folder(args):
        return _export_markdown_folder(services, args, selection)
    unlock(services)
    protection = _protection(services, args)
    out = args.out.expanduser().resolve()
    request = ExportRequest(
        selection, ExportFormat(args.format), protection, FhirBundle(args.fhir_bundle)
    )
    result = services.export.export(request, out)
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items() if v)
    print(
        _("Exported {value} to {path} ({size} bytes).").format(
            value=counts or "nothing", path=result.path, size=result.size
        )
    )
    if not result.encrypted:
        print(_("This file is NOT encrypted: anyone who gets it can read it."))
    elif result.recipient:
        print(_("Encrypted to the provider's age key; only their secret key opens it."))
    elif result.passphrase:
        _hand_over_passphrase(args, result.path, result.passphrase)
    return EXIT_OK


def _export_markdown_folder(
    services: Services, args: argparse.Namespace, selection: Selection
) -> int:
    """Journal entries as plain Markdown files in a folder: only with ``--plaintext``."""
    if not args.plaintext:
        raise CliError(
            N_(
                "A folder of Markdown files is not encrypted: add --plaintext to confirm, or "
                "give a zip file name (like journal.md.zip) for an encrypted zip."
            )
        )
    unlock(services)
    done = services.export.export_markdown_folder(selection, args.out.expanduser().resolve())
    print(
        _("Wrote {files} Markdown files to {folder}.").format(files=done.files, folder=done.folder)
    )
    print(_("These files are NOT encrypted: anyone who gets them can read them."))
    return EXIT_OK


def _protection(services: Services, args: argparse.Namespace) -> Protection:
    """``--plaintext``, ``--recipient``, else the provider's saved key (unless the passphrase
    goes to ``--passphrase-out``), else a generated passphrase."""
    if args.plaintext:
        return Protection.plaintext(confirmed=True)
    if args.recipient:
        return Protection.to_recipient(args.recipient)
    if args.passphrase_out is None and (saved := services.export.provider_recipient()):
        return Protection.to_recipient(saved)
    return Protection.generated_passphrase()


def _hand_over_passphrase(args: argparse.Namespace, exported: Path, passphrase: str) -> None:
    """The generated passphrase, printed once or written to ``--passphrase-out``; an export
    whose passphrase could not be written is removed."""
    if args.passphrase_out is None:
        print(_("Encrypted with this passphrase (shown once; give it to your provider"))
        print(_("separately, for example by phone):"))
        print()
        print(f"    {passphrase}")
        print()
        return
    try:
        atomic_write(args.passphrase_out.expanduser().resolve(), (passphrase + "\n").encode())
    except CompanionError as exc:
        # An export whose passphrase was never shown could not be opened by anyone.
        exported.unlink(missing_ok=True)
        raise CompanionError(
            N_(
                "{exc} The passphrase file could not be written, so the export was "
                "removed (nobody could have opened it)."
            ),
            exc=exc,
        ) from exc
    print(
        _("Encrypted with a new passphrase, written to {passphrase_out}.").format(
            passphrase_out=args.passphrase_out
        )
    )


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        help=_(
            "a Companion JSON export (plain or .age), a jrnl JSON export, a Day One JSON "
            "export (.zip), or a folder of Markdown files"
        ),
    )
    parser.add_argument(
        "--preview", action="store_true", help=_("show what would come in; import nothing")
    )
    parser.add_argument(
        "--identity", type=Path, metavar="KEYFILE", help=_("age secret key file for the file")
    )


def _markdown_folder(services: Services, folder: Path) -> CheckedFile:
    journal = import_formats.read_markdown_folder(folder, local_zone())
    document = import_formats.to_document(journal, services.clock.now())
    checked = services.importer.check_bytes(json.dumps(document).encode("utf-8"))
    if journal.skipped:
        print(
            _("{skipped} file(s) without a date or text are left out.").format(
                skipped=journal.skipped
            )
        )
    return checked


def cmd_import(services: Services, args: argparse.Namespace) -> int:
    path = args.file.expanduser()
    if path.is_dir():
        return _finish_import(services, args, _markdown_folder(services, path))
    try:
        # A FIFO or /dev/zero is refused here; 256 bytes tell binary from armored (age -a).
        head = read_head(path, 256)
    except FileNotFoundError:
        raise CompanionError(N_("There is no file at that path. Nothing was imported.")) from None
    except FileRefusedError as exc:
        raise CompanionError(
            N_("The file was not imported: {reason}."), reason=exc.reason
        ) from None
    except OSError as exc:
        raise CompanionError(
            N_("The file could not be read ({strerror})."), strerror=exc.strerror
        ) from None
    identity_text = None
    passphrase = None
    if args.identity is not None:
        try:
            identity_text = args.identity.expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise CompanionError(N_("The key file could not be read.")) from None
    elif age.is_age(head):
        passphrase = _read_secret(EXPORT_PASSPHRASE_ENV, _("Passphrase of the export file: "))
    # Check the whole file before unlocking: a refused file never opens the vault. The file is
    # read again to import it (it is not held in between).
    checked = services.importer.check_file(path, passphrase=passphrase, identity_text=identity_text)
    return _finish_import(services, args, checked)


def _finish_import(services: Services, args: argparse.Namespace, checked: CheckedFile) -> int:
    for line in checked.preview(local_zone()):
        print(line)
    if args.preview:
        print(_("Nothing was imported (--preview)."))
        return EXIT_OK
    unlock(services)
    report = services.importer.import_checked(checked)
    added = ", ".join(f"{k} {v}" for k, v in report.added.items() if v)
    skipped = sum(report.skipped.values())
    print(_("Imported: {value}.").format(value=added or "nothing new"))
    if skipped:
        print(
            _("{skipped} records were already in the vault and were left as they are.").format(
                skipped=skipped
            )
        )
    return EXIT_OK


COMMANDS = (
    Command(
        "export",
        cmd_export,
        N_("export for the provider (pdf, fhir, csv, json), encrypted unless --plaintext"),
        add_arguments=_export_arguments,
    ),
    Command(
        "import",
        cmd_import,
        N_("import a JSON export (plain or age); nothing changes unless the whole file is good"),
        add_arguments=_import_arguments,
    ),
)
