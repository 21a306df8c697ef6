"""The session timeline, driven only by a ManualClock: exact times, pauses, late polls, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.domain.clock import ManualClock
from companion.domain.protocol import Music, PhaseId, ProtocolTimeline
from companion.domain.timeline import (
    MAX_SESSION_HOURS,
    DueEvent,
    EventKind,
    PauseInterval,
    ResumeVerdict,
    SessionTimeline,
    TimelineRecord,
    music_volume,
)
from companion.services.protocol_files import (
    default_protocol,
    default_protocol_path,
    parse_protocol,
)

PT = default_protocol().timeline
START = 1000.0
DOSE = 360.0  # a minute after the settle prompt at 5:00

# Active seconds of every event in the default protocol with the dose at 6:00.
EXPECTED = {
    "phase:settle": 0.0,
    "prompt:ready_to_take": 300.0,
    "phase:hold": 360.0,
    "prompt:hold_start": 360.0,
    "phase:journey": 1260.0,
    "prompt:eye_mask": 1260.0,
    "checkin:1": 2160.0,
    "checkin:2": 3060.0,
    "checkin:3": 3960.0,
    "phase:return": 4860.0,
    "prompt:return": 4860.0,
    "prompt:water": 5460.0,
    "end": 5760.0,
}
END = EXPECTED["end"]


def timeline_with_dose(clock: ManualClock | None = None, speed: float = 1.0) -> SessionTimeline:
    clock = clock or ManualClock(monotonic_start=START)
    tl = SessionTimeline(PT, clock.monotonic(), speed=speed)
    tl.dose_taken(clock.monotonic() + DOSE / speed)
    return tl


# --------------------------------------------------------------------------------------------
# The plan of a session


def test_events_follow_the_protocol_exactly() -> None:
    tl = timeline_with_dose()
    assert {e.id: e.at_seconds for e in tl.events()} == EXPECTED
    assert [e.id for e in tl.events()] == list(EXPECTED)  # in order, phase before its prompts


def test_phase_spans() -> None:
    spans = {s.phase: (s.start_seconds, s.end_seconds) for s in timeline_with_dose().phase_spans()}
    assert spans == {
        PhaseId.SETTLE: (0.0, 360.0),
        PhaseId.HOLD: (360.0, 1260.0),
        PhaseId.JOURNEY: (1260.0, 4860.0),
        PhaseId.RETURN: (4860.0, 5760.0),
        PhaseId.AFTER: (5760.0, None),
    }


def test_state_through_the_session() -> None:
    tl = timeline_with_dose()
    at = {a: tl.state(START + a) for a in (0, 359, 360, 1259, 1260, 4859, 4860, 5759, 5760, 9000)}
    assert [at[a].phase for a in sorted(at)] == [
        PhaseId.SETTLE,
        PhaseId.SETTLE,
        PhaseId.HOLD,
        PhaseId.HOLD,
        PhaseId.JOURNEY,
        PhaseId.JOURNEY,
        PhaseId.RETURN,
        PhaseId.RETURN,
        PhaseId.AFTER,
        PhaseId.AFTER,
    ]
    assert at[1259].phase_remaining_seconds == 1  # the hold countdown
    assert at[360].since_dose_seconds == 0
    assert at[4859].remaining_seconds == 901
    assert at[5759].finished is False and at[5760].finished is True
    assert at[9000].phase_remaining_seconds is None and at[9000].remaining_seconds == 0


def test_waiting_for_the_dose() -> None:
    tl = SessionTimeline(PT, START)
    early = tl.state(START + 60)
    assert early.phase is PhaseId.SETTLE and early.waiting_for_dose
    assert early.phase_remaining_seconds == 240
    assert early.remaining_seconds == 240 + 90 * 60  # the rest assumes the dose at 5:00
    late = tl.state(START + 600)  # settling longer than suggested is fine
    assert late.phase is PhaseId.SETTLE and late.phase_remaining_seconds == 0
    assert late.remaining_seconds == 90 * 60
    assert [p.id for p in late.pending] == ["prompt:ready_to_take"]
    assert [e.id for e in tl.events()] == ["phase:settle", "prompt:ready_to_take"]


def test_the_dose_answers_the_settle_prompt() -> None:
    tl = SessionTimeline(PT, START)
    tl.dose_taken(START + 400)
    state = tl.state(START + 401)
    assert [e.id for e in state.pending] == ["prompt:hold_start"]
    assert state.missed == ()


def test_a_dose_before_the_settle_prompt_skips_it() -> None:
    tl = SessionTimeline(PT, START)
    tl.dose_taken(START + 120)
    assert "prompt:ready_to_take" not in {e.id for e in tl.events()}
    assert tl.events()[-1].at_seconds == 120 + 90 * 60


def test_only_the_first_dose_confirmation_counts() -> None:
    tl = timeline_with_dose()
    tl.dose_taken(START + 900)
    assert tl.dose_at_seconds == DOSE
    with pytest.raises(ValueError, match="before the session started"):
        SessionTimeline(PT, START).dose_taken(START - 1)


# --------------------------------------------------------------------------------------------
# A simulated session with pauses: every event at its exact instant


PAUSES = [(600.0, 120.0), (2500.0, 300.0), (5000.0, 30.0)]  # (at active second, for seconds)


def expected_real(active: float) -> float:
    """Real offset of an active instant, given PAUSES (a pause at that instant comes after)."""
    return active + sum(length for at, length in PAUSES if at < active)


def run_polling(
    tl: SessionTimeline, clock: ManualClock, step: float, until: float
) -> dict[str, float]:
    """Polls every ``step`` real seconds, pausing and resuming as PAUSES says."""
    seen: dict[str, float] = {}
    pause_starts = {expected_real(at): length for at, length in PAUSES}
    resume_at: float | None = None
    while clock.monotonic() - START <= until:
        real = clock.monotonic() - START
        if real in pause_starts:
            tl.pause(clock.monotonic())
            resume_at = real + pause_starts[real]
        if resume_at is not None and real == resume_at:
            tl.resume(clock.monotonic())
            resume_at = None
        for due in tl.poll(clock.monotonic()):
            assert due.event.id not in seen, f"{due.event.id} fired twice"
            seen[due.event.id] = clock.monotonic() - START
        clock.advance(step)
    return seen


def test_a_sixty_minute_session_with_pauses_fires_every_event_at_its_exact_time() -> None:
    clock = ManualClock(monotonic_start=START)
    tl = timeline_with_dose(clock)
    seen = run_polling(tl, clock, step=1.0, until=7000)
    assert seen == {event_id: expected_real(at) for event_id, at in EXPECTED.items()}


def test_due_instants_are_exact_even_with_coarse_polls() -> None:
    clock = ManualClock(monotonic_start=START)
    tl = timeline_with_dose(clock)
    fired: list[DueEvent] = []
    pause_starts = {expected_real(at): length for at, length in PAUSES}
    while clock.monotonic() - START <= 7000:
        real = clock.monotonic() - START
        for start, length in pause_starts.items():
            if real == start:
                tl.pause(clock.monotonic())
            if real == start + length:
                tl.resume(clock.monotonic())
        fired += tl.poll(clock.monotonic())
        clock.advance(10.0)
    for due in fired:
        assert due.due_monotonic - START == expected_real(EXPECTED[due.event.id])
        assert 0 <= due.late_seconds < 10 + 1e-9
    assert len(fired) == len(EXPECTED)


def test_late_and_skipped_polls_still_fire_each_event_once() -> None:
    clock = ManualClock(monotonic_start=START)
    tl = timeline_with_dose(clock)
    clock.advance(1300)  # first poll 40 s into the journey
    first = tl.poll(clock.monotonic())
    assert [d.event.id for d in first] == list(EXPECTED)[:6]
    stale = {d.event.id for d in first if d.stale}
    assert stale == {"phase:settle", "prompt:ready_to_take", "phase:hold", "prompt:hold_start"}
    eye_mask = next(d for d in first if d.event.id == "prompt:eye_mask")
    assert eye_mask.late_seconds == 40 and not eye_mask.stale
    clock.advance(1800)  # skipped polls: 3100 s, past check-ins 1 (2160) and 2 (3060)
    second = tl.poll(clock.monotonic())
    assert [(d.event.id, d.stale) for d in second] == [("checkin:1", True), ("checkin:2", False)]
    assert tl.poll(clock.monotonic()) == ()
    clock.advance(10_000)
    rest = tl.poll(clock.monotonic())
    assert [d.event.id for d in rest] == list(EXPECTED)[8:]
    assert tl.poll(clock.monotonic()) == ()


def apply_pauses(tl: SessionTimeline, pauses: list[tuple[float, float]]) -> None:
    """Pauses at each (real offset, length), skipping any that would overlap the previous."""
    free_from = START
    for at, length in sorted(pauses):
        if START + at >= free_from:
            tl.pause(START + at)
            tl.resume(START + at + length)
            free_from = START + at + length


@settings(max_examples=60, deadline=None)
@given(
    polls=st.lists(st.floats(0, 7000, allow_nan=False), max_size=40),
    pauses=st.lists(
        st.tuples(st.floats(0, 6000, allow_nan=False), st.floats(0, 900, allow_nan=False)),
        max_size=4,
    ),
)
def test_polls_at_any_times_return_each_event_once_in_order(
    polls: list[float], pauses: list[tuple[float, float]]
) -> None:
    times = [*sorted(START + p for p in polls), START + 20_000]

    windows = timeline_with_dose()
    apply_pauses(windows, pauses)
    seen: list[str] = []
    since: float | None = None
    for now in times:
        seen += [d.event.id for d in windows.due_events(since, now)]
        since = now
    assert seen == list(EXPECTED)  # the pure form: consecutive windows partition the events

    polled = timeline_with_dose()
    apply_pauses(polled, pauses)
    seen = []
    for now in times:
        for due in polled.poll(now):
            assert due.due_monotonic <= now and due.late_seconds >= 0
            seen.append(due.event.id)
    assert seen == list(EXPECTED)  # the stateful form: the same, each exactly once


# --------------------------------------------------------------------------------------------
# Pending, acknowledged, missed


def test_prompts_stay_pending_until_acknowledged_and_checkins_until_the_next() -> None:
    tl = timeline_with_dose()
    in_journey = tl.state(START + 1300)
    assert [e.id for e in in_journey.pending] == ["prompt:eye_mask"]
    assert [e.id for e in in_journey.missed] == ["prompt:hold_start"]  # its phase has ended
    tl.acknowledge("prompt:eye_mask")
    at_checkin = tl.state(START + 2160)
    assert [e.id for e in at_checkin.pending] == ["checkin:1"]
    assert [e.id for e in at_checkin.missed] == ["prompt:hold_start"]
    tl.acknowledge("prompt:hold_start")
    later = tl.state(START + 3061)
    assert [e.id for e in later.pending] == ["checkin:2"]
    assert [e.id for e in later.missed] == ["checkin:1"]
    tl.acknowledge("checkin:1")
    assert tl.state(START + 3061).missed == ()
    with pytest.raises(KeyError):
        tl.acknowledge("checkin:99")


def test_event_texts_and_cues_come_from_the_protocol() -> None:
    events = {e.id: e for e in timeline_with_dose().events()}
    assert events["prompt:return"].text == (
        "The music has ended. Slowly remove your eye mask; stay seated."
    )
    assert events["prompt:return"].cue.value == "chime_and_voice"
    assert events["checkin:1"].kind is EventKind.CHECKIN and events["checkin:1"].needs_ack
    assert not events["phase:journey"].needs_ack
    assert events["end"].expires_at_seconds is None


# --------------------------------------------------------------------------------------------
# Music


def test_music_fades_in_plays_and_fades_out_to_silence() -> None:
    tl = timeline_with_dose()
    js = START + 1260

    def volume(offset: float) -> float:
        return tl.state(js + offset).music_volume

    assert tl.state(js - 1).music_volume == 0
    assert volume(0) == 0
    assert volume(22.5) == pytest.approx(0.5)
    assert volume(45) == 1
    assert volume(1800) == 1
    assert volume(3600 - 120) == 1
    assert volume(3600 - 60) == pytest.approx(0.5)
    assert volume(3600) == 0  # the return phase: silence
    assert tl.state(js + 1800).music_position_seconds == 1800
    assert tl.state(js + 3600).music_position_seconds is None


def test_pausing_freezes_the_music_and_the_clock() -> None:
    tl = timeline_with_dose()
    tl.pause(START + 1270)
    frozen = tl.state(START + 1270)
    during = tl.state(START + 1900)
    assert during.paused and during.music_volume == frozen.music_volume
    assert during.elapsed_seconds == frozen.elapsed_seconds == 1270
    assert tl.seconds_until_next_event(START + 1900) is None
    tl.resume(START + 2000)
    after = tl.state(START + 2000)
    assert not after.paused and after.music_position_seconds == 10


@settings(max_examples=200)
@given(
    position=st.floats(-100, 4000, allow_nan=False),
    fade_in=st.floats(0, 600, allow_nan=False),
    fade_out=st.floats(0, 600, allow_nan=False),
)
def test_music_volume_is_always_between_silence_and_full(
    position: float, fade_in: float, fade_out: float
) -> None:
    v = music_volume(position, 3600, Music(fade_in, fade_out))
    assert 0 <= v <= 1
    if position < 0 or position > 3600:
        assert v == 0
    elif (position == 0 and fade_in > 0) or (position == 3600 and fade_out > 0):
        assert v == 0  # a fade starts from silence and ends in silence
    elif fade_in <= position <= 3600 - fade_out:
        assert v == 1


# --------------------------------------------------------------------------------------------
# Pause rules, speed and timers


def test_pause_and_resume_are_idempotent_and_time_only_goes_forward() -> None:
    tl = timeline_with_dose()
    tl.resume(START + 10)  # not paused: nothing happens
    tl.pause(START + 500)
    tl.pause(START + 510)  # already paused
    assert tl.state(START + 510).paused
    with pytest.raises(ValueError, match="backwards"):
        tl.resume(START + 400)
    tl.resume(START + 600)
    assert not tl.paused and tl.elapsed(START + 600) == 500
    with pytest.raises(ValueError, match="backwards"):
        tl.pause(START + 599)


def test_rehearsal_runs_the_same_timeline_faster() -> None:
    clock = ManualClock(monotonic_start=START)
    tl = timeline_with_dose(clock, speed=60)
    seen: dict[str, float] = {}
    while clock.monotonic() - START <= 100:
        for due in tl.poll(clock.monotonic()):
            seen[due.event.id] = due.due_monotonic - START
        clock.advance(0.25)
    assert seen == {event_id: at / 60 for event_id, at in EXPECTED.items()}
    assert tl.state(START + 96).finished


def test_speed_must_be_sensible() -> None:
    for bad in (0, -1, float("inf"), 5000):
        with pytest.raises(ValueError):
            SessionTimeline(PT, START, speed=bad)


def test_seconds_until_next_event() -> None:
    tl = timeline_with_dose()
    tl.poll(START + 1300)
    assert tl.seconds_until_next_event(START + 1300) == 2160 - 1300
    fast = timeline_with_dose(speed=10)
    fast.poll(START + 130)
    assert fast.seconds_until_next_event(START + 130) == pytest.approx((2160 - 1300) / 10)
    waiting = SessionTimeline(PT, START)
    waiting.poll(START + 301)
    assert waiting.seconds_until_next_event(START + 301) is None


def test_planned_end() -> None:
    tl = timeline_with_dose()
    assert tl.planned_end_monotonic(START) == START + END
    tl.pause(START + 100)
    tl.resume(START + 160)
    assert tl.planned_end_monotonic(START + 200) == START + END + 60


def test_the_prescribed_hold_time_replaces_the_protocols() -> None:
    tl = SessionTimeline(PT.with_hold_minutes(7), START)
    tl.dose_taken(START + 300)
    events = {e.id: e.at_seconds for e in tl.events()}
    assert events["phase:journey"] == 300 + 7 * 60


def test_prompts_anchored_to_the_end_of_a_phase() -> None:
    text = (
        default_protocol_path()
        .read_text(encoding="utf-8")
        .replace(
            '[[timeline.prompts]]\nid = "eye_mask"',
            '[[timeline.prompts]]\nid = "nearly"\nphase = "hold"\nanchor = "end"\nat_minutes = 2\n'
            'text = "Two more minutes."\n\n[[timeline.prompts]]\nid = "eye_mask"',
        )
    )
    pt: ProtocolTimeline = parse_protocol(text).timeline
    tl = SessionTimeline(pt, START)
    tl.dose_taken(START + DOSE)
    assert {e.id: e.at_seconds for e in tl.events()}["prompt:nearly"] == 1260 - 120


# --------------------------------------------------------------------------------------------
# Late start and crash-resume


def test_a_late_start_fires_what_is_due_with_stale_marks() -> None:
    clock = ManualClock(monotonic_start=START)
    clock.advance(25 * 60)
    tl = SessionTimeline(PT, clock.monotonic() - 25 * 60)  # the session began 25 minutes ago
    tl.dose_taken(clock.monotonic() - 20 * 60)  # and the dose 20 minutes ago
    due = tl.poll(clock.monotonic())
    assert [d.event.id for d in due] == [
        "phase:settle",
        "prompt:ready_to_take",
        "phase:hold",
        "prompt:hold_start",
        "phase:journey",
        "prompt:eye_mask",
    ]
    assert [d.event.id for d in due if not d.stale] == ["phase:journey", "prompt:eye_mask"]
    assert tl.state(clock.monotonic()).music_position_seconds == 300


def test_crash_resume_lands_at_the_right_point() -> None:
    wall0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    first = ManualClock(start=wall0, monotonic_start=START)
    tl = SessionTimeline(PT, first.monotonic())
    first.advance(DOSE)
    tl.dose_taken(first.monotonic())
    first.advance(1000)
    tl.pause(first.monotonic())  # active 1360
    first.advance(200)
    tl.resume(first.monotonic())
    first.advance(700)  # active 2060
    fired_before = [d.event.id for d in tl.poll(first.monotonic())]
    tl.acknowledge("prompt:eye_mask")
    record = tl.snapshot(first)
    assert record.started_at == wall0
    assert record.dose_taken_at == wall0 + timedelta(seconds=DOSE)
    assert record.pauses == (
        PauseInterval(wall0 + timedelta(seconds=1360), wall0 + timedelta(seconds=1560)),
    )

    # The app stops; it starts again 3 minutes later in a new process (new monotonic origin).
    second = ManualClock(start=first.now() + timedelta(seconds=180), monotonic_start=50.0)
    restored = SessionTimeline.restore(PT, record, second)
    now = second.monotonic()
    assert restored.resume_verdict(now) is ResumeVerdict.RESUME
    state = restored.state(now)
    assert state.elapsed_seconds == pytest.approx(2060 + 180)
    assert state.phase is PhaseId.JOURNEY
    assert state.music_position_seconds == pytest.approx(2240 - 1260)
    assert [e.id for e in state.pending] == ["checkin:1"]
    again = [d.event.id for d in restored.poll(now)]
    assert again == ["checkin:1"]  # due during the gap; nothing fired before comes back
    assert set(fired_before) & set(again) == set()
    assert restored.dose_confirmed


def test_crash_while_paused_restores_paused() -> None:
    wall0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    record = TimelineRecord(
        started_at=wall0,
        pauses=(PauseInterval(wall0 + timedelta(minutes=30)),),
        dose_taken_at=wall0 + timedelta(minutes=5),
    )
    clock = ManualClock(start=wall0 + timedelta(minutes=50), monotonic_start=7.0)
    tl = SessionTimeline.restore(PT, record, clock)
    state = tl.state(clock.monotonic())
    assert state.paused and state.elapsed_seconds == pytest.approx(30 * 60)
    assert tl.resume_verdict(clock.monotonic()) is ResumeVerdict.RESUME
    tl.resume(clock.monotonic())
    clock.advance(60)
    assert tl.state(clock.monotonic()).elapsed_seconds == pytest.approx(31 * 60)


def _restored_at(minutes_after_start: float, dose: bool = True) -> tuple[SessionTimeline, float]:
    wall0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    record = TimelineRecord(
        started_at=wall0, dose_taken_at=wall0 + timedelta(minutes=5) if dose else None
    )
    clock = ManualClock(start=wall0 + timedelta(minutes=minutes_after_start), monotonic_start=3.0)
    return SessionTimeline.restore(PT, record, clock), clock.monotonic()


def test_resume_verdicts() -> None:
    planned_end = 5 + 90  # minutes after the start
    tl, now = _restored_at(60)
    assert tl.resume_verdict(now) is ResumeVerdict.RESUME
    tl, now = _restored_at(planned_end + 30)
    assert tl.resume_verdict(now) is ResumeVerdict.AFTER
    assert tl.state(now).finished
    tl, now = _restored_at(planned_end + 120)
    assert tl.resume_verdict(now) is ResumeVerdict.AFTER  # exactly at the grace
    tl, now = _restored_at(planned_end + 121)
    assert tl.resume_verdict(now) is ResumeVerdict.INTERRUPTED
    tl, now = _restored_at(60, dose=False)
    assert tl.resume_verdict(now) is ResumeVerdict.RESUME
    tl, now = _restored_at(5 + 121, dose=False)
    assert tl.resume_verdict(now) is ResumeVerdict.INTERRUPTED


def test_a_session_paused_for_half_a_day_is_interrupted() -> None:
    wall0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    record = TimelineRecord(
        started_at=wall0,
        pauses=(PauseInterval(wall0 + timedelta(minutes=30)),),
        dose_taken_at=wall0 + timedelta(minutes=5),
    )
    clock = ManualClock(start=wall0 + timedelta(hours=MAX_SESSION_HOURS, seconds=1))
    tl = SessionTimeline.restore(PT, record, clock)
    assert tl.resume_verdict(clock.monotonic()) is ResumeVerdict.INTERRUPTED


def test_restore_refuses_impossible_records() -> None:
    wall0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    clock = ManualClock(start=wall0 + timedelta(minutes=10))
    with pytest.raises(ValueError, match="time zone"):
        SessionTimeline.restore(PT, TimelineRecord(started_at=datetime(2026, 3, 2, 16)), clock)
    with pytest.raises(ValueError, match="future"):
        SessionTimeline.restore(PT, TimelineRecord(started_at=wall0 + timedelta(hours=1)), clock)
    overlapping = TimelineRecord(
        started_at=wall0,
        pauses=(
            PauseInterval(wall0 + timedelta(minutes=5), wall0 + timedelta(minutes=7)),
            PauseInterval(wall0 + timedelta(minutes=6), wall0 + timedelta(minutes=8)),
        ),
    )
    with pytest.raises(ValueError, match="backwards"):
        SessionTimeline.restore(PT, overlapping, clock)


def test_restore_keeps_acknowledgements_and_ignores_unknown_ids() -> None:
    wall0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    record = TimelineRecord(
        started_at=wall0,
        dose_taken_at=wall0 + timedelta(minutes=5),
        fired=frozenset({"phase:settle", "nonsense"}),
        acknowledged=frozenset({"prompt:hold_start"}),
    )
    clock = ManualClock(start=wall0 + timedelta(minutes=10))
    tl = SessionTimeline.restore(PT, record, clock)
    assert tl.state(clock.monotonic()).pending == ()
    assert [d.event.id for d in tl.poll(clock.monotonic())] == [
        "prompt:ready_to_take",  # the dose came at 5:00, with the prompt: answered, not missed
        "phase:hold",
        "prompt:hold_start",
    ]
    assert tl.snapshot(clock).fired >= {"phase:settle", "phase:hold"}
