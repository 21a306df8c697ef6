"""Vault commands: init, verify, passwd; and the passphrase prompts other commands share."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from companion.cli.command import EXIT_FAILED, EXIT_OK, CliError, Command
from companion.domain.passphrase import assess
from companion.errors import NoVaultError
from companion.i18n import N_, _
from companion.logsetup import configure_logging
from companion.services.container import Services

PASSPHRASE_ENV = "COMPANION_PASSPHRASE"  # noqa: S105 (a variable name)
NEW_PASSPHRASE_ENV = "COMPANION_NEW_PASSPHRASE"  # noqa: S105


RECOVERY_KEY_ENV = "COMPANION_RECOVERY_KEY"


def _valid_text(value: str, where: str) -> str:
    """Text from the environment or a terminal that is not valid UTF-8 arrives with lone
    surrogates (Python's surrogateescape); it can never match, so say so plainly."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise CliError(
            N_(
                "{where} holds bytes that are not valid UTF-8 text, so it was not used. "
                "Check the terminal's or the script's text encoding."
            ),
            where=where,
        ) from None
    return value


def _read_secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return _valid_text(value, env)
    if not sys.stdin.isatty():
        raise CliError(
            N_("No terminal to ask for the passphrase; set {env} for automation."), env=env
        )
    return _valid_text(getpass.getpass(prompt), _("What was typed"))


def _read_new_passphrase(env: str) -> str:
    value = os.environ.get(env)
    if value is None:
        value = _read_secret(env, _("New passphrase: "))
        if _read_secret(env, _("Repeat the new passphrase: ")) != value:
            raise CliError(N_("The two passphrases differ; nothing was changed."))
    strength = assess(value)
    if not strength.acceptable:
        raise CliError(N_("That passphrase is too easy to guess: {reason}"), reason=strength.reason)
    return value


def unlock(services: Services) -> None:
    """Unlocks with the passphrase from the environment or the terminal (for any command)."""
    if not services.vault.exists():
        raise NoVaultError(N_("There is no Companion vault in {root}."), root=services.paths.root)
    services.vault.unlock(_read_secret(PASSPHRASE_ENV, _("Passphrase: ")))


# --- commands ---------------------------------------------------------------------------------
def cmd_init(services: Services, _args: argparse.Namespace) -> int:
    if services.vault.exists():
        raise CliError(
            N_("A vault already exists in {root}; it was left untouched."), root=services.paths.root
        )
    passphrase = _read_new_passphrase(
        NEW_PASSPHRASE_ENV if NEW_PASSPHRASE_ENV in os.environ else PASSPHRASE_ENV
    )
    services.paths.ensure()
    configure_logging(services.paths)
    print(_("Creating the vault (tuning the key derivation to this computer)..."), flush=True)
    recovery_key = services.vault.create(passphrase)
    services.vault.lock()
    print(_("Vault created in {root}").format(root=services.paths.root))
    print()
    print(_("Your recovery key (shown once; store it somewhere safe, away from this computer):"))
    print()
    print(f"    {recovery_key}")
    print()
    return EXIT_OK


def cmd_verify(services: Services, args: argparse.Namespace) -> int:
    if getattr(args, "accept_missing", False):
        if not services.vault.exists():
            raise NoVaultError(
                N_("There is no Companion vault in {root}."), root=services.paths.root
            )
        services.vault.unlock(_read_secret(PASSPHRASE_ENV, _("Passphrase: ")), accept_missing=True)
        print(_("Opened what is left; the missing changes cannot be brought back from here."))
    else:
        unlock(services)
    try:
        report = services.vault.verify()
    finally:
        services.vault.lock()
    print(_("schema revision: {schema_revision}").format(schema_revision=report.schema_revision))
    for table, count in sorted(report.counts.items()):
        print(f"{table:>18}: {count}")
    if report.ok:
        print(_("verified: header, page authentication, integrity and foreign keys are all good"))
        return EXIT_OK
    for problem in report.problems:
        print(_("problem: {problem}").format(problem=problem), file=sys.stderr)
    print(
        _("companion-cli: the vault did not verify; restore it from a backup."),
        file=sys.stderr,
    )
    return EXIT_FAILED


def cmd_passwd(services: Services, args: argparse.Namespace) -> int:
    if not services.vault.exists():
        raise NoVaultError(N_("There is no Companion vault in {root}."), root=services.paths.root)
    if getattr(args, "recovery", False):
        return cmd_unlock_with_recovery(services, args)
    current = _read_secret(PASSPHRASE_ENV, _("Current passphrase: "))
    new = _read_new_passphrase(NEW_PASSPHRASE_ENV)
    if not getattr(args, "rotate_key", False):
        services.vault.change_passphrase(current, new)
        print(_("Passphrase changed. Your recovery key still works."))
        return EXIT_OK
    recovery_key = os.environ.get(RECOVERY_KEY_ENV)
    if recovery_key is None and sys.stdin.isatty():
        recovery_key = getpass.getpass(_("Recovery key (press Enter to get a new one): ")) or None
    if recovery_key is not None:
        recovery_key = _valid_text(recovery_key, RECOVERY_KEY_ENV)
    print(_("Re-encrypting the vault with a new key..."), flush=True)
    fresh = services.vault.rotate_key(current, new, recovery_key)
    services.vault.lock()
    print(_("Passphrase changed and the vault re-encrypted with a new key."))
    print(_("Old backups and copies still open with the passphrase they were made with."))
    if fresh is None:
        print(_("Your recovery key still works."))
    else:
        print()
        print(_("Your NEW recovery key (shown once; the old one no longer works):"))
        print()
        print(f"    {fresh}")
        print()
    return EXIT_OK


def cmd_unlock_with_recovery(services: Services, _args: argparse.Namespace) -> int:
    if not services.vault.exists():
        raise NoVaultError(N_("There is no Companion vault in {root}."), root=services.paths.root)
    key = _read_secret(RECOVERY_KEY_ENV, _("Recovery key: "))
    new = _read_new_passphrase(NEW_PASSPHRASE_ENV)
    services.vault.unlock_with_recovery(key, new)
    services.vault.lock()
    print(_("The recovery key opened the vault and the new passphrase is set."))
    print(_("The recovery key still works; keep it safe."))
    return EXIT_OK


def _verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--accept-missing",
        action="store_true",
        help=_("open a vault whose latest saved changes are missing (only if there is no backup)"),
    )


def _passwd_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recovery",
        action="store_true",
        help=_(
            "forgot the passphrase: use the recovery key (or {RECOVERY_KEY_ENV}) instead"
        ).format(RECOVERY_KEY_ENV=RECOVERY_KEY_ENV),
    )
    parser.add_argument(
        "--rotate-key",
        action="store_true",
        help=_(
            "also re-encrypt the vault with a new data key (after a passphrase may have leaked)"
        ),
    )


COMMANDS = (
    Command("init", cmd_init, N_("create a new encrypted vault"), needs_existing_folder=False),
    Command(
        "verify",
        cmd_verify,
        N_("unlock and check the whole vault; exit 0 only if all is well"),
        _verify_arguments,
    ),
    Command(
        "passwd",
        cmd_passwd,
        N_("change the passphrase (re-wraps the key; data untouched)"),
        _passwd_arguments,
    ),
    Command(
        "unlock-with-recovery",
        cmd_unlock_with_recovery,
        N_("forgot the passphrase: open the vault with the recovery key and set a new passphrase"),
    ),
)
