"""What the editor holds, as a plain dict (the draft) and as the service's ``EntryInput``.

Qt-free on purpose: the draft format is the same whether it comes from the editor, from the
vault after a crash, or from an entry opened for editing. Drafts hold the person's words: they
go only into the vault (``JournalService.save_draft``), never into a log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from companion.domain.journal import (
    FREE,
    INTEGRATION,
    NEXT_DAY,
    REFLECTION,
    EntryKind,
    JournalPrompt,
    Template,
    draft_key_for_entry,
    draft_key_for_new,
    split_tag_input,
    template,
)
from companion.i18n import _
from companion.services.journal_model import Answer, Dissociation, Entry, EntryInput

DRAFT_VERSION = 1


@dataclass(frozen=True, slots=True)
class EditorState:
    """Everything the editor shows, independent of widgets."""

    template_id: str
    title: str = ""
    body: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    extra_prompts: tuple[tuple[str, str], ...] = ()  # (id, text) not in the template
    mood: int | None = None
    dissociation: dict[str, int | None] = field(default_factory=dict)
    tags: str = ""
    shared: bool = False
    session_id: str | None = None
    entry_id: str | None = None

    @property
    def template(self) -> Template:
        return template(self.template_id)

    @property
    def kind(self) -> EntryKind:
        return self.template.kind

    @property
    def draft_key(self) -> str:
        if self.entry_id is not None:
            return draft_key_for_entry(self.entry_id)
        return draft_key_for_new(self.kind, self.session_id)

    def prompts(self) -> tuple[JournalPrompt, ...]:
        return self.template.prompts + tuple(JournalPrompt(i, t) for i, t in self.extra_prompts)

    def to_draft(self) -> dict[str, Any]:
        return {
            "v": DRAFT_VERSION,
            "template": self.template_id,
            "title": self.title,
            "body": self.body,
            "answers": dict(self.answers),
            "extra_prompts": [list(p) for p in self.extra_prompts],
            "mood": self.mood,
            "dissociation": dict(self.dissociation),
            "tags": self.tags,
            "shared": self.shared,
            "session_id": self.session_id,
            "entry_id": self.entry_id,
        }

    def has_words(self) -> bool:
        return bool(
            self.title.strip() or self.body.strip() or any(a.strip() for a in self.answers.values())
        )


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def state_from_draft(data: dict[str, Any], kind: str, entry_id: str | None,
                     session_id: str | None) -> EditorState:  # fmt: skip
    """A saved draft back in the editor (unknown or damaged values fall back to defaults)."""
    template_id = str(data.get("template") or "")
    if template_id not in (REFLECTION.id, NEXT_DAY.id, INTEGRATION.id, FREE.id):
        template_id = default_template_id(kind)
    answers_raw = data.get("answers")
    answers = (
        {str(k): str(v) for k, v in answers_raw.items()} if isinstance(answers_raw, dict) else {}
    )
    extra = tuple(
        (str(p[0]), str(p[1]))
        for p in data.get("extra_prompts") or []
        if isinstance(p, list) and len(p) == 2
    )
    diss_raw = data.get("dissociation")
    dissociation = (
        {str(k): _int_or_none(v) for k, v in diss_raw.items()} if isinstance(diss_raw, dict) else {}
    )
    return EditorState(
        template_id=template_id,
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        answers=answers,
        extra_prompts=extra,
        mood=_int_or_none(data.get("mood")),
        dissociation=dissociation,
        tags=str(data.get("tags") or ""),
        shared=bool(data.get("shared", False)),
        session_id=session_id if session_id is not None else data.get("session_id") or None,
        entry_id=entry_id if entry_id is not None else data.get("entry_id") or None,
    )


def default_template_id(kind: str) -> str:
    return {
        EntryKind.REFLECTION.value: REFLECTION.id,
        EntryKind.INTEGRATION.value: NEXT_DAY.id,
        EntryKind.FREE.value: FREE.id,
    }.get(kind, FREE.id)


def tags_text(tags: tuple[str, ...]) -> str:
    return ", ".join(tags)


def parsed_tags(text: str) -> tuple[str, ...]:
    return split_tag_input(text)


def state_from_entry(entry: Entry) -> EditorState:
    """An entry opened for editing: its answers go back under their questions."""
    c = entry.content
    if c.kind == EntryKind.REFLECTION.value:
        base = REFLECTION
    elif c.kind == EntryKind.INTEGRATION.value:
        ids = {a.prompt_id for a in c.answers}
        base = NEXT_DAY if ids & {p.id for p in NEXT_DAY.prompts} else INTEGRATION
    else:
        base = FREE
    known = {p.id for p in base.prompts}
    extra = tuple((a.prompt_id, a.prompt_text) for a in c.answers if a.prompt_id not in known)
    return EditorState(
        template_id=base.id,
        title=c.title,
        body=c.body,
        answers={a.prompt_id: a.answer for a in c.answers},
        extra_prompts=extra,
        mood=c.mood,
        dissociation=c.dissociation.as_dict(),
        tags=tags_text(c.tags),
        shared=c.shared_with_provider,
        session_id=c.session_id,
        entry_id=entry.id,
    )


def to_input(state: EditorState) -> EntryInput:
    tpl = state.template
    diss = state.dissociation if tpl.asks_dissociation else {}
    return EntryInput(
        kind=tpl.kind.value,
        title=state.title,
        body=state.body,
        # Each answer keeps its question as the patient read it (their language), so the
        # entry, its history and every export show the question that was answered
        answers=tuple(
            Answer(p.id, _(p.text), state.answers.get(p.id, "")) for p in state.prompts()
        ),
        mood=state.mood if tpl.asks_mood else None,
        dissociation=Dissociation(diss.get("body"), diss.get("surroundings"), diss.get("time")),
        tags=parsed_tags(state.tags),
        shared_with_provider=state.shared,
        session_id=state.session_id,
    )
