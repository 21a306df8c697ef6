"""Call my monitor: a loud, repeating alarm and a full-screen message for the monitor.

The monitor is nearby but not always in the room, and the patient may not be able to speak or
see. From Help (a big button), from the dim journey view (a big button) or with one key from any
session screen (the protocol's ``monitor_call_key``, F2 by default), Companion:

- opens Help underneath (the music drops to a whisper; the signs and what to do are there);
- plays the alarm (``assets/alerts/monitor-call.ogg``, made by ``tools/make_alarm.py``) on a
  player of its own, at its own full volume, looping; the music's volume setting does not touch
  it, and the file is mastered 12 dB louder than the music before the music is even lowered;
- shows a full-screen message for the monitor: who called and what to do.

Any key or click on that screen stops the sound; "I am here" also closes the screen (Help stays
open under it). The call and its answer are session events in the vault when a session is
running. Nothing is sent anywhere.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.audio.player import BasePlayer, PlayerState
from companion.domain.profile import Profile
from companion.domain.protocol import DEFAULT_MONITOR_CALL_KEY
from companion.i18n import _
from companion.paths import ASSETS_DIR
from companion.services.sessions_model import SessionEventKind
from companion.ui.session.audio import AudioFactory
from companion.ui.session.help import call_monitor_button
from companion.ui.widgets.announce import announce
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import bullet, label, primary_button, subtitle

if TYPE_CHECKING:
    from companion.ui.session.page import SessionPage

log = logging.getLogger(__name__)

ALARM_PATH = ASSETS_DIR / "alerts" / "monitor-call.ogg"
ALARM_VOLUME = 100.0  # the alarm player's own volume; the music's setting never changes it
MONITOR_KEYS = tuple(f"F{n}" for n in range(2, 13))  # what a protocol may name (F1 is Help)


def journey_call_button(key: str = DEFAULT_MONITOR_CALL_KEY) -> QPushButton:
    """The button for the dim journey view: it calls the monitor of the page it sits in."""
    widget = call_monitor_button(key)
    widget.setAutoDefault(False)
    widget.clicked.connect(lambda: request_monitor_call(widget, "journey"))
    return widget


def monitor_steps(profile: Profile | None) -> tuple[str, ...]:
    number = (profile.emergency_number.strip() if profile is not None else "") or "911"
    return (
        _("Go to them now."),
        _("Check that they are breathing and can answer you."),
        _("Stay with them. Talk to them in a calm voice."),
        _("If you see any sign on the Help screen, call {number} now.").format(number=number),
    )


def monitor_heading(profile: Profile | None) -> str:
    name = profile.name.strip() if profile is not None else ""
    return _("{name} needs you now").format(name=name) if name else _("Your person needs you now")


class MonitorCallScreen(FitsText, QFrame):
    """The full-screen message for the monitor. Any key or click stops the sound."""

    silence_requested = Signal()
    answered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("Call my monitor"))
        self.setProperty("role", "stop-card")
        self.setAccessibleName(_("Call my monitor"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)

        def fit(h: int) -> None:
            layout.setContentsMargins(h * 3, h * 2, h * 3, h * 2)
            layout.setSpacing(h)

        fit_to_text(self, fit)
        layout.addStretch(1)
        self.heading: QLabel = label("", "prompt")
        layout.addWidget(self.heading)
        self.reason: QLabel = label(_("They pressed “Call my monitor”. Please go to them now."))
        layout.addWidget(self.reason)
        layout.addWidget(subtitle(_("What to do")))
        self.steps = QWidget()
        self._steps = QVBoxLayout(self.steps)
        self._steps.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.steps)
        self.sound_note: QLabel = label("", "muted")
        layout.addWidget(self.sound_note)
        self.here_button: QPushButton = primary_button(
            _("I am here"), accessible_name=_("I am here: stop the sound and show Help")
        )
        fit_to_text(self, lambda h: self.here_button.setMinimumHeight(h * 3))
        self.here_button.clicked.connect(self.answered)
        layout.addWidget(self.here_button)
        layout.addStretch(1)

    def show_for(self, profile: Profile | None) -> None:
        self.heading.setText(monitor_heading(profile))
        while self._steps.count():
            item = self._steps.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        for step in monitor_steps(profile):
            self._steps.addWidget(bullet(step))
        self.set_ringing(True)

    def set_ringing(self, ringing: bool) -> None:
        self.sound_note.setText(
            _("Press any key to stop the sound.") if ringing else _("The sound is off.")
        )

    def text(self) -> str:
        parts = [self.heading.text(), self.reason.text(), _("What to do:")]
        parts += [w.text() for w in self.steps.findChildren(QLabel) if w.text() != "•"]
        return " ".join(parts)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()
        if event.isAutoRepeat():
            return
        self.silence_requested.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.silence_requested.emit()


class MonitorCall(QObject):
    """The alarm and the screen. ``request(source)`` asks the page to start a call."""

    requested = Signal(str)  # "help", "key" or "journey"
    started = Signal()
    silenced = Signal()
    answered = Signal()

    def __init__(
        self,
        factory: AudioFactory,
        parent: QWidget,
        *,
        alarm: Path = ALARM_PATH,
        volume: float = ALARM_VOLUME,
    ) -> None:
        super().__init__(parent)
        self._factory = factory
        self._alarm = alarm
        self.volume = volume
        self.player: BasePlayer | None = None
        self.screen = MonitorCallScreen(parent)
        self.screen.silence_requested.connect(self.silence)
        self.screen.answered.connect(self.answer)
        self.active = False

    @property
    def ringing(self) -> bool:
        return self.player is not None and self.player.state() is PlayerState.PLAYING

    def request(self, source: str) -> None:
        self.requested.emit(source)

    def start(self, profile: Profile | None) -> None:
        """Rings (again, if it was silenced) and shows the screen for the monitor."""
        if self.player is None:
            self.player = self._factory(self.volume)
            self.destroyed.connect(self.player.close)  # the window locked: silence, free VLC
        self.player.set_volume(self.volume)
        if not self.ringing:
            self.player.load([self._alarm], loop=True)
            self.player.play()
        self.screen.show_for(profile)
        self.screen.showFullScreen()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.setFocus()
        announce(self.screen, self.screen.text())
        self.active = True
        log.info("session.monitor_called")
        self.started.emit()

    def silence(self) -> None:
        if self.player is not None and self.player.state() is not PlayerState.STOPPED:
            self.player.stop()
            self.screen.set_ringing(False)
            log.info("session.monitor_answered")
            self.silenced.emit()

    def answer(self) -> None:
        self.silence()
        self.screen.hide()
        self.active = False
        self.answered.emit()

    def close(self) -> None:
        self.answer()
        if self.player is not None:
            self.player.close()
            self.player = None


def request_monitor_call(widget: QWidget, source: str) -> bool:
    """Asks the ``MonitorCall`` of the nearest page holding ``widget`` to ring."""
    current: QObject | None = widget
    while current is not None:
        call = current.findChild(MonitorCall, "", Qt.FindChildOption.FindDirectChildrenOnly)
        if call is not None:
            call.request(source)
            return True
        current = current.parent()
    return False


def install_monitor_call(page: SessionPage) -> MonitorCall:
    """Wires "Call my monitor" into the session page: Help's button, the protocol's key, the
    journey's button, the music, and the session record."""
    call = MonitorCall(page._audio, page)

    def current_key() -> str:
        protocol = page.protocol
        return protocol.emergency.monitor_call_key if protocol else DEFAULT_MONITOR_CALL_KEY

    for key in MONITOR_KEYS:
        shortcut = QShortcut(QKeySequence(key), page)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(
            lambda k=key: call.request("key") if k == current_key() else None
        )

    def ring(source: str) -> None:
        page.open_help()  # lowers the music; the signs and what to do are under the screen
        call.start(page.profile)
        run = page.run
        if run is not None:
            detail = {"from": source}
            run.fire(lambda r, sid: r.log_event(sid, SessionEventKind.MONITOR_CALLED, detail), page)

    def answered() -> None:
        run = page.run
        if run is not None:
            run.fire(lambda r, sid: r.log_event(sid, SessionEventKind.MONITOR_ANSWERED), page)

    call.requested.connect(ring)
    call.silenced.connect(answered)
    page.help_view.call_monitor_requested.connect(lambda: call.request("help"))
    return call
