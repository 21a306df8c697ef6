"""The report's charts, drawn as vectors straight onto a page: scores with their bands, mood,
and blood pressure, on axes marked at round numbers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPen,
)

from companion.domain.scales import Band
from companion.export.report_model import Report, ScoreSummary
from companion.i18n import (
    _,
    format_skeleton,
)
from companion.pdf.layout import ACCENT, BAND_COLOURS, INK, MUTED, SECOND, Page, font


@dataclass(frozen=True, slots=True)
class _Series:
    label: str
    colour: QColor
    points: tuple[tuple[float, float], ...]  # (x in [0, 1], value)
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class _Plot:
    """The plotting area of a chart and the value range its height shows."""

    area: QRectF
    y_min: float
    y_max: float

    def y_of(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.area.bottom() - (value - self.y_min) / span * self.area.height()

    def x_of(self, fraction: float) -> float:
        return self.area.left() + fraction * self.area.width()


def _chart(
    painter: QPainter,
    rect: QRectF,
    page: Page,
    title: str,
    y_max: float,
    y_min: float,
    series: Sequence[_Series],
    x_labels: Sequence[tuple[float, str]],
    bands: Sequence[Band] = (),
    lines: Sequence[tuple[float, str, QColor]] = (),
    empty: str = "",
) -> None:
    painter.save()
    painter.setFont(font(11, bold=True))
    painter.setPen(INK)
    title_h = page.pt(18)
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), title_h), 0, title)
    left = rect.left() + page.pt(30)
    area = QRectF(left, rect.top() + title_h + page.pt(4), rect.right() - left, 0)
    area.setBottom(rect.bottom() - page.pt(30))
    plot = _Plot(area, y_min, y_max)
    _draw_bands(painter, plot, page, bands)
    _draw_axes(painter, plot, page, rect, x_labels)
    _draw_guides(painter, plot, page, lines)
    if not any(s.points for s in series):
        painter.setPen(MUTED)
        painter.setFont(font(10))
        painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), empty)
    _draw_series(painter, plot, page, rect, series)
    painter.restore()


def _draw_bands(painter: QPainter, plot: _Plot, page: Page, bands: Sequence[Band]) -> None:
    area = plot.area
    for index, band in enumerate(bands):
        top = plot.y_of(min(band.high + 0.5, plot.y_max))
        bottom = plot.y_of(max(band.low - 0.5, plot.y_min))
        colour = QColor(BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)])
        painter.fillRect(QRectF(area.left(), top, area.width(), bottom - top), colour)
        painter.setFont(font(7))
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(area.right() - page.pt(120), top, page.pt(118), bottom - top),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            _(band.label),
        )


def _draw_axes(
    painter: QPainter,
    plot: _Plot,
    page: Page,
    rect: QRectF,
    x_labels: Sequence[tuple[float, str]],
) -> None:
    area = plot.area
    painter.setPen(QPen(MUTED, page.pt(0.6)))
    painter.drawRect(area)
    painter.setFont(font(8))
    for value in round_ticks(plot.y_min, plot.y_max):
        y = plot.y_of(value)
        painter.drawLine(QPointF(area.left() - page.pt(3), y), QPointF(area.left(), y))
        painter.drawText(
            QRectF(rect.left(), y - page.pt(6), page.pt(26), page.pt(12)),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            f"{value:.0f}",
        )
    for fraction, label in x_labels:
        x = plot.x_of(fraction)
        painter.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + page.pt(3)))
        painter.drawText(
            QRectF(x - page.pt(40), area.bottom() + page.pt(4), page.pt(80), page.pt(12)),
            int(Qt.AlignmentFlag.AlignHCenter),
            label,
        )


def _draw_guides(
    painter: QPainter, plot: _Plot, page: Page, lines: Sequence[tuple[float, str, QColor]]
) -> None:
    """Dashed horizontal lines at values worth marking (response, remission)."""
    for value, label, colour in lines:
        pen = QPen(colour, page.pt(1))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        y = plot.y_of(value)
        painter.drawLine(QPointF(plot.area.left(), y), QPointF(plot.area.right(), y))
        painter.drawText(QPointF(plot.area.left() + page.pt(4), y - page.pt(2)), label)


def _draw_series(
    painter: QPainter, plot: _Plot, page: Page, rect: QRectF, series: Sequence[_Series]
) -> None:
    """Each series as a line through its dots, with its entry in the legend under the chart."""
    legend_x = plot.area.left()
    for s in series:
        pen = QPen(s.colour, page.pt(1.6))
        if s.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        if len(s.points) > 1:
            path = QPainterPath(QPointF(plot.x_of(s.points[0][0]), plot.y_of(s.points[0][1])))
            for x, y in s.points[1:]:
                path.lineTo(QPointF(plot.x_of(x), plot.y_of(y)))
            painter.drawPath(path)
        painter.setBrush(s.colour)
        radius = page.pt(2.2)
        for x, y in s.points:
            painter.drawEllipse(QPointF(plot.x_of(x), plot.y_of(y)), radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(font(8))
        ly = rect.bottom() - page.pt(10)
        painter.drawLine(QPointF(legend_x, ly), QPointF(legend_x + page.pt(14), ly))
        painter.setPen(INK)
        painter.drawText(QPointF(legend_x + page.pt(18), ly + page.pt(3)), s.label)
        legend_x += page.pt(30) + page.pt(6) * len(s.label)


def round_ticks(low: float, high: float, most: int = 9) -> list[float]:
    """Axis marks on round numbers (a step of 1, 2 or 5 times a power of ten), at most
    ``most`` of them, from the first multiple of the step at or above ``low`` up to ``high``."""
    span = high - low
    if span <= 0:
        return [low]
    step = 1.0
    power = 10 ** math.floor(math.log10(span / most)) if span / most > 0 else 1.0
    for factor in (1, 2, 5, 10):
        step = factor * power
        if span / step <= most - 1:
            break
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9)
    return [round(first + i * step, 9) for i in range(count + 1)]


def _time_axis(
    report: Report, instants: Sequence[datetime]
) -> tuple[Callable[[datetime], float], list[tuple[float, str]]]:
    if not instants:
        return (lambda _t: 0.5), []
    low, high = min(instants), max(instants)
    span = (high - low).total_seconds()

    def fraction(t: datetime) -> float:
        return 0.5 if span <= 0 else 0.03 + 0.94 * (t - low).total_seconds() / span

    count = 1 if span <= 0 else 5
    labels = []
    for i in range(count):
        t = low if count == 1 else low + (high - low) * (i / (count - 1))
        labels.append((fraction(t), format_skeleton(report.local(t), "yMMMd")))
    return fraction, labels


def _score_chart(
    painter: QPainter, rect: QRectF, page: Page, report: Report, s: ScoreSummary
) -> None:
    fraction, labels = _time_axis(report, [p.taken_at for p in s.points])
    lines: list[tuple[float, str, QColor]] = []
    if s.response_line is not None:
        lines.append((s.response_line, _("response (50 % below baseline)"), ACCENT))
    if s.remission_line is not None:
        lines.append((s.remission_line - 0.5, _("remission (below 5)"), QColor("#2d7d46")))
    series = _Series(
        _("{name} total").format(name=s.scale.name),
        INK,
        tuple((fraction(p.taken_at), p.total) for p in s.points),
    )
    _chart(
        painter,
        rect,
        page,
        _("{name} total score (0–{maximum})").format(name=s.scale.name, maximum=s.scale.max_total),
        s.scale.max_total,
        0,
        [series],
        labels,
        bands=s.scale.bands,
        lines=lines,
        empty=_("No {name} scores in this period.").format(name=s.scale.name),
    )


def _mood_chart(painter: QPainter, rect: QRectF, page: Page, report: Report) -> None:
    fraction, labels = _time_axis(report, [s.started_at for s in report.sessions])
    before = tuple(
        (fraction(s.started_at), float(s.mood_before))
        for s in report.sessions
        if s.mood_before is not None
    )
    after = tuple(
        (fraction(s.started_at), float(s.mood_after))
        for s in report.sessions
        if s.mood_after is not None
    )
    _chart(
        painter,
        rect,
        page,
        _("Mood before and after each session (0–10)"),
        10,
        0,
        [_Series(_("before"), MUTED, before, dashed=True), _Series(_("after"), ACCENT, after)],
        labels,
        empty=_("No moods recorded in this period."),
    )


def _bp_chart(painter: QPainter, rect: QRectF, page: Page, report: Report) -> None:
    fraction, labels = _time_axis(report, [s.started_at for s in report.sessions])

    def series(phase: str, attr: str) -> tuple[tuple[float, float], ...]:
        found = []
        for s in report.sessions:
            v = s.vitals_before if phase == "before" else s.vitals_after
            value = None if v is None else getattr(v, attr)
            if value is not None:
                found.append((fraction(s.started_at), float(value)))
        return tuple(found)

    _chart(
        painter,
        rect,
        page,
        _("Blood pressure before and after each session (mmHg)"),
        200,
        40,
        [
            _Series(_("systolic before"), MUTED, series("before", "systolic"), dashed=True),
            _Series(_("systolic after"), ACCENT, series("after", "systolic")),
            _Series(
                _("diastolic before"), QColor("#9a6a3a"), series("before", "diastolic"), dashed=True
            ),
            _Series(_("diastolic after"), SECOND, series("after", "diastolic")),
        ],
        labels,
        empty=_("No blood pressure recorded in this period."),
    )


def chart_pages(report: Report) -> list[Callable[[QPainter, Page], None]]:
    pages: list[Callable[[QPainter, Page], None]] = []
    if "questionnaires" in report.parts:

        def scores(painter: QPainter, page: Page) -> None:
            half = (page.height - page.pt(20)) / 2
            _score_chart(painter, QRectF(0, 0, page.width, half), page, report, report.phq9)
            _score_chart(
                painter, QRectF(0, half + page.pt(20), page.width, half), page, report, report.gad7
            )

        pages.append(scores)
    if "sessions" in report.parts or "vitals" in report.parts:

        def sessions(painter: QPainter, page: Page) -> None:
            half = (page.height - page.pt(20)) / 2
            _mood_chart(painter, QRectF(0, 0, page.width, half), page, report)
            _bp_chart(painter, QRectF(0, half + page.pt(20), page.width, half), page, report)

        pages.append(sessions)
    return pages


# --------------------------------------------------------------------------------------------
