"""Journey and return: a dim, quiet view with only the time since the medicine and Help.

Prompts (the eye mask, the return) appear large in the middle until answered or gone stale;
a prompt no voice could say (``pin``) stays until it is answered, however long that takes, and a
note for the monitor says why (``show_sound_note``);
a monitor check-in replaces the clock with its simple screen. "Music off" and "mark this moment"
(the M key) sit quietly on the phase line; Help and Call my monitor are in the page's bar below;
"I'm back: continue" comes under the clock in the return. All of it fits a 1366x768 screen at
200 % text, with no scrolling (tests/ui/session/test_fit_at_200_percent.py). There is no
Pause: the time since the dose and the check-ins never stop. Focus rests on Help
(``home_focus``), so a stray Space opens Help rather than silencing anything. An unanswered
check-in shows a visible alert.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.domain.protocol import PhaseId, Protocol
from companion.domain.timeline import EventKind, TimelineEvent, TimelineState
from companion.i18n import _
from companion.ui.session.checkin import CheckinPanel
from companion.ui.session.timefmt import elapsed, spoken_minutes
from companion.ui.widgets.announce import announce
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import button, label

MARK_KEY = "M"
PROMPT_VISIBLE_SECONDS = 150.0  # real seconds a prompt stays large before the quiet clock returns
MARK_FEEDBACK_MS = 4000


class JourneyView(FitsText, QFrame):
    music_toggled = Signal()
    mark_requested = Signal()
    prompt_acknowledged = Signal(str)
    continue_requested = Signal()

    def __init__(
        self, protocol: Protocol, *, speed: float = 1.0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._speed = speed
        self.setProperty("role", "quiet")
        self.setAccessibleName(_("Journey"))
        self._titles = {p.id: p.title for p in protocol.timeline.phases}
        line = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        # Every line of height counts at 200 % text on a 768-pixel screen: thin margins, and
        # the quiet controls share the top line with the phase (no row of their own).

        def fit(h: int) -> None:
            layout.setContentsMargins(h, h // 2, h, h // 2)
            layout.setSpacing(max(6, h // 4))

        fit_to_text(self, fit)
        top = self._build_top(line)
        layout.addLayout(top)
        layout.addStretch(1)

        self._build_center(protocol)
        layout.addWidget(self.center)
        layout.addStretch(2)

        self.home_focus: QWidget | None = None  # the page's Help button
        self.overdue: QLabel = label(
            _("Monitor: a check-in is waiting. Please look in on them now."), "error"
        )
        self.overdue.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.overdue.hide()
        layout.addWidget(self.overdue)
        self.sound_note: QLabel = label("", "error")  # for the monitor: why the words stay
        self.sound_note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sound_note.hide()
        layout.addWidget(self.sound_note)
        self._connect_controls()

    def _build_top(self, line: int) -> QHBoxLayout:
        top = QHBoxLayout()
        self.phase: QLabel = label("", wrap=False)
        self.marked: QLabel = label("")  # wraps beside the buttons rather than widen the row
        top.addWidget(self.phase, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(line)
        top.addWidget(self.marked, 1)
        self.music_button: QPushButton = button(
            _("Music off"), accessible_name=_("Turn the music off")
        )
        self.mark_button: QPushButton = button(
            _("Mark this moment (M)"),
            accessible_name=_("Mark this moment"),
            description=_("Shortcut: M. A note of the time, shown later beside your reflection."),
        )
        for widget in (self.music_button, self.mark_button):
            widget.setAutoDefault(False)
            top.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        return top

    def _build_center(self, protocol: Protocol) -> None:
        self.center = OneAtATime()
        clock = QWidget()
        clock_layout = QVBoxLayout(clock)
        clock_layout.setContentsMargins(0, 0, 0, 0)
        self.clock: QLabel = label("0:00", "countdown", wrap=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.clock_caption: QLabel = label(_("since you took your medicine"))
        self.clock_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.continue_button: QPushButton = button(
            _("I'm back: continue"), accessible_name=_("I am back: continue to how you feel")
        )
        self.continue_button.hide()
        clock_layout.addWidget(self.clock)
        clock_layout.addWidget(self.clock_caption)
        clock_layout.addLayout(_centred(self.continue_button))
        self.center.addWidget(clock)

        prompt = QWidget()
        prompt_layout = QVBoxLayout(prompt)
        prompt_layout.setContentsMargins(0, 0, 0, 0)
        self.prompt: QLabel = label("", "prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.prompt_ok: QPushButton = button(
            _("I have read this"), accessible_name=_("I have read this")
        )
        self.prompt_ok.clicked.connect(self._ack_prompt)
        prompt_layout.addWidget(self.prompt)
        prompt_layout.addLayout(_centred(self.prompt_ok))
        self.center.addWidget(prompt)

        self.checkin = CheckinPanel(protocol.timeline.checkin)
        self.center.addWidget(self.checkin)

    def _connect_controls(self) -> None:
        self._pinned: dict[str, str] = {}  # prompts no voice could say: key -> text
        self.music_button.clicked.connect(self.music_toggled)
        self.mark_button.clicked.connect(self.mark_requested)
        self.continue_button.clicked.connect(self.continue_requested)
        self.mark_shortcut = QShortcut(QKeySequence(MARK_KEY), self)
        self.mark_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.mark_shortcut.activated.connect(self.mark_requested)
        self._shown_prompt = ""
        self._last_checkins: set[str] = set()
        self._feedback = QTimer(self)
        self._feedback.setSingleShot(True)
        self._feedback.setInterval(MARK_FEEDBACK_MS)
        self._feedback.timeout.connect(self.marked.clear)

    @property
    def showing_checkin(self) -> bool:
        return self.center.currentWidget() is self.checkin

    @property
    def shown_prompt(self) -> str:
        return self._shown_prompt

    def update_state(self, state: TimelineState) -> None:
        _set(self.phase, self._titles.get(state.phase, ""))
        since = state.since_dose_seconds or 0.0
        if _set(self.clock, elapsed(since)):
            self.clock.setAccessibleName(
                _("{minutes} since you took your medicine").format(minutes=spoken_minutes(since))
            )
        self.continue_button.setVisible(state.phase is PhaseId.RETURN)
        checkins = [e for e in state.pending if e.kind is EventKind.CHECKIN]
        self._last_checkins = {e.id for e in checkins}
        prompts = [
            e
            for e in state.pending
            if e.kind is EventKind.PROMPT
            and e.text
            and (state.elapsed_seconds - e.at_seconds) / self._speed < PROMPT_VISIBLE_SECONDS
        ]
        pinned = [k for k in self._pinned if k not in self._last_checkins]
        if checkins:
            self._show_checkin(checkins[-1])
        elif pinned:
            self._show_prompt_text(pinned[-1], self._pinned[pinned[-1]])
        elif prompts:
            self._show_prompt(prompts[-1])
        else:
            self._shown_prompt = ""
            self._show(0)

    def _show(self, index: int) -> None:
        if self.center.currentIndex() != index:
            focused = self.focusWidget()
            current = self.center.currentWidget()
            had_focus = (
                focused is not None and current is not None and current.isAncestorOf(focused)
            )
            self.center.setCurrentIndex(index)
            self.mark_shortcut.setEnabled(index != 2)
            if had_focus or index:
                home = self.home_focus or self.mark_button
                target = {0: home, 1: self.prompt_ok, 2: self.checkin.note}[index]
                if index == 2:
                    target = next(iter(self.checkin.boxes.values()), self.checkin.note)
                target.setFocus()

    def _show_prompt(self, event: TimelineEvent) -> None:
        self._show_prompt_text(event.id, event.text)

    def _show_prompt_text(self, key: str, text: str) -> None:
        if self._shown_prompt != key:
            self._shown_prompt = key
            self.prompt.setText(text)
            self.prompt.setAccessibleName(text)
            announce(self.prompt, text)
        self._show(1)

    def pin(self, key: str, text: str) -> None:
        """No voice could say this prompt: its words stay large until it is answered."""
        self._pinned[key] = text
        if key not in self._last_checkins:
            self._show_prompt_text(key, text)

    def unpin(self, key: str) -> None:
        self._pinned.pop(key, None)

    @property
    def pinned(self) -> list[str]:
        return list(self._pinned)

    def show_sound_note(self, text: str) -> None:
        self.sound_note.setText(text)
        self.sound_note.setVisible(bool(text) and not self.overdue.isVisibleTo(self))

    def _show_checkin(self, event: TimelineEvent) -> None:
        self.checkin.show_for(event.id)
        self._show(2)

    def _ack_prompt(self) -> None:
        if self._shown_prompt:
            key = self._shown_prompt
            self.unpin(key)
            self.prompt_acknowledged.emit(key)

    def show_music(self, on: bool) -> None:
        self.music_button.setText(_("Music off") if on else _("Music on"))
        self.music_button.setAccessibleName(
            _("Turn the music off") if on else _("Turn the music on")
        )

    def show_overdue(self, overdue: bool) -> None:
        """The check-in has waited too long: a visible alert until it is answered. Both lines
        speak to the monitor, so the sound note steps aside while the alert shows (at 200 %
        text on a 768-pixel screen the two together squeezed a three-line prompt)."""
        if self.overdue.isVisibleTo(self) != overdue:
            self.overdue.setVisible(overdue)
        self.sound_note.setVisible(bool(self.sound_note.text()) and not overdue)

    def show_marked(self, at_text: str) -> None:
        self.marked.setText(_("Moment marked at {time}").format(time=at_text))
        self._feedback.start()


class OneAtATime(QWidget):
    """Shows one of its pages at a time, and is only as large as the page shown.

    (A QStackedWidget asks for room for its largest page, shown or not: at 200 % text the
    check-in's room pushed the prompt's screen past a 768-pixel window.)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current = -1

    def addWidget(self, page: QWidget) -> None:
        self._pages.append(page)
        self._layout.addWidget(page)
        if self._current < 0:
            self._current = 0
        else:
            page.hide()

    def currentIndex(self) -> int:
        return self._current

    def currentWidget(self) -> QWidget | None:
        return self._pages[self._current] if self._current >= 0 else None

    def setCurrentIndex(self, index: int) -> None:
        if index == self._current or not 0 <= index < len(self._pages):
            return
        self._current = index
        # Hide first: showing a page lays the window out at once, and with the old page still
        # there the two together could ask for more height than the screen has.
        for n, page in enumerate(self._pages):
            if n != index:
                page.hide()
        self._pages[index].show()


def _centred(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row


def _set(widget: QLabel | QPushButton, text: str) -> bool:
    """Sets the text only when it changes (a tick must not repaint what did not change)."""
    if widget.text() == text:
        return False
    widget.setText(text)
    return True
