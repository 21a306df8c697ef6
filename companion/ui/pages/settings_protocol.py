"""Settings for the protocol: which one is in use, importing a clinic's protocol file (checked
before it is used; a file with a problem changes nothing) and going back to the default."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget

from companion.domain.protocol import Protocol, ProtocolError
from companion.errors import CompanionError
from companion.i18n import _, format_date
from companion.ui.context import UiContext
from companion.ui.tasks import Change
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import button, label, link_button, set_role

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.protocols import ActiveProtocol


def protocol_line(active: ActiveProtocol) -> str:
    p = active.protocol.info
    origin = (
        _("the default that comes with Companion")
        if active.is_default or active.installed_at is None
        else _("imported on {date}").format(
            date=format_date(active.installed_at.astimezone(), "long")
        )
    )
    return _("In use: {name}, version {version} ({origin}).").format(
        name=p.name, version=p.version, origin=origin
    )


class ProtocolSection(Card):
    changed = Signal(object)  # the Protocol now in use

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Protocol"),
            _(
                "The checklist, limits and timings of your sessions. Your clinic may give you a "
                "protocol file; it is checked before it is used, and a file with a problem changes "
                "nothing."
            ),
            parent,
        )
        self._ctx = ctx
        self.current: QLabel = label("…")
        self.body.addWidget(self.current)
        self.import_button: QPushButton = button(_("Import a protocol file…"))
        self.reset_button: QPushButton = link_button(
            _("Use the default"), accessible_name=_("Use the default protocol")
        )
        self.reset_button.hide()
        self.body.addLayout(button_row(self.import_button, leading=(self.reset_button,)))
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self.import_button.clicked.connect(self.import_file)
        self.reset_button.clicked.connect(self.reset)

    def load(self) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.protocols.active_info(),
            receiver=self,
            on_result=self._show_active,
        )

    def _show_active(self, active: ActiveProtocol) -> None:
        self.current.setText(protocol_line(active))
        self.reset_button.setVisible(not active.is_default)

    def choose_file(self) -> Path | None:
        """Asks which file to import (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import a protocol file"), str(Path.home()), _("Protocol files (*.toml)")
        )
        return Path(name) if name else None

    def import_file(self) -> None:
        path = self.choose_file()
        if path is None:
            return
        self._install(lambda s: s.protocols.install_file(path))

    def reset(self) -> None:
        self._install(lambda s: s.protocols.reset_to_default())

    def _install(self, work: Callable[[Services], Protocol]) -> None:
        """Puts a protocol in use on the worker; a refused one changes nothing."""
        self._ctx.tasks.run(
            work,
            receiver=self,
            on_result=self._installed,
            on_error=self._refused,
            changes=frozenset({Change.PROTOCOL}),
        )

    def _installed(self, protocol: Protocol) -> None:
        info = protocol.info
        self._show_status(
            _("Now using {name}, version {version}.").format(name=info.name, version=info.version),
            "success",
        )
        self.load()
        self.changed.emit(protocol)

    def _refused(self, error: CompanionError) -> None:
        if isinstance(error, ProtocolError):
            text = _(
                "This file was not used. The field “{field}” {problem}. Your protocol is unchanged."
            ).format(field=error.field, problem=error.problem)
        else:
            text = _("{reason} Your protocol is unchanged.").format(reason=error)
        self._show_status(text, "error")

    def _show_status(self, text: str, role: str) -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.show()
