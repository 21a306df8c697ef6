"""argparse's own words ("usage:", "options", "error:", its complaints) in the language the
command line speaks.

argparse translates through gettext's default domain, which has no Spanish; ``install`` points
it at Companion's catalogue. The messages below are argparse's (Python 3.11), verbatim, marked
so the catalogue carries them; their ``%`` fields are argparse's to fill.
"""

from __future__ import annotations

import argparse

from companion.i18n import N_, _

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("can't open '%(filename)s': %(error)s"),
)
VERSION_HELP = WORDS[4]  # argparse writes this one without asking gettext


def install() -> None:
    """argparse asks Companion's catalogue from now on (in this process)."""
    argparse._ = _  # type: ignore[attr-defined]
