"""companion-cli as a person or a script would use it: real processes, real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.crypto.header import PASSPHRASE as PASSPHRASE_SLOT
from companion.crypto.header import VaultHeader
from companion.services.container import Services
from tests.support.cli import NEW, cli, one_line_error, read_only_folder
from tests.support.vault import PASSPHRASE, snapshot


def test_init_verify_passwd_cycle_with_a_calibrated_vault(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    created = cli("--data-dir", str(folder), "init", env={"COMPANION_PASSPHRASE": PASSPHRASE})
    assert created.returncode == 0, created.stderr
    recovery_line = [line for line in created.stdout.splitlines() if line.count("-") == 7]
    assert len(recovery_line) == 1
    params = (
        VaultHeader.from_bytes((folder / "vault.header").read_bytes()).slot(PASSPHRASE_SLOT).params
    )
    assert params is not None and params.meets_floor()

    verified = cli("--data-dir", str(folder), "verify", env={"COMPANION_PASSPHRASE": PASSPHRASE})
    assert verified.returncode == 0, verified.stderr
    assert "profile: 0" in verified.stdout and "verified" in verified.stdout

    db_before = (folder / "vault.sqlcipher").read_bytes()
    changed = cli(
        "--data-dir",
        str(folder),
        "passwd",
        env={"COMPANION_PASSPHRASE": PASSPHRASE, "COMPANION_NEW_PASSPHRASE": NEW},
    )
    assert changed.returncode == 0, changed.stderr
    assert (folder / "vault.sqlcipher").read_bytes() == db_before
    old = cli("--data-dir", str(folder), "verify", env={"COMPANION_PASSPHRASE": PASSPHRASE})
    assert "did not unlock" in one_line_error(old)
    assert (
        cli("--data-dir", str(folder), "verify", env={"COMPANION_PASSPHRASE": NEW}).returncode == 0
    )


@pytest.fixture
def vault_folder(unlocked_services: Services) -> Path:
    unlocked_services.vault.lock()
    return unlocked_services.paths.root


def test_wrong_passphrase(vault_folder: Path) -> None:
    before = snapshot(vault_folder)
    result = cli(
        "--data-dir", str(vault_folder), "verify", env={"COMPANION_PASSPHRASE": "nope nope nope"}
    )
    assert "did not unlock" in one_line_error(result)
    assert snapshot(vault_folder) == before


def test_no_vault_at_that_path(tmp_path: Path) -> None:
    result = cli(
        "--data-dir", str(tmp_path / "nothing"), "verify", env={"COMPANION_PASSPHRASE": "x"}
    )
    assert "no Companion vault" in one_line_error(result)
    assert not (tmp_path / "nothing").exists()


def test_tampered_header(vault_folder: Path) -> None:
    header = vault_folder / "vault.header"
    data = bytearray(header.read_bytes())
    data[40] ^= 0x20
    header.write_bytes(bytes(data))
    result = cli(
        "--data-dir", str(vault_folder), "verify", env={"COMPANION_PASSPHRASE": PASSPHRASE}
    )
    assert "key file is damaged" in one_line_error(result)


def test_damaged_database_page_fails_verification(vault_folder: Path) -> None:
    database = vault_folder / "vault.sqlcipher"
    data = bytearray(database.read_bytes())
    data[4096 * 3 + 500] ^= 0x01  # a page past the first: the vault opens, verify must fail
    database.write_bytes(bytes(data))
    result = cli(
        "--data-dir", str(vault_folder), "verify", env={"COMPANION_PASSPHRASE": PASSPHRASE}
    )
    assert result.returncode == 1
    assert "did not verify" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_terminal_and_no_variable(vault_folder: Path) -> None:
    result = cli("--data-dir", str(vault_folder), "verify")
    assert "COMPANION_PASSPHRASE" in one_line_error(result)


def test_weak_new_passphrase_is_refused(tmp_path: Path) -> None:
    result = cli("--data-dir", str(tmp_path / "v"), "init", env={"COMPANION_PASSPHRASE": "abc"})
    assert "too easy to guess" in one_line_error(result)
    assert not (tmp_path / "v" / "vault.header").exists()


def test_existing_vault_is_never_overwritten(vault_folder: Path) -> None:
    before = snapshot(vault_folder)
    result = cli("--data-dir", str(vault_folder), "init", env={"COMPANION_PASSPHRASE": NEW})
    assert "already exists" in one_line_error(result)
    assert snapshot(vault_folder) == before


def test_full_disk_gives_a_clear_message_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "full"
    result = cli(
        "--data-dir",
        str(folder),
        "init",
        env={"COMPANION_PASSPHRASE": PASSPHRASE},
        limit_file_bytes=48 * 1024,  # the new database needs more than this
    )
    assert "disk is full" in one_line_error(result)
    assert not (folder / "vault.header").exists()
    assert not (folder / "vault.sqlcipher").exists()


def test_read_only_folder_gives_a_clear_message(tmp_path: Path) -> None:
    with read_only_folder(tmp_path / "ro") as folder:
        result = cli(
            "--data-dir", str(folder / "vault"), "init", env={"COMPANION_PASSPHRASE": PASSPHRASE}
        )
        assert "cannot be written" in one_line_error(result)
