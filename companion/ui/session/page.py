"""The Session page: one flow for sessions and rehearsals, driven by the timeline.

Start → Before → Dose (settle and hold) → Journey (and return) → After → Done, with Help over
any of them. The views show what the timeline says is true now (``TimelineDriver`` asks it on
every tick); this page wires them to the recorder, the music and the voice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from companion.domain.protocol import Protocol, ProtocolTimeline
from companion.domain.timeline import SessionTimeline
from companion.errors import CompanionError
from companion.heap import keep_long_lived
from companion.i18n import _, format_number
from companion.services.sessions_model import ResumeStage
from companion.settings import MUSIC_VOLUME
from companion.ui.context import UiContext
from companion.ui.next_turn import in_next_turn
from companion.ui.session.ahead import hidden_page, show_unseen, unseen_page
from companion.ui.session.audio import AudioFactory, prepare_audio
from companion.ui.session.before import BeforeView
from companion.ui.session.call_monitor import install_monitor_call
from companion.ui.session.dose import DoseView
from companion.ui.session.help import call_button_text
from companion.ui.session.journey import JourneyView
from companion.ui.session.music import MusicConductor
from companion.ui.session.music_choice import Playlist, music_choice, playlist_for
from companion.ui.session.page_journey import SOUND_FAILED_NOTE, SessionPageJourney
from companion.ui.session.resume import interrupted_text, resume_text
from companion.ui.session.run import SessionRun, Setup
from companion.ui.session.sound_check import SoundCheck
from companion.ui.tasks import Change, Changed

if TYPE_CHECKING:
    from companion.services.container import Services
    from companion.services.planning import PlannedVisit
    from companion.services.sessions import SessionService
    from companion.services.sessions_model import DoseFacts, ResumeInfo


class SessionPage(SessionPageJourney):
    def __init__(
        self,
        ctx: UiContext,
        audio: AudioFactory,
        *,
        voice_engine: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, audio, voice_engine=voice_engine, parent=parent)
        self.session_audio.show_text.connect(self._show_text)
        self.session_audio.sound_unavailable.connect(self._sound_unavailable)
        self.driver.due.connect(self._on_due)
        self.driver.ticked.connect(self._on_tick)
        ctx.tasks.changed.connect(self._on_changed)
        self.help_view.abort_requested.connect(self.abort)
        self.monitor_call = install_monitor_call(self)
        self.start_view.start_requested.connect(self.start_session)
        self.start_view.rehearse_requested.connect(self.start_rehearsal)
        self.start_view.resume_requested.connect(self.resume)
        self.start_view.dismiss_resume.connect(lambda: self.start_view.offer_resume(None, ""))
        self.done_view.reflect.connect(self._reflect)
        self.done_view.later.connect(self._back_to_start)
        self.apply_style()

    # --- loading -----------------------------------------------------------------------------
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

    def _on_changed(self, changed: Changed) -> None:
        """Another page (an import, a new plan, a protocol) changed what the start shows. A
        running session is never disturbed; it reads nothing the broadcast could change."""
        if self.running or changed.came_from(self):
            return
        if changed.touches(Change.PROTOCOL, Change.SESSIONS):
            self.load()
        elif changed.touches(Change.PLAN):
            self.refresh_plan()

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
            # its first import at Begin was ~100 ms of the Begin stall. So is Qt Multimedia
            # and its plugin's library, which the sound check's device query loaded (~30 ms).
            import companion.audio.factory  # noqa: F401
            from companion.audio.devices import load_output_backend

            load_output_backend()

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
        self._show_before(in_pieces=True)

    def _show_before(self, *, in_pieces: bool = False) -> BeforeView:
        """The Before step; ``in_pieces``: a part per turn of the event loop (its cards took
        100-300 ms in one turn), shown once the last part is there."""
        run = self.run
        assert run is not None

        def piece(step: Callable[[], None]) -> None:  # never for a step dropped meanwhile (a
            # start check's answer can come after the run ended, the view on its way out)
            self.ahead.add(lambda: None if self._before_ahead is not before else step())

        before = BeforeView(
            run,
            parent=self.stack,
            sound_check=lambda: self._sound_check(run),
            in_pieces=piece if in_pieces else None,
        )
        if in_pieces:
            unseen_page(self.stack, before)  # laid out a part per turn, off the screen
        else:
            hidden_page(self.stack, before)
        before.began.connect(self._on_began)
        before.not_today.connect(lambda: self.abort(_("Not today")))
        self._before_ahead = before
        if in_pieces:
            self.ahead.add(lambda: self._check_then_show(before))
        else:
            self._before_ready(before)
        return before

    def _check_then_show(self, before: BeforeView) -> None:
        """The first start check runs while the step is still hidden: its findings (a dozen
        wrapped paragraphs in a rehearsal) are built there and laid out with the rest when the
        step is shown, not added to the shown page a turn later and laid out again."""
        before.checked.connect(lambda: self.ahead.add(lambda: self._before_ready(before)))
        before.problem.connect(lambda _t: self.ahead.add(lambda: self._before_ready(before)))
        before.refresh()  # shown in a turn after the one that builds the findings

    def _before_ready(self, before: BeforeView) -> None:
        run = self.run
        if run is None or self._before_ahead is not before:
            return
        self._before_ahead = None
        self.before = before
        show_unseen(before)
        self.stack.addWidget(before)
        self._route(before)
        if before.last_result is None:
            before.refresh()
        next(iter(before.checklist.boxes.values())).setFocus()
        # libvlc loads its plugins on a thread while the patient reads the Before step: Begin
        # never waits for it (it took ~75 ms of the Begin stall on the GUI thread).
        prepare_audio(self._audio)
        self._build_ahead(run)
        keep_long_lived()  # no full collection walks the step's widgets in the session

    def _build_ahead(self, run: SessionRun) -> None:
        """The dose and journey views (with the check-in panel), a piece per turn of the event
        loop while the patient reads the Before step: Begin only moves them into place."""
        assert self.profile is not None
        profile = self.profile

        def dose() -> None:
            if self.run is run and self._dose_ahead is None:
                self._dose_ahead = DoseView(run.protocol, profile, parent=self.stack)
                hidden_page(self.stack, self._dose_ahead)

        def journey() -> None:
            if self.run is run and self._journey_ahead is None:
                view = JourneyView(run.protocol, speed=run.speed, parent=self.stack)
                self._journey_ahead = view
                hidden_page(self.stack, view)

        self.ahead.add(dose)
        self.ahead.add(journey)

    def _journey_views(self, speed: float) -> tuple[DoseView, JourneyView]:
        """The views built ahead when there are (the rest built now), else new ones."""
        run = self.run
        assert run is not None and self.profile is not None
        self.ahead.finish()
        dose, self._dose_ahead = self._dose_ahead, None
        journey, self._journey_ahead = self._journey_ahead, None
        if journey is not None and speed != run.speed:  # never: only a resume changes speed
            journey.deleteLater()
            journey = None
        return (
            dose or DoseView(run.protocol, self.profile),
            journey or JourneyView(run.protocol, speed=speed),
        )

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
        """The window without its navigation and the music first; in the next turn of the event
        loop the views, then the timeline: its start instant is taken once the screen is ready,
        so the first cue is not late by the time building took. (In one turn, Begin was a stall
        of 16-18 ms, over a frame: the window laid out again, then the dose view's first
        layout.)"""
        run = self.run
        assert run is not None and self.profile is not None
        self._go_immersive()  # first: the navigation's width goes to the new views
        settings = self._ctx.settings
        playlist = self._scanned.pop() if self._scanned else playlist_for(music_choice(settings))
        self.conductor = MusicConductor(
            self._audio, playlist, protocol_timeline, settings.get(MUSIC_VOLUME), self
        )
        self.session_audio.attach_music(self.conductor)
        in_next_turn(self, lambda: self._show_timeline(run, speed, make_timeline, dose))

    def _show_timeline(
        self,
        run: SessionRun,
        speed: float,
        make_timeline: Callable[[], SessionTimeline],
        dose: DoseFacts | None,
    ) -> None:
        if self.run is not run:  # put away in between (the window locked)
            return
        self.dose, self.journey = self._journey_views(speed)
        self.dose.confirm_requested.connect(self._confirm_dose)
        if dose is not None:
            self.dose.show_taken(dose)
        self.call_button.setText(call_button_text(run.protocol.emergency.monitor_call_key))
        self.journey.music_toggled.connect(self.toggle_music)
        self.journey.home_focus = self.help_button
        self.journey.mark_requested.connect(self.mark_moment)
        self.journey.prompt_acknowledged.connect(self._acknowledge)
        self.journey.continue_requested.connect(self._to_after)
        self.journey.checkin.submitted.connect(self._save_checkin)
        if self.session_audio.sound_failed:
            self.journey.show_sound_note(_(SOUND_FAILED_NOTE))
        self.stack.addWidget(self.dose)
        if self.journey.parentWidget() is self.stack:  # built ahead: laid out off screen
            in_next_turn(self, self._lay_out_journey)
        else:
            self.stack.addWidget(self.journey)
        timeline = make_timeline()
        self.timeline = timeline
        self.driver.drive(timeline)  # its first tick shows the dose or the journey view
        self._drop(self.before)  # not shown: the stack's page is no longer Before
        self.before = None
        if self.dose.confirm_button.isVisible():
            self.dose.confirm_button.setFocus()
        keep_long_lived()  # nor the dose and journey views, for the hour of the session

    def _lay_out_journey(self) -> None:
        """The journey view is laid out off screen (``unseen_page``) in the turn after Begin,
        at the size the page has without the navigation, while the dose view shows: when the
        journey begins it becomes the page with a paint only (its first layout was ~8 ms of
        that turn)."""
        journey = self.journey
        if journey is not None and self.stack.indexOf(journey) < 0:
            unseen_page(self.stack, journey)

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
        prepare_audio(self._audio)  # on its thread; the music plays once it is there
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
