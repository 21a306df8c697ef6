"""What goes to the provider besides an export, headless: the session plan as a calendar file
(``plan ics``), the identifiers a FHIR export carries (``patient-id``) and the provider's age
public key exports are encrypted to (``provider-key``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.cli.command import EXIT_OK, Command
from companion.cli.vault_commands import unlock
from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.services.container import Services


def _plan_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="plan_action", required=True, metavar="ACTION")
    ics = actions.add_parser("ics", help=_("write the session plan as a calendar file (.ics)"))
    ics.add_argument("--out", type=Path, required=True, help=_("the .ics file to write"))


def cmd_plan(services: Services, args: argparse.Namespace) -> int:
    out = args.out.expanduser().resolve()
    if not out.parent.is_dir():
        raise CompanionError(
            N_("The folder for the calendar file does not exist. Nothing was written.")
        )
    unlock(services)
    services.planning.export_ics(out)
    print(
        _(
            "Calendar written to {out}. It holds the session times only: no medicine, no dose."
        ).format(out=out)
    )
    return EXIT_OK


def _patient_id_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mrn", help=_("the record number your clinic gave you"))
    parser.add_argument(
        "--mrn-system", metavar="URI", help=_("the clinic's numbering system (ask the clinic)")
    )
    parser.add_argument("--birth-date", metavar="YYYY-MM-DD", help=_("your birth date"))
    parser.add_argument("--clear", action="store_true", help=_("forget the number and birth date"))


def cmd_patient_id(services: Services, args: argparse.Namespace) -> int:
    unlock(services)
    current = services.export.patient_identity()
    if args.clear:
        current = services.export.set_patient_identity()
    elif args.mrn is not None or args.mrn_system is not None or args.birth_date is not None:
        current = services.export.set_patient_identity(
            mrn=current.mrn if args.mrn is None else args.mrn,
            mrn_system=current.mrn_system if args.mrn_system is None else args.mrn_system,
            birth_date=current.birth_date if args.birth_date is None else args.birth_date,
        )
    print(_("Companion id: {uri}").format(uri=current.uri))
    print(
        f"Record number: {current.mrn or '-'}" + (f" ({current.mrn_system})" if current.mrn else "")
    )
    print(_("Birth date: {value}").format(value=current.birth_date or "-"))
    return EXIT_OK


def _recipient_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", nargs="?", help=_("the provider's age public key (age1...)"))
    parser.add_argument("--clear", action="store_true", help=_("forget the saved key"))


def cmd_provider_key(services: Services, args: argparse.Namespace) -> int:
    unlock(services)
    if args.clear:
        services.export.set_provider_recipient(None)
        print(_("The provider's key was removed; exports use a passphrase again."))
    elif args.key:
        services.export.set_provider_recipient(args.key)
        print(_("Saved. Exports are now encrypted to this key unless you choose otherwise."))
    else:
        saved = services.export.provider_recipient()
        print(saved or "No provider key saved.")
    return EXIT_OK


COMMANDS = (
    Command(
        "plan",
        cmd_plan,
        N_("the session plan: `plan ics --out FILE` writes it as a calendar file"),
        add_arguments=_plan_arguments,
    ),
    Command(
        "patient-id",
        cmd_patient_id,
        N_("show or set what identifies you in a FHIR export (clinic record number, birth date)"),
        add_arguments=_patient_id_arguments,
    ),
    Command(
        "provider-key",
        cmd_provider_key,
        N_("show, save or --clear the provider's age public key used for exports"),
        add_arguments=_recipient_arguments,
    ),
)
