"""companion-cli export / import / backup / restore as a person or a script would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyrage import x25519

from companion.crypto.kdf import KdfParams
from companion.domain.clock import ManualClock
from companion.paths import DataPaths
from companion.services.backup import AUTO_PREFIX
from companion.services.container import Services, build_services
from companion.settings import BACKUP_FOLDER, BACKUP_KEEP, Settings
from tests.support.cli import cli, one_line_error, read_only_folder
from tests.support.export import CANARY, SHARED_TEXT
from tests.support.pdftext import page_texts, squash
from tests.support.vault import PASSPHRASE, snapshot

ENV = {"COMPANION_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def folder(filled: Services) -> Path:
    filled.vault.lock()
    return filled.paths.root


def _new_vault(tmp_path: Path, name: str) -> Path:
    """An empty vault with the cheap test KDF (``cli init`` would calibrate for seconds)."""
    services = build_services(DataPaths(tmp_path / name), ManualClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    return services.paths.root


def test_export_and_import_to_a_key(folder: Path, tmp_path: Path) -> None:
    identity = x25519.Identity.generate()
    key_file = tmp_path / "provider.key"
    key_file.write_text(f"# provider\n{identity}\n")
    out = tmp_path / "all.json.age"
    done = cli(
        "--data-dir", str(folder), "export", "--format", "json", "--complete",
        "--recipient", str(identity.to_public()), "--out", str(out), env=ENV,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "only their secret key opens it" in done.stdout
    assert CANARY.encode() not in out.read_bytes()
    target = _new_vault(tmp_path, "other")
    imported = cli(
        "--data-dir", str(target), "import", str(out), "--identity", str(key_file), env=ENV
    )
    assert imported.returncode == 0, imported.stderr
    assert "journal_entry" in imported.stdout
    again = cli("--data-dir", str(target), "import", str(out), "--identity", str(key_file), env=ENV)
    assert "nothing new" in again.stdout and "left as they are" in again.stdout


def test_passphrase_out_and_import_with_the_variable(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared.json.age"
    secret = tmp_path / "passphrase.txt"
    done = cli(
        "--data-dir", str(folder), "export", "--format", "json", "--from", "2025-01-01",
        "--to", "2026-12-31", "--shared-only", "--passphrase-out", str(secret), "--out", str(out),
        env=ENV,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    passphrase = secret.read_text().strip()
    assert passphrase not in done.stdout and len(passphrase) >= 30
    target = _new_vault(tmp_path, "other")
    missing = cli("--data-dir", str(target), "import", str(out), env=ENV)
    assert "COMPANION_EXPORT_PASSPHRASE" in one_line_error(missing)
    imported = cli(
        "--data-dir", str(target), "import", str(out),
        env={**ENV, "COMPANION_EXPORT_PASSPHRASE": passphrase},
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr


def test_plaintext_pdf(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    done = cli(
        "--data-dir", str(folder), "export", "--format", "pdf", "--plaintext", "--out", str(out),
        env=ENV,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "NOT encrypted" in done.stdout
    text = squash(" ".join(page_texts(out.read_bytes())))
    assert squash(SHARED_TEXT) in text and squash(CANARY) not in text


def test_a_bad_file_is_refused_in_one_line(folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "companion-export", "version": 1}))
    before = snapshot(folder)
    result = cli("--data-dir", str(folder), "import", str(bad), env=ENV)
    line = one_line_error(result)
    assert "at /:" in line and "'exported_at' is missing" in line
    assert snapshot(folder) == before


def test_export_errors_are_one_plain_line(folder: Path, tmp_path: Path) -> None:
    with read_only_folder(tmp_path / "ro") as ro:
        result = cli(
            "--data-dir", str(folder), "export", "--format", "csv", "--plaintext",
            "--out", str(ro / "x.csv.zip"), env=ENV,
        )  # fmt: skip
        assert "cannot be written" in one_line_error(result)
    out_dir = tmp_path / "full"
    out_dir.mkdir()
    result = cli(
        "--data-dir", str(folder), "export", "--format", "json", "--complete", "--plaintext",
        "--out", str(out_dir / "all.json"), env=ENV, limit_file_bytes=40 * 1024,
    )  # fmt: skip
    assert "disk is full" in one_line_error(result)
    assert list(out_dir.iterdir()) == []
    bad_key = cli(
        "--data-dir", str(folder), "export", "--format", "json", "--recipient", "age1nope",
        "--out", str(tmp_path / "x.json.age"), env=ENV,
    )  # fmt: skip
    assert "not an age public key" in one_line_error(bad_key)


def test_backup_and_restore(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "vault.companion-backup"
    made = cli("--data-dir", str(folder), "backup", str(out), env=ENV)
    assert made.returncode == 0, made.stderr
    target = tmp_path / "new-computer"
    restored = cli("--data-dir", str(target), "restore", str(out), env=ENV)
    assert restored.returncode == 0, restored.stderr
    assert "verified" in restored.stdout
    verified = cli("--data-dir", str(target), "verify", env=ENV)
    assert verified.returncode == 0, verified.stderr
    wrong = cli("--data-dir", str(target), "restore", str(out), env={"COMPANION_PASSPHRASE": "no"})
    assert "did not unlock" in one_line_error(wrong)


def test_cli_backup_follows_the_backup_policy_set_in_the_app(tmp_path: Path) -> None:
    """The folder and "keep" the patient chose in the app's Settings apply to the CLI too."""
    folder = _new_vault(tmp_path, "vault")
    usb = tmp_path / "usb-stick"
    usb.mkdir()
    settings = Settings(DataPaths(folder).preferences)  # as the app's Settings page sets them
    settings.set(BACKUP_FOLDER, str(usb))
    settings.set(BACKUP_KEEP, 2)
    assert settings.flush()
    for _ in range(3):
        made = cli("--data-dir", str(folder), "backup", env=ENV)
        assert made.returncode == 0, made.stderr
        assert str(usb) in made.stdout
    kept = sorted(p.name for p in usb.iterdir())
    assert len(kept) == 2 and all(name.startswith(AUTO_PREFIX) for name in kept)
    assert not any(DataPaths(folder).backups.glob("*"))  # not the vault's own folder
