"""Every error class below the user interface, and an example of those built from parts."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from companion.domain.protocol import ProtocolError
from companion.errors import CompanionError
from companion.fsutil import FileRefusedError

# Below the user interface: importing these needs no Qt.
CORE = ("domain", "crypto", "storage", "export", "services", "cli")

# Errors built from parts: one example each.
EXAMPLES: dict[str, Callable[[], CompanionError]] = {
    "FileRefusedError": lambda: FileRefusedError(1024),
    "ProtocolError": lambda: ProtocolError("limits.systolic.stop", "must not be empty"),
}


def every_error_class() -> set[type[CompanionError]]:
    for layer in CORE:
        package = importlib.import_module(f"companion.{layer}")
        for info in pkgutil.walk_packages(package.__path__, f"companion.{layer}."):
            if ".migrations" not in info.name and not info.name.endswith("__main__"):
                importlib.import_module(info.name)
    found: set[type[CompanionError]] = set()
    todo: list[type[CompanionError]] = [CompanionError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found
