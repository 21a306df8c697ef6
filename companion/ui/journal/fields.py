"""The parts of the editor below the writing: the guided questions, mood, the short
dissociation rating, tags (typed with completion, or picked) and the share switch."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from companion.domain.journal import (
    DISSOCIATION_ANSWERS,
    DISSOCIATION_INTRO,
    DISSOCIATION_QUESTIONS,
    MOOD_ANCHORS,
    MOOD_MAX,
    MOOD_MIN,
    JournalPrompt,
    normalise_tag,
    split_tag_input,
)
from companion.i18n import _
from companion.ui.common.flow import FlowLayout, wrapping_row
from companion.ui.journal.textedit import SpellCheck, WritingEdit
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import button, label
from companion.ui.widgets.wrap import WrapCheckBox, WrapRadioButton

NOT_SET = -1
PICKABLE_TAGS = 10


class PromptCard(FitsText, QFrame):
    """One guided question and its answer."""

    def __init__(
        self, prompt: JournalPrompt, spell: SpellCheck | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.prompt = prompt
        self.setProperty("role", "prompt")
        layout = QVBoxLayout(self)
        fit_to_text(self, lambda h: layout.setContentsMargins(h, h * 3 // 4, h, h * 3 // 4))
        self.question: QLabel = label(_(prompt.text), "prompt-text", wrap=True)
        self.answer = WritingEdit(
            _(prompt.text), placeholder=_(prompt.hint), lines=4, spell_check=spell
        )
        if prompt.hint:
            self.answer.setAccessibleDescription(_(prompt.hint))
        self.question.setBuddy(self.answer)
        layout.addWidget(self.question)
        layout.addWidget(self.answer)
        self.setFocusProxy(self.answer)


class PromptsPanel(FitsText, QWidget):
    """The template's questions, all together or one at a time (``mode`` "all" or "one")."""

    mode_changed = Signal(str)

    def __init__(
        self,
        prompts: Sequence[JournalPrompt],
        mode: str,
        spell: SpellCheck | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.cards = [PromptCard(p, spell) for p in prompts]
        self.index = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        fit_to_text(self, lambda line: layout.setSpacing(max(10, line * 3 // 4)))
        chooser = QWidget()
        chooser_layout = FlowLayout(chooser)
        caption = label(_("Show the questions:"), wrap=False)
        self.all_button = WrapRadioButton(_("All together"))
        self.all_button.setAccessibleName(_("Show all the questions together"))
        self.one_button = WrapRadioButton(_("One at a time"))
        self.one_button.setAccessibleName(_("Show the questions one at a time"))
        group = QButtonGroup(self)
        group.addButton(self.all_button)
        group.addButton(self.one_button)
        for widget in (caption, self.all_button, self.one_button):
            chooser_layout.addWidget(widget)
        layout.addWidget(chooser)
        for card in self.cards:
            layout.addWidget(card)
        self.previous_button: QPushButton = button(
            _("Previous question"), accessible_name=_("Previous question")
        )
        self.position: QLabel = label("", "muted", wrap=False)
        self.next_button: QPushButton = button(
            _("Next question"), accessible_name=_("Next question")
        )
        for b in (self.previous_button, self.next_button):
            b.setAutoDefault(False)
        self.nav = QWidget()
        nav = QVBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.position)
        nav.addWidget(wrapping_row(self.previous_button, self.next_button))
        layout.addWidget(self.nav)
        self.previous_button.clicked.connect(lambda: self.show_question(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_question(self.index + 1))
        (self.one_button if mode == "one" else self.all_button).setChecked(True)
        self.all_button.toggled.connect(self._on_mode)
        self._apply_mode()

    @property
    def mode(self) -> str:
        return "one" if self.one_button.isChecked() else "all"

    def _on_mode(self, _checked: bool) -> None:
        self._apply_mode()
        self.mode_changed.emit(self.mode)

    def _apply_mode(self) -> None:
        one = self.mode == "one"
        self.nav.setVisible(one and len(self.cards) > 1)
        for n, card in enumerate(self.cards):
            card.setVisible(not one or n == self.index)
        self._update_nav()

    def show_question(self, index: int) -> None:
        if not self.cards:
            return
        self.index = max(0, min(index, len(self.cards) - 1))
        self._apply_mode()
        if self.mode == "one":
            self.cards[self.index].answer.setFocus()

    def _update_nav(self) -> None:
        total = len(self.cards)
        self.position.setText(
            _("Question {number} of {total}").format(number=self.index + 1, total=total)
            if total
            else ""
        )
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < total - 1)

    def answers(self) -> dict[str, str]:
        return {card.prompt.id: card.answer.text() for card in self.cards}

    def set_answers(self, answers: dict[str, str]) -> None:
        for card in self.cards:
            card.answer.set_text(answers.get(card.prompt.id, ""))

    def editors(self) -> list[WritingEdit]:
        return [card.answer for card in self.cards]


class MoodField(QWidget):
    changed = Signal()

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption: QLabel = label(question)
        self.value_label: QLabel = label("", "muted")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(NOT_SET, MOOD_MAX)
        self.slider.setPageStep(1)
        self.slider.setValue(NOT_SET)
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider.setAccessibleName(
            _("{question} 0 (very low) to 10 (very good)").format(question=question)
        )
        self.caption.setBuddy(self.slider)
        anchors = QHBoxLayout()
        anchors.setContentsMargins(0, 0, 0, 0)
        anchors.addWidget(label(f"{MOOD_MIN} {_(MOOD_ANCHORS[MOOD_MIN])}", "muted", wrap=False))
        anchors.addStretch(1)
        anchors.addWidget(label(f"{MOOD_MAX} {_(MOOD_ANCHORS[MOOD_MAX])}", "muted", wrap=False))
        layout.addWidget(self.caption)
        layout.addWidget(self.slider)
        layout.addLayout(anchors)
        layout.addWidget(self.value_label)
        self.slider.valueChanged.connect(self._on_value)
        self._on_value(NOT_SET)
        self.setFocusProxy(self.slider)

    def _on_value(self, value: int) -> None:
        if value < MOOD_MIN:
            text = _("Not set (move the slider, or leave it)")
        else:
            anchor = MOOD_ANCHORS.get(value)
            if anchor:
                text = _("{value} of {most}: {anchor}").format(
                    value=value, most=MOOD_MAX, anchor=_(anchor)
                )
            else:
                text = _("{value} of {most}").format(value=value, most=MOOD_MAX)
        self.value_label.setText(text)
        self.slider.setAccessibleDescription(text)
        self.changed.emit()

    def value(self) -> int | None:
        value = self.slider.value()
        return None if value < MOOD_MIN else value

    def set_value(self, value: int | None) -> None:
        self.slider.setValue(NOT_SET if value is None else value)


class DissociationField(QWidget):
    """The short rating after a session, asked plainly: three questions, 0-4 each, optional."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(_(DISSOCIATION_INTRO)))
        self.boxes: dict[str, QComboBox] = {}
        for question in DISSOCIATION_QUESTIONS:
            box = QComboBox()
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(14)
            box.addItem(_("Not answered"), None)
            for value, text in enumerate(DISSOCIATION_ANSWERS):
                box.addItem(f"{value}: {_(text)}", value)
            plain = _(question.text).strip(". ")
            box.setAccessibleName(_("How much did you feel {what}").format(what=plain))
            caption = label(_(question.text))
            caption.setBuddy(box)
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())
            layout.addWidget(caption)
            layout.addWidget(box)
            self.boxes[question.id] = box

    def values(self) -> dict[str, int | None]:
        return {key: box.currentData() for key, box in self.boxes.items()}

    def set_values(self, values: dict[str, int | None]) -> None:
        for key, box in self.boxes.items():
            value = values.get(key)
            index = box.findData(value) if value is not None else 0
            box.setCurrentIndex(max(0, index))


class TagField(QWidget):
    """Tags typed with completion ("calm, sleep") or picked from the ones used most."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption: QLabel = label(_("Tags (separate them with commas)"))
        self.edit = QLineEdit()
        self.edit.setAccessibleName(_("Tags"))
        self.edit.setAccessibleDescription(_("Separate tags with commas, for example: calm, sleep"))
        self.edit.setPlaceholderText(_("for example: calm, sleep, family"))
        self.caption.setBuddy(self.edit)
        self._names = QStringListModel(self)
        self.completer = QCompleter(self._names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setWidget(self.edit)
        self.completer.activated.connect(self._complete)
        self.edit.textEdited.connect(self._on_edited)
        self.picks_caption: QLabel = label(_("Or pick one you used before:"), "muted")
        self.picks = QWidget()
        self._picks_layout = FlowLayout(self.picks)
        self.pick_buttons: dict[str, QPushButton] = {}
        layout.addWidget(self.caption)
        layout.addWidget(self.edit)
        layout.addWidget(self.picks_caption)
        layout.addWidget(self.picks)
        self.picks_caption.hide()
        self.setFocusProxy(self.edit)

    def set_known(self, names: Sequence[str]) -> None:
        """Tags in use, most used first."""
        self._names.setStringList(list(names))
        for old in self.pick_buttons.values():
            self._picks_layout.removeWidget(old)
            old.deleteLater()
        self.pick_buttons = {}
        for name in list(names)[:PICKABLE_TAGS]:
            chip = button(name, role="chip", accessible_name=_("Tag: {tag}").format(tag=name))
            chip.setCheckable(True)
            chip.setAutoDefault(False)
            chip.setChecked(name in self.tags())
            chip.toggled.connect(lambda on, n=name: self._toggle(n, on))
            self._picks_layout.addWidget(chip)
            self.pick_buttons[name] = chip
        self.picks_caption.setVisible(bool(self.pick_buttons))

    def tags(self) -> tuple[str, ...]:
        return split_tag_input(self.edit.text())

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self._sync_chips()

    def _toggle(self, name: str, on: bool) -> None:
        current = list(self.tags())
        if on and name not in current:
            current.append(name)
        elif not on and name in current:
            current.remove(name)
        else:
            return
        self.edit.setText(", ".join(current))
        self.changed.emit()

    def _on_edited(self, text: str) -> None:
        prefix = text.split(",")[-1].strip().lstrip("#")
        self._sync_chips()
        self.changed.emit()
        if len(prefix) < 1:
            self._hide_popup()
            return
        self.completer.setCompletionPrefix(normalise_tag(prefix))
        if self.completer.completionCount():
            self.completer.complete()
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

    def _complete(self, name: str) -> None:
        head = self.edit.text().rsplit(",", 1)
        kept = head[0] + ", " if len(head) > 1 else ""
        self.edit.setText(f"{kept}{name}, ")
        self._sync_chips()
        self.changed.emit()

    def _sync_chips(self) -> None:
        chosen = set(self.tags())
        for name, chip in self.pick_buttons.items():
            chip.blockSignals(True)
            chip.setChecked(name in chosen)
            chip.blockSignals(False)


class ShareSwitch(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = WrapCheckBox(_("Share with my provider"))
        self.box.setAccessibleName(_("Share this entry with my provider"))
        hint = _(
            "Off unless you turn it on. Shared entries can go into an export you choose to "
            "make; nothing is ever sent by itself."
        )
        self.box.setAccessibleDescription(hint)
        layout.addWidget(self.box)
        layout.addWidget(label(hint, "muted"))
        self.box.toggled.connect(lambda _on: self.changed.emit())
        self.setFocusProxy(self.box)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, on: bool) -> None:
        self.box.setChecked(on)
