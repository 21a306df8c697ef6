"""Planning on Home: the series, the next session with its preparation ("stop eating at 13:00"),
moving or cancelling one with a reason, and a calendar file (.ics)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.errors import CompanionError
from companion.i18n import _, format_skeleton, format_time
from companion.ui.common.dates import time_edit_format
from companion.ui.context import UiContext
from companion.ui.session.style import editor_stylesheet
from companion.ui.tasks import Change
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import button_row
from companion.ui.widgets.text import (
    bullet,
    button,
    label,
    link_button,
    primary_button,
    set_role,
)
from companion.ui.widgets.wrap import WrapCheckBox

if TYPE_CHECKING:
    from companion.domain.planning import PlanWarning
    from companion.services.container import Services
    from companion.services.planning import PlannedVisit

Plan = tuple[tuple["PlannedVisit", ...], tuple["PlanWarning", ...]]


def to_qdatetime(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch()).astimezone()


def when(moment: datetime) -> str:
    local = moment.astimezone()
    return _("{day}, {time}").format(
        day=format_skeleton(local, "MMMMEEEEd"), time=format_time(local)
    )


def date_edit(accessible: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(f"ddd d MMM yyyy  {time_edit_format()}")
    edit.setAccessibleName(accessible)
    return edit


class PlanCard(Card):
    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Your plan"), "", parent)
        self._ctx = ctx
        self.visits: tuple[PlannedVisit, ...] = ()
        self.next_label: QLabel = label("…", "figure")
        self.body.addWidget(self.next_label)
        self.prep = QVBoxLayout()
        self.body.addLayout(self.prep)
        self.later: QLabel = label("", "muted")
        self.body.addWidget(self.later)
        self.warnings: QLabel = label("", "error")
        self.warnings.hide()
        self.body.addWidget(self.warnings)

        self._build_series()
        self.body.addWidget(self.series)

        self._build_actions()
        self.body.addWidget(self.action_row)

        self._build_editor()
        self.body.addWidget(self.editor)
        self.status: QLabel = label("", "success")
        self.status.hide()
        self.body.addWidget(self.status)
        self._editing = ""  # "move" or "cancel"

        self.plan_button.clicked.connect(self.plan_series)
        self.move_button.clicked.connect(lambda: self._edit("move"))
        self.cancel_button.clicked.connect(lambda: self._edit("cancel"))
        self.dismiss.clicked.connect(self._close_editor)
        self.confirm.clicked.connect(self._apply)
        self.reason.returnPressed.connect(self._apply)
        self.export_button.clicked.connect(self.export)
        self.apply_style()
        default_first = ctx.clock.now().astimezone() + timedelta(days=1)
        self.first_start.setDateTime(
            to_qdatetime(default_first.replace(hour=17, minute=0, second=0, microsecond=0))
        )

    def _build_series(self) -> None:
        self.series = QWidget()
        series = QVBoxLayout(self.series)
        series.setContentsMargins(0, 0, 0, 0)
        series.addWidget(
            label(
                _(
                    "Choose the day and time of your first session; the rest follow your "
                    "protocol's rhythm (usually one a week)."
                ),
                "muted",
            )
        )
        self.first_start = date_edit(_("First session: day and time"))
        series.addWidget(self.first_start)
        self.plan_button: QPushButton = primary_button(_("Plan my sessions"))
        series.addLayout(button_row(self.plan_button))

    def _build_actions(self) -> None:
        self.action_row = QWidget()
        self.move_button: QPushButton = button(
            _("Move…"), accessible_name=_("Move the next session")
        )
        self.cancel_button: QPushButton = button(
            _("Cancel…"), accessible_name=_("Cancel the next session")
        )
        self.export_button: QPushButton = link_button(
            _("Export to calendar…"), accessible_name=_("Export the plan to a calendar file")
        )
        actions = button_row(self.move_button, self.cancel_button, leading=(self.export_button,))
        self.action_row.setLayout(actions)

    def _build_editor(self) -> None:
        self.editor = QWidget()
        editor = QVBoxLayout(self.editor)
        editor.setContentsMargins(0, 0, 0, 0)
        self.new_start = date_edit(_("New day and time"))
        self.shift_following = WrapCheckBox(_("Move the later sessions by the same amount"))
        self.shift_following.setAccessibleName(_("Move the later sessions by the same amount"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(_("Reason"))
        self.reason.setPlaceholderText(_("A short reason, for example: monitor not free"))
        self.reason.setMaxLength(300)
        self.confirm: QPushButton = primary_button(_("Move the session"))
        self.dismiss: QPushButton = link_button(
            _("Keep it as it is"), accessible_name=_("Keep it as it is")
        )
        for widget in (self.new_start, self.shift_following):
            editor.addWidget(widget)
        editor.addWidget(label(_("Reason"), "muted"))
        editor.addWidget(self.reason)
        editor.addLayout(button_row(self.confirm, leading=(self.dismiss,)))
        self.editor.hide()

    def apply_style(self) -> None:
        self.setStyleSheet(self.own_style())

    def own_style(self) -> str:
        from companion.settings import TEXT_SCALE, THEME

        settings = self._ctx.settings
        return editor_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE))

    # --- showing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self._ctx

        def fetch(services: Services) -> Plan:
            planning = services.planning
            return planning.upcoming(), planning.warnings()

        ctx.tasks.run(fetch, receiver=self, on_result=self.show_plan, on_error=self._on_error)

    def show_plan(self, plan: Plan) -> None:
        visits, warnings = plan
        self.visits = visits
        _clear(self.prep)
        nxt = visits[0] if visits else None
        self.series.setVisible(nxt is None)
        self.action_row.setVisible(nxt is not None)
        if nxt is None:
            self.next_label.setText(_("No session planned yet"))
            self.later.hide()
        else:
            self.next_label.setText(
                _("Session {number} of {total}: {when}").format(
                    number=nxt.number, total=nxt.total, when=when(nxt.starts_at)
                )
            )
            for step in nxt.preparation:
                self.prep.addWidget(bullet(step.text))
            rest = [
                _("Session {number}: {when}").format(number=v.number, when=when(v.starts_at))
                for v in visits[1:]
            ]
            self.later.setText(
                _("Later: {sessions}").format(sessions="; ".join(rest)) if rest else ""
            )
            self.later.setVisible(bool(rest))
        self.next_label.setAccessibleName(self.next_label.text())
        self.warnings.setText("\n".join(w.text for w in warnings))
        self.warnings.setVisible(bool(warnings))

    # --- changing -----------------------------------------------------------------------------
    def plan_series(self) -> None:
        first = from_qdatetime(self.first_start.dateTime())
        self._run(lambda s: s.planning.plan_series(first), _("Your sessions are planned."))

    def _edit(self, what: str) -> None:
        if not self.visits:
            return
        self._editing = what
        moving = what == "move"
        self.new_start.setVisible(moving)
        self.shift_following.setVisible(moving)
        self.new_start.setDateTime(to_qdatetime(self.visits[0].starts_at))
        self.confirm.setText(_("Move the session") if moving else _("Cancel the session"))
        self.confirm.setAccessibleName(self.confirm.text())
        self.reason.clear()
        self.editor.show()
        (self.new_start if moving else self.reason).setFocus()

    def _close_editor(self) -> None:
        self.editor.hide()
        self._editing = ""

    def _apply(self) -> None:
        if not self.visits or not self._editing:
            return
        planned_id = self.visits[0].id
        reason = self.reason.text()
        if self._editing == "move":
            new_start = from_qdatetime(self.new_start.dateTime())
            shift = self.shift_following.isChecked()
            self._run(
                lambda s: s.planning.move(
                    planned_id, new_start, reason=reason, shift_following=shift
                ),
                _("The session was moved."),
            )
        else:
            self._run(
                lambda s: s.planning.cancel(planned_id, reason=reason),
                _("The session was cancelled."),
            )

    def _run(self, call: Callable[[Services], object], done: str) -> None:
        def finished(_result: object) -> None:
            self._close_editor()
            self._show_status(done, "success")
            self.refresh()
            self.changed.emit()

        changes = frozenset({Change.PLAN})
        self._ctx.tasks.run(
            call, receiver=self, on_result=finished, on_error=self._on_error, changes=changes
        )

    def choose_ics_path(self) -> Path | None:
        """Asks where to save (tests replace this)."""
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Export the plan to a calendar file"),
            str(Path.home() / "companion-sessions.ics"),
            _("Calendar files (*.ics)"),
        )
        return Path(name) if name else None

    def export(self) -> None:
        path = self.choose_ics_path()
        if path is None:
            return
        if path.suffix.lower() != ".ics":
            path = path.with_suffix(".ics")
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.planning.export_ics(path),
            receiver=self,
            on_result=lambda written: self._show_status(
                _("Saved to {path}. It holds the times only: no medicine, no dose.").format(
                    path=written
                ),
                "success",
            ),
            on_error=self._on_error,
        )

    def _on_error(self, error: CompanionError) -> None:
        self._show_status(str(error), "error")

    def _show_status(self, text: str, role: str) -> None:
        set_role(self.status, role)
        self.status.setText(text)
        self.status.show()


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
