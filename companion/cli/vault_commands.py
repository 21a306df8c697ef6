"""Vault commands: init, verify, passwd; and the passphrase prompts other commands share."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from companion.cli.command import EXIT_FAILED, EXIT_OK, CliError, Command
from companion.domain.passphrase import assess
from companion.errors import NoVaultError
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
            f"{where} holds bytes that are not valid UTF-8 text, so it was not used. "
            "Check the terminal's or the script's text encoding."
        ) from None
    return value


def _read_secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return _valid_text(value, env)
    if not sys.stdin.isatty():
        raise CliError(f"No terminal to ask for the passphrase; set {env} for automation.")
    return _valid_text(getpass.getpass(prompt), "What was typed")


def _read_new_passphrase(env: str) -> str:
    value = os.environ.get(env)
    if value is None:
        value = _read_secret(env, "New passphrase: ")
        if _read_secret(env, "Repeat the new passphrase: ") != value:
            raise CliError("The two passphrases differ; nothing was changed.")
    strength = assess(value)
    if not strength.acceptable:
        raise CliError(f"That passphrase is too easy to guess: {strength.reason}")
    return value


def unlock(services: Services) -> None:
    """Unlocks with the passphrase from the environment or the terminal (for any command)."""
    if not services.vault.exists():
        raise NoVaultError(f"There is no Companion vault in {services.paths.root}.")
    services.vault.unlock(_read_secret(PASSPHRASE_ENV, "Passphrase: "))


# --- commands ---------------------------------------------------------------------------------
def cmd_init(services: Services, _args: argparse.Namespace) -> int:
    if services.vault.exists():
        raise CliError(f"A vault already exists in {services.paths.root}; it was left untouched.")
    passphrase = _read_new_passphrase(
        NEW_PASSPHRASE_ENV if NEW_PASSPHRASE_ENV in os.environ else PASSPHRASE_ENV
    )
    services.paths.ensure()
    configure_logging(services.paths)
    print("Creating the vault (tuning the key derivation to this computer)...", flush=True)
    recovery_key = services.vault.create(passphrase)
    services.vault.lock()
    print(f"Vault created in {services.paths.root}")
    print()
    print("Your recovery key (shown once; store it somewhere safe, away from this computer):")
    print()
    print(f"    {recovery_key}")
    print()
    return EXIT_OK


def cmd_verify(services: Services, args: argparse.Namespace) -> int:
    if getattr(args, "accept_missing", False):
        if not services.vault.exists():
            raise NoVaultError(f"There is no Companion vault in {services.paths.root}.")
        services.vault.unlock(_read_secret(PASSPHRASE_ENV, "Passphrase: "), accept_missing=True)
        print("Opened what is left; the missing changes cannot be brought back from here.")
    else:
        unlock(services)
    try:
        report = services.vault.verify()
    finally:
        services.vault.lock()
    print(f"schema revision: {report.schema_revision}")
    for table, count in sorted(report.counts.items()):
        print(f"{table:>18}: {count}")
    if report.ok:
        print("verified: header, page authentication, integrity and foreign keys are all good")
        return EXIT_OK
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(
        "companion-cli: the vault did not verify; restore it from a backup.",
        file=sys.stderr,
    )
    return EXIT_FAILED


def cmd_passwd(services: Services, args: argparse.Namespace) -> int:
    if not services.vault.exists():
        raise NoVaultError(f"There is no Companion vault in {services.paths.root}.")
    if getattr(args, "recovery", False):
        return cmd_unlock_with_recovery(services, args)
    current = _read_secret(PASSPHRASE_ENV, "Current passphrase: ")
    new = _read_new_passphrase(NEW_PASSPHRASE_ENV)
    if not getattr(args, "rotate_key", False):
        services.vault.change_passphrase(current, new)
        print("Passphrase changed. Your recovery key still works.")
        return EXIT_OK
    recovery_key = os.environ.get(RECOVERY_KEY_ENV)
    if recovery_key is None and sys.stdin.isatty():
        recovery_key = getpass.getpass("Recovery key (press Enter to get a new one): ") or None
    if recovery_key is not None:
        recovery_key = _valid_text(recovery_key, RECOVERY_KEY_ENV)
    print("Re-encrypting the vault with a new key...", flush=True)
    fresh = services.vault.rotate_key(current, new, recovery_key)
    services.vault.lock()
    print("Passphrase changed and the vault re-encrypted with a new key.")
    print("Old backups and copies still open with the passphrase they were made with.")
    if fresh is None:
        print("Your recovery key still works.")
    else:
        print()
        print("Your NEW recovery key (shown once; the old one no longer works):")
        print()
        print(f"    {fresh}")
        print()
    return EXIT_OK


def cmd_unlock_with_recovery(services: Services, _args: argparse.Namespace) -> int:
    if not services.vault.exists():
        raise NoVaultError(f"There is no Companion vault in {services.paths.root}.")
    key = _read_secret(RECOVERY_KEY_ENV, "Recovery key: ")
    new = _read_new_passphrase(NEW_PASSPHRASE_ENV)
    services.vault.unlock_with_recovery(key, new)
    services.vault.lock()
    print("The recovery key opened the vault and the new passphrase is set.")
    print("The recovery key still works; keep it safe.")
    return EXIT_OK


def _verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--accept-missing",
        action="store_true",
        help="open a vault whose latest saved changes are missing (only if there is no backup)",
    )


def _passwd_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recovery",
        action="store_true",
        help=f"forgot the passphrase: use the recovery key (or {RECOVERY_KEY_ENV}) instead",
    )
    parser.add_argument(
        "--rotate-key",
        action="store_true",
        help="also re-encrypt the vault with a new data key (after a passphrase may have leaked)",
    )


COMMANDS = (
    Command("init", cmd_init, "create a new encrypted vault", needs_existing_folder=False),
    Command(
        "verify",
        cmd_verify,
        "unlock and check the whole vault; exit 0 only if all is well",
        _verify_arguments,
    ),
    Command(
        "passwd",
        cmd_passwd,
        "change the passphrase (re-wraps the key; data untouched)",
        _passwd_arguments,
    ),
    Command(
        "unlock-with-recovery",
        cmd_unlock_with_recovery,
        "forgot the passphrase: open the vault with the recovery key and set a new passphrase",
    ),
)
