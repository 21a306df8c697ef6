"""The demo vault's window: a Companion window marked as sample data on every screen.

Built only by the composition root (``companion.app.demo_factory``), which hands the pages a
``DemoFactory``; the pages themselves never import the main window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from companion.domain.clock import Clock
from companion.i18n import N_, _
from companion.settings import Settings
from companion.ui.common.demo import DEMO_PASSPHRASE
from companion.ui.main_window import MainWindow
from companion.ui.services_handle import ServicesHandle
from companion.ui.widgets.text import button, label

if TYPE_CHECKING:
    from companion.services.container import Services

WINDOW_TITLE = N_("Companion — sample data (demo vault)")
BANNER = N_(
    "Sample data: not your journal. This window shows a separate demo vault with made-up "
    "sessions and entries. Your own vault is not touched. Demo passphrase: {passphrase}"
)


class DemoBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "demo-banner")
        self.setAccessibleName(_("Sample data: not your journal"))
        row = QHBoxLayout(self)
        line = self.fontMetrics().height()
        row.setContentsMargins(line, line // 2, line, line // 2)
        self.text: QLabel = label(_(BANNER).format(passphrase=DEMO_PASSPHRASE))
        self.close_button: QPushButton = button(
            _("Close the sample vault"), accessible_name=_("Close the sample vault window")
        )
        self.close_button.setAutoDefault(False)
        row.addWidget(self.text, 1)
        row.addWidget(self.close_button)


class DemoWindow(MainWindow):
    """A Companion window on the demo vault, marked as sample data on every screen."""

    def __init__(self, handle: ServicesHandle, settings: Settings, clock: Clock) -> None:
        super().__init__(handle, settings, clock=clock, ask_before_losing_key=False)
        self.setWindowTitle(_(WINDOW_TITLE))
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
        self.ctx.settings.flush()

        def lock(services: Services) -> None:
            try:
                services.vault.lock()
            finally:  # the demo's worker ends with its window
                services.worker.shutdown(wait=False)

        self.ctx.tasks.run(lock, receiver=self)


def open_demo_window(handle: ServicesHandle, settings: Settings, clock: Clock) -> DemoWindow:
    """The demo's window on its own services, shown with its pages."""
    window = DemoWindow(handle, settings, clock)
    window.show()
    window.show_shell()
    return window
