"""The session protocol: what a clinic decides, read from a TOML file and checked field by field.

A protocol holds the checklist, fasting and start-time rules, blood-pressure and pulse limits, the
session timeline (phases, prompts, music fades, monitor check-ins), the questionnaire schedule,
after-care, health-change questions, side effects and emergency signs. It never holds a dose:
the dose is the provider's prescription, recorded verbatim in the profile.

``load_protocol`` refuses anything it does not understand with a ``ProtocolError`` whose message
names the field, e.g. ``limits.systolic.stop: must be greater than warn (140)``. Entries of a
list (``[[checklist]]``) are numbered from 1 in field names: ``checklist[3].why``.

Every text a patient reads may be plain text, in the protocol's own ``language`` (``[protocol]
language``, English when absent), or a table of languages (``text.en = "…"``, ``text.es =
"…"``). A protocol is read in the patient's language (the current one, ``companion.i18n``);
a text without it falls back to the protocol's language. ``protocol_warnings`` lists the texts
a language is missing from: a warning for whoever writes the file, never a refusal.
"""

from __future__ import annotations

import contextvars
import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import time
from enum import StrEnum
from typing import ClassVar, TypeVar

from companion.errors import CompanionError
from companion.fsutil import MAX_NESTING, nesting_depth
from companion.i18n import N_, Text, current_language

FORMAT_VERSION = 1
KNOWN_SCALES = ("phq9", "gad7")
DEFAULT_PROTOCOL_NAME = "default.toml"
DEFAULT_PROTOCOL_ID = "companion-default"  # its numbers are Companion's, not a provider's

MAX_TEXT = 600
MAX_TITLE = 120
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_PROTOCOL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_HHMM_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

T = TypeVar("T")


class ProtocolError(CompanionError):
    """A protocol file was refused. ``field`` is the dotted path; ``problem`` is plain words."""

    message = N_("{field}: {problem}")
    example: ClassVar[dict[str, object]] = {"field": "timeline.prompts", "problem": "…"}

    def __init__(self, field: str, problem: str | Text, **params: object) -> None:
        self.field = field
        self.problem_text = problem if isinstance(problem, Text) else Text(problem, params)
        super().__init__(None, field=field, problem=self.problem_text)

    @property
    def problem(self) -> str:
        """The problem in words, in the current language."""
        return str(self.problem_text)


# --------------------------------------------------------------------------------------------
# The protocol, as typed values


class Level(StrEnum):
    REQUIRED = "required"
    ADVISORY = "advisory"


class PhaseId(StrEnum):
    SETTLE = "settle"
    HOLD = "hold"
    JOURNEY = "journey"
    RETURN = "return"
    AFTER = "after"  # the open end of the timeline; not declared in the file


TIMED_PHASES = (PhaseId.SETTLE, PhaseId.HOLD, PhaseId.JOURNEY, PhaseId.RETURN)


class Cue(StrEnum):
    NONE = "none"
    CHIME = "chime"
    VOICE = "voice"
    CHIME_AND_VOICE = "chime_and_voice"


class Anchor(StrEnum):
    START = "start"
    END = "end"


class Severity(StrEnum):
    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


@dataclass(frozen=True, slots=True)
class ProtocolInfo:
    id: str
    name: str
    version: str
    summary: str
    source: str = ""
    language: str = "en"  # the language of the file's plain texts and the fallback


@dataclass(frozen=True, slots=True)
class Cadence:
    sessions: int
    interval_days: int
    min_days_between: int = 0


@dataclass(frozen=True, slots=True)
class Preparation:
    fasting_hours: float
    recommended_fasting_hours: float
    earliest_start: time
    latest_start: time


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    level: Level
    why: str

    @property
    def required(self) -> bool:
        return self.level is Level.REQUIRED


@dataclass(frozen=True, slots=True)
class VitalLimit:
    """Levels for one measure. High levels apply at or above; low levels at or below."""

    warn: int
    stop: int
    low_warn: int | None = None
    low_stop: int | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    systolic: VitalLimit
    diastolic: VitalLimit
    pulse: VitalLimit
    note: str
    by_provider: bool = True  # False for Companion's own default protocol


@dataclass(frozen=True, slots=True)
class Phase:
    id: PhaseId
    title: str
    text: str
    minutes: float

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0


@dataclass(frozen=True, slots=True)
class Prompt:
    """A cue shown large (and chimed or spoken) at a moment within one phase."""

    id: str
    phase: PhaseId
    at_minutes: float
    text: str
    cue: Cue = Cue.CHIME
    anchor: Anchor = Anchor.START


@dataclass(frozen=True, slots=True)
class Music:
    fade_in_seconds: float
    fade_out_seconds: float


@dataclass(frozen=True, slots=True)
class CheckinItem:
    id: str
    text: str
    concern_answer: bool  # the answer that should get the monitor's attention
    urgent: bool = False  # the concern answer opens Help at once


