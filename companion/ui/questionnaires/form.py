"""PHQ-9 and GAD-7 as published: the stem, each item with its four answers, the unscored
"how difficult" question that ends both forms, the exact score and band, and the change against
the baseline with the trial's response and remission (from a starting score of 10 or more only,
and said in plain words).

Any answer above 0 on PHQ-9 item 9 shows the safety card at once (``Scale.triggers_safety_card``),
before the form is finished or saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QWidget

from companion.domain.profile import Profile
from companion.domain.scales import Change, Item, Scale, credit
from companion.errors import CompanionError
from companion.i18n import N_, _, format_percent
from companion.ui import tasks
from companion.ui.context import UiContext
from companion.ui.questionnaires.safety import SafetyCard
from companion.ui.widgets.announce import announce
from companion.ui.widgets.card import Card
from companion.ui.widgets.page import ScrollPage, button_row
from companion.ui.widgets.text import button, label, primary_button, title
from companion.ui.widgets.wrap import WrapRadioButton

if TYPE_CHECKING:
    from companion.services.assessments import Progress, Recorded


def change_text(progress: Progress) -> str:
    """The latest score against the baseline, in plain words."""
    baseline, change = progress.baseline, progress.change
    if baseline is None:
        return ""
    start = (
        _("your score before treatment began")
        if progress.baseline_is_pre_treatment
        else _("your first score")
    )
    if change is None:
        return _(
            "This is your starting point ({start}: {total}). Later answers are compared with it."
        ).format(start=start, total=baseline.total)
    if change.drop > 0 and change.percent_drop is not None:
        moved = _("Compared with {start}, this is down {drop} from {baseline} ({percent} lower).")
    elif change.drop > 0:
        moved = _("Compared with {start}, this is down {drop} from {baseline}.")
    elif change.drop < 0:
        moved = _("Compared with {start}, this is up {rise} from {baseline}.")
    else:
        moved = _("Compared with {start}, this is the same as {baseline}.")
    percent = (
        format_percent(round(change.percent_drop) / 100) if change.percent_drop is not None else ""
    )
    parts = [
        moved.format(
            start=start,
            drop=change.drop,
            rise=-change.drop,
            baseline=change.baseline,
            percent=percent,
        ),
        trial_words(change),
    ]
    return " ".join(parts)


NOT_MEANINGFUL = N_(
    "Your starting score was below 10. The study only used the words “response” and "
    "“remission” if the score started at 10 or more. So we do not use them here."
)
REMISSION_WORDS = N_(
    "That is what the study called remission: a score below 5, which means few or no signs "
    "are left. It is also a response: the score fell by half or more."
)
RESPONSE_WORDS = N_("That is what the study called a response: the score fell by half or more.")
TERMS_WORDS = N_(
    "A study of this at-home treatment called a fall of half or more a “response”. It called a "
    "score below 5 “remission”: few or no signs left."
)


def trial_words(change: Change) -> str:
    """The trial's response and remission, in plain words, only where they mean something."""
    if not change.meaningful:
        return _(NOT_MEANINGFUL)
    if change.remission:
        return _(REMISSION_WORDS)
    if change.response:
        return _(RESPONSE_WORDS)
    return _(TERMS_WORDS)


