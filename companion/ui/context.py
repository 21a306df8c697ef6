"""What every screen needs, passed down explicitly from the composition root (no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.domain.clock import Clock
from companion.settings import Settings
from companion.ui.clipboard import OwnClipboard
from companion.ui.services_handle import ServicesHandle
from companion.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from companion.services.container import Services


@dataclass(frozen=True, slots=True)
class UiContext:
    handle: ServicesHandle
    settings: Settings
    tasks: TaskRunner
    clipboard: OwnClipboard
    clock: Clock

    @property
    def services(self) -> Services:
        """Only inside calls handed to ``tasks.run`` (they run on the worker, after start-up)."""
        return self.handle.get()

    def vault_exists(self) -> bool:
        return self.handle.vault_exists()
