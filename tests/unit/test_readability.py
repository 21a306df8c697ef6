"""Every safety message reads at grade 6 or below (Flesch-Kincaid), with its own small
syllable counter.

Flesch-Kincaid grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59.
On a two-word fragment the formula means little ("Difficulty swallowing" alone scores 26), so
short items are graded together with their list (Help's signs, the steps while waiting, the
safety card's lines), and each longer message (a vitals result, a card) is graded on its own.

Covered: Help (everything it shows), the emergency signs and what to do while waiting, the
monitor-call screen, the stop card and every vitals result (before and after, warn and stop,
high and low), the vitals findings of the start check, the PHQ-9 item 9 safety card, the severe
side-effect card, the check-in screen, the response/remission words and the time-of-day
findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from companion.domain.checklist import timing_findings, vitals_findings
from companion.domain.profile import Profile
from companion.domain.scales import PHQ9, change_from_baseline, safety_card
from companion.domain.vitals import Context, Reading, assess_vitals
from companion.services.protocol_files import default_protocol
from companion.ui.questionnaires.form import trial_words
from companion.ui.questionnaires.safety import NOT_SENT
from companion.ui.session.call_monitor import MonitorCallScreen
from companion.ui.session.checkin import CheckinPanel
from companion.ui.session.help import SEVERE_EFFECT_TITLE, HelpView, severe_effect_message
from companion.ui.session.vitals_form import StopCard

MAX_GRADE = 6.0
PROTOCOL = default_protocol()
PROFILE = Profile(
    name="Sam",
    provider_name="Dr. Rivera",
    provider_contact="+1 555 0100",
    monitor_name="Alex",
    monitor_phone="+1 555 0101",
    emergency_number="911",
    crisis_line="988",
)
_VOWELS = re.compile(r"[aeiouy]+")
_SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)")


def syllables(word: str) -> int:
    """Syllables in one word, by vowel groups with the common English corrections."""
    w = re.sub(r"[^a-z0-9]", "", word.lower())
    if not w:
        return 0
    if w.isdigit():
        return 2  # "15", "911" and the like: a number read aloud
    count = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "time", "pressure"
    elif w.endswith("ed") and not w.endswith(("ted", "ded")) and count > 1:
        count -= 1  # "called", "turned"
    elif w.endswith("es") and not w.endswith(("ses", "zes", "ces", "ges", "ches", "shes", "xes")):
        count -= 1 if count > 1 else 0  # "times", "makes"
    return max(1, count)


@dataclass(frozen=True)
class Counts:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def counts(texts: Iterable[str]) -> Counts:
    """Each text is at least one sentence (a list item without a full stop is one too)."""
    words = sentences = syll = 0
    for text in texts:
        tokens = [t for t in text.split() if re.search(r"[A-Za-z0-9]", t)]
        if not tokens:
            continue
        words += len(tokens)
        syll += sum(syllables(t) for t in tokens)
        sentences += max(1, len(_SENTENCE_END.findall(text.strip())))
    return Counts(words, max(1, sentences), syll)


def grade(texts: Iterable[str] | str) -> float:
    return counts([texts] if isinstance(texts, str) else texts).grade


def widget_texts(widget: QWidget) -> list[str]:
    found = [w.text() for w in widget.findChildren(QLabel) if w.text().strip() not in ("", "•")]
    found += [b.text() for b in widget.findChildren(QAbstractButton) if b.text().strip()]
    return found


# --------------------------------------------------------------------------------------------
# The counter and the formula


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("the", 1),
        ("blood", 1),
        ("called", 1),
        ("wanted", 2),
        ("time", 1),
        ("table", 2),
        ("people", 2),
        ("pressure", 2),
        ("breathing", 2),
        ("seizure", 2),
        ("monitor", 3),
        ("emergency", 4),
        ("difficulty", 4),
        ("paramedics", 4),
        ("911", 2),
        ("(F2)", 1),
    ],
)
def test_syllable_counter(word: str, expected: int) -> None:
    assert syllables(word) == expected


def test_the_grade_tells_plain_from_hard() -> None:
    assert grade("The cat sat on the mat. It was warm.") < 1
    old_vitals = (
        "Your top (systolic) blood pressure is 142 mmHg, at or above the take-note level your "
        "provider set (140); Your bottom (diastolic) blood pressure is 92 mmHg, at or above the "
        "take-note level your provider set (90). You can go on, but please take note. Resting "
        "quietly for five minutes and measuring again often helps. Mention it to your provider."
    )
    assert grade(old_vitals) > MAX_GRADE, "the message the review found hard scores hard"
    old_severe = (
        "Severe dizziness or light-headedness needs attention now. Call your emergency number "
        "if it is an emergency, or your provider right away."
    )
    assert grade(old_severe) > MAX_GRADE


# --------------------------------------------------------------------------------------------
# The safety strings


def test_help_reads_at_grade_6(qapp: QApplication) -> None:
    view = HelpView()
    view.show_content(PROFILE, PROTOCOL.emergency)
    view.allow_abort(True)
    view._ask_reason()
    texts = [*widget_texts(view), view.reason.placeholderText()]
    assert any("While you wait" in t for t in texts)
    assert grade(texts) <= MAX_GRADE, grade(texts)


def test_emergency_signs_and_steps_read_at_grade_6() -> None:
    e = PROTOCOL.emergency
    signs = [e.intro, *(s.text for s in e.signs)]
    steps = [s.text for s in e.while_waiting]
    assert grade(signs) <= MAX_GRADE, grade(signs)
    assert grade(steps) <= MAX_GRADE, grade(steps)
    for step in steps:  # each step is a full instruction: graded alone too
        assert grade(step) <= MAX_GRADE, (step, grade(step))


def test_the_monitor_call_screen_reads_at_grade_6(qapp: QApplication) -> None:
    screen = MonitorCallScreen()
    screen.show_for(PROFILE)
    texts = widget_texts(screen)
    screen.set_ringing(False)
    texts += [screen.sound_note.text()]
    assert grade(texts) <= MAX_GRADE, grade(texts)


READINGS = [
    (Reading(142, 80, 70), "warn high"),
    (Reading(142, 92, 104), "warn, three numbers"),
    (Reading(88, 58, 48), "warn low"),
    (Reading(172, 104, 80), "stop high"),
    (Reading(166, 96, 125), "stop, pulse too"),
]


@pytest.mark.parametrize("context", [Context.BEFORE, Context.AFTER])
@pytest.mark.parametrize(("reading", "what"), READINGS)
def test_every_vitals_result_reads_at_grade_6(
    reading: Reading, what: str, context: Context
) -> None:
    result = assess_vitals(PROTOCOL.limits, reading, context=context)
    assert grade(result.message) <= MAX_GRADE, (what, result.message, grade(result.message))
    for finding in vitals_findings(result):
        texts = [finding.title, finding.text]
        assert grade(texts) <= MAX_GRADE, (what, texts)


@pytest.mark.parametrize("context", [Context.BEFORE, Context.AFTER])
def test_the_stop_card_reads_at_grade_6(qapp: QApplication, context: Context) -> None:
    card = StopCard(context)
    card.show_for(assess_vitals(PROTOCOL.limits, Reading(172, 104, 80), context=context), PROFILE)
    texts = [t for t in widget_texts(card) if not t.startswith("Before my") and "After my" not in t]
    assert grade(texts) <= MAX_GRADE, grade(texts)


def test_the_item_9_safety_card_reads_at_grade_6() -> None:
    card = safety_card(PROFILE)
    texts = [card.title, *card.lines, NOT_SENT]
    assert grade(texts) <= MAX_GRADE, grade(texts)


@pytest.mark.parametrize(
    "names", ["dizziness or light-headedness", "confusion, difficulty swallowing"]
)
def test_the_severe_side_effect_card_reads_at_grade_6(names: str) -> None:
    text = severe_effect_message(names, "")
    assert "if it is an emergency" not in text, "no longer circular"
    assert grade([SEVERE_EFFECT_TITLE, text]) <= MAX_GRADE, (text, grade(text))


def test_the_check_in_screen_reads_at_grade_6(qapp: QApplication) -> None:
    panel = CheckinPanel(PROTOCOL.timeline.checkin)
    texts = [*widget_texts(panel), panel.note.placeholderText()]
    assert grade(texts) <= MAX_GRADE, grade(texts)


@pytest.mark.parametrize(("baseline", "current"), [(2, 1), (12, 3), (20, 9), (20, 15)])
def test_response_and_remission_words_read_at_grade_6(baseline: int, current: int) -> None:
    text = trial_words(change_from_baseline(PHQ9, baseline, current))
    assert grade(text) <= MAX_GRADE, (text, grade(text))


@pytest.mark.parametrize(("hour", "minute"), [(6, 30), (2, 0), (21, 30)])
def test_time_of_day_findings_read_at_grade_6(hour: int, minute: int) -> None:
    (finding,) = timing_findings(PROTOCOL.preparation, datetime(2026, 3, 2, hour, minute))
    assert grade([finding.title, finding.text]) <= MAX_GRADE, finding


# --------------------------------------------------------------------------------------------
# The wording the review named


def test_half_past_six_is_early_not_night() -> None:
    (early,) = timing_findings(PROTOCOL.preparation, datetime(2026, 3, 2, 6, 30))
    assert early.title == "It is early for a session"
    assert "night" not in early.text
    (night,) = timing_findings(PROTOCOL.preparation, datetime(2026, 3, 2, 2, 0))
    assert night.title == "It is the middle of the night"


def test_vitals_results_have_no_jargon() -> None:
    result = assess_vitals(PROTOCOL.limits, Reading(142, 92, 70))
    for jargon in ("take-note", "systolic", "diastolic", ";"):
        assert jargon not in result.message, jargon
    assert "Your top blood pressure number is 142 mmHg." in result.message
    assert "the warning line (140) in Companion's default limits" in result.message
