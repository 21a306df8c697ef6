"""Reading the records a selection includes, as plain rows, for ``ExportService``: only what
the patient chose leaves, links to records left out are cut, and the questionnaires' baselines
come from the whole history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from companion.domain.export_selection import EntryChoice, Part, Selection
from companion.domain.scales import GAD7, PHQ9
from companion.export.progress import Progress
from companion.export.tables import KINDS
from companion.storage.models import Base

PROVIDER_PROFILE_FIELDS = ("id", "name", "provider_name", "provider_contact", "updated_at")
_CHUNK = 500


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def _rows(connection: Connection, statement: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in connection.execute(statement)]


def _in_chunks(
    connection: Connection, tbl: Table, column: str, ids: Sequence[str]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        found.extend(_rows(connection, select(tbl).where(tbl.c[column].in_(chunk))))
    return found


def _in_range(tbl: Table, column: str, selection: Selection) -> Any:
    low, high = selection.bounds()
    statement = select(tbl)
    if low is not None:
        statement = statement.where(tbl.c[column] >= low)
    if high is not None:
        statement = statement.where(tbl.c[column] < high)
    return statement


def read_records(
    connection: Connection, selection: Selection, steps: Progress | None = None
) -> dict[str, list[dict[str, Any]]]:
    steps = steps or Progress()
    records: dict[str, list[dict[str, Any]]] = {k.name: [] for k in KINDS}
    if selection.complete:
        for index, kind in enumerate(KINDS):
            steps.step(index / len(KINDS), "read")
            records[kind.name] = _rows(connection, select(table(kind.name)))
        steps.step(1.0, "read")
        return records

    profile = _rows(connection, select(table("profile")))
    records["profile"] = [
        {k: (v if k in PROVIDER_PROFILE_FIELDS else "") for k, v in p.items()} for p in profile
    ]
    steps.step(0.1, "read")
    session_ids: set[str] = set()
    if selection.wants(Part.SESSIONS):
        sessions = _rows(connection, _in_range(table("session"), "started_at", selection))
        for s in sessions:
            s["planned_session_id"] = s["protocol_id"] = s["prescription_id"] = None
        records["session"] = sessions
        session_ids = {s["id"] for s in sessions}
        ids = sorted(session_ids)
        for child in ("dose_log", "monitor_checkin", "side_effect"):
            records[child] = _in_chunks(connection, table(child), "session_id", ids)
        for dose in records["dose_log"]:
            dose["prescription_id"] = None
        side = table("side_effect")
        loose = _rows(
            connection,
            _in_range(side, "reported_at", selection).where(side.c.session_id.is_(None)),
        )
        records["side_effect"].extend(loose)
    steps.step(0.3, "read")
    if selection.wants(Part.VITALS):
        records["vital_reading"] = _cut_session_links(
            _rows(connection, _in_range(table("vital_reading"), "taken_at", selection)),
            session_ids,
        )
    steps.step(0.4, "read")
    if selection.wants(Part.QUESTIONNAIRES):
        assessments = _cut_session_links(
            _rows(connection, _in_range(table("assessment"), "taken_at", selection)),
            session_ids,
        )
        records["assessment"] = assessments
        records["assessment_item"] = _in_chunks(
            connection, table("assessment_item"), "assessment_id", [a["id"] for a in assessments]
        )
    steps.step(0.5, "read")
    if selection.wants(Part.ENTRIES) and selection.entries is not EntryChoice.NONE:
        _read_entries(connection, selection, records, session_ids)
    steps.step(1.0, "read")
    return records


TREATMENT_STATUSES = ("completed", "in_progress", "interrupted")


def read_baselines(connection: Connection) -> dict[str, dict[str, Any]]:
    """Per questionnaire, its baseline from the WHOLE history, whatever dates were chosen: the
    last score at or before the first session (as the Insights page counts it), else the
    first score. With its item answers (``answers``, in item order)."""
    sessions = table("session")
    first_session_at = connection.execute(
        select(sessions.c.started_at)
        .where(sessions.c.status.in_(TREATMENT_STATUSES))
        .order_by(sessions.c.started_at)
        .limit(1)
    ).scalar()
    assessments = table("assessment")
    items = table("assessment_item")
    found: dict[str, dict[str, Any]] = {}
    for scale in (PHQ9, GAD7):
        rows = _rows(
            connection,
            select(assessments)
            .where(assessments.c.instrument == scale.name)
            .order_by(assessments.c.taken_at, assessments.c.id),
        )
        if not rows:
            continue
        chosen = rows[0]
        if first_session_at is not None:
            before = [r for r in rows if r["taken_at"] <= first_session_at]
            chosen = before[-1] if before else chosen
        answers = _rows(
            connection,
            select(items)
            .where(items.c.assessment_id == chosen["id"])
            .order_by(items.c.item_number),
        )
        found[scale.name] = {**chosen, "answers": tuple(a["answer"] for a in answers)}
    return found


def _read_entries(
    connection: Connection,
    selection: Selection,
    records: dict[str, list[dict[str, Any]]],
    session_ids: set[str],
) -> None:
    entries_table = table("journal_entry")
    if selection.entries is EntryChoice.PICKED:
        candidates = _in_chunks(connection, entries_table, "id", sorted(selection.picked))
    else:
        statement = _in_range(entries_table, "created_at", selection)
        if selection.entries is EntryChoice.SHARED:
            statement = statement.where(entries_table.c.shared_with_provider.is_(True))
        candidates = _rows(connection, statement)
    entries = [
        e
        for e in candidates
        if selection.includes_entry(e["id"], bool(e["shared_with_provider"]), e["created_at"])
    ]
    _cut_session_links(entries, session_ids)
    ids = [e["id"] for e in entries]
    records["journal_entry"] = entries
    records["journal_answer"] = _in_chunks(connection, table("journal_answer"), "entry_id", ids)
    links = _in_chunks(connection, table("entry_tag"), "entry_id", ids)
    records["entry_tag"] = links
    records["tag"] = _in_chunks(
        connection, table("tag"), "id", sorted({link["tag_id"] for link in links})
    )


def _cut_session_links(rows: list[dict[str, Any]], session_ids: set[str]) -> list[dict[str, Any]]:
    """A record linked to a session that does not leave keeps no link to it (in place)."""
    for row in rows:
        if row["session_id"] not in session_ids:
            row["session_id"] = None
    return rows
