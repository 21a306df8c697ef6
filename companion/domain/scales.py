"""PHQ-9 and GAD-7: published wording, scoring, bands, change from baseline and the schedule.

Both questionnaires were developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke
and colleagues, with an educational grant from Pfizer Inc.; no permission is required to
reproduce, translate, display or distribute them. Item wording here is as published, in English
and in Spanish (``SPANISH``): a translated questionnaire is only valid in its published wording,
so these texts are not in the message catalogue and no translator rewords them.

Both forms end with the same published question on how difficult the problems have made daily
life (``DIFFICULTY``). It is asked as printed, may be left blank, and is never scored.

Any answer above 0 on PHQ-9 item 9 means the safety card is shown at once. Nothing about it is
sent anywhere automatically.

Response (a drop of at least half) and remission (below 5) are only worked out from a starting
score of 10 or more: the at-home trial (Hull et al. 2022) enrolled people scoring 10 or more, and
from a low start a change of one or two points would "halve" the score without meaning much.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from companion.domain.profile import Profile
from companion.domain.protocol import QuestionnaireSchedule
from companion.i18n import N_, SOURCE_LANGUAGE, _, current_language

CREDIT = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)

SPANISH_CREDIT = (
    "Elaborado por los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, "
    "mediante una subvención educativa otorgada por Pfizer Inc. No se requiere permiso para "
    "reproducir, traducir, presentar o distribuir."
)


def credit(language: str | None = None) -> str:
    """The forms' credit line as printed on the version in ``language`` (current by default)."""
    return SPANISH_CREDIT if (language or current_language()) == "es" else CREDIT


RESPONSE_DROP = 0.5  # response: the total falls by at least half of the baseline ...
REMISSION_BELOW = 5  # remission: the total is below 5 ...
REMISSION_BASELINE_AT_LEAST = 10  # ... both only after a baseline of 10 or more
MEANINGFUL_BASELINE = REMISSION_BASELINE_AT_LEAST  # the trial's entry score (Hull et al. 2022)
BASELINE_FRESH_DAYS = 14  # a "before session 1" answer older than this is asked again


@dataclass(frozen=True, slots=True)
class AnswerOption:
    value: int
    text: str
    loinc: str  # LOINC answer code (LL358-3 answer list)


ANSWERS = (
    AnswerOption(0, "Not at all", "LA6568-5"),
    AnswerOption(1, "Several days", "LA6569-3"),
    AnswerOption(2, "More than half the days", "LA6570-1"),
    AnswerOption(3, "Nearly every day", "LA6571-9"),
)


DIFFICULTY_ANSWERS = (
    AnswerOption(0, "Not difficult at all", "LA6572-7"),
    AnswerOption(1, "Somewhat difficult", "LA6573-5"),
    AnswerOption(2, "Very difficult", "LA6575-0"),
    AnswerOption(3, "Extremely difficult", "LA6574-3"),
)


@dataclass(frozen=True, slots=True)
class Difficulty:
    """The last question of both published forms. Not scored; it may be left blank."""

    text: str
    loinc: str
    answers: tuple[AnswerOption, ...] = DIFFICULTY_ANSWERS


DIFFICULTY = Difficulty(
    "If you checked off any problems, how difficult have these problems made it for you to do "
    "your work, take care of things at home, or get along with other people?",
    "69722-7",
)


@dataclass(frozen=True, slots=True)
class Item:
    number: int  # 1-based, as printed on the form
    text: str
    loinc: str


@dataclass(frozen=True, slots=True)
class Band:
    key: str
    label: str
    low: int
    high: int

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True, slots=True)
class ScaleResult:
    scale_id: str
    answers: tuple[int, ...]
    total: int
    band: Band
    needs_safety_card: bool
    difficulty: int | None = None  # the published last question; not part of the total


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    name: str
    title: str
    stem: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    loinc_panel: str
    loinc_total: str
    safety_item: int | None = None  # item number whose answer above 0 shows the safety card
    answers: tuple[AnswerOption, ...] = ANSWERS
    difficulty: Difficulty = DIFFICULTY

    @property
    def difficulty_number(self) -> int:
        """Where the difficulty answer is stored among the items: after the last one."""
        return len(self.items) + 1

    @property
    def max_total(self) -> int:
        return len(self.items) * max(a.value for a in self.answers)

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"a {self.name} total must be between 0 and {self.max_total}")

    def triggers_safety_card(self, item_number: int, answer: int) -> bool:
        """True as soon as the safety item is answered above 0 (before the form is finished)."""
        return self.safety_item == item_number and answer > 0

    def score(self, answers: Sequence[int], difficulty: int | None = None) -> ScaleResult:
        if len(answers) != len(self.items):
            raise ValueError(f"{self.name} needs an answer for each of its {len(self.items)} items")
        values = tuple(_answer_value(a, n) for n, a in enumerate(answers, start=1))
        total = sum(values)
        safety = self.safety_item is not None and values[self.safety_item - 1] > 0
        hard = None if difficulty is None else _answer_value(difficulty, self.difficulty_number)
        return ScaleResult(self.id, values, total, self.band_for(total), safety, hard)