@dataclass(frozen=True, slots=True)
class Checkin:
    interval_minutes: float
    text: str
    items: tuple[CheckinItem, ...]

    def concerns(self, answers: Mapping[str, bool]) -> tuple[CheckinItem, ...]:
        """The items whose answer is the worrying one (unanswered items are not counted)."""
        return tuple(i for i in self.items if answers.get(i.id) is i.concern_answer)


@dataclass(frozen=True, slots=True)
class ProtocolTimeline:
    phases: tuple[Phase, ...]  # settle, hold, journey, return — always in that order
    music: Music
    prompts: tuple[Prompt, ...]
    checkin: Checkin
    resume_grace_minutes: float

    def phase(self, phase_id: PhaseId) -> Phase:
        for phase in self.phases:
            if phase.id is phase_id:
                return phase
        raise KeyError(phase_id)

    @property
    def planned_minutes(self) -> float:
        """Settle (as suggested) + hold + journey + return."""
        return sum(p.minutes for p in self.phases)

    def with_hold_minutes(self, minutes: float) -> ProtocolTimeline:
        """The same timeline with the provider's own hold time (from the prescription).

        Hold prompts that would fall outside the new hold are moved to its edge, so no cue is
        lost.
        """
        if not 0 <= minutes <= 60:
            raise ValueError("the hold time must be between 0 and 60 minutes")
        phases = tuple(
            replace(p, minutes=float(minutes)) if p.id is PhaseId.HOLD else p for p in self.phases
        )
        prompts = tuple(
            replace(p, at_minutes=min(p.at_minutes, float(minutes)))
            if p.phase is PhaseId.HOLD
            else p
            for p in self.prompts
        )
        return replace(self, phases=phases, prompts=prompts)


@dataclass(frozen=True, slots=True)
class QuestionnaireSchedule:
    scales: tuple[str, ...]
    before_sessions: tuple[int, ...]
    after_sessions: tuple[int, ...]
    every_days_after: int  # 0 = no repeats after the listed sessions


@dataclass(frozen=True, slots=True)
class TextItem:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Aftercare:
    no_driving_hours: float
    reminders: tuple[TextItem, ...]


@dataclass(frozen=True, slots=True)
class HealthQuestion:
    """A question asked at every start. A "yes" to a ``stop`` question means no session
    today (only the provider can clear it, by a protocol that says otherwise); a "yes" to a
    ``confirm`` question must be acknowledged after checking with the provider."""

    id: str
    text: str
    stop: bool = False


@dataclass(frozen=True, slots=True)
class HealthQuestions:
    notice: str
    questions: tuple[HealthQuestion, ...]
    stop_notice: str = (
        "Because of your answer, there is no session today. Please call your provider "
        "before your next dose."
    )


@dataclass(frozen=True, slots=True)
class Safety:
    """The session core's timing rules (minutes or hours, as named)."""

    min_interval_hours: float = 24.0  # inside it the dose step cannot be reached
    after_vitals_minutes: float = 40.0  # after-dose blood pressure is due this long after
    observation_minutes: float = 120.0  # the monitor signs off no sooner than this after


@dataclass(frozen=True, slots=True)
class SideEffect:
    id: str
    name: str
    severe_is_emergency: bool

    def shows_emergency_card(self, severity: Severity) -> bool:
        return self.severe_is_emergency and severity is Severity.SEVERE


DEFAULT_MONITOR_CALL_KEY = "F2"
_MONITOR_CALL_KEY_RE = re.compile(r"^F([2-9]|1[0-2])$")  # F1 is Help


@dataclass(frozen=True, slots=True)
class Emergency:
    """Signs that mean emergency care now, what to do while help comes, and the key that calls
    the monitor.

    Companion's own signs and steps (the ``[emergency]`` table of the default protocol) are in
    every protocol. A clinic's file may add its own after them, never remove or reword them.
    """

    intro: str
    signs: tuple[TextItem, ...]
    while_waiting: tuple[TextItem, ...] = ()
    monitor_call_key: str = DEFAULT_MONITOR_CALL_KEY
    added_by_clinic: tuple[str, ...] = ()  # ids of the signs and steps the clinic's file added


@dataclass(frozen=True, slots=True)
class Protocol:
    info: ProtocolInfo
    cadence: Cadence
    preparation: Preparation
    checklist: tuple[ChecklistItem, ...]
    limits: Limits
    timeline: ProtocolTimeline
    questionnaires: QuestionnaireSchedule
    aftercare: Aftercare
    health: HealthQuestions
    side_effects: tuple[SideEffect, ...]
    emergency: Emergency
    safety: Safety = Safety()

    @property
    def by_provider(self) -> bool:
        """True for a clinic's protocol; False for Companion's own default."""
        return self.limits.by_provider

    def side_effect(self, effect_id: str) -> SideEffect:
        for effect in self.side_effects:
            if effect.id == effect_id:
                return effect
        raise KeyError(effect_id)


