"""A check-in item the protocol did not ask is recorded as NULL and shown and exported as
"not asked", never as "no concern"; migration 0005 corrects the rows a vault at the old schema
(0004: four NOT NULL columns) already holds, on a real vault file unlocked by the app."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from jsonschema import Draft202012Validator
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from sqlalchemy import inspect, text

from companion.domain.clock import ManualClock
from companion.domain.export_selection import Selection
from companion.export import jsondoc
from companion.export.schema import build_schema
from companion.pdf.render import render_pdf
from companion.services.container import Services
from companion.services.export import ExportFormat
from companion.storage import migrate
from companion.ui.reflections.facts import checkin_text
from tests.support.export import export_bytes
from tests.support.pdftext import page_texts, squash
from tests.support.services import DEFAULT_TEXT, Restart, make_profile

NAUSEA = """[[timeline.checkin.items]]
id = "nausea"
text.en = "Feels sick (nausea)"
text.es = "Tiene ganas de vomitar (náuseas)"
concern_answer = true
"""
NEEDS_HELP = """[[timeline.checkin.items]]
id = "needs_help"
urgent = true
text.en = "Needs help"
text.es = "Necesita ayuda"
concern_answer = true
"""
DIZZY = """[[timeline.checkin.items]]
id = "dizzy"
text = "Dizzy when sitting up"
concern_answer = true
"""
CLINIC_ANSWERS = {"responsive": True, "breathing": True, "dizzy": False}


def clinic_checkins() -> str:
    """The shipped file as a clinic's: it asks its own item instead of nausea and help."""
    assert NAUSEA in DEFAULT_TEXT and NEEDS_HELP in DEFAULT_TEXT
    body = DEFAULT_TEXT.replace('id = "companion-default"', 'id = "riverside"')
    return body.replace(NAUSEA, DIZZY).replace(NEEDS_HELP, "")


def raw_checkins(app: Services) -> list[tuple[object, ...]]:
    with app.vault.engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                text(
                    "SELECT responsive, breathing_ok, nausea, needs_help, note "
                    "FROM monitor_checkin ORDER BY at"
                )
            )
        ]


def session_with_a_clinic_checkin(app: Services, clock: ManualClock) -> str:
    app.profile.save(make_profile())
    app.protocols.install(clinic_checkins())
    sid = app.sessions.start_session()
    clock.advance(60)
    app.sessions.record_checkin(sid, CLINIC_ANSWERS, note="calm")
    return sid


def report_text(app: Services, qapp: QApplication) -> str:
    preview = app.export.preview(Selection.whole_vault())
    data = render_pdf(preview.report, locale=QLocale(QLocale.Language.English))
    return squash(" ".join(page_texts(data)))


def test_safety_checkin_unasked_items_are_stored_as_null(
    app: Services, manual_clock: ManualClock, qapp: QApplication
) -> None:
    sid = session_with_a_clinic_checkin(app, manual_clock)
    assert raw_checkins(app) == [(1, 1, None, None, "calm")]
    (checkin,) = app.sessions.session_facts(sid).checkins
    assert checkin.not_asked == ("nausea", "needs_help") and checkin.concerns == ()
    review = checkin_text(checkin)
    assert "not asked: nausea, needing help" in review and "asked for help" not in review
    records = app.export.collect(Selection.whole_vault()).records["monitor_checkin"]
    assert [(r["nausea"], r["needs_help"]) for r in records] == [(None, None)]
    assert squash("not asked: nausea, needing help") in report_text(app, qapp)
    assert squash("all fine") not in report_text(app, qapp)


def test_safety_checkin_export_says_null_for_unasked_items_and_validates(
    app: Services, manual_clock: ManualClock, tmp_path: Path
) -> None:
    session_with_a_clinic_checkin(app, manual_clock)
    document = json.loads(export_bytes(app, tmp_path, ExportFormat.JSON, Selection.whole_vault()))
    (row,) = document["records"]["monitor_checkin"]
    assert row["responsive"] is True and row["nausea"] is None and row["needs_help"] is None
    errors = list(Draft202012Validator(build_schema()).iter_errors(document))
    assert errors == []
    assert jsondoc.records_from_document(document)["monitor_checkin"][0]["nausea"] is None


def test_safety_migration_0005_turns_unasked_no_concern_into_null_on_a_real_vault(
    app: Services, manual_clock: ManualClock, restart: Restart, qapp: QApplication
) -> None:
    sid = session_with_a_clinic_checkin(app, manual_clock)
    engine = app.vault.engine
    with engine.begin() as connection:  # the vault file goes back to the old schema
        command.downgrade(migrate.alembic_config(connection), "0004")
    assert migrate.current_revision(engine) == "0004"
    columns = {c["name"]: c["nullable"] for c in inspect(engine).get_columns("monitor_checkin")}
    assert not any(columns[c] for c in ("responsive", "breathing_ok", "nausea", "needs_help"))
    # What the old code wrote: the unasked items as their no-concern value.
    assert raw_checkins(app) == [(1, 1, 0, 0, "calm")]
    # A check-in from before protocol check-ins (no answers event): all four were asked.
    old_at = datetime(2026, 1, 1, 9, 0, tzinfo=UTC) - timedelta(days=400)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO monitor_checkin (id, session_id, at, responsive, breathing_ok, "
                "nausea, needs_help, note) VALUES ('old', :sid, :at, 1, 0, 0, 0, 'older')"
            ),
            {"sid": sid, "at": old_at.replace(tzinfo=None)},
        )

    fresh = restart(app)  # unlocking runs the migration (it commits before the vault is open)
    assert migrate.current_revision(fresh.vault.engine) == migrate.head_revision()
    fresh = restart(fresh)  # the commit mark the migration wrote matches: no "missing changes"
    assert raw_checkins(fresh) == [(1, 0, 0, 0, "older"), (1, 1, None, None, "calm")]
    older, clinic = fresh.sessions.session_facts(sid).checkins
    assert older.not_asked == () and older.concerns == ("breathing",)
    assert clinic.not_asked == ("nausea", "needs_help")
    assert "not asked" not in checkin_text(older)
    assert "not asked: nausea, needing help" in checkin_text(clinic)
    report = report_text(fresh, qapp)
    assert squash("not asked: nausea, needing help") in report

    with fresh.vault.engine.begin() as connection:  # and down again: the old values return
        command.downgrade(migrate.alembic_config(connection), "0004")
    assert raw_checkins(fresh) == [(1, 0, 0, 0, "older"), (1, 1, 0, 0, "calm")]
