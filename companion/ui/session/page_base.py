"""The Session page's frame: its state, the views it always holds, the bar under them, routing
between the views, and Help over any of them.

The steps of a run build on it: ``page_ending`` (After, Done, ending early), ``page_journey``
(the dose and the journey) and ``page`` (starting and resuming).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.profile import Profile
from companion.domain.protocol import Protocol
from companion.domain.session_core import SessionView
from companion.domain.timeline import SessionTimeline
from companion.i18n import _
from companion.services.sessions_model import SessionEventKind
from companion.settings import SPOKEN_PROMPTS
from companion.ui.context import UiContext
from companion.ui.next_turn import next_turn_timer
from companion.ui.session.after import AfterView
from companion.ui.session.ahead import Disposal, Pieces, show_unseen
from companion.ui.session.audio import AudioFactory, SessionAudio
from companion.ui.session.before import BeforeView
from companion.ui.session.call_monitor import journey_call_button
from companion.ui.session.dose import DoseView
from companion.ui.session.driver import TimelineDriver
from companion.ui.session.help import HelpView
from companion.ui.session.journey import JourneyView
from companion.ui.session.music import MusicConductor
from companion.ui.session.music_choice import Playlist
from companion.ui.session.run import SessionRun
from companion.ui.session.start import DoneView, StartView
from companion.ui.session.style import session_stylesheet
from companion.ui.session.voice import Voice
from companion.ui.widgets.fits_text import FitsText, fit_to_text
from companion.ui.widgets.text import button, char_width, label, relayout_now, repolish, set_role

if TYPE_CHECKING:
    from companion.services.sessions_model import ResumeInfo

HELP_KEYS = ("F1", "Esc")  # see docs: Space would fire while a note is being typed


class SessionPageBase(FitsText, QWidget):
    running_changed = Signal(bool)
    immersive_changed = Signal(bool)  # the dim journey: the shell hides its navigation
    reflection_requested = Signal(str)  # session id: the journal takes over
    resume_offered = Signal()

    def __init__(
        self,
        ctx: UiContext,
        audio: AudioFactory,
        *,
        voice_engine: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Session"))
        self._ctx = ctx
        self._audio = audio
        self._init_state()
        self._init_sound(voice_engine)
        self._build_views()
        self._build_bar()
        self.ahead = Pieces(self)  # the next step's views, built while this one is read
        self.disposal = Disposal(self)  # views done with, deleted a few widgets per turn
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.bar)
        self._connect_help()

    def _init_state(self) -> None:
        self.profile: Profile | None = None
        self.protocol: Protocol | None = None
        self.run: SessionRun | None = None
        self.timeline: SessionTimeline | None = None
        self.conductor: MusicConductor | None = None
        self.resume_info: ResumeInfo | None = None
        self.markers = 0
        self.music_off = False
        self.view: SessionView | None = None  # the core's view state, rendered on each tick
        self._repeated: set[str] = set()  # check-in cues already repeated once
        self.before: BeforeView | None = None
        self.dose: DoseView | None = None
        self.journey: JourneyView | None = None
        self.after: AfterView | None = None
        self._under_help: QWidget | None = None
        self._finished_id = ""
        self._prebuilt: AfterView | None = None
        self._prebuilding = False
        self._going_after = False  # the After step becomes the page in the next turn
        # the Before step while its parts are built; the dose and journey views, built while
        # the Before step shows (``ahead``)
        self._before_ahead: BeforeView | None = None
        self._dose_ahead: DoseView | None = None
        self._journey_ahead: JourneyView | None = None
        self._scanned: list[Playlist] = []  # the music found while the session was prepared
        self._page_with_navigation: QRect | None = None  # the After step is laid out for it
        # What a tick asks of the sound (cues, voice, music), done in the turn after the view
        # has changed (``_sound_later``)
        self._sound_work: list[Callable[[], object]] = []

    def _init_sound(self, voice_engine: str | None) -> None:
        ctx = self._ctx
        self.voice = Voice(voice_engine, enabled=ctx.settings.get(SPOKEN_PROMPTS), parent=self)
        self.session_audio = SessionAudio(
            ctx.settings, self._audio, ctx.clock, self.voice, parent=self
        )
        self.driver = TimelineDriver(ctx.clock, self)
        self._sound_timer = next_turn_timer(self, self._do_sound_work)

    def _sound_later(self, work: Callable[[], object]) -> None:
        """``work`` (a cue, a spoken line, the music following the timeline) in the next turn
        of the event loop, in the order asked: the turn of a tick changes the view, the next
        one the sound. Together they were one stall of 15-20 ms at a prompt (issue 16: none
        over a frame); apart, the cue starts a few milliseconds later, well inside the 50 ms
        a prompt may be late."""
        self._sound_work.append(work)
        self._sound_timer.start()

    @property
    def sound_pending(self) -> bool:
        """A tick's sound is still to be done (in the next turn of the event loop)."""
        return bool(self._sound_work)

    def _do_sound_work(self) -> None:
        work, self._sound_work = self._sound_work, []
        for step in work:
            step()

    def _build_views(self) -> None:
        self.stack = QStackedWidget()
        self.start_view = StartView(self._ctx.settings)
        self.done_view = DoneView()
        self.help_view = HelpView()
        self.blank = QWidget()  # shown while the window changes its layout: nothing to lay out
        for view in (self.start_view, self.done_view, self.help_view, self.blank):
            self.stack.addWidget(view)

    def _build_bar(self) -> None:
        self.bar = QFrame()
        bar_layout = QHBoxLayout(self.bar)
        fit_to_text(self, lambda h: bar_layout.setContentsMargins(h, h // 4, h, h // 4))
        # Wraps: "Rehearsal at 60× · nothing is recorded" beside the two big buttons was
        # wider than a 1366-pixel screen at 200 % text.
        self.mode: QLabel = label("", "muted")
        # A few lines, not a column of words:
        fit_to_text(self, lambda _: self.mode.setMinimumWidth(char_width(self) * 16))
        # Help comes first in the tab order: focus that moves on by itself lands on Help, so a
        # stray Space opens Help rather than ringing the alarm. A focus chain follows the order
        # the widgets join their parent (QWidget.setTabOrder between these two had no effect):
        # Help joins the bar first, Call my monitor is then put before it on screen.
        self.help_button: QPushButton = button(
            _("Help  (F1)"),
            role="help",
            accessible_name=_("Help"),
            description=_("Shortcut: F1 or Esc. Lowers the music and shows who to call."),
        )
        self.help_button.setAutoDefault(False)
        # Call my monitor, beside Help from the dose to the return (the patient is dosed, or
        # has the eye mask on); Help has its own while it is open. The F2 key works throughout.
        self.call_button: QPushButton = journey_call_button()
        self.call_button.hide()
        bar_layout.addWidget(self.mode, 1)
        bar_layout.addWidget(self.help_button)
        bar_layout.insertWidget(1, self.call_button)

    def _connect_help(self) -> None:
        self.help_button.clicked.connect(self.open_help)
        for key in HELP_KEYS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.open_help)
        self.help_view.closed.connect(self.close_help)

    # --- state ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True between the start of a session or rehearsal and its end (for the auto-lock)."""
        return self.run is not None

    @property
    def dose_ahead(self) -> DoseView | None:
        """The dose view built while the Before step shows, until Begin takes it."""
        return self._dose_ahead

    @property
    def journey_ahead(self) -> JourneyView | None:
        """The journey view (with its check-in panel) built while the Before step shows."""
        return self._journey_ahead

    @property
    def showing_help(self) -> bool:
        return self.stack.currentWidget() is self.help_view

    def _set_immersive(self, quiet: bool) -> None:
        """The shell hides its navigation before the bar grows its Call my monitor button, and
        the button goes before the navigation returns: at 200 % text the two together would
        be wider than the screen, and the window would grow past it."""
        if quiet:
            self.immersive_changed.emit(True)
            self._quiet_bar(True)
        else:
            self._quiet_bar(False)
            self.bar.updateGeometry()  # the page's layout must see the narrower bar now
            relayout_now()
            self.immersive_changed.emit(False)

    def _go_immersive(self) -> None:
        """Begin (or a resume into the journey): the window is laid out again without its
        navigation, now, while the stack shows its blank page, so no page that is going (the
        Before step: tens of ms) is measured again at the new width; the next view shown is
        sized for the new page."""
        self._between_pages()
        if self.bar.property("role") != "quiet":  # the page's size beside the navigation
            self._page_with_navigation = self.stack.contentsRect()
        self._set_immersive(True)
        relayout_now()

    def _between_pages(self) -> None:
        """The blank page, while the window changes its layout (not under Help, which stays)."""
        if not self.showing_help:
            self._show_page(self.blank)

    def _quiet_bar(self, quiet: bool) -> None:
        set_role(self.bar, "quiet" if quiet else "")
        self.call_button.setVisible(quiet and not self.showing_help)
        for widget in (self.help_button, self.call_button, self.mode):
            repolish(widget)  # their look follows the bar's role

    def apply_style(self) -> None:
        from companion.ui.theme import with_text_size

        self.setStyleSheet(with_text_size(self.own_style()))

    def own_style(self) -> str:
        from companion.settings import TEXT_SCALE, THEME

        settings = self._ctx.settings
        return session_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE))

    def show_profile(self, profile: Profile) -> None:
        self.profile = profile
        if self.showing_help:
            self._fill_help()

    def set_user_volume(self, volume: int) -> None:
        """Settings moved the volume slider: a running session follows at once."""
        if self.conductor is not None:
            self.conductor.set_user_volume(float(volume))

    def refresh_plan(self) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.planning.next_planned(),
            receiver=self,
            on_result=self.start_view.show_next,
        )

    # --- Help ---------------------------------------------------------------------------------
    def _help_at_top(self) -> None:
        """Help opens at its top: who to call is the first thing seen, never scrolled away."""
        self.help_view.verticalScrollBar().setValue(0)

    def open_help(self) -> None:
        if self.showing_help:
            self.help_view.back_button.setFocus()
            return
        self._under_help = self.stack.currentWidget()
        self._fill_help()
        run = self.run
        self.help_view.allow_abort(run is not None, run is not None and run.rehearsal)
        self.help_view.set_music_note(self.conductor is not None and self.driver.running)
        self._show_page(self.help_view)
        self.help_button.hide()  # Help is showing; its own button leads back
        self.call_button.hide()  # and Help has its own Call my monitor
        self.help_view.back_button.setFocus()
        self._help_at_top()
        QTimer.singleShot(0, self, self._help_at_top)  # after the layout and focus settle
        self.session_audio.help_opened()
        if self.conductor is not None:
            self.conductor.duck()
        if run is not None:
            at = self._ctx.clock.now()
            run.fire(lambda r, sid: r.log_event(sid, SessionEventKind.HELP_OPENED, at=at), self)

    def _fill_help(self) -> None:
        emergency = self.protocol.emergency if self.protocol is not None else None
        self.help_view.show_content(self.profile, emergency)

    def close_help(self) -> None:
        if not self.showing_help:
            return
        target = self._under_help if self._under_help is not None else self.start_view
        self._under_help = None
        self._show_page(target)
        self.help_button.show()
        self.call_button.setVisible(self.bar.property("role") == "quiet")
        target.setFocus()
        if self.conductor is not None:
            self.conductor.restore(self.driver.last_state)
        self.session_audio.help_closed()
        if self.run is not None:
            at = self._ctx.clock.now()
            self.run.fire(
                lambda r, sid: r.log_event(sid, SessionEventKind.HELP_CLOSED, at=at), self
            )
        self.driver.tick()

    # --- helpers ------------------------------------------------------------------------------
    def _route(self, view: QWidget) -> None:
        if self.showing_help:
            self._under_help = view
        elif self.stack.currentWidget() is not view:
            self._show_page(view)

    def _show_page(self, view: QWidget) -> None:
        """``view`` becomes the page shown, laid out once, at the size it will have: a page
        the stack has not shown yet still has the size a new widget gets (100x30), and showing
        it there laid its whole tree out at that width (every wrapped label measured for a
        tiny width, the slowest case) before the stack's next layout pass gave it its real size
        and laid it out again (~100 ms for the Before step)."""
        if self.stack.indexOf(view) < 0:  # laid out off screen until now (``unseen_page``)
            show_unseen(view)
            self.stack.addWidget(view)
        page_rect = self.stack.contentsRect()  # where the stack's layout puts its page
        if view.geometry() != page_rect:
            view.setGeometry(page_rect)  # hidden: no layout yet, only its size set
        self.stack.setCurrentWidget(view)

    def _drop(self, view: QWidget | None) -> None:
        if view is None:
            return
        if self._under_help is view:
            self._under_help = self.start_view
        if self.stack.currentWidget() is view:  # never let the stack pick the next one itself
            self._show_page(self.start_view)
        self.stack.removeWidget(view)
        self.disposal.add(view)
