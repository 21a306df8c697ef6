"""The end of a run on the Session page: the After step (built ahead while the return is
quiet), the Done view, ending early, and forgetting a run once it is over or the window locks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.i18n import N_, _
from companion.ui.next_turn import in_next_turn
from companion.ui.session.after import AfterView
from companion.ui.session.ahead import hidden_page, show_unseen, unseen_page
from companion.ui.session.page_base import SessionPageBase
from companion.ui.tasks import SESSION_AND_PLAN

if TYPE_CHECKING:
    from companion.domain.session_core import AfterStatus
    from companion.errors import CompanionError
    from companion.ui.session.run import SessionRun

CLOSED = N_(
    "The session is closed, and no medicine was logged. Follow your provider's plan for the "
    "next one, and call them if something worried you today."
)


class SessionPageEnding(SessionPageBase):
    @property
    def prebuilt_after(self) -> AfterView | None:
        """The After step being built (or built) during the return, not shown yet."""
        return self._prebuilt

    @property
    def after_coming(self) -> bool:
        """The After step becomes the page in the next turn of the event loop."""
        return self._going_after

    def _prebuild_after(self) -> None:
        self._prebuilding = False
        run = self.run
        if run is None or self.after is not None or self._prebuilt is not None:
            return
        # A page-to-be of the stack, a part per turn of the event loop (``ahead``): the return
        # is quiet, and the view becomes a page when the patient is back. Laid out off screen
        # at the size it will have beside the navigation (known since Begin), it is shown then
        # with a paint only (laid out in that turn, it was ~25 ms of the return's stall).
        after = AfterView(run, parent=self.stack, in_pieces=self.ahead.add)
        if self._page_with_navigation is not None:
            unseen_page(self.stack, after, self._page_with_navigation)
        else:  # resumed into the After step: no journey, no size known
            hidden_page(self.stack, after)
        after.finished.connect(self._finished)
        after.emergency_requested.connect(self.open_help)
        # Its times (after-vitals, observation, no driving) asked for once its parts exist, so
        # they are in place before it is shown: asked for as it was shown, the worker's reply
        # came during its first paint and laid it out and painted it again (the After step's
        # row in bench/timeline.py: a median of 11.1 ms, 8.8 ms without).
        self.ahead.add(
            lambda: run.call(
                lambda r, sid: r.after_status(sid), receiver=after, on_result=after.show_status
            )
        )
        self._prebuilt = after

    def _to_after(self) -> None:
        """The return is over (or the session ended early after the dose): the timeline and
        the music stop and the window gets its navigation back in this turn; the After step
        becomes the page in the next (in one turn, 17-19 ms: over a frame)."""
        run = self.run
        if run is None or self.after is not None or self._going_after:
            return
        self.driver.stop()
        self.session_audio.attach_music(None)  # a line being spoken (the ending) may finish
        if self.conductor is not None:
            self.conductor.close()
            self.conductor = None
        if self._prebuilt is None:
            self._prebuild_after()
        self.ahead.finish()  # whatever part is not built yet
        after, self._prebuilt = self._prebuilt, None
        assert after is not None
        self._between_pages()  # no page laid out at the width it has only for this turn
        # The dose and journey views are done with; they go before the navigation returns (a
        # stack asks for room for every page it holds, shown or not).
        for view in (self.dose, self.journey):
            self._drop(view)
        self.dose = self.journey = None
        self._set_immersive(False)  # the window laid out at once, with its navigation
        self._going_after = True
        in_next_turn(self, lambda: self._show_after(run, after))

    def _show_after(self, run: SessionRun, after: AfterView) -> None:
        """The After step becomes the page, once, at the size it keeps."""
        self._going_after = False
        if self.run is not run:  # put away in between (the window locked)
            self.disposal.add(after)
            return
        show_unseen(after)
        self.after = after
        self.stack.addWidget(after)
        self._route(after)
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

    def _stop_and_drop_views(self) -> None:
        """The timeline, the prompts and the music stop, and every view of the run goes."""
        self.driver.stop()
        self._sound_work.clear()  # a cue asked for in the last tick is not played after this
        self.session_audio.clear()
        if self.conductor is not None:
            self.conductor.close()
            self.conductor = None
        self.ahead.cancel()
        for view in (self.before, self.dose, self.journey, self.after, self._prebuilt):
            self._drop(view)
        for ahead in (self._before_ahead, self._dose_ahead, self._journey_ahead):
            if ahead is not None:
                self.disposal.add(ahead)
        self.before = self.dose = self.journey = self.after = self._prebuilt = None
        self._before_ahead = self._dose_ahead = self._journey_ahead = None
        self.timeline = None

    def _end_run(self) -> None:
        self._stop_and_drop_views()
        was_running = self.run is not None
        self.run = None
        self.mode.setText("")
        if was_running:
            self.running_changed.emit(False)
            if self.bar.property("role") == "quiet":  # ended before the After step
                # (after it the window has its navigation back, and was laid out again then:
                # a second forced relayout at Finish took ~10 ms for nothing)
                self._set_immersive(False)
        self.start_view.set_busy(False)
        self.refresh_plan()

    def clear(self) -> None:
        """The window locks: stop the music and forget every view (the session stays open in
        the vault and is offered again after unlocking)."""
        self._stop_and_drop_views()
        self.run = None
        self.resume_info = None