def _answer_value(answer: object, number: int) -> int:
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= 3:
        raise ValueError(f"item {number}: the answer must be 0, 1, 2 or 3")
    return answer


PHQ9 = Scale(
    id="phq9",
    name="PHQ-9",
    title="Patient Health Questionnaire (PHQ-9)",
    stem=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=(
        Item(1, "Little interest or pleasure in doing things", "44250-9"),
        Item(2, "Feeling down, depressed, or hopeless", "44255-8"),
        Item(3, "Trouble falling or staying asleep, or sleeping too much", "44259-0"),
        Item(4, "Feeling tired or having little energy", "44254-1"),
        Item(5, "Poor appetite or overeating", "44251-7"),
        Item(
            6,
            "Feeling bad about yourself — or that you are a failure or have let yourself "
            "or your family down",
            "44258-2",
        ),
        Item(
            7,
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "44252-5",
        ),
        Item(
            8,
            "Moving or speaking so slowly that other people could have noticed? Or the "
            "opposite — being so fidgety or restless that you have been moving around a lot "
            "more than usual",
            "44253-3",
        ),
        Item(
            9,
            "Thoughts that you would be better off dead or of hurting yourself in some way",
            "44260-8",
        ),
    ),
    bands=(
        Band("minimal", N_("Minimal"), 0, 4),
        Band("mild", N_("Mild"), 5, 9),
        Band("moderate", N_("Moderate"), 10, 14),
        Band("moderately_severe", N_("Moderately severe"), 15, 19),
        Band("severe", N_("Severe"), 20, 27),
    ),
    loinc_panel="44249-1",
    loinc_total="44261-6",
    safety_item=9,
)

GAD7 = Scale(
    id="gad7",
    name="GAD-7",
    title="Generalized Anxiety Disorder scale (GAD-7)",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        Item(1, "Feeling nervous, anxious or on edge", "69725-0"),
        Item(2, "Not being able to stop or control worrying", "68509-9"),
        Item(3, "Worrying too much about different things", "69733-4"),
        Item(4, "Trouble relaxing", "69734-2"),
        Item(5, "Being so restless that it is hard to sit still", "69735-9"),
        Item(6, "Becoming easily annoyed or irritable", "69689-8"),
        Item(7, "Feeling afraid as if something awful might happen", "69736-7"),
    ),
    bands=(
        Band("minimal", N_("Minimal"), 0, 4),
        Band("mild", N_("Mild"), 5, 9),
        Band("moderate", N_("Moderate"), 10, 14),
        Band("severe", N_("Severe"), 15, 21),
    ),
    loinc_panel="69737-5",
    loinc_total="70274-6",
)

SCALES: dict[str, Scale] = {PHQ9.id: PHQ9, GAD7.id: GAD7}


@dataclass(frozen=True, slots=True)
class PublishedWording:
    """One language's published wording of a form: everything the patient reads, nothing
    that is scored (values, bands, LOINC codes and the safety item stay the form's own)."""

    title: str
    stem: str
    items: tuple[str, ...]
    answers: tuple[str, str, str, str]
    difficulty: str
    difficulty_answers: tuple[str, str, str, str]


# The Spanish for the USA versions from the PHQ Screeners set (Pfizer Inc.; phqscreeners.com,
# "PHQ-9 Spanish for USA" and "GAD-7 Spanish for USA"), word for word, including the "(a)"
# forms and the instruction line as printed. Credit line of the Spanish forms: "Elaborado por
# los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, mediante una
# subvención educativa otorgada por Pfizer Inc. No se requiere permiso para reproducir,
# traducir, presentar o distribuir."
_SPANISH_ANSWERS = (
    "Ningún día",
    "Varios días",
    "Más de la mitad de los días",
    "Casi todos los días",
)
_SPANISH_DIFFICULTY = (
    "Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas "
    "para hacer su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras "
    "personas?"
)
_SPANISH_DIFFICULTY_ANSWERS = (
    "No ha sido difícil",
    "Un poco difícil",
    "Muy difícil",
    "Extremadamente difícil",
)
_SPANISH_STEM = (
    "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
    "siguientes problemas?"
)
SPANISH: dict[str, PublishedWording] = {
    "phq9": PublishedWording(
        title="Cuestionario sobre la salud del paciente (PHQ-9)",
        stem=_SPANISH_STEM,
        items=(
            "Poco interés o placer en hacer cosas",
            "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
            "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
            "Se ha sentido cansado(a) o con poca energía",
            "Sin apetito o ha comido en exceso",
            "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal "
            "con usted mismo(a) o con su familia",
            "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el "
            "periódico o ver la televisión",
            "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo "
            "contrario – muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo "
            "normal",
            "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
        ),
        answers=_SPANISH_ANSWERS,
        difficulty=_SPANISH_DIFFICULTY,
        difficulty_answers=_SPANISH_DIFFICULTY_ANSWERS,
    ),
    "gad7": PublishedWording(
        title="Escala de ansiedad generalizada (GAD-7)",
        stem=_SPANISH_STEM,
        items=(
            "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
            "No ha sido capaz de parar o controlar su preocupación",
            "Se ha preocupado demasiado por motivos diferentes",
            "Ha tenido dificultad para relajarse",
            "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
            "Se ha molestado o irritado fácilmente",
            "Ha tenido miedo de que algo terrible fuera a pasar",
        ),
        answers=_SPANISH_ANSWERS,
        difficulty=_SPANISH_DIFFICULTY,
        difficulty_answers=_SPANISH_DIFFICULTY_ANSWERS,
    ),
}
PUBLISHED: dict[str, dict[str, PublishedWording]] = {"es": SPANISH}