# --------------------------------------------------------------------------------------------
# Loading


@dataclass
class _Reading:
    """How the texts of the file being read are chosen: ``wanted`` (the patient's language),
    else ``own`` (the file's). ``texts`` records each text's field and its languages."""

    wanted: str
    own: str = "en"
    texts: list[tuple[str, frozenset[str]]] = field(default_factory=list)


_reading: contextvars.ContextVar[_Reading | None] = contextvars.ContextVar(
    "protocol_reading", default=None
)
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


def load_protocol(text: str, core: Emergency, language: str | None = None) -> Protocol:
    """Parses and checks a protocol; raises ``ProtocolError`` naming the first wrong field.
    ``core`` is Companion's own emergency signs and steps (``read_core_emergency`` of the
    shipped protocol), which a clinic's ``[emergency]`` table adds to and never removes.
    Texts are read in ``language`` (the current language by default)."""
    return _read_in(_parse_toml(text), core, language)[0]


def protocol_warnings(text: str, core: Emergency) -> list[Text]:
    """What a protocol that loads is still missing: each text that lacks a language some other
    text of the file has (a translation left out). Empty for a one-language file."""
    reading = _read_in(_parse_toml(text), core, None)[1]
    languages = {reading.own}.union(*(langs for _, langs in reading.texts))
    warnings = []
    for where, langs in reading.texts:
        for missing in sorted(languages - langs):
            warnings.append(
                Text(
                    N_("{field}: no {language} text; the {fallback} text is shown instead"),
                    {"field": where, "language": missing, "fallback": reading.own},
                )
            )
    return warnings


def _read_in(
    data: Mapping[str, object], core: Emergency | None, language: str | None
) -> tuple[Protocol, _Reading]:
    info = data.get("protocol")
    own = info.get("language", "en") if isinstance(info, dict) else "en"
    reading = _Reading(current_language() if language is None else language)
    if isinstance(own, str) and _LANGUAGE_RE.match(own):
        reading.own = own
    token = _reading.set(reading)
    try:
        return _read_protocol(data, core), reading
    finally:
        _reading.reset(token)


