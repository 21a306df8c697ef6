"""The protocol in use: shipped default, installing a clinic's file, refusing a broken one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from companion.domain.protocol import ProtocolError
from companion.services.container import Services
from companion.services.protocol_files import default_protocol_path
from companion.storage.models import ProtocolRow
from tests.services.conftest import make_profile

DEFAULT_TEXT = default_protocol_path().read_text(encoding="utf-8")


def clinic_protocol(name: str = "Riverside clinic", systolic_warn: int = 135) -> str:
    """The shipped file with the clinic's own name and a lower systolic take-note level."""
    text = DEFAULT_TEXT.replace('id = "companion-default"', 'id = "riverside"')
    text = text.replace('name.en = "Companion default"', f'name.en = "{name}"')
    return text.replace(
        "[limits.systolic]\nwarn = 140", f"[limits.systolic]\nwarn = {systolic_warn}"
    )


def protocol_rows(app: Services) -> list[tuple[str, str, bool, str, str]]:
    with app.vault.unit_of_work() as db:
        return [
            (r.id, r.name, r.active, r.sha256, r.source_toml)
            for r in db.scalars(select(ProtocolRow).order_by(ProtocolRow.installed_at))
        ]


def test_the_shipped_default_is_in_use_until_a_file_is_installed(app: Services) -> None:
    info = app.protocols.active_info()
    assert info.is_default and info.protocol.info.id == "companion-default"
    assert protocol_rows(app) == []


def test_install_keeps_the_file_verbatim_and_replaces_the_one_in_use(
    app: Services, manual_clock: object
) -> None:
    first = clinic_protocol()
    installed = app.protocols.install(first)
    assert installed.info.name == "Riverside clinic"
    assert installed.limits.systolic.warn == 135
    assert app.protocols.active().limits.systolic.warn == 135

    second = clinic_protocol(name="Riverside clinic 2", systolic_warn=138)
    app.protocols.install(second)
    rows = protocol_rows(app)
    assert [(name, active) for _, name, active, _, _ in rows] == [
        ("Riverside clinic", False),
        ("Riverside clinic 2", True),
    ]
    assert rows[1][3] == hashlib.sha256(second.encode("utf-8")).hexdigest()
    assert rows[1][4] == second  # verbatim, comments and all
    assert app.protocols.active().info.name == "Riverside clinic 2"

    app.protocols.install(second)  # the same file again changes nothing
    assert len(protocol_rows(app)) == 2


@pytest.mark.parametrize(
    ("broken", "field"),
    [
        (
            lambda: clinic_protocol().replace("stop = 160", "stop = 120"),
            "limits.systolic.stop",
        ),
        (lambda: clinic_protocol().replace("[cadence]", "dose = 100\n[cadence]"), "protocol.dose"),
        (
            lambda: clinic_protocol().replace("sessions = 4", 'sessions = "four"'),
            "cadence.sessions",
        ),
        (lambda: "this is [not toml", "file"),
    ],
)
def test_a_broken_file_changes_nothing_and_names_the_field(
    app: Services, broken: object, field: str
) -> None:
    app.protocols.install(clinic_protocol())
    before = protocol_rows(app)
    assert callable(broken)
    with pytest.raises(ProtocolError) as refused:
        app.protocols.install(broken())
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")
    assert protocol_rows(app) == before
    assert app.protocols.active().info.name == "Riverside clinic"


def test_install_file_refuses_unreadable_and_non_utf8_files(app: Services, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(clinic_protocol(name="Clinique Québec").encode("latin-1", "replace"))
    with pytest.raises(ProtocolError, match=r"^file: is not UTF-8 text"):
        app.protocols.install_file(latin1)
    with pytest.raises(ProtocolError, match=r"^file: could not be read"):
        app.protocols.install_file(tmp_path / "missing.toml")
    good = tmp_path / "good.toml"
    good.write_text(clinic_protocol(), encoding="utf-8")
    assert app.protocols.install_file(good).info.name == "Riverside clinic"


def test_reset_to_default_keeps_the_history(app: Services) -> None:
    app.protocols.install(clinic_protocol())
    assert app.protocols.reset_to_default().info.id == "companion-default"
    assert app.protocols.active_info().is_default
    assert [active for _, _, active, _, _ in protocol_rows(app)] == [False]


def test_a_session_is_read_with_the_protocol_it_ran_under(app: Services) -> None:
    app.profile.save(make_profile())
    app.protocols.install(clinic_protocol())
    sid = app.sessions.start_session()
    app.protocols.install(clinic_protocol(name="Next protocol"))
    assert app.sessions.session_facts(sid).protocol_name == "Riverside clinic"
    app.sessions.abort(sid, "testing")
    app.protocols.reset_to_default()
    assert app.sessions.session_facts(sid).protocol_name == "Riverside clinic"
