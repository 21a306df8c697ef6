"""``companion-cli``: headless commands over the same services as the app.

Passphrases come from a terminal prompt, or for automation from the environment variables
COMPANION_PASSPHRASE (current) and COMPANION_NEW_PASSPHRASE (new). Errors print one plain line
to stderr and exit non-zero. Each group of commands lives in its own module and is listed in
``command_groups``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from companion import __version__
from companion.argparse_words import VERSION_HELP
from companion.argparse_words import install as install_argparse_words
from companion.cli import (
    backup_commands,
    export_commands,
    journal_commands,
    protocol_commands,
    provider_commands,
    vault_commands,
)
from companion.cli.command import EXIT_FAILED, Command
from companion.cli.vault_commands import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV
from companion.domain.clock import SystemClock
from companion.errors import CompanionError, NoVaultError
from companion.fsutil import storage_error
from companion.i18n import N_, _, language_from_environment, set_language
from companion.logsetup import configure_logging
from companion.paths import DataPaths, default_data_dir, private_files_by_default
from companion.services.container import build_services
from companion.settings import BackupPolicy, Settings

if TYPE_CHECKING:
    from companion.export.report_model import Report
    from companion.services.export import PdfRenderer


def command_groups() -> tuple[Command, ...]:
    return (
        *vault_commands.COMMANDS,
        *protocol_commands.COMMANDS,
        *journal_commands.COMMANDS,
        *export_commands.COMMANDS,
        *backup_commands.COMMANDS,
        *provider_commands.COMMANDS,
    )


def pdf_renderer() -> PdfRenderer:
    """The report's PDF renderer for the command line. Qt (QtGui, offscreen) is loaded only
    when a PDF or FHIR export actually asks for a PDF, so other commands start without it."""
    loaded: list[PdfRenderer] = []

    def render(report: Report, check: Callable[[], None]) -> bytes:
        if not loaded:
            from companion.pdf import QtPdfRenderer  # Qt only when a PDF is wanted

            loaded.append(QtPdfRenderer())
        return loaded[0](report, check)

    return render


def build_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="companion-cli",
        description=_(
            "Companion, headless. Passphrases are asked for on the terminal, or read from "
            "{passphrase} / {new_passphrase} for automation."
        ).format(passphrase=PASSPHRASE_ENV, new_passphrase=NEW_PASSPHRASE_ENV),
    )
    parser.add_argument(
        "--version", action="version", version=f"companion {__version__}", help=_(VERSION_HELP)
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help=_("the vault folder (default: per-user)")
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in commands:
        command.add_arguments(sub.add_parser(command.name, help=_(command.summary)))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The command line speaks the language the environment names (LANGUAGE, LC_ALL, LANG).
    set_language(language_from_environment())
    install_argparse_words()  # "usage:", "options", "error:" too
    commands = {command.name: command for command in command_groups()}
    args = build_parser(list(commands.values())).parse_args(argv)
    command = commands[args.command]
    private_files_by_default()
    paths = DataPaths((args.data_dir or default_data_dir()).expanduser().resolve())
    try:
        if command.needs_existing_folder and not paths.root.is_dir():
            raise NoVaultError(N_("There is no Companion vault in {root}."), root=paths.root)
        if paths.root.is_dir():  # never create a folder just to log (e.g. `protocol check`)
            configure_logging(paths)
        # The same backup policy as the app's (folder and how many to keep), read, never written.
        policy = BackupPolicy.from_settings(Settings(paths.preferences))
        services = build_services(paths, SystemClock(), pdf=pdf_renderer(), backup=policy)
        try:
            return command.run(services, args)
        finally:
            services.vault.lock()
            services.worker.shutdown()
    except CompanionError as exc:
        print(_("companion-cli: {exc}").format(exc=exc), file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(
            _("companion-cli: {storage_error}").format(storage_error=storage_error(exc)),
            file=sys.stderr,
        )
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(_("companion-cli: interrupted; nothing was changed."), file=sys.stderr)
        return 130