def _parse_toml(text: str) -> dict[str, object]:
    if nesting_depth(text, "toml") > MAX_NESTING:  # tomllib recurses: bound it first
        raise ProtocolError(
            "file", N_("is nested more than {MAX_NESTING} levels deep"), MAX_NESTING=MAX_NESTING
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError("file", N_("is not valid TOML ({exc})"), exc=exc) from None


SECTIONS = (
    "protocol",
    "cadence",
    "preparation",
    "checklist",
    "limits",
    "timeline",
    "questionnaires",
    "aftercare",
    "health",
    "side_effects",
    "emergency",
    "safety",
)


def _read_protocol(data: Mapping[str, object], core: Emergency | None) -> Protocol:
    _check_keys(data, "", required=(), optional=SECTIONS)  # missing ones: in file order below
    info = _read_info(_table(data, "protocol", ""))
    cadence = _read_cadence(_table(data, "cadence", ""))
    limits = _read_limits(_table(data, "limits", ""))
    return Protocol(
        info=info,
        cadence=cadence,
        preparation=_read_preparation(_table(data, "preparation", "")),
        checklist=_read_checklist(data),
        limits=replace(limits, by_provider=info.id != DEFAULT_PROTOCOL_ID),
        timeline=_read_timeline(_table(data, "timeline", "")),
        questionnaires=_read_questionnaires(_table(data, "questionnaires", ""), cadence),
        aftercare=_read_aftercare(_table(data, "aftercare", "")),
        health=_read_health(_table(data, "health", "")),
        side_effects=_read_side_effects(data),
        emergency=_read_emergency_table(_table(data, "emergency", ""), core)
        if core is not None
        else read_core_emergency_table(_table(data, "emergency", "")),
        safety=_read_safety(_table(data, "safety", "")) if "safety" in data else Safety(),
    )


def _read_safety(t: Mapping[str, object]) -> Safety:
    path = "safety"
    keys = ("min_interval_hours", "after_vitals_minutes", "observation_minutes")
    _check_keys(t, path, required=keys)
    after = _number(t, "after_vitals_minutes", path, 15, 240)
    observation = _number(t, "observation_minutes", path, 30, 720)
    if observation < after:
        raise ProtocolError(
            f"{path}.observation_minutes",
            N_("must be at least after_vitals_minutes ({fmt})"),
            fmt=_fmt(after),
        )
    return Safety(
        min_interval_hours=_number(t, "min_interval_hours", path, 20, 24 * 90),
        after_vitals_minutes=after,
        observation_minutes=observation,
    )


def _read_info(t: Mapping[str, object]) -> ProtocolInfo:
    path = "protocol"
    _check_keys(
        t,
        path,
        required=("format", "id", "name", "version", "summary"),
        optional=("source", "language"),
    )
    language = _plain_text(t, "language", path, 10) if "language" in t else "en"
    if not _LANGUAGE_RE.match(language):
        raise ProtocolError(f"{path}.language", N_("must be a language code such as 'en' or 'es'"))
    fmt = _int(t, "format", path, 1, 1_000)
    if fmt != FORMAT_VERSION:
        raise ProtocolError(
            f"{path}.format",
            N_("this version of Companion reads format {FORMAT_VERSION} (the file says {fmt})"),
            FORMAT_VERSION=FORMAT_VERSION,
            fmt=fmt,
        )
    pid = _plain_text(t, "id", path, MAX_TITLE)
    if not _PROTOCOL_ID_RE.match(pid):
        raise ProtocolError(
            f"{path}.id", N_("may use only lowercase letters, digits, '-', '_' and '.'")
        )
    return ProtocolInfo(
        id=pid,
        name=_text(t, "name", path, MAX_TITLE),
        version=_plain_text(t, "version", path, 40),
        summary=_text(t, "summary", path, MAX_TEXT),
        source=_text(t, "source", path, MAX_TEXT) if "source" in t else "",
        language=language,
    )


def _read_cadence(t: Mapping[str, object]) -> Cadence:
    path = "cadence"
    _check_keys(t, path, required=("sessions", "interval_days"), optional=("min_days_between",))
    interval = _int(t, "interval_days", path, 1, 90)
    return Cadence(
        sessions=_int(t, "sessions", path, 1, 52),
        interval_days=interval,
        min_days_between=_int(t, "min_days_between", path, 0, interval)
        if "min_days_between" in t
        else 0,
    )


def _read_preparation(t: Mapping[str, object]) -> Preparation:
    path = "preparation"
    keys = ("fasting_hours", "recommended_fasting_hours", "earliest_start", "latest_start")
    _check_keys(t, path, required=keys)
    fasting = _number(t, "fasting_hours", path, 0, 24)
    recommended = _number(t, "recommended_fasting_hours", path, 0, 24)
    if recommended < fasting:
        raise ProtocolError(
            f"{path}.recommended_fasting_hours",
            N_("must be at least fasting_hours ({fmt})"),
            fmt=_fmt(fasting),
        )
    earliest = _time_of_day(t, "earliest_start", path)
    latest = _time_of_day(t, "latest_start", path)
    if latest <= earliest:
        raise ProtocolError(
            f"{path}.latest_start",
            N_("must be later than earliest_start ({earliest:%H:%M})"),
            earliest=earliest,
        )
    return Preparation(fasting, recommended, earliest, latest)


def _read_checklist(data: Mapping[str, object]) -> tuple[ChecklistItem, ...]:
    items: list[ChecklistItem] = []
    for path, t in _entries(data, "checklist", ""):
        _check_keys(t, path, required=("id", "text", "level", "why"))
        items.append(
            ChecklistItem(
                id=_ident(t, "id", path),
                text=_text(t, "text", path, MAX_TEXT),
                level=_choice(t, "level", path, Level),
                why=_text(t, "why", path, MAX_TEXT),
            )
        )
    _unique_ids("checklist", [i.id for i in items])
    return tuple(items)


_VITAL_RANGES = {"systolic": (60, 260), "diastolic": (30, 160), "pulse": (20, 250)}


def _read_limits(t: Mapping[str, object]) -> Limits:
    path = "limits"
    _check_keys(t, path, required=("note", "systolic", "diastolic", "pulse"))
    limits = {
        name: _read_vital_limit(_table(t, name, path), f"{path}.{name}", name)
        for name in _VITAL_RANGES
    }
    return Limits(
        systolic=limits["systolic"],
        diastolic=limits["diastolic"],
        pulse=limits["pulse"],
        note=_text(t, "note", path, MAX_TEXT),
    )


def _read_vital_limit(t: Mapping[str, object], path: str, name: str) -> VitalLimit:
    _check_keys(t, path, required=("warn", "stop"), optional=("low_warn", "low_stop"))
    lo, hi = _VITAL_RANGES[name]
    warn = _int(t, "warn", path, lo, hi)
    stop = _int(t, "stop", path, lo, hi)
    if stop <= warn:
        raise ProtocolError(f"{path}.stop", N_("must be greater than warn ({warn})"), warn=warn)
    low_warn = _int(t, "low_warn", path, lo, hi) if "low_warn" in t else None
    if low_warn is not None and low_warn >= warn:
        raise ProtocolError(f"{path}.low_warn", N_("must be less than warn ({warn})"), warn=warn)
    low_stop = _int(t, "low_stop", path, lo, hi) if "low_stop" in t else None
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


_PHASE_MINUTES = {
    PhaseId.SETTLE: (0, 120),
    PhaseId.HOLD: (1, 60),
    PhaseId.JOURNEY: (10, 240),
    PhaseId.RETURN: (0, 120),
}


def _read_timeline(t: Mapping[str, object]) -> ProtocolTimeline:
    path = "timeline"
    phase_keys = tuple(p.value for p in TIMED_PHASES)
    _check_keys(t, path, required=(*phase_keys, "prompts", "checkin", "resume_grace_minutes"))
    phases = tuple(
        _read_phase(_table(t, p.value, path), f"{path}.{p.value}", p) for p in TIMED_PHASES
    )
    journey_table = _table(t, PhaseId.JOURNEY.value, path)
    music = _read_music(journey_table, f"{path}.journey", phases[2])
    prompts = _read_prompts(t, path, {p.id: p for p in phases})
    return ProtocolTimeline(
        phases=phases,
        music=music,
        prompts=prompts,
        checkin=_read_checkin(_table(t, "checkin", path), f"{path}.checkin"),
        resume_grace_minutes=_number(t, "resume_grace_minutes", path, 10, 24 * 60),
    )


def _read_phase(t: Mapping[str, object], path: str, phase_id: PhaseId) -> Phase:
    extra = ("fade_in_seconds", "fade_out_seconds") if phase_id is PhaseId.JOURNEY else ()
    _check_keys(t, path, required=("title", "minutes", "text", *extra))
    lo, hi = _PHASE_MINUTES[phase_id]
    return Phase(
        id=phase_id,
        title=_text(t, "title", path, MAX_TITLE),
        text=_text(t, "text", path, MAX_TEXT),
        minutes=_number(t, "minutes", path, lo, hi),
    )


def _read_music(t: Mapping[str, object], path: str, journey: Phase) -> Music:
    fade_in = _number(t, "fade_in_seconds", path, 0, 600)
    fade_out = _number(t, "fade_out_seconds", path, 0, 600)
    if fade_in + fade_out > journey.seconds:
        raise ProtocolError(
            f"{path}.fade_out_seconds",
            N_("fade-in and fade-out together must fit in the journey ({fmt} s)"),
            fmt=_fmt(journey.seconds),
        )
    return Music(fade_in, fade_out)


def _read_prompts(
    t: Mapping[str, object], path: str, phases: Mapping[PhaseId, Phase]
) -> tuple[Prompt, ...]:
    prompts: list[Prompt] = []
    for entry_path, e in _entries(t, "prompts", path):
        _check_keys(
            e,
            entry_path,
            required=("id", "phase", "at_minutes", "text"),
            optional=("cue", "anchor"),
        )
        phase_id = _choice(e, "phase", entry_path, PhaseId, exclude=(PhaseId.AFTER,))
        phase = phases[phase_id]
        at = _number(e, "at_minutes", entry_path, 0, 24 * 60)
        if at > phase.minutes:
            raise ProtocolError(
                f"{entry_path}.at_minutes",
                N_("must be within the {value} phase (0 to {fmt} minutes)"),
                value=phase_id.value,
                fmt=_fmt(phase.minutes),
            )
        prompts.append(
            Prompt(
                id=_ident(e, "id", entry_path),
                phase=phase_id,
                at_minutes=at,
                text=_text(e, "text", entry_path, MAX_TEXT),
                cue=_choice(e, "cue", entry_path, Cue) if "cue" in e else Cue.CHIME,
                anchor=_choice(e, "anchor", entry_path, Anchor) if "anchor" in e else Anchor.START,
            )
        )
    _unique_ids(f"{path}.prompts", [p.id for p in prompts])
    return tuple(prompts)


def _read_checkin(t: Mapping[str, object], path: str) -> Checkin:
    _check_keys(t, path, required=("interval_minutes", "text", "items"))
    items: list[CheckinItem] = []
    for entry_path, e in _entries(t, "items", path):
        _check_keys(e, entry_path, required=("id", "text", "concern_answer"), optional=("urgent",))
        items.append(
            CheckinItem(
                id=_ident(e, "id", entry_path),
                text=_text(e, "text", entry_path, MAX_TITLE),
                concern_answer=_bool(e, "concern_answer", entry_path),
                urgent=_bool(e, "urgent", entry_path) if "urgent" in e else False,
            )
        )
    _unique_ids(f"{path}.items", [i.id for i in items])
    return Checkin(
        interval_minutes=_number(t, "interval_minutes", path, 1, 120),
        text=_text(t, "text", path, MAX_TEXT),
        items=tuple(items),
    )


def _read_questionnaires(t: Mapping[str, object], cadence: Cadence) -> QuestionnaireSchedule:
    path = "questionnaires"
    keys = ("scales", "before_sessions", "after_sessions", "every_days_after")
    _check_keys(t, path, required=keys)
    scales = _list(t, "scales", path, _as_str)
    for index, scale in enumerate(scales, start=1):
        if scale not in KNOWN_SCALES:
            raise ProtocolError(
                f"{path}.scales[{index}]",
                N_("'{scale}' is not a known questionnaire (known: {join})"),
                scale=scale,
                join=", ".join(KNOWN_SCALES),
            )
    _unique_ids(f"{path}.scales", scales, entries=False)

    def sessions(key: str) -> tuple[int, ...]:
        numbers = _list(t, key, path, _as_int)
        for index, n in enumerate(numbers, start=1):
            if not 1 <= n <= cadence.sessions:
                raise ProtocolError(
                    f"{path}.{key}[{index}]",
                    N_("must be a session number from 1 to {sessions} (it is {n})"),
                    sessions=cadence.sessions,
                    n=n,
                )
        _unique_ids(f"{path}.{key}", [str(n) for n in numbers], entries=False)
        return tuple(sorted(numbers))

    return QuestionnaireSchedule(
        scales=tuple(scales),
        before_sessions=sessions("before_sessions"),
        after_sessions=sessions("after_sessions"),
        every_days_after=_int(t, "every_days_after", path, 0, 365),
    )


def _read_aftercare(t: Mapping[str, object]) -> Aftercare:
    path = "aftercare"
    _check_keys(t, path, required=("no_driving_hours", "reminders"))
    return Aftercare(
        no_driving_hours=_number(t, "no_driving_hours", path, 1, 48),
        reminders=_text_items(t, "reminders", path),
    )


def _read_health(t: Mapping[str, object]) -> HealthQuestions:
    path = "health"
    _check_keys(t, path, required=("notice", "questions"), optional=("stop_notice",))
    questions: list[HealthQuestion] = []
    for entry_path, e in _entries(t, "questions", path):
        _check_keys(e, entry_path, required=("id", "text"), optional=("level",))
        level = _plain_text(e, "level", entry_path, 20) if "level" in e else "confirm"
        if level not in ("stop", "confirm"):
            raise ProtocolError(f"{entry_path}.level", N_("must be 'stop' or 'confirm'"))
        questions.append(
            HealthQuestion(
                _ident(e, "id", entry_path), _text(e, "text", entry_path, MAX_TEXT), level == "stop"
            )
        )
    _unique_ids(f"{path}.questions", [q.id for q in questions])
    default_stop = HealthQuestions("", ()).stop_notice
    return HealthQuestions(
        notice=_text(t, "notice", path, MAX_TEXT),
        questions=tuple(questions),
        stop_notice=_text(t, "stop_notice", path, MAX_TEXT) if "stop_notice" in t else default_stop,
    )


def _read_side_effects(data: Mapping[str, object]) -> tuple[SideEffect, ...]:
    effects: list[SideEffect] = []
    for path, t in _entries(data, "side_effects", ""):
        _check_keys(t, path, required=("id", "name", "severe_is_emergency"))
        effects.append(
            SideEffect(
                id=_ident(t, "id", path),
                name=_text(t, "name", path, MAX_TITLE),
                severe_is_emergency=_bool(t, "severe_is_emergency", path),
            )
        )
    _unique_ids("side_effects", [e.id for e in effects])
    return tuple(effects)


def read_core_emergency(shipped_text: str, language: str | None = None) -> Emergency:
    """Companion's own emergency signs and steps: the ``[emergency]`` table of the protocol
    Companion ships (its text is read by ``companion.services.protocol_files``), in
    ``language`` (the current language by default)."""
    try:
        data = tomllib.loads(shipped_text)
        table = data.get("emergency")
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(
            "emergency", N_("Companion's own signs could not be read ({exc})"), exc=exc
        ) from None
    if not isinstance(table, dict):
        raise ProtocolError("emergency", N_("Companion's own signs are missing"))
    info = data.get("protocol")
    own = info.get("language", "en") if isinstance(info, dict) else "en"
    reading = _Reading(current_language() if language is None else language)
    reading.own = own if isinstance(own, str) and _LANGUAGE_RE.match(own) else "en"
    token = _reading.set(reading)
    try:
        return _read_emergency_table(table, None)
    finally:
        _reading.reset(token)


def read_core_emergency_table(table: Mapping[str, object]) -> Emergency:
    """The ``[emergency]`` table read as Companion's own (for ``protocol_warnings`` of the
    shipped file itself, whose signs are the core)."""
    return _read_emergency_table(table, None)


def _read_emergency_table(t: Mapping[str, object], core: Emergency | None) -> Emergency:
    path = "emergency"
    _check_keys(
        t, path, required=("intro",), optional=("signs", "while_waiting", "monitor_call_key")
    )
    signs = _text_items(t, "signs", path) if "signs" in t or core is None else ()
    steps = _text_items(t, "while_waiting", path) if "while_waiting" in t or core is None else ()
    key = DEFAULT_MONITOR_CALL_KEY
    if "monitor_call_key" in t:
        key = _plain_text(t, "monitor_call_key", path, 10)
        if not _MONITOR_CALL_KEY_RE.match(key):
            raise ProtocolError(
                f"{path}.monitor_call_key",
                N_("'{key}' must be one of the keys F2 to F12 (F1 opens Help)"),
                key=key,
            )
    intro = _text(t, "intro", path, MAX_TEXT)
    if core is None:
        return Emergency(intro, signs, steps, key)
    merged_signs, added_signs = _extend(core.signs, signs, f"{path}.signs")
    merged_steps, added_steps = _extend(core.while_waiting, steps, f"{path}.while_waiting")
    return Emergency(intro, merged_signs, merged_steps, key, (*added_signs, *added_steps))


def _extend(
    core: Sequence[TextItem], own: Sequence[TextItem], path: str
) -> tuple[tuple[TextItem, ...], tuple[str, ...]]:
    """Companion's items first, then the file's new ones. A file may repeat one of Companion's
    items word for word (the default file does) but may not change or drop it."""
    words = {item.id: item.text for item in core}
    reading = _reading.get()
    # Words can only be compared in one language: a file read in its own fallback language
    # for a patient of another (its copies of the core items are never shown) is not compared.
    comparable = reading is None or reading.wanted == reading.own
    added: list[TextItem] = []
    for index, item in enumerate(own, start=1):
        if item.id not in words:
            added.append(item)
        elif comparable and item.text != words[item.id]:
            raise ProtocolError(
                f"{path}[{index}].text",
                N_(
                    "'{id}' is one of Companion's own items, shown in every protocol; its words "
                    "cannot be changed here (give your own item a new id)"
                ),
                id=item.id,
            )
    return (*core, *added), tuple(item.id for item in added)


def _text_items(t: Mapping[str, object], key: str, path: str) -> tuple[TextItem, ...]:
    items: list[TextItem] = []
    for entry_path, e in _entries(t, key, path):
        _check_keys(e, entry_path, required=("id", "text"))
        items.append(TextItem(_ident(e, "id", entry_path), _text(e, "text", entry_path, MAX_TEXT)))
    _unique_ids(_join(path, key), [i.id for i in items])
    return tuple(items)


# --------------------------------------------------------------------------------------------
# Small readers: each checks one value and names it when it is wrong


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check_keys(
    t: Mapping[str, object], path: str, *, required: Sequence[str], optional: Sequence[str] = ()
) -> None:
    known = [*required, *optional]
    for key in t:
        if key not in known:
            raise ProtocolError(_join(path, key), _unknown_field_problem(key, known))
    for key in required:
        if key not in t:
            raise ProtocolError(_join(path, key), N_("is missing"))


def _unknown_field_problem(key: str, known: Sequence[str]) -> str:
    if "dose" in key.lower():
        return (
            "is not allowed: a protocol never holds a dose. The dose is your provider's "
            "prescription, kept in your profile"
        )
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"is not a known field{hint}"


def _table(t: Mapping[str, object], key: str, path: str) -> Mapping[str, object]:
    if key not in t:
        raise ProtocolError(_join(path, key), N_("is missing"))
    value = t[key]
    if not isinstance(value, dict):
        raise ProtocolError(
            _join(path, key), N_("must be a section ([{join}])"), join=_join(path, key)
        )
    return value


def _entries(
    t: Mapping[str, object], key: str, path: str
) -> list[tuple[str, Mapping[str, object]]]:
    """The ``[[key]]`` entries with their 1-based field paths; at least one is required."""
    full = _join(path, key)
    if key not in t:
        raise ProtocolError(full, N_("is missing"))
    value = t[key]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ProtocolError(full, N_("must be a list of [[{full}]] entries"), full=full)
    if not value:
        raise ProtocolError(full, N_("must have at least one entry"))
    return [(f"{full}[{i}]", v) for i, v in enumerate(value, start=1)]


def _text(t: Mapping[str, object], key: str, path: str, max_len: int) -> str:
    """A text the patient reads: plain (in the file's language) or a table of languages, read
    in the patient's language with the file's own as the fallback."""
    value = t[key]
    reading = _reading.get()
    if reading is None or not isinstance(value, dict):
        text = _plain_text(t, key, path, max_len)
        if reading is not None:
            reading.texts.append((_join(path, key), frozenset({reading.own})))
        return text
    where = _join(path, key)
    for code in value:
        if not _LANGUAGE_RE.match(str(code)):
            raise ProtocolError(
                f"{where}.{code}", N_("is not a language code such as 'en' or 'es'")
            )
        try:
            _plain_text(value, code, where, max_len)
        except ProtocolError as exc:  # named by the text's own field, like a plain text
            raise ProtocolError(where, exc.problem_text) from None
    if reading.own not in value:
        raise ProtocolError(
            where,
            N_("needs a text in the protocol's own language ({language})"),
            language=reading.own,
        )
    reading.texts.append((where, frozenset(value)))
    chosen = reading.wanted if reading.wanted in value else reading.own
    return str(value[chosen])


def _plain_text(t: Mapping[str, object], key: str, path: str, max_len: int) -> str:
    value = t[key]
    if not isinstance(value, str):
        raise ProtocolError(
            _join(path, key), N_("must be text in quotes ({kind} found)"), kind=_kind(value)
        )
    if not value.strip():
        raise ProtocolError(_join(path, key), N_("must not be empty"))
    if len(value) > max_len:
        raise ProtocolError(
            _join(path, key), N_("is too long (at most {max_len} characters)"), max_len=max_len
        )
    return value


def _ident(t: Mapping[str, object], key: str, path: str) -> str:
    value = _plain_text(t, key, path, 40)
    if not _ID_RE.match(value):
        raise ProtocolError(
            _join(path, key),
            N_("'{value}' must start with a lowercase letter and use only a-z, 0-9 and '_'"),
            value=value,
        )
    return value


def _int(t: Mapping[str, object], key: str, path: str, lo: int, hi: int) -> int:
    value = t[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(
            _join(path, key), N_("must be a whole number ({kind} found)"), kind=_kind(value)
        )
    _check_range(value, lo, hi, _join(path, key))
    return value


def _number(t: Mapping[str, object], key: str, path: str, lo: float, hi: float) -> float:
    value = t[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(
            _join(path, key), N_("must be a number ({kind} found)"), kind=_kind(value)
        )
    if value != value:  # NaN
        raise ProtocolError(_join(path, key), N_("must be a number (nan found)"))
    _check_range(value, lo, hi, _join(path, key))
    return float(value)


def _check_range(value: float, lo: float, hi: float, field: str) -> None:
    if not lo <= value <= hi:
        raise ProtocolError(
            field,
            N_("must be between {fmt} and {fmt2} (it is {fmt3})"),
            fmt=_fmt(lo),
            fmt2=_fmt(hi),
            fmt3=_fmt(value),
        )


def _bool(t: Mapping[str, object], key: str, path: str) -> bool:
    value = t[key]
    if not isinstance(value, bool):
        raise ProtocolError(
            _join(path, key), N_("must be true or false ({kind} found)"), kind=_kind(value)
        )
    return value


E = TypeVar("E", bound=StrEnum)


def _choice(
    t: Mapping[str, object], key: str, path: str, enum: type[E], exclude: Iterable[E] = ()
) -> E:
    allowed = [m for m in enum if m not in tuple(exclude)]
    value = t[key]
    for member in allowed:
        if value == member.value:
            return member
    names = ", ".join(f"'{m.value}'" for m in allowed)
    shown = f"'{value}'" if isinstance(value, str) else _kind(value)
    raise ProtocolError(
        _join(path, key), N_("must be one of {names} ({shown} found)"), names=names, shown=shown
    )


def _time_of_day(t: Mapping[str, object], key: str, path: str) -> time:
    value = t[key]
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str) and (m := _HHMM_RE.match(value)):
        return time(int(m.group(1)), int(m.group(2)))
    raise ProtocolError(_join(path, key), N_('must be a time of day like "20:00"'))


def _list(
    t: Mapping[str, object], key: str, path: str, convert: Callable[[object, str], T]
) -> list[T]:
    value = t[key]
    if not isinstance(value, list):
        raise ProtocolError(
            _join(path, key), N_("must be a list in [brackets] ({kind} found)"), kind=_kind(value)
        )
    return [convert(v, f"{_join(path, key)}[{i}]") for i, v in enumerate(value, start=1)]


def _as_str(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(field, N_("must be non-empty text in quotes"))
    return value


def _as_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(field, N_("must be a whole number ({kind} found)"), kind=_kind(value))
    return value


def _unique_ids(path: str, ids: Sequence[str], *, entries: bool = True) -> None:
    seen: dict[str, int] = {}
    for index, value in enumerate(ids, start=1):
        if value in seen:
            where = f"{path}[{index}].id" if entries else f"{path}[{index}]"
            raise ProtocolError(
                where,
                N_("'{value}' is used twice (also in {path}[{seen}])"),
                value=value,
                path=path,
                seen=seen[value],
            )
        seen[value] = index


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a section"
    return "a date or time"


def _fmt(value: float) -> str:
    return f"{value:g}"
