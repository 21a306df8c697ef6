"""Insights: each chart says what will appear and when while there is nothing yet; with data,
the score charts carry the bands and the starting-point, response and remission lines; any
chart can be saved as a PNG picture."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCharts import QAreaSeries
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.services.insights import EMPTY_MOOD, EMPTY_SIDE_EFFECTS, EMPTY_VITALS, EMPTY_WEEKS
from companion.ui.insights.page import InsightsPage
from tests.support.gui import WindowFactory, click
from tests.support.steps import open_window, prepare_vault, settle, show
from tests.support.vault import PASSPHRASE


def wait_drawn(qtbot: QtBot, page: InsightsPage) -> None:
    qtbot.waitUntil(lambda: page.data is not None and not page.drawing, timeout=10_000)


def test_with_no_data_each_chart_says_what_will_appear_and_when(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    prepare_vault(services, manual_clock, sessions=0)
    window, shell = open_window(qtbot, make_window)
    show(shell, "Insights")
    page = shell.review.insights
    wait_drawn(qtbot, page)
    cards = page.cards
    assert cards["mood"].empty.text() == EMPTY_MOOD
    assert cards["blood_pressure"].empty.text() == EMPTY_VITALS
    assert cards["side_effects"].empty.text() == EMPTY_SIDE_EFFECTS
    assert cards["weeks"].empty.text() == EMPTY_WEEKS
    assert cards["phq9"].empty.text().startswith("PHQ-9 scores will appear here")
    assert not any(c.has_chart or c.save_button.isVisible() for c in cards.values())
    assert page.offer is not None and page.offer.isVisible()
    settle(qtbot, window)


def test_charts_show_bands_and_lines_and_save_as_png(
    qtbot: QtBot,
    make_window: WindowFactory,
    services: Services,
    manual_clock: ManualClock,
    tmp_path: Path,
) -> None:
    services.vault.create(PASSPHRASE)
    services.assessments.record("phq9", [2, 2, 2, 2, 2, 1, 1, 2, 0], context="before_session")
    services.vault.lock()
    manual_clock.advance(3600)
    services.vault.unlock(PASSPHRASE)
    services.vault.lock()
    prepare_vault_again(services, manual_clock)
    window, shell = open_window(qtbot, make_window)
    show(shell, "Insights")
    page = shell.review.insights
    wait_drawn(qtbot, page)
    assert page.offer is not None and not page.offer.isVisible()
    phq = page.cards["phq9"]
    assert phq.has_chart
    chart = phq.view.chart()
    names = [s.name() for s in chart.series()]
    assert "Starting point (14)" in names
    assert "Response (at or below 7)" in names
    assert "Remission (below 5)" in names
    bands = [s.name() for s in chart.series() if isinstance(s, QAreaSeries)]
    assert bands == ["Minimal", "Mild", "Moderate", "Moderately severe", "Severe"]
    assert "Latest PHQ-9: 4 (minimal)" in phq.summary.text()
    assert "remission" in phq.summary.text()
    assert "moderately severe 15–19" in phq.legend.text()
    assert page.cards["gad7"].empty.isVisible()  # no GAD-7 answered yet
    for key in ("mood", "blood_pressure", "pulse", "side_effects", "weeks"):
        assert page.cards[key].has_chart, key
    assert "nausea 2×" in page.cards["side_effects"].summary.text()

    click(qtbot, page.cards["mood"].save_button)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    target = tmp_path / "my mood chart.png"
    dialog.selectFile(str(target))
    dialog.accept()
    settle(qtbot, window)
    qtbot.waitUntil(target.exists, timeout=10_000)
    image = QImage(str(target))
    assert not image.isNull() and image.width() > 200
    assert "Saved the chart" in page.status.text()


def prepare_vault_again(services: Services, clock: ManualClock) -> None:
    """Two sessions, then a PHQ-9 after them: remission against the starting point."""
    from tests.support.services import make_profile
    from tests.support.steps import complete_session

    services.vault.unlock(PASSPHRASE)
    services.profile.save(make_profile())
    complete_session(services, clock)
    clock.advance(timedelta(days=3).total_seconds())
    complete_session(services, clock)
    services.assessments.record("phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0], context="after_session")
    services.vault.lock()
