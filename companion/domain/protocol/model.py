"""The protocol as typed values: what a clinic decides, once read and checked.

It never holds a dose: the dose is the provider's prescription, recorded verbatim in the profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from enum import StrEnum
from typing import ClassVar

from companion.errors import CompanionError
from companion.i18n import N_, Text

FORMAT_VERSION = 1
KNOWN_SCALES = ("phq9", "gad7")
DEFAULT_PROTOCOL_NAME = "default.toml"
DEFAULT_PROTOCOL_ID = "companion-default"  # its numbers are Companion's, not a provider's

MAX_TEXT = 600
MAX_TITLE = 120


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
