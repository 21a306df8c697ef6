"""The Insights page: mood before and after each session, PHQ-9 and GAD-7 over time (with their
bands, the starting point and the response and remission lines), blood pressure and pulse,
side effects and sessions per week. Each chart can be saved as a PNG; with nothing to show yet,
each says what will appear and when.

The numbers come from ``InsightsService.overview`` on the database worker. The charts are built
on the GUI thread one per turn of the event loop, so the window never freezes while they draw.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPainter, QShowEvent
from PySide6.QtWidgets import QFileDialog, QFrame, QLabel, QPushButton, QWidget

from companion.errors import CompanionError
from companion.i18n import N_, _
from companion.settings import TEXT_SCALE, THEME
from companion.ui.common.demo import DemoLauncher, SampleDataOffer
from companion.ui.common.flow import settle_layouts
from companion.ui.common.style import review_stylesheet
from companion.ui.context import UiContext
from companion.ui.insights import chart_parts
from companion.ui.insights.summaries import Build, card_contents
from companion.ui.theme import palette_for, pixel_size, with_text_size
from companion.ui.widgets.card import Card
from companion.ui.widgets.fits_text import fit_to_text
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import button, label, title

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.insights import (
        Insights,
    )

CHART_LINES = 17  # a chart's height, in lines of text
# One chart per turn of the event loop. A real timer, not 0 (a posted call): posted calls run
# back to back before timers and input, so a 0 ms chain would freeze the window as one block.
STEP_MS = 1
INTRO = N_(
    "How things have moved over your sessions. These are your own records, drawn for you; "
    "your provider is the one to talk them through with."
)


class ChartCard(Card):
    """One chart with its heading, a sentence that says what it shows, and "Save as PNG"."""

    save_requested = Signal(object)

    def __init__(self, key: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(heading, parent=parent)
        self.key = key
        self.heading = heading
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setStyleSheet("background: transparent")
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setAccessibleName(_("Chart: {name}").format(name=heading))
        self.view.hide()
        self.summary: QLabel = label("", "muted")
        self.summary.hide()
        self.legend: QLabel = label("", "muted")
        self.legend.hide()
        self.empty: QLabel = label(_("Loading…"), "note")
        self.save_button: QPushButton = button(
            _("Save as PNG…"),
            accessible_name=_("Save the chart “{name}” as a PNG picture").format(name=heading),
        )
        self.save_button.setAutoDefault(False)
        self.save_button.hide()
        self.body.addWidget(self.empty)
        self.body.addWidget(self.view)
        self.body.addWidget(self.legend)
        self.body.addWidget(self.summary)
        self.body.addLayout(button_row(self.save_button))
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self))
        fit_to_text(self, lambda _: self._size())

    def _size(self) -> None:
        self.view.setMinimumHeight(self.fontMetrics().height() * CHART_LINES)

    @property
    def has_chart(self) -> bool:
        return not self.view.isHidden()

    def show_chart(self, chart: QChart, summary: str, legend: str = "") -> None:
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()
        self.view.setAccessibleDescription(summary)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        self.legend.setText(legend)
        self.legend.setVisible(bool(legend))
        self.empty.hide()
        self.view.show()
        self.save_button.show()

    def show_empty(self, text: str) -> None:
        self.empty.setText(_(text))  # a constant marked N_() in services/insights.py
        self.empty.show()
        self.view.hide()
        self.summary.hide()
        self.legend.hide()
        self.save_button.hide()

    def png(self) -> bytes:
        """The chart as drawn now, as PNG bytes (made on the GUI thread: pixmaps live there)."""
        image = self.view.grab().toImage()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # str works; bytes does not
        buffer.close()
        return bytes(data.data())


class InsightsPage(ScrollPage):
    """The Insights navigation page. ``load()`` fetches the numbers; it also runs when shown."""

    rendered = Signal()

    def __init__(
        self,
        ctx: UiContext,
        launcher: DemoLauncher | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(characters=96, parent=parent)
        self._ctx = ctx
        self.setAccessibleName(_("Insights"))
        col = self.column
        col.addWidget(title(_("Insights")))
        col.addWidget(label(_(INTRO), "muted"))
        self.offer: SampleDataOffer | None = None
        if launcher is not None:
            self.offer = SampleDataOffer(launcher)
            self.offer.hide()
            col.addWidget(self.offer)
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)
        self.cards = {
            key: ChartCard(key, heading)
            for key, heading in (
                ("mood", _("Mood before and after each session")),
                ("phq9", _("PHQ-9 (mood questionnaire) over time")),
                ("gad7", _("GAD-7 (anxiety questionnaire) over time")),
                ("blood_pressure", _("Blood pressure before and after")),
                ("pulse", _("Pulse before and after")),
                ("side_effects", _("Side effects noted")),
                ("weeks", _("Sessions per week")),
            )
        }
        for card in self.cards.values():
            card.save_requested.connect(self.choose_file)
            col.addWidget(card)
        self.status: QLabel = label("", "muted")
        self.status.hide()
        col.addWidget(self.status)
        col.addStretch(1)
        self.data: Insights | None = None
        self._queue: list[Callable[[], None]] = []
        self._loading = False
        self.dialog: QFileDialog | None = None
        self.apply_style()

    # --- loading and drawing ------------------------------------------------------------------
    def apply_style(self) -> None:
        self.setStyleSheet(with_text_size(self.own_style()))
        self.restyled()

    def own_style(self) -> str:
        settings = self._ctx.settings
        return review_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE))

    def restyled(self) -> None:
        if self.data is not None:
            self._draw(self.data)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load()

    def load(self) -> None:
        if self._loading:
            return
        self._loading = True
        ctx = self._ctx

        def fetch(services: Services) -> Insights:
            from companion.services.planning import local_zone

            return services.insights.overview(local_zone())

        ctx.tasks.run(fetch, receiver=self, on_result=self._loaded, on_error=self._failed)

    def _loaded(self, data: Insights) -> None:
        self._loading = False
        self.error.hide()
        if data == self.data and not self._queue:
            self.rendered.emit()
            return
        self._draw(data)

    def _failed(self, error: CompanionError) -> None:
        self._loading = False
        self.error.setText(str(error))
        self.error.show()

    @property
    def drawing(self) -> bool:
        return bool(self._queue)

    def _draw(self, data: Insights) -> None:
        self.data = data
        style = self._chart_style()
        everything_empty = all(
            s.is_empty
            for s in (
                data.mood,
                data.phq9,
                data.gad7,
                data.vitals,
                data.side_effects,
                data.sessions_per_week,
            )
        )
        if self.offer is not None:
            self.offer.setVisible(everything_empty)
            settle_layouts()
        self._queue = [self._step(*contents) for contents in card_contents(data, style)]
        if everything_empty:  # nothing to draw: no need to spread the work out
            self.draw_now()
        else:
            QTimer.singleShot(STEP_MS, self._next)

    def _chart_style(self) -> chart_parts.ChartStyle:
        # The text size from the settings, not this widget's font: a redraw asked for by an
        # appearance change may run before the new font has reached this page.
        settings = self._ctx.settings
        font = QFont(self.font())
        font.setPixelSize(pixel_size(settings.get(TEXT_SCALE)))
        return chart_parts.ChartStyle(palette_for(settings.get(THEME)), font)

    def _step(self, key: str, empty: bool, text: str, build: Build) -> Callable[[], None]:
        """One card drawn: its chart, or the words that say what will appear."""
        c = self.cards

        def run() -> None:
            if empty:
                c[key].show_empty(text)
            else:
                chart, summary, legend = build()
                c[key].show_chart(chart, summary, legend)

        return run

    def _next(self) -> None:
        if not self._queue:
            return
        self._queue.pop(0)()
        settle_layouts()
        if self._queue:
            QTimer.singleShot(STEP_MS, self._next)
        else:
            self.rendered.emit()

    def draw_now(self) -> None:
        """Finishes drawing at once (tests and screenshots)."""
        while self._queue:
            self._queue.pop(0)()
        settle_layouts()
        self.rendered.emit()

    # --- saving a chart -----------------------------------------------------------------------
    def choose_file(self, card: ChartCard) -> None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.PicturesLocation
        ) or str(Path.home())
        dialog = QFileDialog(self, _("Save “{name}” as PNG").format(name=card.heading))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PNG pictures (*.png)")
        dialog.setDefaultSuffix("png")
        dialog.setDirectory(folder)
        dialog.selectFile(f"companion-{card.key.replace('_', '-')}.png")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.fileSelected.connect(lambda path: self.save_png(card, Path(path)))
        self.dialog = dialog
        dialog.open()

    def save_png(self, card: ChartCard, path: Path) -> None:
        """Writes the chart as a PNG (encoded here, written on the worker, atomically)."""
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        data = card.png()

        def write() -> Path:
            from companion.fsutil import atomic_write

            atomic_write(path, data, mode=0o644)
            return path

        def saved(where: Path) -> None:
            self.status.setText(
                _("Saved the chart as {file} in {folder}.").format(
                    file=where.name, folder=where.parent
                )
            )
            self.status.show()

        self._ctx.tasks.run_without_db(
            write,
            receiver=self,
            on_result=saved,
            on_error=self._status_error,
        )

    def _status_error(self, error: CompanionError) -> None:
        self.status.setText(str(error))
        self.status.show()

    def clear(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        self._queue = []
        self.data = None
        for card in self.cards.values():
            card.show_empty(_("Loading…"))
