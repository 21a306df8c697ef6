""" "Explore with sample data": a separate demo vault, opened in a window of its own.

Sample data never goes into the patient's vault. The demo vault lives in its own folder
(``<data folder>/demo-vault``), has its own preferences, its own database worker and a fixed
passphrase that is shown openly (it protects nothing private). ``DemoService`` fills it once;
opening it again later reuses it. The demo window (``companion.ui.demo_window``) says on every
screen that it shows sample data, and closing it locks the demo vault and stops its worker.

The window and the demo's services are built by the composition root (``companion.app``
passes a ``DemoFactory`` in the ``UiContext``): the pages offering the demo never import the
main window that contains them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QWidget

from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.paths import DataPaths
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.context import UiContext
from companion.ui.services_handle import ServicesHandle
from companion.ui.tasks import TaskRunner
from companion.ui.widgets.busy import BusyIndicator
from companion.ui.widgets.card import Card
from companion.ui.widgets.text import button, label

if TYPE_CHECKING:
    from companion.crypto.kdf import KdfParams
    from companion.services.container import Services
    from companion.services.demo import DemoOptions

DEMO_FOLDER = "demo-vault"
DEMO_PASSPHRASE = "sample meadow lantern river"  # noqa: S105 - shown openly; guards no data
DEMO_SESSIONS = 12
DEMO_ENTRIES = 40
OFFER = N_(
    "Curious what this page will look like after a few weeks? Companion can open a separate "
    "demo vault filled with made-up sessions, reflections and scores. Nothing is added to your "
    "own journal; the demo opens in its own window, and you can close it at any time."
)


def demo_paths(patient_root: Path) -> DataPaths:
    return DataPaths(patient_root / DEMO_FOLDER)


@dataclass(frozen=True, slots=True)
class Prepared:
    settings: Settings
    created: bool


def prepare_demo(
    services: Services, theme: str, scale: int, options: DemoOptions | None
) -> Prepared:
    """On the demo vault's own worker: create or unlock it, fill it once, set its look."""
    from companion.services.demo import DemoOptions, VaultNotEmptyError

    vault = services.vault
    created = False
    if not vault.exists():
        vault.create(DEMO_PASSPHRASE)
        created = True
    elif not vault.is_unlocked:
        vault.unlock(DEMO_PASSPHRASE)
    with contextlib.suppress(VaultNotEmptyError):  # filled on an earlier visit
        services.demo.generate(options or DemoOptions(sessions=DEMO_SESSIONS, entries=DEMO_ENTRIES))
    settings = Settings(services.paths.preferences)
    settings.set(THEME, theme)
    settings.set(TEXT_SCALE, scale)
    return Prepared(settings, created)


class DemoLauncher(QObject):
    """Builds (or reuses) the demo vault off the GUI thread and opens its window."""

    started = Signal()
    opened = Signal(object)  # the demo's window
    failed = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        *,
        kdf: KdfParams | None = None,
        options: DemoOptions | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.kdf = kdf
        self.options = options
        self.window: QMainWindow | None = None
        self.busy = False
        self._runner: TaskRunner | None = None

    @property
    def available(self) -> bool:
        """False where the composition root gave no way to open a demo (e.g. in the demo)."""
        return self._ctx.demo is not None

    def launch(self) -> None:
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()
            return
        if self.busy:
            return
        self.busy = True
        self.started.emit()
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.paths.root,
            receiver=self,
            on_result=self._build,
            on_error=self._failed,
        )

    def _build(self, root: Path) -> None:
        paths = demo_paths(root)
        if Path(root).name == DEMO_FOLDER:  # already the demo: never a demo inside a demo
            self._failed(CompanionError(_("The demo vault needs a folder of its own.")))
            return
        factory = self._ctx.demo
        if factory is None:
            self._failed(CompanionError(_("Sample data cannot be opened from here.")))
            return
        clock, kdf = self._ctx.clock, self.kdf
        handle = ServicesHandle(paths.has_vault)

        def build() -> Services:
            paths.ensure()
            return factory.build_services(paths, clock, kdf)

        handle.build_in_background(build)
        runner = TaskRunner(handle, self)
        self._runner = runner
        theme = self._ctx.settings.get(THEME)
        scale = self._ctx.settings.get(TEXT_SCALE)
        options = self.options
        runner.run(
            lambda s: prepare_demo(s, theme, scale, options),
            receiver=self,
            on_result=lambda prepared: self._open(handle, prepared),
            on_error=self._failed,
        )

    def _open(self, handle: ServicesHandle, prepared: Prepared) -> None:
        self.busy = False
        factory = self._ctx.demo
        assert factory is not None  # checked in _build
        window = factory.open_window(handle, prepared.settings, self._ctx.clock)
        window.destroyed.connect(self._forget)
        self.window = window
        window.raise_()
        window.activateWindow()
        self.opened.emit(window)

    def _forget(self) -> None:
        self.window = None

    def _failed(self, error: CompanionError) -> None:
        self.busy = False
        self.failed.emit(str(error))

    def close(self) -> None:
        if self.window is not None:
            self.window.close()


class SampleDataOffer(Card):
    """The offer on an empty vault: what the demo is, its passphrase, and the button."""

    def __init__(self, launcher: DemoLauncher, parent: QWidget | None = None) -> None:
        super().__init__(_("Explore with sample data"), parent=parent)
        self.body.addWidget(label(_(OFFER)))
        self.body.addWidget(
            label(
                _("The demo vault's passphrase is shown openly: {passphrase}").format(
                    passphrase=DEMO_PASSPHRASE
                ),
                "muted",
            )
        )
        self.button: QPushButton = button(
            _("Open the sample vault"),
            accessible_name=_("Open the sample vault"),
            description=_("Opens a separate window with made-up data; yours is untouched."),
        )
        self.button.setAutoDefault(False)
        self.busy = BusyIndicator()
        self.error: QLabel = label("", "error")
        self.error.hide()
        self.body.addWidget(self.button)
        self.body.addWidget(self.busy)
        self.body.addWidget(self.error)
        self.button.clicked.connect(launcher.launch)
        launcher.started.connect(self._started)
        launcher.opened.connect(lambda _w: self._stopped(""))
        launcher.failed.connect(self._stopped)

    def _started(self) -> None:
        self.error.hide()
        self.button.setEnabled(False)
        self.busy.start(_("Preparing the sample vault. This takes a few seconds…"))

    def _stopped(self, error: str) -> None:
        self.busy.stop()
        self.button.setEnabled(True)
        self.error.setText(error)
        self.error.setVisible(bool(error))
