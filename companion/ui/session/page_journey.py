"""The dose and the journey on the Session page: the timeline's due events and ticks, the
prompts and check-ins (repeated, then escalated, when unanswered), the music and the markers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.audio.prompts import CueKind
from companion.domain.protocol import PhaseId
from companion.domain.session_core import Overdue, SessionView, view_state
from companion.domain.timeline import DueEvent, EventKind, TimelineState
from companion.i18n import N_, _
from companion.services.sessions_model import SessionEventKind
from companion.settings import MUSIC_VOLUME
from companion.ui.next_turn import in_next_turn
from companion.ui.session.page_ending import SessionPageEnding
from companion.ui.session.timefmt import clock_time

if TYPE_CHECKING:
    from companion.errors import CompanionError
    from companion.services.sessions_model import DoseFacts

SOUND_FAILED_NOTE = N_(
    "Monitor: the sound is not working, so the prompts cannot be heard. Please read each one "
    "to the patient; it stays here until answered."
)
NO_VOICE_NOTE = N_(
    "Monitor: no voice speaks the prompts today. Please read each one to the patient; it stays "
    "here until answered."
)


class SessionPageJourney(SessionPageEnding):
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
        at = self._ctx.clock.now()  # the record is made after this turn, with this instant
        run.record_after_turn(lambda r, sid: r.record_due(sid, due, at=at), self)
        self._sound_later(lambda: self.session_audio.event_due(due))

    def _on_tick(self, state: TimelineState) -> None:
        speed = self.timeline.speed if self.timeline is not None else 1.0
        waiting = [
            (e.id, (state.elapsed_seconds - e.at_seconds) / speed)
            for e in state.pending
            if e.kind is EventKind.CHECKIN
        ]
        self.view = view_state(state.phase.value, state.since_dose_seconds, waiting)
        self._escalate(self.view)
        self._sound_later(lambda: self._sound_follows(state))
        if state.phase in (PhaseId.SETTLE, PhaseId.HOLD) and self.dose is not None:
            self.dose.update_state(state)
            self._route(self.dose)
        elif state.phase in (PhaseId.JOURNEY, PhaseId.RETURN) and self.journey is not None:
            self.journey.update_state(state)
            self._route(self.journey)
            if state.phase is PhaseId.RETURN and self.after is None and not self._prebuilding:
                self._prebuilding = True  # build the after step while the return is quiet
                in_next_turn(self, self._prebuild_after)
        elif state.phase is PhaseId.AFTER:
            self._to_after()

    def _sound_follows(self, state: TimelineState) -> None:
        if self.conductor is not None:
            self.conductor.follow(state)
        self.session_audio.follow(state)

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
            self._sound_later(lambda: self.session_audio.play_cue(CueKind.CHECKIN, louder=louder))

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
