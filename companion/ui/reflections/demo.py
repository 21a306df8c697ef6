""" "Explore with sample data": a separate demo vault, opened in a window of its own.

Sample data never goes into the patient's vault. The demo vault lives in its own folder
(``<data folder>/demo-vault``), has its own preferences, its own database worker and a fixed
passphrase that is shown openly (it protects nothing private). ``DemoService`` fills it once;
opening it again later reuses it. The demo window says on every screen that it shows sample
data, and closing it locks the demo vault and stops its worker.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from companion.domain.clock import Clock
from companion.errors import CompanionError
from companion.paths import DataPaths
from companion.settings import TEXT_SCALE, THEME, Settings
from companion.ui.context import UiContext
from companion.ui.main_window import MainWindow
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
WINDOW_TITLE = "Companion — sample data (demo vault)"
BANNER = (
    "Sample data: not your journal. This window shows a separate demo vault with made-up "
    "sessions and entries. Your own vault is not touched. Demo passphrase: {passphrase}"
)
OFFER = (
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


class DemoBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "demo-banner")
        self.setAccessibleName("Sample data: not your journal")
        row = QHBoxLayout(self)
        line = self.fontMetrics().height()
        row.setContentsMargins(line, line // 2, line, line // 2)
        self.text: QLabel = label(BANNER.format(passphrase=DEMO_PASSPHRASE))
        self.close_button: QPushButton = button(
            "Close the sample vault", accessible_name="Close the sample vault window"
        )
        self.close_button.setAutoDefault(False)
        row.addWidget(self.text, 1)
        row.addWidget(self.close_button)


class DemoWindow(MainWindow):
    """A Companion window on the demo vault, marked as sample data on every screen."""

    def __init__(self, handle: ServicesHandle, settings: Settings, clock: Clock) -> None:
        super().__init__(handle, settings, clock=clock, ask_before_losing_key=False)
        self.setWindowTitle(WINDOW_TITLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.banner = DemoBanner()
        self.setMenuWidget(self.banner)
        self.banner.close_button.clicked.connect(self.close)
        self._closed = False
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if not event.isAccepted() or self._closed:
            return
        self._closed = True
        self.prepare_to_quit()
        handle = self.ctx.handle

        def lock() -> None:
            handle.get().vault.lock()

        done = handle.submit(lock)
        done.add_done_callback(lambda _f: handle.get().worker.shutdown(wait=False))


class DemoLauncher(QObject):
    """Builds (or reuses) the demo vault off the GUI thread and opens its window."""

    started = Signal()
    opened = Signal(object)  # the DemoWindow
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
        self.window: DemoWindow | None = None
        self.busy = False
        self._runner: TaskRunner | None = None

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
            lambda: ctx.services.paths.root,
            receiver=self,
            on_result=self._build,
            on_error=self._failed,
        )

    def _build(self, root: Path) -> None:
        paths = demo_paths(root)
        if Path(root).name == DEMO_FOLDER:  # already the demo: never a demo inside a demo
            self._failed(CompanionError("The demo vault needs a folder of its own."))
            return
        clock, kdf = self._ctx.clock, self.kdf
        handle = ServicesHandle(paths.has_vault)

        def build() -> Services:
            from companion.services.container import build_services

            paths.ensure()
            return build_services(paths, clock, kdf=kdf)

        handle.build_in_background(build)
        runner = TaskRunner(handle, self)
        self._runner = runner
        theme = self._ctx.settings.get(THEME)
        scale = self._ctx.settings.get(TEXT_SCALE)
        options = self.options
        runner.run(
            lambda: prepare_demo(handle.get(), theme, scale, options),
            receiver=self,
            on_result=lambda prepared: self._open(handle, prepared),
            on_error=self._failed,
        )

    def _open(self, handle: ServicesHandle, prepared: Prepared) -> None:
        self.busy = False
        window = DemoWindow(handle, prepared.settings, self._ctx.clock)
        window.destroyed.connect(self._forget)
        self.window = window
        window.show()
        window.show_shell()
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
        super().__init__("Explore with sample data", parent=parent)
        self.body.addWidget(label(OFFER))
        self.body.addWidget(
            label(f"The demo vault's passphrase is shown openly: {DEMO_PASSPHRASE}", "muted")
        )
        self.button: QPushButton = button(
            "Open the sample vault",
            accessible_name="Open the sample vault",
            description="Opens a separate window with made-up data; yours is untouched.",
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
        self.busy.start("Preparing the sample vault. This takes a few seconds…")

    def _stopped(self, error: str) -> None:
        self.busy.stop()
        self.button.setEnabled(True)
        self.error.setText(error)
        self.error.setVisible(bool(error))