def in_language(scale_: Scale, language: str) -> Scale:
    """``scale_`` as published in ``language`` (English when there is no published version):
    the same items, values, bands, LOINC codes and safety item, only the words differ. Band
    labels are Companion's, so they come from the message catalogue."""
    wording = PUBLISHED.get(language, {}).get(scale_.id)
    if wording is None and language == SOURCE_LANGUAGE:
        return scale_
    bands = tuple(replace(band, label=_(band.label)) for band in scale_.bands)
    if wording is None:
        return replace(scale_, bands=bands)
    return replace(
        scale_,
        title=wording.title,
        stem=wording.stem,
        items=tuple(
            replace(item, text=text) for item, text in zip(scale_.items, wording.items, strict=True)
        ),
        answers=tuple(
            replace(option, text=text)
            for option, text in zip(scale_.answers, wording.answers, strict=True)
        ),
        difficulty=replace(
            scale_.difficulty,
            text=wording.difficulty,
            answers=tuple(
                replace(option, text=text)
                for option, text in zip(
                    scale_.difficulty.answers, wording.difficulty_answers, strict=True
                )
            ),
        ),
        bands=bands,
    )


def scale(scale_id: str, language: str | None = None) -> Scale:
    """The questionnaire as published in ``language`` (the current language by default)."""
    try:
        found = SCALES[scale_id]
    except KeyError:
        raise KeyError(f"unknown questionnaire: {scale_id}") from None
    return in_language(found, current_language() if language is None else language)


# --------------------------------------------------------------------------------------------
# Change from baseline


@dataclass(frozen=True, slots=True)
class Change:
    baseline: int
    current: int
    drop: int  # baseline - current; negative when worse
    percent_drop: float | None  # None when the baseline is 0
    response: bool  # a drop of at least 50 % after a baseline of 10 or more
    remission: bool  # below 5 after a baseline of 10 or more

    @property
    def meaningful(self) -> bool:
        """Response and remission are only worked out from a baseline of 10 or more."""
        return self.baseline >= MEANINGFUL_BASELINE

    @property
    def remission_possible(self) -> bool:
        """Remission is only defined when the baseline was 10 or more."""
        return self.meaningful


def change_from_baseline(scale_: Scale, baseline: int, current: int) -> Change:
    """Response and remission as in the at-home trial, from a baseline of 10 or more only.

    DESIGN.md defines remission for PHQ-9; the trial reported it the same way for GAD-7, so
    the same thresholds apply to both. The trial enrolled people scoring 10 or more; from a
    lower start neither is declared (2 -> 1 is not a "response").
    """
    for name, value in (("baseline", baseline), ("current", current)):
        if not 0 <= value <= scale_.max_total:
            raise ValueError(f"the {name} {scale_.name} total must be 0 to {scale_.max_total}")
    drop = baseline - current
    percent = None if baseline == 0 else 100.0 * drop / baseline
    meaningful = baseline >= MEANINGFUL_BASELINE
    response = meaningful and drop >= RESPONSE_DROP * baseline
    remission = meaningful and current < REMISSION_BELOW
    return Change(baseline, current, drop, percent, response, remission)


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    scale_id: str
    taken_at: datetime
    total: int | None = None


@dataclass(frozen=True, slots=True)
class SessionRecord:
    number: int
    completed_at: datetime | None  # None: not done yet (planned, moved or cancelled)


def find_baseline(
    assessments: Sequence[AssessmentRecord], scale_id: str, first_session_at: datetime
) -> AssessmentRecord | None:
    """The latest assessment of ``scale_id`` taken at or before the first session began."""
    before = [a for a in assessments if a.scale_id == scale_id and a.taken_at <= first_session_at]
    return max(before, key=lambda a: a.taken_at, default=None)


