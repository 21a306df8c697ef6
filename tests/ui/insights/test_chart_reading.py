"""Charts that read plainly: neighbouring severity bands look different, vital-sign axes tick at
round numbers, and chart text follows the text size even when redrawn mid-change."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCharts import QValueAxis
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.domain.scales import scale
from companion.services.container import Services
from companion.services.insights import VitalsPoint, VitalsSeries, VitalsValues
from companion.settings import TEXT_SCALE, Settings
from companion.ui.insights import chart_parts, charts
from companion.ui.theme import palette_for, pixel_size
from tests.support.gui import WindowFactory
from tests.support.steps import open_window, prepare_vault, settle, show


def distance(a: QColor, b: QColor) -> float:
    """A rough perceptual distance of two translucent fills over a mid background."""
    return sum(
        abs(x - y)
        for x, y in zip(
            (a.redF() * a.alphaF(), a.greenF() * a.alphaF(), a.blueF() * a.alphaF(), a.alphaF()),
            (b.redF() * b.alphaF(), b.greenF() * b.alphaF(), b.blueF() * b.alphaF(), b.alphaF()),
            strict=True,
        )
    )


@pytest.mark.parametrize("scale_id", ["phq9", "gad7"])
def test_neighbouring_bands_are_told_apart(scale_id: str) -> None:
    bands = scale(scale_id).bands
    fills = [charts.band_colour(n, len(bands)) for n in range(len(bands))]
    assert fills[0].hueF() > fills[-1].hueF() or fills[-1].hueF() < 0.05  # green to red
    for lower, higher in pairwise(fills):
        assert higher.alphaF() > lower.alphaF()  # each step is stronger
        assert distance(lower, higher) > 0.05


@pytest.mark.parametrize(
    ("low", "high"),
    [(60, 150), (105, 150), (47, 131), (0, 10), (88, 91)],
)
def test_axes_tick_at_round_numbers(low: float, high: float) -> None:
    lo, hi, step = chart_parts.nice_range(low, high)
    assert lo <= low and hi >= high
    assert step in chart_parts.NICE_STEPS and lo % step == 0 and hi % step == 0
    assert (hi - lo) / step <= 5


def test_the_blood_pressure_axis_has_no_odd_ticks(qapp: QApplication) -> None:
    style = chart_parts.ChartStyle(palette_for("dark"), QApplication.font())
    points = tuple(
        VitalsPoint(f"s{n}", n, None, VitalsValues(150, 105, 70), VitalsValues(128, 60, 65))  # type: ignore[arg-type]
        for n in range(1, 4)
    )
    chart = charts.blood_pressure_chart(VitalsSeries(points), style)
    axis = next(a for a in chart.axes() if isinstance(a, QValueAxis) and a.titleText() == "mmHg")
    assert axis.tickType() == QValueAxis.TickType.TicksDynamic
    assert axis.tickInterval() in (10, 20, 25, 50)
    assert axis.min() % axis.tickInterval() == 0


def test_chart_text_follows_the_text_size_even_before_the_font_arrives(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    settings: Settings,
) -> None:
    """Settings' appearance change redraws the charts before the new app font reaches the
    page: the charts take the size from the settings, so they grow with everything else."""
    prepare_vault(services, manual_clock, sessions=3)
    window, shell = open_window(qtbot, make_window)
    show(shell, "Insights")
    page = shell.review.insights
    qtbot.waitUntil(lambda: page.data is not None and not page.drawing, timeout=10_000)
    settings.set(TEXT_SCALE, 200)  # the page's own font is still the 100 % one
    page.apply_style()
    qtbot.waitUntil(lambda: not page.drawing, timeout=10_000)
    chart = page.cards["mood"].view.chart()
    axis = chart.axes()[0]
    assert axis.labelsFont().pixelSize() >= pixel_size(200) * 0.8
    assert page.font().pixelSize() <= pixel_size(100)
    settle(qtbot, window)
