"""Builds the Insights charts (Qt Charts) from the Qt-free series of ``InsightsService``.

Every chart takes its colours from the app's palette and its fonts from the app's text size,
so both themes and 200 % text read well. Nothing here reads the vault.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractSeries,
    QAreaSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QDateTimeAxis,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen

from companion.i18n import _, format_number
from companion.services.insights import (
    MoodSeries,
    ScoreSeries,
    SideEffectSeries,
    VitalsSeries,
    WeeklySeries,
)
from companion.ui.theme import Palette

MANY_POINTS = 40  # above this, points are drawn as a line only
MOST_POINTS = 150  # above this many sessions, each point averages a few (a chart is ~800 px)
BAR_WEEKS = 16  # up to this many weeks: bars; more: a line over dates
TOP_EFFECTS = 10
BAND_GREEN, BAND_RED = 0.36, 0.0  # the bands run from a quiet green to a quiet red
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


def _ms(moment: datetime) -> float:
    return float(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toMSecsSinceEpoch())


def sessions_per_point(sessions: int) -> int:
    """How many sessions one point stands for (1 unless there are very many)."""
    return max(1, -(-sessions // MOST_POINTS))


def _bucketed(points: Sequence[tuple[float, float]], per_point: int) -> list[tuple[float, float]]:
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


def _attach(chart: QChart, series: QAbstractSeries, *axes: QAbstractAxis) -> None:
    chart.addSeries(series)
    for axis in axes:
        series.attachAxis(axis)


def _line(
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
    series.replace([QPointF(x, y) for x, y in _bucketed(points, per_point)])
    series.setPointsVisible(markers)
    if markers:
        series.setMarkerSize(max(6.0, pen.widthF() * 3.5))
    _attach(chart, series, *axes)
    return series


def _number_axis(
    style: ChartStyle, low: float, high: float, title: str, ticks: int = 6
) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(low, high)
    axis.setLabelFormat("%d")
    axis.setTickCount(ticks)
    style.axis(axis, title)
    return axis


def _session_axis(style: ChartStyle, count: int) -> QValueAxis:
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


def _date_axis(style: ChartStyle, first: datetime, last: datetime) -> QDateTimeAxis:
    if last - first < timedelta(days=6):
        first, last = first - timedelta(days=3), last + timedelta(days=3)
    pad = (last - first) / 20
    axis = QDateTimeAxis()
    axis.setRange(
        QDateTime.fromMSecsSinceEpoch(int(_ms(first - pad))),
        QDateTime.fromMSecsSinceEpoch(int(_ms(last + pad))),
    )
    span = (last - first).days
    axis.setFormat("d MMM" if span < 300 else "MMM yyyy")
    axis.setTickCount(6)
    style.axis(axis)
    return axis


def _hide_from_legend(chart: QChart, series: QAbstractSeries) -> None:
    for marker in chart.legend().markers(series):
        marker.setVisible(False)


def mood_chart(data: MoodSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    x = _session_axis(style, len(data.points))
    y = _number_axis(style, 0, 10, _("Mood (0–10)"), ticks=6)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    markers = len(data.points) <= MANY_POINTS
    each = sessions_per_point(len(data.points))
    before_c, after_c = style.colour("muted"), style.colour("accent")
    _line(chart, _("Before the session"),
          [(p.number, p.before) for p in data.points if p.before is not None],
          style.pen(before_c), (x, y), markers=markers, per_point=each)  # fmt: skip
    _line(chart, _("After the session"),
          [(p.number, p.after) for p in data.points if p.after is not None],
          style.pen(after_c), (x, y), markers=markers, per_point=each)  # fmt: skip
    return chart


def score_chart(data: ScoreSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    first, last = data.points[0].taken_at, data.points[-1].taken_at
    x = _date_axis(style, first, last)
    y = _number_axis(style, 0, data.max_total, _("{scale} score").format(scale=data.name))
    y.setTickType(QValueAxis.TickType.TicksDynamic)  # 0, 5, 10, ...: the band edges
    y.setTickAnchor(0)
    y.setTickInterval(5)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    x_low, x_high = x.min().toMSecsSinceEpoch(), x.max().toMSecsSinceEpoch()
    for n, band in enumerate(data.bands):
        upper = QLineSeries(chart)
        lower = QLineSeries(chart)
        top = min(band.high + 1, data.max_total)
        for ms in (x_low, x_high):
            upper.append(float(ms), float(top))
            lower.append(float(ms), float(band.low))
        area = QAreaSeries(upper, lower)
        area.setParent(chart)
        area.setName(band.label)
        fill = band_colour(n, len(data.bands))
        area.setBrush(QBrush(fill))
        area.setPen(QPen(Qt.PenStyle.NoPen))
        _attach(chart, area, x, y)
        _hide_from_legend(chart, area)
    dash = Qt.PenStyle.DashLine
    if data.baseline is not None:
        dots = style.pen(style.colour("muted"), Qt.PenStyle.DotLine)
        _line(chart, _("Starting point ({score})").format(score=data.baseline),
              [(x_low, data.baseline), (x_high, data.baseline)], dots, (x, y),
              markers=False)  # fmt: skip
    if data.response_line is not None:
        response = _("Response (at or below {score})").format(
            score=format_number(data.response_line)
        )
        _line(chart, response,
              [(x_low, data.response_line), (x_high, data.response_line)],
              style.pen(style.colour("warning"), dash), (x, y), markers=False)  # fmt: skip
    if data.remission_line is not None:
        _line(chart, _("Remission (below {score})").format(score=data.remission_line),
              [(x_low, data.remission_line), (x_high, data.remission_line)],
              style.pen(style.colour("link"), dash), (x, y), markers=False)  # fmt: skip
    _line(chart, data.name, [(_ms(p.taken_at), p.total) for p in data.points],
          style.pen(style.colour("text")), (x, y),
          markers=len(data.points) <= MANY_POINTS)  # fmt: skip
    return chart


def band_colour(n: int, count: int) -> QColor:
    """Band ``n`` of ``count``: the hue runs evenly from green to red and each step is a
    little stronger, so neighbouring bands (moderate, severe) never look alike."""
    share = n / max(1, count - 1)
    hue = BAND_GREEN + (BAND_RED - BAND_GREEN) * share
    return QColor.fromHsvF(hue, 0.40 + 0.25 * share, 0.85, 0.12 + 0.16 * share)


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


def _nice_axis(style: ChartStyle, low: float, high: float, title: str) -> QValueAxis:
    lo, hi, step = nice_range(low, high)
    axis = QValueAxis()
    axis.setRange(lo, hi)
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(lo)
    axis.setTickInterval(step)
    style.axis(axis, title)
    return axis


def band_legend(data: ScoreSeries) -> str:
    return _("Shading: {bands}").format(
        bands=", ".join(f"{b.label.lower()} {b.low}–{b.high}" for b in data.bands)
    )


def blood_pressure_chart(data: VitalsSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    values = [
        v
        for p in data.points
        for reading in (p.before, p.after)
        if reading is not None
        for v in (reading.systolic, reading.diastolic)
        if v is not None
    ]
    low = max(0, (min(values, default=60) // 10) * 10 - 10)
    high = (max(values, default=160) // 10) * 10 + 10
    x = _session_axis(style, len(data.points))
    y = _nice_axis(style, low, high, "mmHg")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    markers = len(data.points) <= MANY_POINTS
    muted, accent = style.colour("muted"), style.colour("accent")
    solid, dashed = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine
    lines: tuple[tuple[str, str, str, QColor, Qt.PenStyle], ...] = (
        (_("Systolic before"), "before", "systolic", muted, solid),
        (_("Systolic after"), "after", "systolic", accent, solid),
        (_("Diastolic before"), "before", "diastolic", muted, dashed),
        (_("Diastolic after"), "after", "diastolic", accent, dashed),
    )
    for name, phase, measure, colour, pen_style in lines:
        points = []
        for p in data.points:
            reading = p.before if phase == "before" else p.after
            value = getattr(reading, measure) if reading is not None else None
            if value is not None:
                points.append((float(p.number), float(value)))
        _line(chart, name, points, style.pen(colour, pen_style), (x, y), markers=markers,
              per_point=sessions_per_point(len(data.points)))  # fmt: skip
    return chart


def pulse_chart(data: VitalsSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    values = [
        r.pulse for p in data.points for r in (p.before, p.after) if r and r.pulse is not None
    ]
    low = max(0, (min(values, default=50) // 10) * 10 - 10)
    high = (max(values, default=110) // 10) * 10 + 10
    x = _session_axis(style, len(data.points))
    y = _nice_axis(style, low, high, _("Beats per minute"))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    markers = len(data.points) <= MANY_POINTS
    each = sessions_per_point(len(data.points))
    _line(chart, _("Pulse before"),
          [(p.number, p.before.pulse) for p in data.points if p.before and p.before.pulse],
          style.pen(style.colour("muted")), (x, y), markers=markers, per_point=each)  # fmt: skip
    _line(chart, _("Pulse after"),
          [(p.number, p.after.pulse) for p in data.points if p.after and p.after.pulse],
          style.pen(style.colour("accent")), (x, y), markers=markers, per_point=each)  # fmt: skip
    return chart


def side_effects_chart(data: SideEffectSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    counts = list(reversed(data.counts[:TOP_EFFECTS]))  # most frequent at the top
    series = QHorizontalStackedBarSeries(chart)
    colours = (style.colour("accent"), style.colour("fair"), style.colour("warning"))
    severities = (("mild", _("Mild")), ("moderate", _("Moderate")), ("severe", _("Severe")))
    for (key, name), colour in zip(severities, colours, strict=True):
        bar = QBarSet(name, series)
        bar.setColor(colour)
        bar.setBorderColor(colour)
        bar.append([float(getattr(c, key)) for c in counts])
        series.append(bar)
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append([c.name for c in counts])
    style.axis(names)
    names.setGridLineVisible(False)
    most = max((c.total for c in counts), default=1)
    values = _number_axis(style, 0, max(1, most), _("Times noted"), ticks=min(6, most + 1))
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(names)
    series.attachAxis(values)
    return chart


def weekly_chart(data: WeeklySeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    weeks = data.weeks
    most = max((w.sessions for w in weeks), default=1)
    y = _number_axis(style, 0, max(2, most), _("Sessions"), ticks=max(2, min(6, most + 1)))
    if len(weeks) <= BAR_WEEKS:
        series = QBarSeries(chart)
        bar = QBarSet(_("Sessions that week"), series)
        bar.setColor(style.colour("accent"))
        bar.setBorderColor(style.colour("accent"))
        bar.append([float(w.sessions) for w in weeks])
        series.append(bar)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append([f"{w.week_start.day} {w.week_start:%b}" for w in weeks])
        style.axis(x_axis, _("Week starting"))
        x_axis.setGridLineVisible(False)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y)
        chart.legend().hide()
        return chart
    starts = [datetime(w.week_start.year, w.week_start.month, w.week_start.day, tzinfo=UTC)
              for w in weeks]  # fmt: skip
    x = _date_axis(style, starts[0], starts[-1] + timedelta(days=7))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    steps: list[tuple[float, float]] = []
    for start, w in zip(starts, weeks, strict=True):
        steps.append((_ms(start), w.sessions))
        steps.append((_ms(start + timedelta(days=7)), w.sessions))
    line = _line(chart, _("Sessions per week"), steps, style.pen(style.colour("accent")), (x, y),
                 markers=False)  # fmt: skip
    line.setPointsVisible(False)
    chart.legend().hide()
    return chart
