"""What every CLI command is: a name, a function over the services, a one-line summary."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field

from companion.errors import CompanionError
from companion.services.container import Services

EXIT_OK = 0
EXIT_FAILED = 1


class CliError(CompanionError):
    """A usage problem worth one plain line (no terminal for a prompt, passphrases differ)."""


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    run: Callable[[Services, argparse.Namespace], int]
    summary: str
    add_arguments: Callable[[argparse.ArgumentParser], None] = field(default=lambda _p: None)
    needs_existing_folder: bool = True
