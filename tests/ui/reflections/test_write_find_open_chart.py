"""The whole path a patient takes: write the reflection after a session, find it days later by
searching, open it beside the session's facts, and see its mood on the Insights chart."""

from __future__ import annotations

from PySide6.QtCharts import QLineSeries
from pytestqt.qtbot import QtBot

from companion.domain.clock import ManualClock
from companion.services.container import Services
from companion.ui.journal.editor import EntryEditor
from companion.ui.reflections.delegate import hit_html
from companion.ui.reflections.viewer import EntryView
from tests.support.gui import WindowFactory, click
from tests.support.services import DOSE_TEXT
from tests.support.steps import MARKER_NOTE, on_worker, open_window, prepare_vault, settle, show
from tests.support.window_input import move_pointer


def test_write_a_reflection_find_it_open_it_and_see_it_charted(
    qtbot: QtBot, make_window: WindowFactory, services: Services, manual_clock: ManualClock
) -> None:
    (session_id,) = prepare_vault(services, manual_clock)
    window, shell = open_window(qtbot, make_window)
    review = shell.review

    # The Session page hands over with reflection_requested(session_id).
    shell.session_page.reflection_requested.emit(session_id)
    qtbot.waitUntil(lambda: review.journal.editor is not None, timeout=10_000)
    editor = review.journal.editor
    assert isinstance(editor, EntryEditor)
    assert shell.stack.currentWidget() is review.journal
    assert "About your session of" in editor.context_line.text()
    first = editor.prompts.cards[0]
    assert first.question.text() == "What did you feel?"
    qtbot.keyClicks(first.answer, "A quiet <b>harbour</b> at dawn & relief.")
    qtbot.keyClicks(editor.writing, "I want to keep walking by the sea.")
    editor.title_edit.setText("Harbour morning")
    editor.mood.slider.setValue(8)
    editor.dissociation.boxes["body"].setCurrentIndex(3)  # 2: moderately
    editor.tags.set_text("calm, sea")
    assert not editor.share.value()  # private unless the patient says otherwise
    assert editor.word_count.text() == "14 words"  # a typed tag is not a word
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: review.journal.editor is None, timeout=10_000)
    settle(qtbot, window)
    assert "Saved" in review.journal.start.notice.text()

    # Days later: Reflections, search for a word, the match is highlighted, safely.
    manual_clock.advance(3 * 24 * 3600)
    move_pointer(window)  # the patient is at the window (auto-lock sees the pointer move)
    show(shell, "Reflections")
    page = review.reflections
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    qtbot.keyClicks(page.listing.search, "harbour")
    page.run_search()
    qtbot.waitUntil(lambda: page.hits_model.rowCount() == 1, timeout=10_000)
    assert page.listing.results.currentWidget() is page.listing.hits
    hit = page.hits_model.hit_at(0)
    html = hit_html(hit, "#ff0", "#000", "#888")
    assert ">harbour</span>" in html.lower() or ">Harbour</span>" in html
    assert "dawn &amp; relief" in html  # everything else is escaped

    page.listing.hits.setCurrentIndex(page.hits_model.index(0))
    click(qtbot, page.listing.open_button)
    qtbot.waitUntil(lambda: page.view is not None, timeout=10_000)
    view = page.view
    assert isinstance(view, EntryView)
    assert view.heading.text() == "Harbour morning"
    answer_html = view.texts[0].text()
    assert "background-color" in answer_html  # the search words stay highlighted
    assert "&lt;b&gt;" in answer_html and "<b>" not in answer_html  # typed markup stays text
    assert view.facts is not None
    facts = view.facts.text()
    assert DOSE_TEXT in facts
    assert "before 4 of 10" in facts  # mood before, from the session
    assert "128/82" not in facts and "126/81" in facts  # the mean of the two readings
    assert "131/83" in facts
    assert "Nausea (mild): passed quickly" in facts
    assert "resting calmly" in facts  # the monitor's check-ins
    assert MARKER_NOTE in facts and "min after the dose" in facts

    # Insights: the reflection's mood is the session's "after" point.
    show(shell, "Insights")
    insights = review.insights
    qtbot.waitUntil(lambda: insights.cards["mood"].has_chart, timeout=10_000)
    chart = insights.cards["mood"].view.chart()
    after = next(s for s in chart.series() if s.name() == "After the session")
    assert isinstance(after, QLineSeries)
    assert [(p.x(), p.y()) for p in after.points()] == [(1.0, 8.0)]
    before = next(s for s in chart.series() if s.name() == "Before the session")
    assert isinstance(before, QLineSeries)
    assert [(p.x(), p.y()) for p in before.points()] == [(1.0, 4.0)]
    assert "Last session: 4 before, 8 after." in insights.cards["mood"].summary.text()
    stored = on_worker(window, lambda s: s.search.list_entries())
    assert [e.title for e in stored] == ["Harbour morning"]
    assert stored[0].session_id == session_id and stored[0].tags == ("calm", "sea")
