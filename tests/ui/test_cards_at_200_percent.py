"""Cards whose paragraphs change while they are on screen are never clipped, at 200 % text and
whichever font the machine has; and the font the look depends on is the one the project installs.

The PHQ-9 safety card once replaced its lines with ``deleteLater``: until the event loop ran
again the old paragraphs stayed visible at their old size (squeezed, clipped) and the new ones
were not shown yet. These tests look at the card right after the change, before any loop turn.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.domain.profile import Profile
from companion.ui.questionnaires.safety import SafetyCard
from companion.ui.theme import apply_theme
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import ScrollPage
from companion.ui.widgets.text import set_paragraphs
from tests.support.services import make_profile

PROJECT_FONT = "DejaVu Sans"  # tools/env.sh installs fonts-dejavu-core and fonts-dejavu-extra


def squeezed(root: QWidget) -> list[str]:
    """Visible wrapped labels shorter than the height their text needs at their width."""
    problems = []
    for widget in root.findChildren(QLabel):
        if widget.isVisibleTo(root) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            if widget.height() < needed:
                problems.append(f"{widget.text()[:30]!r}: {widget.height()} < {needed}")
    return problems


def shown_page(qtbot: QtBot, width: int) -> tuple[ScrollPage, SafetyCard]:
    page = ScrollPage()
    card = SafetyCard()
    page.column.addWidget(card)
    page.column.addStretch(1)
    qtbot.addWidget(page)
    page.resize(width, 700)
    page.show()
    qtbot.waitExposed(page)
    return page, card


@pytest.mark.parametrize("width", [420, 640, 900, 1280])
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_safety_card_is_not_clipped_the_moment_its_lines_change(
    qtbot: QtBot, qapp: QApplication, theme: str, width: int
) -> None:
    apply_theme(qapp, theme, 200)
    try:
        page, card = shown_page(qtbot, width)
        assert not squeezed(page)
        for profile in (make_profile(), Profile(), make_profile()):
            card.show_for(profile)
            visible = [line for line in card.lines if line.isVisibleTo(page)]
            assert visible == card.lines, "every line shows with the card, at once"
            assert not squeezed(page), f"{theme} at {width}px: {squeezed(page)}"
    finally:
        apply_theme(qapp, "dark", 100)


def test_safety_card_lines_follow_the_profile(qtbot: QtBot) -> None:
    _page, card = shown_page(qtbot, 900)
    card.show_for(make_profile())
    with_provider = [line.text() for line in card.lines]
    assert any("Dr. Rivera" in text for text in with_provider)
    card.show_for(Profile())
    assert not any("Dr. Rivera" in line.text() for line in card.lines)
    assert len(card.lines) < len(with_provider)
    removed = [w for w in card.findChildren(QLabel) if w not in card.lines and w.isVisible()]
    assert [w.text() for w in removed] == [card.heading.text(), card.not_sent.text()]


def test_set_paragraphs_reuses_labels_and_hides_the_rest_at_once(qtbot: QtBot) -> None:
    card = Card("Heading")
    qtbot.addWidget(card)
    card.show()
    first = set_paragraphs(card.body, [], ("one", "two", "three"), at=1)
    assert [w.text() for w in first] == ["one", "two", "three"]
    assert all(w.isVisible() for w in first)
    second = set_paragraphs(card.body, first, ("uno",), at=1)
    assert second == first[:1] and second[0].text() == "uno"
    assert not first[1].isVisible() and not first[2].isVisible()
    body: QVBoxLayout = card.body
    assert body.indexOf(first[1]) == -1 and body.indexOf(first[2]) == -1


def test_the_app_font_is_the_one_the_project_installs(qapp: QApplication) -> None:
    """The layout tests measure text in this font; a machine without it would render (and
    wrap) differently. tools/env.sh installs it; this fails loudly if it is missing."""
    assert QFontInfo(qapp.font()).family() == PROJECT_FONT
