"""What a journal entry is: its kinds, templates and prompts, the mood and dissociation
questions, validation, and the keys its drafts are kept under."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from companion.i18n import N_, _

# --------------------------------------------------------------------------------------------
# Kinds, templates and prompts


class EntryKind(StrEnum):
    REFLECTION = "reflection"  # written after a session, linked to it
    INTEGRATION = "integration"  # any day after: the next-day check-in and later entries
    FREE = "free"  # free-standing writing

    @property
    def label(self) -> str:
        """The kind in words, in the current language."""
        return _(_KIND_LABELS[self])


_KIND_LABELS = {
    EntryKind.REFLECTION: N_("Session reflection"),
    EntryKind.INTEGRATION: N_("Integration"),
    EntryKind.FREE: N_("Free writing"),
}


@dataclass(frozen=True, slots=True)
class JournalPrompt:
    id: str
    text: str
    hint: str = ""  # a gentle example shown as placeholder text


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    kind: EntryKind
    name: str
    intro: str
    prompts: tuple[JournalPrompt, ...]
    asks_mood: bool = True
    asks_dissociation: bool = False

    def prompt(self, prompt_id: str) -> JournalPrompt:
        for prompt in self.prompts:
            if prompt.id == prompt_id:
                return prompt
        raise KeyError(prompt_id)


REFLECTION = Template(
    id="reflection",
    kind=EntryKind.REFLECTION,
    name=N_("After the session"),
    intro=(
        N_(
            "Take your time. Every question is optional; write as much or as little as you like, "
            "and add anything else below."
        )
    ),
    prompts=(
        JournalPrompt("felt", N_("What did you feel?"), N_("Emotions, moods, how they changed.")),
        JournalPrompt(
            "images",
            N_("What images or insights came?"),
            N_("Pictures, memories, thoughts, words."),
        ),
        JournalPrompt(
            "body", N_("What did your body feel?"), N_("Heaviness, lightness, warmth, tension.")
        ),
        JournalPrompt(
            "intention",
            N_("How does your intention look now?"),
            N_("The intention you set before the session, seen from here."),
        ),
        JournalPrompt(
            "carry_forward",
            N_("What do you want to carry forward?"),
            N_("One thing to remember or try in the coming days."),
        ),
    ),
    asks_mood=True,
    asks_dissociation=True,
)

NEXT_DAY = Template(
    id="next_day",
    kind=EntryKind.INTEGRATION,
    name=N_("Next-day check-in"),
    intro=N_("A short look back, the day after a session."),
    prompts=(
        JournalPrompt("sleep", N_("How did you sleep?"), N_("Hours, dreams, waking up.")),
        JournalPrompt("mood", N_("How is your mood today?"), N_("In a few words.")),
        JournalPrompt(
            "shifted",
            N_("Did anything shift?"),
            N_("In how you see things, in your body, with other people."),
        ),
        JournalPrompt(
            "side_effects",
            N_("Are any side effects lingering?"),
            N_(
                "Headache, nausea, tiredness, feeling detached. Tell your provider about anything "
                "that worries you."
            ),
        ),
    ),
)

INTEGRATION = Template(
    id="integration",
    kind=EntryKind.INTEGRATION,
    name=N_("Integration"),
    intro=N_("Any day after a session: what is settling, what is changing."),
    prompts=(),
)

FREE = Template(
    id="free",
    kind=EntryKind.FREE,
    name=N_("Free writing"),
    intro=N_("Write whatever you like."),
    prompts=(),
)

TEMPLATES: dict[str, Template] = {t.id: t for t in (REFLECTION, NEXT_DAY, INTEGRATION, FREE)}


def template(template_id: str) -> Template:
    try:
        return TEMPLATES[template_id]
    except KeyError:
        raise KeyError(f"unknown journal template: {template_id}") from None


def default_template(kind: EntryKind | str) -> Template:
    return {
        EntryKind.REFLECTION: REFLECTION,
        EntryKind.INTEGRATION: NEXT_DAY,
        EntryKind.FREE: FREE,
    }[EntryKind(kind)]


# --------------------------------------------------------------------------------------------
# Mood and the short dissociation rating

MOOD_MIN, MOOD_MAX = 0, 10
MOOD_QUESTION = N_("How is your mood right now?")
MOOD_ANCHORS = {0: N_("Very low"), 5: N_("In between"), 10: N_("Very good")}

DISSOCIATION_MIN, DISSOCIATION_MAX = 0, 4


@dataclass(frozen=True, slots=True)
class RatingQuestion:
    id: str
    text: str


DISSOCIATION_INTRO = N_("During the session, how much did you feel...")
DISSOCIATION_QUESTIONS = (
    RatingQuestion("body", N_("...detached from your body?")),
    RatingQuestion("surroundings", N_("...detached from your surroundings?")),
    RatingQuestion("time", N_("...that your sense of time was changed?")),
)
DISSOCIATION_ANSWERS = (
    N_("Not at all"),
    N_("A little"),
    N_("Moderately"),
    N_("Quite a bit"),
    N_("Extremely"),
)

MAX_TITLE = 300
MAX_TAG = 80
MAX_TAGS = 30


def validate_entry(
    *,
    kind: str,
    title: str,
    mood: int | None,
    dissociation: Mapping[str, int | None],
    tags: Sequence[str] = (),
) -> dict[str, str]:
    """{field: plain-language problem}; empty when the entry can be saved."""
    problems: dict[str, str] = {}
    if kind not in {k.value for k in EntryKind}:
        problems["kind"] = _("Choose a session reflection, an integration entry or free writing.")
    if len(title) > MAX_TITLE:
        problems["title"] = _("Please keep the title under {MAX_TITLE} characters.").format(
            MAX_TITLE=MAX_TITLE
        )
    if mood is not None and not _is_int_in(mood, MOOD_MIN, MOOD_MAX):
        problems["mood"] = _("Mood is a number from {MOOD_MIN} to {MOOD_MAX}.").format(
            MOOD_MIN=MOOD_MIN, MOOD_MAX=MOOD_MAX
        )
    for question in DISSOCIATION_QUESTIONS:
        value = dissociation.get(question.id)
        if value is not None and not _is_int_in(value, DISSOCIATION_MIN, DISSOCIATION_MAX):
            problems[f"dissociation_{question.id}"] = _(
                "Each answer is a number from {DISSOCIATION_MIN} to {DISSOCIATION_MAX}."
            ).format(DISSOCIATION_MIN=DISSOCIATION_MIN, DISSOCIATION_MAX=DISSOCIATION_MAX)
    if len(tags) > MAX_TAGS:
        problems["tags"] = _("Please use at most {MAX_TAGS} tags on one entry.").format(
            MAX_TAGS=MAX_TAGS
        )
    return problems


def _is_int_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# --------------------------------------------------------------------------------------------
# Drafts


def draft_key_for_new(kind: EntryKind | str, session_id: str | None = None) -> str:
    """The draft of an entry not saved yet: one per kind, and per session for reflections."""
    return f"new:{EntryKind(kind).value}:{session_id or ''}"


def draft_key_for_entry(entry_id: str) -> str:
    """The draft of edits to an entry that already exists."""
    return f"entry:{entry_id}"
