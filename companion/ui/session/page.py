"""The Session page: one flow for sessions and rehearsals, driven by the timeline.

Start → Before → Dose (settle and hold) → Journey (and return) → After → Done, with Help over
any of them. The views show what the timeline says is true now (``TimelineDriver`` asks it on
every tick); this page wires them to the recorder, the music and the voice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
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

from companion.audio.prompts import CueKind
from companion.domain.profile import Profile
from companion.domain.protocol import PhaseId, Protocol, ProtocolTimeline
from companion.domain.session_core import Overdue, SessionView, view_state
from companion.domain.timeline import DueEvent, EventKind, SessionTimeline, TimelineState
from companion.errors import CompanionError
from companion.i18n import N_, _, format_number
from companion.services.sessions_model import ResumeStage, SessionEventKind
from companion.settings import MUSIC_VOLUME, SPOKEN_PROMPTS
from companion.ui.context import UiContext
from companion.ui.session.after import AfterView
from companion.ui.session.audio import (
    AudioFactory,
    Playlist,
    SessionAudio,
    music_choice,
    playlist_for,
)
from companion.ui.session.before import BeforeView
from companion.ui.session.call_monitor import install_monitor_call, journey_call_button
from companion.ui.session.dose import DoseView
from companion.ui.session.driver import TimelineDriver
from companion.ui.session.help import HelpView, call_button_text
from companion.ui.session.journey import JourneyView
from companion.ui.session.music import MusicConductor
from companion.ui.session.resume import interrupted_text, resume_text
from companion.ui.session.run import SessionRun, Setup
from companion.ui.session.sound_check import SoundCheck
from companion.ui.session.start import DoneView, StartView
from companion.ui.session.style import session_stylesheet
from companion.ui.session.timefmt import clock_time
from companion.ui.session.voice import Voice
from companion.ui.tasks import SESSION_AND_PLAN, Change, Changed
from companion.ui.widgets.text import button, char_width, label, relayout_now

if TYPE_CHECKING:
    from companion.domain.session_core import AfterStatus
    from companion.services.container import Services
    from companion.services.planning import PlannedVisit
    from companion.services.sessions import SessionService
    from companion.services.sessions_model import DoseFacts, ResumeInfo

HELP_KEYS = ("F1", "Esc")  # see docs: Space would fire while a note is being typed
SOUND_FAILED_NOTE = N_(
    "Monitor: the sound is not working, so the prompts cannot be heard. Please read each one "
    "to the patient; it stays here until answered."
)
NO_VOICE_NOTE = N_(
    "Monitor: no voice speaks the prompts today. Please read each one to the patient; it stays "
    "here until answered."
)
CLOSED = N_(
    "The session is closed, and no medicine was logged. Follow your provider's plan for the "
    "next one, and call them if something worried you today."
)


class SessionPage(QWidget):
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
        self.voice = Voice(voice_engine, enabled=ctx.settings.get(SPOKEN_PROMPTS), parent=self)
        self.session_audio = SessionAudio(ctx.settings, audio, ctx.clock, self.voice, parent=self)
        self.session_audio.show_text.connect(self._show_text)
        self.session_audio.sound_unavailable.connect(self._sound_unavailable)
        self.driver = TimelineDriver(ctx.clock, self)
        self.driver.due.connect(self._on_due)
        self.driver.ticked.connect(self._on_tick)
        self.before: BeforeView | None = None
        self.dose: DoseView | None = None
        self.journey: JourneyView | None = None
        self.after: AfterView | None = None
        self._under_help: QWidget | None = None
        self._finished_id = ""
        self._prebuilt: AfterView | None = None
        self._prebuilding = False
        self._scanned: list[Playlist] = []  # the music found while the session was prepared
        ctx.tasks.changed.connect(self._on_changed)

        self.stack = QStackedWidget()
        self.start_view = StartView(ctx.settings)
        self.done_view = DoneView()
        self.help_view = HelpView()
        for view in (self.start_view, self.done_view, self.help_view):
            self.stack.addWidget(view)
        self.bar = QFrame()
        bar_layout = QHBoxLayout(self.bar)
        line = self.fontMetrics().height()
        bar_layout.setContentsMargins(line, line // 4, line, line // 4)
        # Wraps: "Rehearsal at 60× · nothing is recorded" beside the two big buttons was
        # wider than a 1366-pixel screen at 200 % text.
        self.mode: QLabel = label("", "muted")
        self.mode.setMinimumWidth(char_width(self) * 16)  # a few lines, not a column of words
        # Call my monitor, beside Help from the dose to the return (the patient is dosed, or
        # has the eye mask on); Help has its own while it is open. The F2 key works throughout.
        self.call_button: QPushButton = journey_call_button()
        self.call_button.hide()
        self.help_button: QPushButton = button(
            _("Help  (F1)"),
            role="help",
            accessible_name=_("Help"),
            description=_("Shortcut: F1 or Esc. Lowers the music and shows who to call."),
        )
        self.help_button.setAutoDefault(False)
        # Help comes first in the tab order: focus that moves on by itself lands on Help, so a
        # stray Space opens Help rather than ringing the alarm.
        QWidget.setTabOrder(self.help_button, self.call_button)
        bar_layout.addWidget(self.mode, 1)
        bar_layout.addWidget(self.call_button)
        bar_layout.addWidget(self.help_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.bar)
        self.help_button.clicked.connect(self.open_help)
        for key in HELP_KEYS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.open_help)
        self.help_view.closed.connect(self.close_help)
        self.help_view.abort_requested.connect(self.abort)
        self.monitor_call = install_monitor_call(self)
        self.start_view.start_requested.connect(self.start_session)
        self.start_view.rehearse_requested.connect(self.start_rehearsal)
        self.start_view.resume_requested.connect(self.resume)
        self.start_view.dismiss_resume.connect(lambda: self.start_view.offer_resume(None, ""))
        self.done_view.reflect.connect(self._reflect)
        self.done_view.later.connect(self._back_to_start)
        self.apply_style()

    # --- state ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True between the start of a session or rehearsal and its end (for the auto-lock)."""
        return self.run is not None

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

    def _quiet_bar(self, quiet: bool) -> None:
        self.bar.setProperty("role", "quiet" if quiet else "")
        self.call_button.setVisible(quiet and not self.showing_help)
        for widget in (self.bar, self.help_button, self.call_button, self.mode):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def apply_style(self) -> None:
        from companion.settings import TEXT_SCALE, THEME

        settings = self._ctx.settings
        self.setStyleSheet(session_stylesheet(settings.get(THEME), settings.get(TEXT_SCALE)))

    def load(self) -> None:
        """After unlocking: the protocol for Help, the next plan, and any unfinished session."""
        ctx = self._ctx

        def fetch(services: Services) -> tuple[Protocol, PlannedVisit | None, ResumeInfo | None]:
            return (
                services.protocols.active(),
                services.planning.next_planned(),
                services.sessions.unfinished_session(),
            )

        ctx.tasks.run(fetch, receiver=self, on_result=self._on_loaded)

    def _on_loaded(self, loaded: tuple[Protocol, PlannedVisit | None, ResumeInfo | None]) -> None:
        protocol, visit, info = loaded
        self.protocol = protocol
        self.start_view.show_next(visit)
        if info is not None:
            self.offer_resume(info)

    def show_profile(self, profile: Profile) -> None:
        self.profile = profile
        if self.showing_help:
            self._fill_help()

    def set_user_volume(self, volume: int) -> None:
        """Settings moved the volume slider: a running session follows at once."""
        if self.conductor is not None:
            self.conductor.set_user_volume(float(volume))

    def _on_changed(self, changed: Changed) -> None:
        """Another page (an import, a new plan, a protocol) changed what the start shows. A
        running session is never disturbed; it reads nothing the broadcast could change."""
        if self.running or changed.came_from(self):
            return
        if changed.touches(Change.PROTOCOL, Change.SESSIONS):
            self.load()
        elif changed.touches(Change.PLAN):
            self.refresh_plan()

    def refresh_plan(self) -> None:
        ctx = self._ctx
        ctx.tasks.run(
            lambda s: s.planning.next_planned(),
            receiver=self,
            on_result=self.start_view.show_next,
        )

    # --- starting -----------------------------------------------------------------------------
    def start_session(self, planned_id: str | None = None) -> None:
        self._begin_run(planned_id, rehearsal=False, speed=1.0)

    def start_rehearsal(self, speed: int) -> None:
        self._begin_run(None, rehearsal=True, speed=float(speed))

    def _begin_run(self, planned_id: str | None, *, rehearsal: bool, speed: float) -> None:
        if self.run is not None:
            return
        ctx = self._ctx
        clock = ctx.clock
        self.start_view.set_busy(True)
        self.start_view.show_notice("")

        scan = self._music_scan()

        def prepare(services: Services) -> tuple[Setup, SessionService | None]:
            setup = Setup(services.protocols.active(), services.profile.load(), planned_id)
            if not rehearsal:
                return setup, None
            from companion.services.sessions_rehearsal import rehearsal_service

            return setup, rehearsal_service(setup.protocol, setup.profile.prescription, clock)

        def prepared(result: tuple[Setup, SessionService | None]) -> None:
            setup, recorder = result
            run = SessionRun(ctx, recorder, setup, speed=speed)
            run.call(
                lambda r, _sid: r.start_session(setup.planned_id),
                receiver=self,
                on_result=lambda sid: self._on_started(run, sid),
                on_error=self._on_start_error,
                # The planned visit is taken; the session shows elsewhere once it is closed.
                changes=frozenset({Change.PLAN}),
            )

        def then_prepare(_none: None) -> None:  # the folder first, on the second executor
            ctx.tasks.run(prepare, receiver=self, on_result=prepared, on_error=self._on_start_error)

        ctx.tasks.run_without_db(
            scan, receiver=self, on_result=then_prepare, on_error=self._on_start_error
        )

    def _music_scan(self) -> Callable[[], None]:
        """The patient's music folder is read (and the audio stack imported) on the second
        executor before the session is prepared, not on the GUI thread when Begin is pressed (a
        large folder took seconds there) nor on the database worker (a session event never
        waits behind it)."""
        choice = music_choice(self._ctx.settings)  # the settings are read here, on this thread
        scanned: list[Playlist] = []
        self._scanned = scanned

        def scan() -> None:
            scanned.append(playlist_for(choice))
            # The audio stack (python-vlc, libvlc) is imported here too, off the GUI thread:
            # its first import at Begin was ~100 ms of the Begin stall.
            import companion.audio.factory  # noqa: F401

        return scan

    def _on_start_error(self, error: CompanionError) -> None:
        self.start_view.set_busy(False)
        self.start_view.show_notice(str(error))

    def _adopt(self, run: SessionRun, session_id: str) -> None:
        run.session_id = session_id
        self.run = run
        self.protocol = run.protocol
        self.profile = run.profile
        self.markers = 0
        self.mode.setText(
            _("Rehearsal at {speed}× · nothing is recorded").format(speed=format_number(run.speed))
            if run.rehearsal
            else ""
        )
        self.start_view.set_busy(False)
        self.running_changed.emit(True)

    def _on_started(self, run: SessionRun, session_id: str) -> None:
        self._adopt(run, session_id)
        self._show_before()

    def _show_before(self) -> BeforeView:
        assert self.run is not None
        before = BeforeView(self.run, sound_check=self._sound_check(self.run))
        before.began.connect(self._on_began)
        before.not_today.connect(lambda: self.abort(_("Not today")))
        self.before = before
        self.stack.addWidget(before)
        self._route(before)
        before.refresh()
        next(iter(before.checklist.boxes.values())).setFocus()
        return before

    def _sound_check(self, run: SessionRun) -> SoundCheck:
        from companion.audio.prompts import spoken_lines

        texts = [text for _key, text in spoken_lines(run.protocol)]
        return SoundCheck(self.session_audio, self._ctx.settings, self._audio, texts)

    def _on_began(self, protocol_timeline: ProtocolTimeline) -> None:
        run = self.run
        assert run is not None
        clock = self._ctx.clock
        self._start_timeline(
            protocol_timeline,
            run.speed,
            lambda: SessionTimeline(protocol_timeline, clock.monotonic(), speed=run.speed),
        )

    def _start_timeline(
        self,
        protocol_timeline: ProtocolTimeline,
        speed: float,
        make_timeline: Callable[[], SessionTimeline],
        dose: DoseFacts | None = None,
    ) -> None:
        """Builds the views and the music first, then the timeline: its start instant is taken
        once the screen is ready, so the first cue is not late by the time building took."""
        run = self.run
        assert run is not None and self.profile is not None
        self._set_immersive(True)  # first: the navigation's width goes to the new views
        settings = self._ctx.settings
        playlist = self._scanned.pop() if self._scanned else playlist_for(music_choice(settings))
        self.conductor = MusicConductor(
            self._audio, playlist, protocol_timeline, settings.get(MUSIC_VOLUME), self
        )
        self.session_audio.attach_music(self.conductor)
        self.dose = DoseView(run.protocol, self.profile)
        self.dose.confirm_requested.connect(self._confirm_dose)
        if dose is not None:
            self.dose.show_taken(dose)
        self.call_button.setText(call_button_text(run.protocol.emergency.monitor_call_key))
        self.journey = JourneyView(run.protocol, speed=speed)
        self.journey.music_toggled.connect(self.toggle_music)
        self.journey.home_focus = self.help_button
        self.journey.mark_requested.connect(self.mark_moment)
        self.journey.prompt_acknowledged.connect(self._acknowledge)
        self.journey.continue_requested.connect(self._to_after)
        self.journey.checkin.submitted.connect(self._save_checkin)
        if self.session_audio.sound_failed:
            self.journey.show_sound_note(_(SOUND_FAILED_NOTE))
        for view in (self.dose, self.journey):
            self.stack.addWidget(view)
        self._drop(self.before)
        self.before = None
        timeline = make_timeline()
        self.timeline = timeline
        self.driver.drive(timeline)
        if self.dose.confirm_button.isVisible():
            self.dose.confirm_button.setFocus()

    # --- dose and journey ---------------------------------------------------------------------
    def _confirm_dose(self) -> None:
        run, clock = self.run, self._ctx.clock
        assert run is not None
        at = clock.monotonic()
        pressed = clock.now()  # the instant the patient confirmed, not when the worker runs

        def taken(dose: DoseFacts) -> None:
            if self.timeline is None or self.dose is None:
                return
            self.timeline.dose_taken(max(at, self.timeline.started_at_monotonic))
            self.dose.show_taken(dose)
            if not self.showing_help:
                self.help_button.setFocus()  # dosed: focus rests on Help (a stray Space opens it)
            self.driver.tick()

        def failed(error: CompanionError) -> None:
            if self.dose is not None:
                self.dose.confirm_failed()
                self.dose.taken.setText(str(error))
                self.dose.taken.show()

        run.call(
            lambda r, sid: r.confirm_dose(sid, at=pressed),
            receiver=self,
            on_result=taken,
            on_error=failed,
        )

    def _on_due(self, due: DueEvent) -> None:
        run = self.run
        if run is None:
            return
        run.fire(lambda r, sid: r.record_due(sid, due), self)
        self.session_audio.event_due(due)

    def _on_tick(self, state: TimelineState) -> None:
        speed = self.timeline.speed if self.timeline is not None else 1.0
        waiting = [
            (e.id, (state.elapsed_seconds - e.at_seconds) / speed)
            for e in state.pending
            if e.kind is EventKind.CHECKIN
        ]
        self.view = view_state(state.phase.value, state.since_dose_seconds, waiting)
        self._escalate(self.view)
        if self.conductor is not None:
            self.conductor.follow(state)
        self.session_audio.follow(state)
        if state.phase in (PhaseId.SETTLE, PhaseId.HOLD) and self.dose is not None:
            self.dose.update_state(state)
            self._route(self.dose)
        elif state.phase in (PhaseId.JOURNEY, PhaseId.RETURN) and self.journey is not None:
            self.journey.update_state(state)
            self._route(self.journey)
            if state.phase is PhaseId.RETURN and self.after is None and not self._prebuilding:
                self._prebuilding = True  # build the after step while the return is quiet
                QTimer.singleShot(0, self, self._prebuild_after)
        elif state.phase is PhaseId.AFTER:
            self._to_after()

    @property
    def checkin_overdue_level(self) -> Overdue:
        """For the audio layer: ``ESCALATE`` asks for a louder cue."""
        return Overdue.NONE if self.view is None else self.view.checkin_overdue_level

    def _escalate(self, view: SessionView) -> None:
        """An unanswered check-in: its cue again, then a visible alert (and a louder cue)."""
        if self.journey is not None:
            self.journey.show_overdue(view.checkin_overdue_level is Overdue.ESCALATE)
        event_id = view.overdue_checkin
        if event_id is None or self.showing_help:
            return
        key = f"{event_id}:{int(view.checkin_overdue_level)}"
        if key not in self._repeated:
            self._repeated.add(key)
            louder = view.checkin_overdue_level is Overdue.ESCALATE
            self.session_audio.play_cue(CueKind.CHECKIN, louder=louder)

    def _show_text(self, key: str, text: str) -> None:
        """No voice can say this prompt: its words stay large on the (dim) screen until it is
        answered, and the monitor is told why."""
        if self.journey is None:
            return
        self.journey.pin(key, text)
        failed = self.session_audio.sound_failed
        self.journey.show_sound_note(_(SOUND_FAILED_NOTE) if failed else _(NO_VOICE_NOTE))

    def _sound_unavailable(self) -> None:
        if self.journey is not None:
            self.journey.show_sound_note(_(SOUND_FAILED_NOTE))

    def _acknowledge(self, event_id: str) -> None:
        if self.journey is not None:
            self.journey.unpin(event_id)
        if self.timeline is None or self.run is None:
            return
        self.timeline.acknowledge(event_id)
        self.session_audio.acknowledge(event_id)
        detail = {"event_id": event_id}
        at = self._ctx.clock.now()
        self.run.fire(
            lambda r, sid: r.log_event(sid, SessionEventKind.ACKNOWLEDGED, detail, at=at), self
        )
        self.driver.tick()

    def _save_checkin(self, event_id: str, answers: dict[str, bool], note: str) -> None:
        run = self.run
        assert run is not None and self.journey is not None
        urgent = self.journey.checkin.urgent()
        at = self._ctx.clock.now()

        def saved(_facts: object) -> None:
            self.session_audio.acknowledge(event_id)
            if self.journey is not None:
                self.journey.unpin(event_id)
            if self.timeline is not None:
                self.timeline.acknowledge(event_id)
                self.driver.tick()
            if urgent:
                self.open_help()

        run.call(
            lambda r, sid: r.record_checkin(sid, answers, note=note, event_id=event_id, at=at),
            receiver=self,
            on_result=saved,
        )

    def toggle_music(self) -> None:
        """ "Music off" / "Music on". Nothing else stops: the time since the dose, the prompts
        and the monitor's check-ins go on (there is no Pause: a stray key must never silence
        the monitoring)."""
        if self.conductor is None or self.journey is None:
            return
        self.music_off = not self.music_off
        volume = 0.0 if self.music_off else float(self._ctx.settings.get(MUSIC_VOLUME))
        self.conductor.set_user_volume(volume)
        self.conductor.restore(self.driver.last_state)  # a gentle fade to the new volume
        self.journey.show_music(not self.music_off)

    def mark_moment(self) -> None:
        run = self.run
        if run is None or self.timeline is None:
            return
        self.markers += 1
        at = self._ctx.clock.now()
        run.fire(lambda r, sid: r.log_event(sid, SessionEventKind.MARKER, at=at), self)
        if self.journey is not None:
            self.journey.show_marked(clock_time(self._ctx.clock.now()))

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
        self.stack.setCurrentWidget(self.help_view)
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
        self.stack.setCurrentWidget(target)
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

    # --- after and the end --------------------------------------------------------------------
    def _prebuild_after(self) -> None:
        self._prebuilding = False
        run = self.run
        if run is None or self.after is not None or self._prebuilt is not None:
            return
        after = AfterView(run)
        after.finished.connect(self._finished)
        after.emergency_requested.connect(self.open_help)
        self.stack.addWidget(after)
        self._prebuilt = after

    def _to_after(self) -> None:
        run = self.run
        if run is None or self.after is not None:
            return
        self.driver.stop()
        self.session_audio.attach_music(None)  # a line being spoken (the ending) may finish
        if self.conductor is not None:
            self.conductor.close()
            self.conductor = None
        if self._prebuilt is None:
            self._prebuild_after()
        after, self._prebuilt = self._prebuilt, None
        assert after is not None
        self.after = after
        self._route(after)
        # The dose and journey views are done with; they go before the navigation returns (a
        # stack asks for room for every page it holds, shown or not).
        for view in (self.dose, self.journey):
            self._drop(view)
        self.dose = self.journey = None
        self._set_immersive(False)
        run.call(lambda r, sid: r.after_status(sid), receiver=after, on_result=after.show_status)
        if not self.showing_help:
            after.vitals.first.boxes["systolic"].setFocus()

    def _finished(self) -> None:
        run = self.run
        assert run is not None
        self.done_view.show_done(run.rehearsal, self.markers)
        self._finished_id = "" if run.rehearsal else run.session_id
        self._route(self.done_view)
        self._end_run()
        self.done_view.reflect_button.setFocus()

    def _reflect(self) -> None:
        session_id, self._finished_id = self._finished_id, ""
        self._back_to_start()
        if session_id:
            self.reflection_requested.emit(session_id)

    def _back_to_start(self) -> None:
        self._route(self.start_view)
        self.start_view.start_button.setFocus()

    def abort(self, reason: str) -> None:
        """ "Not today" or "End early". Before the dose the session closes; after it, the core
        sends it to the After phase (the only way out after a dose)."""
        run = self.run
        if run is None:
            return
        at = self._ctx.clock.now()

        def closed(_result: object = None) -> None:
            self._end_run()
            self.close_help()
            self._route(self.start_view)
            self.start_view.show_notice(_(CLOSED))

        def ended(status: AfterStatus | None) -> None:
            if status is None:
                closed()
                return
            self.close_help()
            self._to_after()

        run.call(
            lambda r, sid: r.end_early(sid, reason=reason, at=at),
            receiver=self,
            on_result=ended,
            on_error=self._show_error,
            changes=SESSION_AND_PLAN,
        )

    def quit_during_session(self) -> None:
        """The window closes mid-session (the patient said yes). After the dose the core
        records "ended early", so the next start resumes in the After phase; before it, the
        session stays open and the before step resumes."""
        run = self.run
        if run is None or run.rehearsal or self.timeline is None:
            return
        if self.timeline.state(self._ctx.clock.monotonic()).since_dose_seconds is None:
            return
        at = self._ctx.clock.now()
        run.fire(lambda r, sid: r.end_early(sid, at=at), self)

    def _show_error(self, error: CompanionError) -> None:
        self.start_view.show_notice(str(error))

    def _end_run(self) -> None:
        self.driver.stop()
        self.session_audio.clear()
        if self.conductor is not None:
            self.conductor.close()
            self.conductor = None
        for view in (self.before, self.dose, self.journey, self.after, self._prebuilt):
            self._drop(view)
        self.before = self.dose = self.journey = self.after = self._prebuilt = None
        self.timeline = None
        was_running = self.run is not None
        self.run = None
        self.mode.setText("")
        if was_running:
            self.running_changed.emit(False)
            self._set_immersive(False)
        self.start_view.set_busy(False)
        self.refresh_plan()

    # --- resuming -----------------------------------------------------------------------------
    def offer_resume(self, info: ResumeInfo) -> None:
        if info.stage is ResumeStage.INTERRUPTED:
            self.start_view.show_notice(interrupted_text(info))
            self._route(self.start_view)
            self.resume_offered.emit()
            return
        self.resume_info = info
        self.start_view.offer_resume(info, resume_text(info))
        self._route(self.start_view)
        self.resume_offered.emit()

    def resume(self) -> None:
        info = self.resume_info
        if info is None or self.run is not None:
            return
        ctx = self._ctx
        self.start_view.set_busy(True)

        scan = self._music_scan()

        def prepare(services: Services) -> Setup:
            setup = Setup(services.protocols.active(), services.profile.load(), None)
            return setup

        def then_prepare(_none: None) -> None:  # the folder first, on the second executor
            ctx.tasks.run(
                prepare,
                receiver=self,
                on_result=lambda setup: self._resume_with(info, setup),
                on_error=self._on_start_error,
            )

        ctx.tasks.run_without_db(
            scan, receiver=self, on_result=then_prepare, on_error=self._on_start_error
        )

    def _resume_with(self, info: ResumeInfo, setup: Setup) -> None:
        self.resume_info = None
        self.start_view.offer_resume(None, "")
        self._adopt(SessionRun(self._ctx, None, setup), info.session_id)
        self.markers = len(info.facts.markers)
        if info.stage is ResumeStage.BEFORE:
            from companion.ui.session.prefill import prefill_before

            prefill_before(self._show_before(), info.facts)
        elif info.stage is ResumeStage.AFTER:
            self._to_after()
        elif info.timeline is not None:
            timeline = info.timeline
            self._start_timeline(
                timeline.protocol_timeline, timeline.speed, lambda: timeline, info.facts.dose
            )

    # --- helpers ------------------------------------------------------------------------------
    def _route(self, view: QWidget) -> None:
        if self.showing_help:
            self._under_help = view
        elif self.stack.currentWidget() is not view:
            self.stack.setCurrentWidget(view)

    def _drop(self, view: QWidget | None) -> None:
        if view is None:
            return
        if self._under_help is view:
            self._under_help = self.start_view
        if self.stack.currentWidget() is view:  # never let the stack pick the next one itself
            self.stack.setCurrentWidget(self.start_view)
        self.stack.removeWidget(view)
        view.deleteLater()

    def clear(self) -> None:
        """The window locks: stop the music and forget every view (the session stays open in
        the vault and is offered again after unlocking)."""
        self.driver.stop()
        self.session_audio.clear()
        if self.conductor is not None:
            self.conductor.close()
            self.conductor = None
        for view in (self.before, self.dose, self.journey, self.after, self._prebuilt):
            self._drop(view)
        self.before = self.dose = self.journey = self.after = self._prebuilt = None
        self.run = None
        self.timeline = None
        self.resume_info = None
