"""Readers of the protocol's sections other than the timeline and the emergency signs."""

from __future__ import annotations

import re
from collections.abc import Mapping

from companion.domain.protocol.fields import (
    LANGUAGE_RE,
    as_int,
    as_str,
    boolean,
    check_keys,
    choice,
    entries,
    fmt_number,
    ident,
    list_of,
    number,
    plain_text,
    table,
    text,
    text_items,
    time_of_day,
    unique_ids,
    whole_number,
)
from companion.domain.protocol.model import (
    FORMAT_VERSION,
    KNOWN_SCALES,
    MAX_TEXT,
    MAX_TITLE,
    Aftercare,
    Cadence,
    ChecklistItem,
    HealthQuestion,
    HealthQuestions,
    Level,
    Limits,
    Preparation,
    ProtocolError,
    ProtocolInfo,
    QuestionnaireSchedule,
    Safety,
    SideEffect,
    VitalLimit,
)
from companion.i18n import N_

_PROTOCOL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def read_safety(t: Mapping[str, object]) -> Safety:
    path = "safety"
    keys = ("min_interval_hours", "after_vitals_minutes", "observation_minutes")
    check_keys(t, path, required=keys)
    after, observation = _at_least_pair(
        t,
        path,
        ("after_vitals_minutes", 15, 240),
        ("observation_minutes", 30, 720),
        N_("must be at least after_vitals_minutes ({fmt})"),
    )
    return Safety(
        min_interval_hours=number(t, "min_interval_hours", path, 20, 24 * 90),
        after_vitals_minutes=after,
        observation_minutes=observation,
    )


def read_info(t: Mapping[str, object]) -> ProtocolInfo:
    path = "protocol"
    check_keys(
        t,
        path,
        required=("format", "id", "name", "version", "summary"),
        optional=("source", "language"),
    )
    language = plain_text(t, "language", path, 10) if "language" in t else "en"
    if not LANGUAGE_RE.match(language):
        raise ProtocolError(f"{path}.language", N_("must be a language code such as 'en' or 'es'"))
    fmt = whole_number(t, "format", path, 1, 1_000)
    if fmt != FORMAT_VERSION:
        raise ProtocolError(
            f"{path}.format",
            N_("this version of Companion reads format {FORMAT_VERSION} (the file says {fmt})"),
            FORMAT_VERSION=FORMAT_VERSION,
            fmt=fmt,
        )
    pid = plain_text(t, "id", path, MAX_TITLE)
    if not _PROTOCOL_ID_RE.match(pid):
        raise ProtocolError(
            f"{path}.id", N_("may use only lowercase letters, digits, '-', '_' and '.'")
        )
    return ProtocolInfo(
        id=pid,
        name=text(t, "name", path, MAX_TITLE),
        version=plain_text(t, "version", path, 40),
        summary=text(t, "summary", path, MAX_TEXT),
        source=text(t, "source", path, MAX_TEXT) if "source" in t else "",
        language=language,
    )


def read_cadence(t: Mapping[str, object]) -> Cadence:
    path = "cadence"
    check_keys(t, path, required=("sessions", "interval_days"), optional=("min_days_between",))
    interval = whole_number(t, "interval_days", path, 1, 90)
    return Cadence(
        sessions=whole_number(t, "sessions", path, 1, 52),
        interval_days=interval,
        min_days_between=whole_number(t, "min_days_between", path, 0, interval)
        if "min_days_between" in t
        else 0,
    )


def read_preparation(t: Mapping[str, object]) -> Preparation:
    path = "preparation"
    keys = ("fasting_hours", "recommended_fasting_hours", "earliest_start", "latest_start")
    check_keys(t, path, required=keys)
    fasting, recommended = _at_least_pair(
        t,
        path,
        ("fasting_hours", 0, 24),
        ("recommended_fasting_hours", 0, 24),
        N_("must be at least fasting_hours ({fmt})"),
    )
    earliest = time_of_day(t, "earliest_start", path)
    latest = time_of_day(t, "latest_start", path)
    if latest <= earliest:
        raise ProtocolError(
            f"{path}.latest_start",
            N_("must be later than earliest_start ({earliest:%H:%M})"),
            earliest=earliest,
        )
    return Preparation(fasting, recommended, earliest, latest)


def read_checklist(data: Mapping[str, object]) -> tuple[ChecklistItem, ...]:
    items: list[ChecklistItem] = []
    for path, t in entries(data, "checklist", ""):
        check_keys(t, path, required=("id", "text", "level", "why"))
        items.append(
            ChecklistItem(
                id=ident(t, "id", path),
                text=text(t, "text", path, MAX_TEXT),
                level=choice(t, "level", path, Level),
                why=text(t, "why", path, MAX_TEXT),
            )
        )
    unique_ids("checklist", [i.id for i in items])
    return tuple(items)


_VITAL_RANGES = {"systolic": (60, 260), "diastolic": (30, 160), "pulse": (20, 250)}


def read_limits(t: Mapping[str, object]) -> Limits:
    path = "limits"
    check_keys(t, path, required=("note", "systolic", "diastolic", "pulse"))
    limits = {
        name: _read_vital_limit(table(t, name, path), f"{path}.{name}", name)
        for name in _VITAL_RANGES
    }
    return Limits(
        systolic=limits["systolic"],
        diastolic=limits["diastolic"],
        pulse=limits["pulse"],
        note=text(t, "note", path, MAX_TEXT),
    )


