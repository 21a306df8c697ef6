"""Protocol commands: ``protocol check FILE`` (no vault needed) and ``protocol install FILE``.

A refused file prints one line naming the field and the problem, and exits 1; installing
validates before asking for the passphrase, so a broken file never touches the vault.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.cli.command import EXIT_FAILED, EXIT_OK, Command
from companion.cli.vault_commands import unlock
from companion.domain.protocol import Protocol, ProtocolError, protocol_warnings
from companion.i18n import N_, _
from companion.services.container import Services
from companion.services.protocol_files import core_emergency, parse_protocol, read_protocol_text


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="protocol_action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help=_("validate a protocol file; no vault needed"))
    check.add_argument("file", type=Path, help=_("the protocol file (.toml)"))
    install = actions.add_parser("install", help=_("validate, then make it the protocol in use"))
    install.add_argument("file", type=Path, help=_("the protocol file (.toml)"))


def _validated(path: Path) -> tuple[str, Protocol]:
    text = read_protocol_text(path)
    return text, parse_protocol(text)


def _refused(exc: ProtocolError) -> int:
    print(_("companion-cli: {join}").format(join=" ".join(str(exc).split())), file=sys.stderr)
    return EXIT_FAILED


def cmd_protocol(services: Services, args: argparse.Namespace) -> int:
    try:
        text, protocol = _validated(args.file)
    except ProtocolError as exc:
        return _refused(exc)
    # A missing translation is a warning: the file works, in its own language for that text.
    for warning in protocol_warnings(text, core_emergency()):
        print(_("warning: {warning}").format(warning=warning), file=sys.stderr)
    if args.protocol_action == "check":
        print(_("valid: {name}").format(name=protocol.info.name))
        return EXIT_OK
    unlock(services)
    installed = services.protocols.install(text)
    print(
        _("installed: {name} (version {version})").format(
            name=installed.info.name, version=installed.info.version
        )
    )
    return EXIT_OK


COMMANDS = (
    Command(
        "protocol",
        cmd_protocol,
        N_("check a protocol file (check FILE) or install it (install FILE)"),
        add_arguments=_add_arguments,
        needs_existing_folder=False,  # "check" needs no vault; "install" checks for one
    ),
)
