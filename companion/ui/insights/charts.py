"""Builds the Insights charts (Qt Charts) from the Qt-free series of ``InsightsService``.

Every chart takes its colours from the app's palette and its fonts from the app's text size,
so both themes and 200 % text read well. Nothing here reads the vault.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCharts import (
    QAbstractAxis,
    QAreaSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

from companion.i18n import _, format_number
from companion.services.insights import (
    MoodSeries,
    ScoreSeries,
    SideEffectSeries,
    VitalsSeries,
    WeeklySeries,
)
from companion.ui.insights.chart_parts import (
    ChartStyle,
    attach,
    date_axis,
    epoch_ms,
    hide_from_legend,
    line_series,
    nice_axis,
    number_axis,
    session_axis,
    sessions_per_point,
)

MANY_POINTS = 40  # above this, points are drawn as a line only
BAR_WEEKS = 16  # up to this many weeks: bars; more: a line over dates
TOP_EFFECTS = 10
BAND_GREEN, BAND_RED = 0.36, 0.0  # the bands run from a quiet green to a quiet red


def mood_chart(data: MoodSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    x = session_axis(style, len(data.points))
    y = number_axis(style, 0, 10, _("Mood (0–10)"), ticks=6)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    markers = len(data.points) <= MANY_POINTS
    each = sessions_per_point(len(data.points))
    for name, colour, points in (
        (_("Before the session"), "muted",
         [(p.number, p.before) for p in data.points if p.before is not None]),
        (_("After the session"), "accent",
         [(p.number, p.after) for p in data.points if p.after is not None]),
    ):  # fmt: skip
        pen = style.pen(style.colour(colour))
        line_series(chart, name, points, pen, (x, y), markers=markers, per_point=each)
    return chart


def score_chart(data: ScoreSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    first, last = data.points[0].taken_at, data.points[-1].taken_at
    x = date_axis(style, first, last)
    y = number_axis(style, 0, data.max_total, _("{scale} score").format(scale=data.name))
    y.setTickType(QValueAxis.TickType.TicksDynamic)  # 0, 5, 10, ...: the band edges
    y.setTickAnchor(0)
    y.setTickInterval(5)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    x_low, x_high = x.min().toMSecsSinceEpoch(), x.max().toMSecsSinceEpoch()
    _shade_bands(chart, data, (x, y), x_low, x_high)
    _reference_lines(chart, data, style, (x, y), x_low, x_high)
    line_series(
        chart,
        data.name,
        [(epoch_ms(p.taken_at), p.total) for p in data.points],
        style.pen(style.colour("text")),
        (x, y),
        markers=len(data.points) <= MANY_POINTS,
    )
    return chart


def _shade_bands(
    chart: QChart,
    data: ScoreSeries,
    axes: tuple[QAbstractAxis, QAbstractAxis],
    x_low: int,
    x_high: int,
) -> None:
    """The score's bands (minimal to severe) as shaded areas behind the line."""
    x, y = axes
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
        attach(chart, area, x, y)
        hide_from_legend(chart, area)


def _reference_lines(
    chart: QChart,
    data: ScoreSeries,
    style: ChartStyle,
    axes: tuple[QAbstractAxis, QAbstractAxis],
    x_low: int,
    x_high: int,
) -> None:
    """The starting point, and the response and remission lines where the scale has them."""
    x, y = axes
    dash = Qt.PenStyle.DashLine
    if data.baseline is not None:
        dots = style.pen(style.colour("muted"), Qt.PenStyle.DotLine)
        line_series(
            chart,
            _("Starting point ({score})").format(score=data.baseline),
            [(x_low, data.baseline), (x_high, data.baseline)],
            dots,
            (x, y),
            markers=False,
        )
    if data.response_line is not None:
        response = _("Response (at or below {score})").format(
            score=format_number(data.response_line)
        )
        line_series(
            chart,
            response,
            [(x_low, data.response_line), (x_high, data.response_line)],
            style.pen(style.colour("warning"), dash),
            (x, y),
            markers=False,
        )
    if data.remission_line is not None:
        line_series(
            chart,
            _("Remission (below {score})").format(score=data.remission_line),
            [(x_low, data.remission_line), (x_high, data.remission_line)],
            style.pen(style.colour("link"), dash),
            (x, y),
            markers=False,
        )


def band_colour(n: int, count: int) -> QColor:
    """Band ``n`` of ``count``: the hue runs evenly from green to red and each step is a
    little stronger, so neighbouring bands (moderate, severe) never look alike."""
    share = n / max(1, count - 1)
    hue = BAND_GREEN + (BAND_RED - BAND_GREEN) * share
    return QColor.fromHsvF(hue, 0.40 + 0.25 * share, 0.85, 0.12 + 0.16 * share)


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
    x = session_axis(style, len(data.points))
    y = nice_axis(style, low, high, "mmHg")
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
        line_series(
            chart,
            name,
            points,
            style.pen(colour, pen_style),
            (x, y),
            markers=markers,
            per_point=sessions_per_point(len(data.points)),
        )
    return chart


def pulse_chart(data: VitalsSeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    values = [
        r.pulse for p in data.points for r in (p.before, p.after) if r and r.pulse is not None
    ]
    low = max(0, (min(values, default=50) // 10) * 10 - 10)
    high = (max(values, default=110) // 10) * 10 + 10
    x = session_axis(style, len(data.points))
    y = nice_axis(style, low, high, _("Beats per minute"))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    markers = len(data.points) <= MANY_POINTS
    each = sessions_per_point(len(data.points))
    for name, colour, points in (
        (_("Pulse before"), "muted",
         [(p.number, p.before.pulse) for p in data.points if p.before and p.before.pulse]),
        (_("Pulse after"), "accent",
         [(p.number, p.after.pulse) for p in data.points if p.after and p.after.pulse]),
    ):  # fmt: skip
        pen = style.pen(style.colour(colour))
        line_series(chart, name, points, pen, (x, y), markers=markers, per_point=each)
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
    values = number_axis(style, 0, max(1, most), _("Times noted"), ticks=min(6, most + 1))
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(names)
    series.attachAxis(values)
    return chart


def weekly_chart(data: WeeklySeries, style: ChartStyle) -> QChart:
    chart = style.chart()
    weeks = data.weeks
    most = max((w.sessions for w in weeks), default=1)
    y = number_axis(style, 0, max(2, most), _("Sessions"), ticks=max(2, min(6, most + 1)))
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
    x = date_axis(style, starts[0], starts[-1] + timedelta(days=7))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    steps: list[tuple[float, float]] = []
    for start, w in zip(starts, weeks, strict=True):
        steps.append((epoch_ms(start), w.sessions))
        steps.append((epoch_ms(start + timedelta(days=7)), w.sessions))
    line = line_series(
        chart,
        _("Sessions per week"),
        steps,
        style.pen(style.colour("accent")),
        (x, y),
        markers=False,
    )
    line.setPointsVisible(False)
    chart.legend().hide()
    return chart
