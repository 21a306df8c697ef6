"""``companion-cli``: headless commands over the same services as the app.

Passphrases come from a terminal prompt, or for automation from the environment variables
COMPANION_PASSPHRASE (current) and COMPANION_NEW_PASSPHRASE (new). Errors print one plain line
to stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from companion import __version__
from companion.domain.clock import SystemClock
from companion.domain.passphrase import assess
from companion.errors import CompanionError, InvalidInputError, NoVaultError
from companion.logsetup import configure_logging
from companion.paths import DataPaths, default_data_dir
from companion.services.container import Services, build_services

PASSPHRASE_ENV = "COMPANION_PASSPHRASE"  # noqa: S105 (a variable name)
NEW_PASSPHRASE_ENV = "COMPANION_NEW_PASSPHRASE"  # noqa: S105

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class CliError(CompanionError):
    pass


def _read_secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"No terminal to ask for the passphrase; set {env} for automation.")
    return getpass.getpass(prompt)


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


def _unlock(services: Services) -> None:
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


def cmd_verify(services: Services, _args: argparse.Namespace) -> int:
    _unlock(services)
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


def cmd_passwd(services: Services, _args: argparse.Namespace) -> int:
    if not services.vault.exists():
        raise NoVaultError(f"There is no Companion vault in {services.paths.root}.")
    current = _read_secret(PASSPHRASE_ENV, "Current passphrase: ")
    new = _read_new_passphrase(NEW_PASSPHRASE_ENV)
    services.vault.change_passphrase(current, new)
    print("Passphrase changed. Your recovery key still works.")
    return EXIT_OK


COMMANDS: dict[str, tuple[Callable[[Services, argparse.Namespace], int], str]] = {
    "init": (cmd_init, "create a new encrypted vault"),
    "verify": (cmd_verify, "unlock and check the whole vault; exit 0 only if all is well"),
    "passwd": (cmd_passwd, "change the passphrase (re-wraps the key; data untouched)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="companion-cli",
        description="Companion, headless. Passphrases are asked for on the terminal, or read "
        f"from {PASSPHRASE_ENV} / {NEW_PASSPHRASE_ENV} for automation.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="the vault folder (default: per-user)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_fn, summary) in COMMANDS.items():
        sub.add_parser(name, help=summary, description=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = DataPaths((args.data_dir or default_data_dir()).expanduser().resolve())
    try:
        if args.command != "init" and not paths.root.is_dir():
            raise NoVaultError(f"There is no Companion vault in {paths.root}.")
        paths.ensure()
        configure_logging(paths)
        services = build_services(paths, SystemClock())
        command, _summary = COMMANDS[args.command]
        try:
            return command(services, args)
        finally:
            services.vault.lock()
            services.worker.shutdown()
    except InvalidInputError as exc:
        print(f"companion-cli: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except CompanionError as exc:
        print(f"companion-cli: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        from companion.fsutil import storage_error

        print(f"companion-cli: {storage_error(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("companion-cli: interrupted; nothing was changed.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