def _read_vital_limit(t: Mapping[str, object], path: str, name: str) -> VitalLimit:
    check_keys(t, path, required=("warn", "stop"), optional=("low_warn", "low_stop"))
    lo, hi = _VITAL_RANGES[name]
    warn = whole_number(t, "warn", path, lo, hi)
    stop = whole_number(t, "stop", path, lo, hi)
    if stop <= warn:
        raise ProtocolError(f"{path}.stop", N_("must be greater than warn ({warn})"), warn=warn)
    low_warn = whole_number(t, "low_warn", path, lo, hi) if "low_warn" in t else None
    if low_warn is not None and low_warn >= warn:
        raise ProtocolError(f"{path}.low_warn", N_("must be less than warn ({warn})"), warn=warn)
    low_stop = whole_number(t, "low_stop", path, lo, hi) if "low_stop" in t else None
    if low_stop is not None:
        above, above_name = (low_warn, "low_warn") if low_warn is not None else (warn, "warn")
        if low_stop >= above:
            raise ProtocolError(
                f"{path}.low_stop",
                N_("must be less than {above_name} ({above})"),
                above_name=above_name,
                above=above,
            )
    return VitalLimit(warn=warn, stop=stop, low_warn=low_warn, low_stop=low_stop)


def read_questionnaires(t: Mapping[str, object], cadence: Cadence) -> QuestionnaireSchedule:
    path = "questionnaires"
    keys = ("scales", "before_sessions", "after_sessions", "every_days_after")
    check_keys(t, path, required=keys)
    scales = list_of(t, "scales", path, as_str)
    for index, scale in enumerate(scales, start=1):
        if scale not in KNOWN_SCALES:
            raise ProtocolError(
                f"{path}.scales[{index}]",
                N_("'{scale}' is not a known questionnaire (known: {join})"),
                scale=scale,
                join=", ".join(KNOWN_SCALES),
            )
    unique_ids(f"{path}.scales", scales, entries=False)

    def sessions(key: str) -> tuple[int, ...]:
        numbers = list_of(t, key, path, as_int)
        for index, n in enumerate(numbers, start=1):
            if not 1 <= n <= cadence.sessions:
                raise ProtocolError(
                    f"{path}.{key}[{index}]",
                    N_("must be a session number from 1 to {sessions} (it is {n})"),
                    sessions=cadence.sessions,
                    n=n,
                )
        unique_ids(f"{path}.{key}", [str(n) for n in numbers], entries=False)
        return tuple(sorted(numbers))

    return QuestionnaireSchedule(
        scales=tuple(scales),
        before_sessions=sessions("before_sessions"),
        after_sessions=sessions("after_sessions"),
        every_days_after=whole_number(t, "every_days_after", path, 0, 365),
    )


def read_aftercare(t: Mapping[str, object]) -> Aftercare:
    path = "aftercare"
    check_keys(t, path, required=("no_driving_hours", "reminders"))
    return Aftercare(
        no_driving_hours=number(t, "no_driving_hours", path, 1, 48),
        reminders=text_items(t, "reminders", path),
    )


def read_health(t: Mapping[str, object]) -> HealthQuestions:
    path = "health"
    check_keys(t, path, required=("notice", "questions"), optional=("stop_notice",))
    questions: list[HealthQuestion] = []
    for entry_path, e in entries(t, "questions", path):
        check_keys(e, entry_path, required=("id", "text"), optional=("level",))
        level = plain_text(e, "level", entry_path, 20) if "level" in e else "confirm"
        if level not in ("stop", "confirm"):
            raise ProtocolError(f"{entry_path}.level", N_("must be 'stop' or 'confirm'"))
        questions.append(
            HealthQuestion(
                ident(e, "id", entry_path), text(e, "text", entry_path, MAX_TEXT), level == "stop"
            )
        )
    unique_ids(f"{path}.questions", [q.id for q in questions])
    default_stop = HealthQuestions("", ()).stop_notice
    return HealthQuestions(
        notice=text(t, "notice", path, MAX_TEXT),
        questions=tuple(questions),
        stop_notice=text(t, "stop_notice", path, MAX_TEXT) if "stop_notice" in t else default_stop,
    )


def read_side_effects(data: Mapping[str, object]) -> tuple[SideEffect, ...]:
    effects: list[SideEffect] = []
    for path, t in entries(data, "side_effects", ""):
        check_keys(t, path, required=("id", "name", "severe_is_emergency"))
        effects.append(
            SideEffect(
                id=ident(t, "id", path),
                name=text(t, "name", path, MAX_TITLE),
                severe_is_emergency=boolean(t, "severe_is_emergency", path),
            )
        )
    unique_ids("side_effects", [e.id for e in effects])
    return tuple(effects)


def _at_least_pair(
    t: Mapping[str, object],
    path: str,
    first: tuple[str, float, float],
    second: tuple[str, float, float],
    problem: str,
) -> tuple[float, float]:
    """Two numbers (key, lowest, highest each), the second never below the first: ``problem``
    names the first field, ``{fmt}`` its value."""
    low = number(t, first[0], path, first[1], first[2])
    high = number(t, second[0], path, second[1], second[2])
    if high < low:
        raise ProtocolError(f"{path}.{second[0]}", problem, fmt=fmt_number(low))
    return low, high
