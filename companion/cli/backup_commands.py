"""Backup and restore, headless: ``backup [OUT]`` (without OUT: into the backup folder set in
the app, keeping as many as set there) and ``restore IN`` (the backup's passphrase from
COMPANION_PASSPHRASE or a prompt).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.cli.command import EXIT_OK, Command
from companion.cli.vault_commands import PASSPHRASE_ENV, _read_secret, unlock
from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.logsetup import configure_logging
from companion.services.container import Services


def _backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "out",
        type=Path,
        nargs="?",
        default=None,
        help=_(
            "the backup file to write (.companion-backup); without it, the backup folder set "
            "in the app's Settings, keeping as many backups as set there"
        ),
    )


def cmd_backup(services: Services, args: argparse.Namespace) -> int:
    unlock(services)
    if args.out is None:
        info = services.backup.backup_now()  # the app's folder and "keep" (BackupPolicy)
    else:
        info = services.backup.backup_to(args.out.expanduser().resolve())
    print(_("Backup written to {path} ({size} bytes).").format(path=info.path, size=info.size))
    print(_("It opens with the passphrase (or recovery key) of the vault as it is now."))
    return EXIT_OK


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup", type=Path, help=_("a .companion-backup file"))


def cmd_restore(services: Services, args: argparse.Namespace) -> int:
    path = args.backup.expanduser().resolve()
    if not path.is_file():
        raise CompanionError(N_("There is no backup file at that path. Nothing was changed."))
    services.paths.ensure()
    configure_logging(services.paths)
    passphrase = _read_secret(PASSPHRASE_ENV, _("Passphrase of the backup: "))
    print(services.backup.describe_backup(path, passphrase).summary(), flush=True)
    report = services.backup.restore(path, passphrase)
    print(
        _("Restored from {restored_from}; the vault verified.").format(
            restored_from=report.restored_from
        )
    )
    if report.previous_vault is not None:
        print(
            _("The vault it replaced was kept (encrypted) in {previous_vault}.").format(
                previous_vault=report.previous_vault
            )
        )
    return EXIT_OK


COMMANDS = (
    Command(
        "backup",
        cmd_backup,
        N_("write an encrypted backup of the vault"),
        add_arguments=_backup_arguments,
    ),
    Command(
        "restore",
        cmd_restore,
        N_("replace the vault with a verified backup (the current one is kept aside)"),
        add_arguments=_restore_arguments,
        needs_existing_folder=False,
    ),
)
