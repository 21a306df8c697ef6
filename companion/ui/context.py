"""What every screen needs, passed down explicitly from the composition root (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtWidgets import QMainWindow

from companion.domain.clock import Clock
from companion.paths import DataPaths
from companion.settings import Settings
from companion.ui.clipboard import OwnClipboard
from companion.ui.services_handle import ServicesHandle
from companion.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from companion.crypto.kdf import KdfParams
    from companion.services.container import Services


class DemoFactory(NamedTuple):
    """What "Explore with sample data" needs from the composition root: the pages offer the
    demo vault but never build services or a main window themselves (that would make them
    import the window that contains them). ``companion.app.demo_factory`` builds it; without
    one, no offer is shown. Named tuples, not dataclasses, as ``companion.app.Restart`` says:
    both are built before the first frame."""

    # The demo vault's services (on a background thread): paths, clock, KDF (None: calibrate).
    build_services: Callable[[DataPaths, Clock, KdfParams | None], Services]
    # The demo's window on those services, shown (on the GUI thread).
    open_window: Callable[[ServicesHandle, Settings, Clock], QMainWindow]


class UiContext(NamedTuple):
    handle: ServicesHandle
    settings: Settings
    tasks: TaskRunner
    clipboard: OwnClipboard
    clock: Clock
    demo: DemoFactory | None = None  # "Explore with sample data", from the composition root

    # No ``services`` here: the GUI thread cannot reach them. An op handed to ``tasks.run``
    # receives them as its argument, on the database worker (``ui/tasks.py``).

    def vault_exists(self) -> bool:
        return self.handle.vault_exists()