class QuestionnaireForm(ScrollPage):
    """One questionnaire; ``finished`` carries the ``Recorded`` result, ``closed`` means back."""

    finished = Signal(object)
    closed = Signal()

    def __init__(
        self,
        ctx: UiContext,
        scale: Scale,
        *,
        context: str = "on_demand",
        reason: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self._ctx = ctx
        self.scale = scale
        self._context = context
        col = self.column
        col.addWidget(title(scale.title))
        if reason:
            col.addWidget(label(reason, "muted"))
        self.stem: QLabel = label(scale.stem)
        col.addWidget(self.stem)
        self.groups: list[QButtonGroup] = []
        self.safety = SafetyCard()
        self.safety.hide()
        for item in scale.items:
            col.addWidget(self._question_card(item))
            if item.number == scale.safety_item:
                col.addWidget(self.safety)
        col.addWidget(self._build_difficulty_card())
        self.progress: QLabel = label("", "muted")
        col.addWidget(self.progress)
        self.error: QLabel = label("", "error")
        self.error.hide()
        col.addWidget(self.error)
        self.cancel_button: QPushButton = button(
            _("Not now"), accessible_name=_("Not now, go back")
        )
        self.cancel_button.setAutoDefault(False)
        self.submit_button: QPushButton = primary_button(_("Save my answers"))
        col.addLayout(button_row(self.cancel_button, self.submit_button))
        col.addWidget(label(credit(), "muted"))  # the published credit, in the form's language
        col.addStretch(1)
        self.cancel_button.clicked.connect(self._not_now)
        self.submit_button.clicked.connect(self.submit)
        self._update_progress()
        self.profile: Profile | None = None
        ctx.tasks.run(lambda s: s.profile.load(), receiver=self, on_result=self.set_profile)

    def _question_card(self, item: Item) -> Card:
        """One scored question with its answers; its group joins ``groups``."""
        scale = self.scale
        card = Card(f"{item.number}. {item.text}")
        card.setAccessibleName(
            _("Question {number} of {total}").format(number=item.number, total=len(scale.items))
        )
        group = QButtonGroup(self)
        for option in scale.answers:
            radio = WrapRadioButton(option.text)
            radio.setAccessibleName(f"{option.text} ({option.value})")
            radio.setAccessibleDescription(
                _("Question {number}: {text}").format(number=item.number, text=item.text)
            )
            group.addButton(radio, option.value)
            card.body.addWidget(radio)
        group.idToggled.connect(
            lambda value, on, number=item.number: self._answered(number, value, on)
        )
        self.groups.append(group)
        return card

    def _build_difficulty_card(self) -> Card:
        """The published last question: how difficult the problems made things (not scored)."""
        hard = self.scale.difficulty
        self.difficulty_card = Card(hard.text)
        self.difficulty_card.setAccessibleName(_("Last question, not scored"))
        self.difficulty_card.body.addWidget(
            label(_("This question is not part of the score. You may leave it blank."), "muted")
        )
        self.difficulty = QButtonGroup(self)
        for option in hard.answers:
            radio = WrapRadioButton(option.text)
            radio.setAccessibleName(option.text)
            radio.setAccessibleDescription(hard.text)
            self.difficulty.addButton(radio, option.value)
            self.difficulty_card.body.addWidget(radio)
        return self.difficulty_card

    def _not_now(self) -> None:
        """Back without saving, except a positive safety answer: that is always kept, so the
        next session's start check asks about it (issue 9, finding 9)."""
        number = self.scale.safety_item
        value = None if number is None else self.answers()[number - 1]
        if (
            number is not None
            and value is not None
            and self.scale.triggers_safety_card(number, value)
        ):
            ctx, answer = self._ctx, value
            ctx.tasks.run(
                lambda s: s.assessments.record_item9_only(answer),
                receiver=ctx.tasks,
                changes=frozenset({tasks.Change.ASSESSMENTS}),
            )
        self.closed.emit()

    def answers(self) -> list[int | None]:
        values = []
        for group in self.groups:
            checked = group.checkedId()
            values.append(None if checked < 0 else checked)
        return values

    def _answered(self, number: int, value: int, on: bool) -> None:
        if not on:
            return
        if number == self.scale.safety_item:
            show = self.scale.triggers_safety_card(number, value)
            self.safety.setVisible(show)
            if show:
                self.ensureWidgetVisible(self.safety)
                announce(self.safety, self.safety.text())
        self._update_progress()

    @property
    def total_so_far(self) -> int:
        return sum(v for v in self.answers() if v is not None)

    def _update_progress(self) -> None:
        answered = sum(v is not None for v in self.answers())
        count = len(self.scale.items)
        if answered == count:
            total = self.total_so_far
            band = self.scale.band_for(total)
            self.progress.setText(
                _("All {count} answered. Score {total}: {band}.").format(
                    count=count, total=total, band=band.label.lower()
                )
            )
        else:
            self.progress.setText(
                _("{answered} of {count} answered.").format(answered=answered, count=count)
            )
        self.submit_button.setEnabled(answered == count)

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.safety.show_for(profile)

    def submit(self) -> None:
        values = self.answers()
        if any(v is None for v in values):
            return
        answers = [int(v) for v in values if v is not None]
        hard = self.difficulty.checkedId()
        difficulty = hard if hard >= 0 else None
        ctx, scale_id, context = self._ctx, self.scale.id, self._context
        self.submit_button.setEnabled(False)
        ctx.tasks.run(
            lambda s: s.assessments.record(
                scale_id, answers, context=context, difficulty=difficulty
            ),
            receiver=self,
            on_result=self.finished.emit,
            on_error=self._failed,
            changes=frozenset({tasks.Change.ASSESSMENTS}),
        )

    def _failed(self, error: CompanionError) -> None:
        self.error.setText(str(error))
        self.error.show()
        self.submit_button.setEnabled(True)


class ResultView(ScrollPage):
    """The score just saved: total, band, the change against baseline; the card again if due."""

    done = Signal()

    def __init__(
        self, recorded: Recorded, profile: Profile | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent=parent)
        a = recorded.assessment
        col = self.column
        col.addWidget(title(_("Your {scale} score").format(scale=a.instrument)))
        self.score: QLabel = label(
            _("{total} of {most}").format(total=a.total, most=self._max(a.scale_id)),
            "score",
            wrap=False,
        )
        self.score.setAccessibleName(_("Score {total}").format(total=a.total))
        col.addWidget(self.score)
        self.band: QLabel = label(
            _("{band} ({low} to {high})").format(
                band=a.band.label, low=a.band.low, high=a.band.high
            ),
            "subtitle",
        )
        col.addWidget(self.band)
        self.change: QLabel = label(change_text(recorded.progress))
        col.addWidget(self.change)
        self.change.setVisible(bool(self.change.text()))
        col.addWidget(
            label(
                _(
                    "A score is one view of the last two weeks, not a diagnosis. Your provider can "
                    "talk it through with you."
                ),
                "muted",
            )
        )
        self.safety = SafetyCard()
        if profile is not None:
            self.safety.show_for(profile)
        col.addWidget(self.safety)
        self.safety.setVisible(recorded.needs_safety_card)
        if recorded.needs_safety_card:
            announce(self.safety, self.safety.text())
        self.done_button: QPushButton = primary_button(_("Done"))
        col.addLayout(button_row(self.done_button))
        col.addStretch(1)
        self.done_button.clicked.connect(self.done)

    @staticmethod
    def _max(scale_id: str) -> int:
        from companion.domain.scales import scale

        return scale(scale_id).max_total
