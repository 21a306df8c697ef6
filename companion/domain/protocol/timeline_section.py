"""Reader of the protocol's ``[timeline]``: phases, music fades, prompts and check-ins."""

from __future__ import annotations

from collections.abc import Mapping

from companion.domain.protocol.fields import (
    boolean,
    check_keys,
    choice,
    entries,
    fmt_number,
    ident,
    number,
    table,
    text,
    unique_ids,
)
from companion.domain.protocol.model import (
    MAX_TEXT,
    MAX_TITLE,
    TIMED_PHASES,
    Anchor,
    Checkin,
    CheckinItem,
    Cue,
    Music,
    Phase,
    PhaseId,
    Prompt,
    ProtocolError,
    ProtocolTimeline,
)
from companion.i18n import N_

_PHASE_MINUTES = {
    PhaseId.SETTLE: (0, 120),
    PhaseId.HOLD: (1, 60),
    PhaseId.JOURNEY: (10, 240),
    PhaseId.RETURN: (0, 120),
}


def read_timeline(t: Mapping[str, object]) -> ProtocolTimeline:
    path = "timeline"
    phase_keys = tuple(p.value for p in TIMED_PHASES)
    check_keys(t, path, required=(*phase_keys, "prompts", "checkin", "resume_grace_minutes"))
    phases = tuple(
        _read_phase(table(t, p.value, path), f"{path}.{p.value}", p) for p in TIMED_PHASES
    )
    journey_table = table(t, PhaseId.JOURNEY.value, path)
    music = _read_music(journey_table, f"{path}.journey", phases[2])
    prompts = _read_prompts(t, path, {p.id: p for p in phases})
    return ProtocolTimeline(
        phases=phases,
        music=music,
        prompts=prompts,
        checkin=_read_checkin(table(t, "checkin", path), f"{path}.checkin"),
        resume_grace_minutes=number(t, "resume_grace_minutes", path, 10, 24 * 60),
    )


def _read_phase(t: Mapping[str, object], path: str, phase_id: PhaseId) -> Phase:
    extra = ("fade_in_seconds", "fade_out_seconds") if phase_id is PhaseId.JOURNEY else ()
    check_keys(t, path, required=("title", "minutes", "text", *extra))
    lo, hi = _PHASE_MINUTES[phase_id]
    return Phase(
        id=phase_id,
        title=text(t, "title", path, MAX_TITLE),
        text=text(t, "text", path, MAX_TEXT),
        minutes=number(t, "minutes", path, lo, hi),
    )


def _read_music(t: Mapping[str, object], path: str, journey: Phase) -> Music:
    fade_in = number(t, "fade_in_seconds", path, 0, 600)
    fade_out = number(t, "fade_out_seconds", path, 0, 600)
    if fade_in + fade_out > journey.seconds:
        raise ProtocolError(
            f"{path}.fade_out_seconds",
            N_("fade-in and fade-out together must fit in the journey ({fmt} s)"),
            fmt=fmt_number(journey.seconds),
        )
    return Music(fade_in, fade_out)


def _read_prompts(
    t: Mapping[str, object], path: str, phases: Mapping[PhaseId, Phase]
) -> tuple[Prompt, ...]:
    prompts: list[Prompt] = []
    for entry_path, e in entries(t, "prompts", path):
        check_keys(
            e,
            entry_path,
            required=("id", "phase", "at_minutes", "text"),
            optional=("cue", "anchor"),
        )
        phase_id = choice(e, "phase", entry_path, PhaseId, exclude=(PhaseId.AFTER,))
        phase = phases[phase_id]
        at = number(e, "at_minutes", entry_path, 0, 24 * 60)
        if at > phase.minutes:
            raise ProtocolError(
                f"{entry_path}.at_minutes",
                N_("must be within the {value} phase (0 to {fmt} minutes)"),
                value=phase_id.value,
                fmt=fmt_number(phase.minutes),
            )
        prompts.append(
            Prompt(
                id=ident(e, "id", entry_path),
                phase=phase_id,
                at_minutes=at,
                text=text(e, "text", entry_path, MAX_TEXT),
                cue=choice(e, "cue", entry_path, Cue) if "cue" in e else Cue.CHIME,
                anchor=choice(e, "anchor", entry_path, Anchor) if "anchor" in e else Anchor.START,
            )
        )
    unique_ids(f"{path}.prompts", [p.id for p in prompts])
    return tuple(prompts)


def _read_checkin(t: Mapping[str, object], path: str) -> Checkin:
    check_keys(t, path, required=("interval_minutes", "text", "items"))
    items: list[CheckinItem] = []
    for entry_path, e in entries(t, "items", path):
        check_keys(e, entry_path, required=("id", "text", "concern_answer"), optional=("urgent",))
        items.append(
            CheckinItem(
                id=ident(e, "id", entry_path),
                text=text(e, "text", entry_path, MAX_TITLE),
                concern_answer=boolean(e, "concern_answer", entry_path),
                urgent=boolean(e, "urgent", entry_path) if "urgent" in e else False,
            )
        )
    unique_ids(f"{path}.items", [i.id for i in items])
    return Checkin(
        interval_minutes=number(t, "interval_minutes", path, 1, 120),
        text=text(t, "text", path, MAX_TEXT),
        items=tuple(items),
    )
