"""What the Journal fetches on the database worker before it shows anything: its start (drafts,
sessions to reflect on, questionnaires due) and an editor's opening (an entry, a new one, a
reflection or a draft, with any unfinished words brought back)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from companion.domain.journal import (
    REFLECTION,
    EntryKind,
    draft_key_for_entry,
    draft_key_for_new,
    template,
)
from companion.domain.scales import DueQuestionnaire
from companion.errors import CompanionError
from companion.i18n import _
from companion.ui.common.render import local_day, local_day_time
from companion.ui.journal.content import EditorState, state_from_draft, state_from_entry

if TYPE_CHECKING:
    from companion.services.assessments import Progress
    from companion.services.container import Services
    from companion.services.journal_model import Draft
    from companion.services.sessions_model import SessionFacts

RECENT_SESSIONS = 20


@dataclass(frozen=True, slots=True)
class SessionChoice:
    session_id: str
    number: int
    started_at_text: str
    has_reflection: bool


@dataclass(frozen=True, slots=True)
class JournalHome:
    drafts: list[Draft]
    sessions: list[SessionChoice]
    tags: list[str]
    due: tuple[DueQuestionnaire, ...]
    progress: dict[str, Progress] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Opening:
    """What the editor needs to open: its state, and where it came from."""

    state: EditorState
    restored_note: str = ""
    tags: tuple[str, ...] = ()
    facts: SessionFacts | None = None


def fetch_home(services: Services) -> JournalHome:
    from companion.services.entry_pages import EntryPages

    journal = services.journal
    drafts = journal.pending_drafts()
    points = services.insights.overview().mood.points
    reflected = EntryPages(services.vault, journal).sessions_with(EntryKind.REFLECTION.value)
    sessions = [
        SessionChoice(p.session_id, p.number, local_day(p.started_at), p.session_id in reflected)
        for p in reversed(points[-RECENT_SESSIONS:])
    ]
    progress = {s: services.assessments.progress(s) for s in ("phq9", "gad7")}
    return JournalHome(
        drafts=drafts,
        sessions=sessions,
        tags=[t.name for t in journal.tags()],
        due=services.assessments.due(),
        progress=progress,
    )


def restored_note(draft: Draft) -> str:
    return _(
        "Your unfinished words from {when} are back. Carry on, or save them as they are."
    ).format(when=local_day_time(draft.updated_at))


def reflection_opening(services: Services, session_id: str) -> Opening:
    from companion.services.search import EntryFilters

    journal = services.journal
    tags = tuple(t.name for t in journal.tags())
    facts = services.sessions.session_facts(session_id)
    existing = services.search.list_entries(
        EntryFilters(session_id=session_id, kind=EntryKind.REFLECTION.value)
    )
    if existing:
        entry_id = existing[-1].id  # the first reflection written for this session
        return entry_opening(services, entry_id, facts=facts)
    draft = journal.get_draft(draft_key_for_new(EntryKind.REFLECTION, session_id))
    if draft is not None:
        state = state_from_draft(draft.content, draft.kind, None, session_id)
        return Opening(state, restored_note(draft), tags, facts)
    return Opening(EditorState(REFLECTION.id, session_id=session_id), "", tags, facts)


def entry_opening(services: Services, entry_id: str, facts: SessionFacts | None = None) -> Opening:
    journal = services.journal
    tags = tuple(t.name for t in journal.tags())
    entry = journal.get(entry_id)
    if facts is None and entry.content.session_id:
        try:
            facts = services.sessions.session_facts(entry.content.session_id)
        except CompanionError:
            facts = None
    draft = journal.get_draft(draft_key_for_entry(entry_id))
    if draft is not None:
        state = state_from_draft(draft.content, draft.kind, entry_id, entry.content.session_id)
        return Opening(state, restored_note(draft), tags, facts)
    return Opening(state_from_entry(entry), "", tags, facts)


def new_opening(services: Services, template_id: str) -> Opening:
    journal = services.journal
    tags = tuple(t.name for t in journal.tags())
    tpl = template(template_id)
    draft = journal.get_draft(draft_key_for_new(tpl.kind))
    if draft is not None:
        state = state_from_draft(draft.content, draft.kind, None, None)
        return Opening(state, restored_note(draft), tags)
    return Opening(EditorState(tpl.id), "", tags)


def draft_opening(services: Services, draft: Draft) -> Opening:
    tags = tuple(t.name for t in services.journal.tags())
    facts = None
    if draft.session_id:
        try:
            facts = services.sessions.session_facts(draft.session_id)
        except CompanionError:
            facts = None
    state = state_from_draft(draft.content, draft.kind, draft.entry_id, draft.session_id)
    return Opening(state, restored_note(draft), tags, facts)