# --------------------------------------------------------------------------------------------
# Which questionnaires are due


class DueRule(StrEnum):
    BEFORE_SESSION = "before_session"
    AFTER_SESSION = "after_session"
    REPEAT = "repeat"


@dataclass(frozen=True, slots=True)
class DueQuestionnaire:
    scale_id: str
    rule: DueRule
    reason: str
    session_number: int | None = None


def questionnaires_due(
    schedule: QuestionnaireSchedule,
    sessions: Sequence[SessionRecord],
    assessments: Sequence[AssessmentRecord],
    now: datetime,
) -> tuple[DueQuestionnaire, ...]:
    """At most one entry per scale, in the schedule's order: after-session, before-session,
    then the repeat every N days once the listed sessions are done. Any questionnaire can
    also be taken on demand; this only says what the protocol asks for now.
    """
    completed = {s.number: s.completed_at for s in sessions if s.completed_at is not None}
    due: list[DueQuestionnaire] = []
    for scale_id in schedule.scales:
        taken = sorted(
            a.taken_at for a in assessments if a.scale_id == scale_id and a.taken_at <= now
        )
        found = (
            _after_session_due(schedule, completed, taken, scale_id)
            or _before_session_due(schedule, completed, taken, scale_id, now)
            or _repeat_due(schedule, completed, taken, scale_id, now)
        )
        if found is not None:
            due.append(found)
    return tuple(due)


def _taken_since(taken: Sequence[datetime], since: datetime | None) -> bool:
    return any(since is None or t >= since for t in taken)


def _after_session_due(
    schedule: QuestionnaireSchedule,
    completed: dict[int, datetime],
    taken: Sequence[datetime],
    scale_id: str,
) -> DueQuestionnaire | None:
    for n in sorted(schedule.after_sessions, reverse=True):
        if n not in completed:
            continue
        if n + 1 in completed:
            return None  # a later session happened: this point has passed
        if not _taken_since(taken, completed[n]):
            return DueQuestionnaire(scale_id, DueRule.AFTER_SESSION, f"After session {n}", n)
        return None
    return None


def _before_session_due(
    schedule: QuestionnaireSchedule,
    completed: dict[int, datetime],
    taken: Sequence[datetime],
    scale_id: str,
    now: datetime,
) -> DueQuestionnaire | None:
    for n in schedule.before_sessions:
        if n in completed:
            continue
        if n > 1 and n - 1 not in completed:
            continue  # not the next session yet
        since = completed.get(n - 1) if n > 1 else now - timedelta(days=BASELINE_FRESH_DAYS)
        if not _taken_since(taken, since):
            return DueQuestionnaire(scale_id, DueRule.BEFORE_SESSION, f"Before session {n}", n)
    return None


def _repeat_due(
    schedule: QuestionnaireSchedule,
    completed: dict[int, datetime],
    taken: Sequence[datetime],
    scale_id: str,
    now: datetime,
) -> DueQuestionnaire | None:
    if schedule.every_days_after <= 0:
        return None
    listed = (*schedule.before_sessions, *schedule.after_sessions)
    last_listed = max(listed, default=0)
    if last_listed and last_listed not in completed:
        return None
    anchors = [*taken[-1:], *([completed[last_listed]] if last_listed else [])]
    if not anchors:
        return None
    reference = max(anchors)
    days = (now - reference) / timedelta(days=1)
    if days >= schedule.every_days_after:
        reason = f"Every {schedule.every_days_after} days ({int(days)} days since the last)"
        return DueQuestionnaire(scale_id, DueRule.REPEAT, reason)
    return None


# --------------------------------------------------------------------------------------------
# The safety card


@dataclass(frozen=True, slots=True)
class SafetyCard:
    title: str
    lines: tuple[str, ...]


def safety_card(profile: Profile) -> SafetyCard:
    """Shown at once for any answer above 0 on PHQ-9 item 9. Never sent anywhere by itself."""
    crisis = profile.crisis_line.strip()
    emergency = profile.emergency_number.strip() or "your emergency number"
    lines = [
        "Thank you for answering honestly. You do not have to carry this alone.",
        *([f"You can call or text a crisis line now: {crisis}."] if crisis else []),
        f"If you might act on these thoughts, call {emergency} now.",
    ]
    if profile.provider_name or profile.provider_contact:
        who = profile.provider_name or "your provider"
        contact = f" ({profile.provider_contact})" if profile.provider_contact else ""
        lines.append(f"Let {who}{contact} know before your next session.")
    if profile.monitor_name:
        lines.append(f"You can also reach out to {profile.monitor_name}.")
    return SafetyCard("You can call now", tuple(lines))
