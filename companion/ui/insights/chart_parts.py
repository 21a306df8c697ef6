"""What every Insights chart is made of: the style (colours and fonts for one theme and text
size), the series and axes (sessions, dates, round numbers), and averaging when there are very
many sessions. Nothing here reads the vault.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractSeries,
    QChart,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen

from companion.i18n import _
from companion.ui.theme import Palette

MOST_POINTS = 150  # above this many sessions, each point averages a few (a chart is ~800 px)
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500)


class ChartStyle:
    """Colours and fonts for one theme and text size."""

    def __init__(self, palette: Palette, font: QFont) -> None:
        self.p = palette
        self.font = QFont(font)
        self.small = QFont(font)
        self.small.setPixelSize(max(10, round(font.pixelSize() * 0.85)))
        self.line_width = max(2, round(font.pixelSize() / 7))

    def colour(self, name: str) -> QColor:
        return QColor(getattr(self.p, name))

    def pen(
        self, colour: QColor, style: Qt.PenStyle = Qt.PenStyle.SolidLine, width: int = 0
    ) -> QPen:
        pen = QPen(colour)
        pen.setWidth(width or self.line_width)
        pen.setStyle(style)
        return pen

    def chart(self) -> QChart:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundBrush(QBrush(self.colour("surface")))
        chart.setBackgroundRoundness(0)
        chart.setPlotAreaBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        legend.setFont(self.small)
        legend.setLabelColor(self.colour("text"))
        return chart

    def axis(self, axis: QAbstractAxis, title: str = "") -> QAbstractAxis:
        axis.setLabelsFont(self.small)
        axis.setLabelsColor(self.colour("muted"))
        axis.setLinePenColor(self.colour("border"))
        axis.setGridLineColor(self.colour("border"))
        axis.setMinorGridLineVisible(False)
        if title:
            axis.setTitleText(title)
            axis.setTitleFont(self.small)
            axis.setTitleBrush(QBrush(self.colour("muted")))
        return axis


def epoch_ms(moment: datetime) -> float:
    return float(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toMSecsSinceEpoch())


def sessions_per_point(sessions: int) -> int:
    """How many sessions one point stands for (1 unless there are very many)."""
    return max(1, -(-sessions // MOST_POINTS))


def bucketed(points: Sequence[tuple[float, float]], per_point: int) -> list[tuple[float, float]]:
    """Averages consecutive points (by session number) in groups of ``per_point``."""
    if per_point <= 1:
        return list(points)
    groups: dict[int, list[tuple[float, float]]] = {}
    for x, y in points:
        groups.setdefault(int((x - 1) // per_point), []).append((x, y))
    return [
        (sum(p[0] for p in g) / len(g), sum(p[1] for p in g) / len(g))
        for _, g in sorted(groups.items())
    ]


def attach(chart: QChart, series: QAbstractSeries, *axes: QAbstractAxis) -> None:
    chart.addSeries(series)
    for axis in axes:
        series.attachAxis(axis)


def line_series(
    chart: QChart,
    name: str,
    points: Sequence[tuple[float, float]],
    pen: QPen,
    axes: tuple[QAbstractAxis, QAbstractAxis],
    *,
    markers: bool,
    per_point: int = 1,
) -> QLineSeries:
    series = QLineSeries(chart)
    series.setName(name)
    series.setPen(pen)
    series.replace([QPointF(x, y) for x, y in bucketed(points, per_point)])
    series.setPointsVisible(markers)
    if markers:
        series.setMarkerSize(max(6.0, pen.widthF() * 3.5))
    attach(chart, series, *axes)
    return series


def number_axis(
    style: ChartStyle, low: float, high: float, title: str, ticks: int = 6
) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(low, high)
    axis.setLabelFormat("%d")
    axis.setTickCount(ticks)
    style.axis(axis, title)
    return axis


def session_axis(style: ChartStyle, count: int) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0.5, max(1, count) + 0.5)
    axis.setLabelFormat("%d")
    if count <= 12:
        axis.setTickType(QValueAxis.TickType.TicksDynamic)
        axis.setTickAnchor(1)
        axis.setTickInterval(1)
    else:
        axis.setTickCount(7)
    style.axis(axis, _("Session"))
    return axis


def date_axis(style: ChartStyle, first: datetime, last: datetime) -> QDateTimeAxis:
    if last - first < timedelta(days=6):
        first, last = first - timedelta(days=3), last + timedelta(days=3)
    pad = (last - first) / 20
    axis = QDateTimeAxis()
    axis.setRange(
        QDateTime.fromMSecsSinceEpoch(int(epoch_ms(first - pad))),
        QDateTime.fromMSecsSinceEpoch(int(epoch_ms(last + pad))),
    )
    span = (last - first).days
    axis.setFormat("d MMM" if span < 300 else "MMM yyyy")
    axis.setTickCount(6)
    style.axis(axis)
    return axis


def hide_from_legend(chart: QChart, series: QAbstractSeries) -> None:
    for marker in chart.legend().markers(series):
        marker.setVisible(False)


def nice_range(low: float, high: float, most_ticks: int = 6) -> tuple[float, float, float]:
    """(low, high, step) widened to a round step (10, 20, 25, 50...) so ticks read 60, 80, 100
    rather than 105, 127, 150."""
    for step in NICE_STEPS:
        lo = (low // step) * step
        hi = -((-high) // step) * step
        if (hi - lo) / step <= most_ticks - 1:
            return lo, hi, step
    step = NICE_STEPS[-1]
    return (low // step) * step, -((-high) // step) * step, step


def nice_axis(style: ChartStyle, low: float, high: float, title: str) -> QValueAxis:
    lo, hi, step = nice_range(low, high)
    axis = QValueAxis()
    axis.setRange(lo, hi)
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(lo)
    axis.setTickInterval(step)
    style.axis(axis, title)
    return axis
